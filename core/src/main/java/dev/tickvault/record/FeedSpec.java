package dev.tickvault.record;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What to record from one venue, as given on the command line or in a config file.
 *
 * @param exchange {@code binance}, {@code binance-futures}, {@code coinbase}, {@code coinbase-advanced}, {@code
 *     kraken}, {@code polygon}, {@code alphavantage}
 * @param symbols the venue's own spelling ({@code BTCUSDT}, {@code BTC-USD}, {@code BTC/USD}, {@code AAPL}), checked
 *     against the venue's symbol syntax ({@link VenueSymbols}); Binance's are upper-cased
 * @param channels {@code trades}, {@code book}, {@code bbo} (default: trades and book); for {@code alphavantage}
 *     only {@code bars} (its 1-minute intraday bars, polled over REST)
 * @param wsUrl WebSocket endpoint instead of the venue's live one (e.g. the local simulator), or null
 * @param restUrl REST endpoint for book snapshots instead of the venue's live one, or null
 * @param caFile a PEM (or DER) file of the CA certificates that the {@code wss://} and {@code https://} servers'
 *     certificates must chain to, instead of the JDK's default trust store (a private CA, a TLS-intercepting proxy,
 *     the simulator's self-signed certificate); config key {@code ca_file}; null: the JDK's default trust store. Host
 *     names are checked either way. See {@link dev.tickvault.feed.transport.TransportConfig#trustedCertificates()}.
 */
public record FeedSpec(
        String exchange,
        List<String> symbols,
        List<String> channels,
        @JsonProperty("ws_url") String wsUrl,
        @JsonProperty("rest_url") String restUrl,
        @JsonProperty("ca_file") String caFile) {

    /** A spec trusting the JDK's default trust store. */
    public FeedSpec(String exchange, List<String> symbols, List<String> channels, String wsUrl, String restUrl) {
        this(exchange, symbols, channels, wsUrl, restUrl, null);
    }

    public static final Set<String> EXCHANGES =
            Set.of("binance", "binance-futures", "coinbase", "coinbase-advanced", "kraken", "polygon", "alphavantage");
    public static final Set<String> CHANNELS = Set.of("trades", "book", "bbo", "bars");

    public FeedSpec {
        if (exchange == null || !EXCHANGES.contains(exchange)) {
            throw new IllegalArgumentException(
                    "unknown exchange '" + exchange + "': expected one of " + String.join(", ", sorted(EXCHANGES)));
        }
        if (symbols == null || symbols.isEmpty()) {
            throw new IllegalArgumentException(exchange + ": no symbols given");
        }
        List<String> checked = new java.util.ArrayList<>(symbols.size());
        for (String symbol : symbols) {
            String s = VenueSymbols.normalise(exchange, symbol);
            dev.tickvault.model.SeriesKey.validateSymbol(s);
            checked.add(s);
        }
        symbols = List.copyOf(checked);
        boolean vendorBars = exchange.equals("alphavantage");
        channels = channels == null || channels.isEmpty()
                ? (vendorBars ? List.of("bars") : List.of("trades", "book"))
                : channels.stream()
                        .map(c -> c.trim().toLowerCase(Locale.ROOT))
                        .distinct()
                        .toList();
        for (String channel : channels) {
            if (!CHANNELS.contains(channel)) {
                throw new IllegalArgumentException(exchange + ": unknown channel '" + channel + "': expected "
                        + String.join(", ", sorted(CHANNELS)));
            }
            if (vendorBars != channel.equals("bars")) {
                throw new IllegalArgumentException(exchange + ": "
                        + (vendorBars ? "only the bars channel is published" : "no bars channel (alphavantage has)"));
            }
        }
    }

    /** The same spec trusting the CA certificates in {@code file} (null: the JDK's default trust store). */
    public FeedSpec withCaFile(String file) {
        return new FeedSpec(exchange, symbols, channels, wsUrl, restUrl, file);
    }

    /** {@link #caFile} as a path, or null. */
    public java.nio.file.Path trustedCertificates() {
        return caFile == null ? null : java.nio.file.Path.of(caFile);
    }

    public boolean wants(String channel) {
        return channels.contains(channel);
    }

    private static List<String> sorted(Set<String> set) {
        return set.stream().sorted().toList();
    }
}
