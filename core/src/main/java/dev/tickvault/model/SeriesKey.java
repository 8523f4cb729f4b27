package dev.tickvault.model;

import java.util.regex.Pattern;

/**
 * An exchange and a symbol, validated. Exchanges are lower-case names ({@code binance}, {@code binance-futures});
 * symbols keep the venue's spelling ({@code BTCUSDT}, {@code BTC-USD}, {@code XBT/USD}) and may contain any printable
 * ASCII character except whitespace. Names are never used as paths directly: see {@link #symbolFileName()}.
 */
public record SeriesKey(String exchange, String symbol) implements Comparable<SeriesKey> {

    public static final int MAX_EXCHANGE_LENGTH = 32;
    public static final int MAX_SYMBOL_LENGTH = 64;
    private static final Pattern EXCHANGE = Pattern.compile("[a-z0-9][a-z0-9_-]{0,31}");

    public SeriesKey {
        validateExchange(exchange);
        validateSymbol(symbol);
    }

    public static SeriesKey of(String exchange, String symbol) {
        return new SeriesKey(exchange, symbol);
    }

    public static void validateExchange(String exchange) {
        if (exchange == null || !EXCHANGE.matcher(exchange).matches()) {
            throw new IllegalArgumentException("invalid exchange name \"" + exchange
                    + "\": use 1-32 lower-case letters, digits, '-' or '_', starting with a letter or digit");
        }
    }

    public static void validateSymbol(String symbol) {
        if (symbol == null || symbol.isEmpty() || symbol.length() > MAX_SYMBOL_LENGTH) {
            throw new IllegalArgumentException(
                    "invalid symbol \"" + symbol + "\": must be 1-" + MAX_SYMBOL_LENGTH + " characters");
        }
        for (int i = 0; i < symbol.length(); i++) {
            char c = symbol.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                throw new IllegalArgumentException("invalid symbol \"" + symbol
                        + "\": only printable ASCII without spaces is allowed (character " + (int) c + ")");
            }
        }
    }

    /**
     * The symbol as a safe file name: letters, digits, {@code '-'} and {@code '_'} stay; every other byte, including
     * {@code '.'}, {@code '/'}, {@code '\\'} and {@code '%'}, becomes {@code %XX}. Upper-case letters are prefixed
     * with {@code '^'} so names stay distinct on case-insensitive file systems. The result can never be {@code "."},
     * {@code ".."} or contain a separator.
     */
    public String symbolFileName() {
        return encodeFileName(symbol);
    }

    public static String encodeFileName(String name) {
        StringBuilder sb = new StringBuilder(name.length() + 8);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_') {
                sb.append(c);
            } else if (c >= 'A' && c <= 'Z') {
                sb.append('^').append(c);
            } else {
                sb.append('%').append(Character.forDigit(c >> 4 & 0xf, 16)).append(Character.forDigit(c & 0xf, 16));
            }
        }
        return sb.toString();
    }

    /** Inverse of {@link #encodeFileName(String)}. */
    public static String decodeFileName(String fileName) {
        StringBuilder sb = new StringBuilder(fileName.length());
        for (int i = 0; i < fileName.length(); i++) {
            char c = fileName.charAt(i);
            if (c == '^' && i + 1 < fileName.length()) {
                sb.append(fileName.charAt(++i));
            } else if (c == '%' && i + 2 < fileName.length()) {
                sb.append((char) Integer.parseInt(fileName.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    @Override
    public int compareTo(SeriesKey o) {
        int c = exchange.compareTo(o.exchange);
        return c != 0 ? c : symbol.compareTo(o.symbol);
    }

    /**
     * Written out rather than left to the record: the generated {@code equals} and {@code hashCode} are bootstrapped
     * through method handles on their first call (~5-10 ms of class generation), which lands on the first query of a
     * process. Same result as the generated ones ({@code 31 * exchange.hashCode() + symbol.hashCode()}).
     */
    @Override
    public boolean equals(Object o) {
        return this == o
                || (o instanceof SeriesKey other && exchange.equals(other.exchange) && symbol.equals(other.symbol));
    }

    @Override
    public int hashCode() {
        return 31 * exchange.hashCode() + symbol.hashCode();
    }

    @Override
    public String toString() {
        return exchange + ":" + symbol;
    }
}
