package dev.tickvault.model;

/** The taker's side of a trade, or the side of a book level. Codes are stored on disk: never renumber. */
public enum Side {
    UNKNOWN(0),
    BUY(1),
    SELL(2);

    private static final Side[] BY_CODE = {UNKNOWN, BUY, SELL};

    private final int code;

    Side(int code) {
        this.code = code;
    }

    /** The on-disk code: 0 unknown, 1 buy (bid), 2 sell (ask). */
    public int code() {
        return code;
    }

    public static Side ofCode(int code) {
        if (code < 0 || code >= BY_CODE.length) {
            throw new IllegalArgumentException("unknown side code: " + code);
        }
        return BY_CODE[code];
    }

    /** Lower-case name as printed in CSV and JSON: {@code buy}, {@code sell}, {@code unknown}. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Parses {@code buy|sell|unknown|b|s|bid|ask|""} (case-insensitive). */
    public static Side parse(String text) {
        return switch (text.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "buy", "b", "bid" -> BUY;
            case "sell", "s", "ask" -> SELL;
            case "unknown", "", "u", "none" -> UNKNOWN;
            default ->
                throw new IllegalArgumentException("invalid side \"" + text + "\": expected buy, sell or unknown");
        };
    }
}
