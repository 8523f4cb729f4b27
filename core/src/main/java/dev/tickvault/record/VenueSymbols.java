package dev.tickvault.record;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The symbol syntax of each venue the recorder connects to, checked before any connection so that a typo or a hostile
 * name ({@code ../../etc}, spaces, control characters, another venue's spelling) is refused with a clear message
 * instead of being sent in a subscription.
 *
 * <ul>
 *   <li>Binance spot and USD-M: {@code ^[A-Z0-9-_.]{1,20}$}, the pattern Binance's REST API documents for its {@code
 *       symbol} parameter ({@code BTCUSDT}, {@code BTCUSDT_260626}); lower case is accepted and upper-cased (stream
 *       names are the lower-case form).
 *   <li>Coinbase Exchange and Advanced Trade: product ids {@code BASE-QUOTE} in upper-case letters and digits ({@code
 *       BTC-USD}, {@code 1INCH-USD}); Advanced Trade futures add parts ({@code BIT-31JAN25-CDE}).
 *   <li>Kraken WebSocket v2: {@code BASE/QUOTE} ({@code BTC/USD}, {@code ETH2.S/ETH}); asset codes are upper-case
 *       letters, digits and {@code '.'}.
 *   <li>Polygon.io stocks: a ticker as Polygon spells it: a letter, then letters, digits or {@code '.'} ({@code AAPL},
 *       {@code BRK.A}; preferred shares have a lower-case letter, e.g. {@code ABRpD}). Alpha Vantage: the same
 *       ticker syntax ({@code IBM}, {@code BRK.B}).
 * </ul>
 *
 * Thread-safe (stateless).
 */
public final class VenueSymbols {

    private static final Pattern BINANCE = Pattern.compile("[A-Z0-9_.-]{1,20}");
    private static final Pattern COINBASE = Pattern.compile("[A-Z0-9]{1,20}(-[A-Z0-9]{1,20}){1,3}");
    private static final Pattern KRAKEN = Pattern.compile("[A-Z0-9.]{1,16}/[A-Z0-9.]{1,16}");
    private static final Pattern POLYGON = Pattern.compile("[A-Za-z][A-Za-z0-9.]{0,15}");

    private VenueSymbols() {}

    /**
     * The symbol in the venue's own spelling (Binance: upper case).
     *
     * @throws IllegalArgumentException if it is not a valid name on that venue, saying what the venue expects
     */
    public static String normalise(String exchange, String symbol) {
        if (symbol == null || symbol.isEmpty()) {
            throw new IllegalArgumentException(exchange + ": empty symbol");
        }
        String s = exchange.startsWith("binance") ? symbol.toUpperCase(Locale.ROOT) : symbol;
        String expected =
                switch (exchange) {
                    case "binance", "binance-futures" ->
                        BINANCE.matcher(s).matches()
                                ? null
                                : "1-20 letters, digits, '-', '_' or '.' (e.g. BTCUSDT), as Binance's API requires";
                    case "coinbase", "coinbase-advanced" ->
                        COINBASE.matcher(s).matches() ? null : "a product id: upper-case BASE-QUOTE (e.g. BTC-USD)";
                    case "kraken" ->
                        KRAKEN.matcher(s).matches()
                                ? null
                                : "a WebSocket v2 pair: upper-case BASE/QUOTE (e.g. BTC/USD)";
                    case "polygon", "alphavantage" ->
                        POLYGON.matcher(s).matches()
                                ? null
                                : "a stock ticker: a letter, then letters, digits or '.' (e.g. AAPL, BRK.A), 1-16"
                                        + " characters";
                    default -> null;
                };
        if (expected != null) {
            throw new IllegalArgumentException(
                    exchange + ": invalid symbol \"" + printable(symbol) + "\": expected " + expected);
        }
        return s;
    }

    /** The symbol with control and non-ASCII characters shown as {@code \}{@code uXXXX}, safe to print. */
    private static String printable(String symbol) {
        StringBuilder out = new StringBuilder(symbol.length());
        for (int i = 0; i < symbol.length() && i < 64; i++) {
            char c = symbol.charAt(i);
            if (c < 0x20 || c >= 0x7f) {
                out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        if (symbol.length() > 64) {
            out.append('…');
        }
        return out.toString();
    }
}
