package dev.tickvault.feed.polygon;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of the Polygon.io (now Massive) stocks WebSocket feed.
 *
 * <p>The API key comes from the environment ({@value #API_KEY_VARIABLE}) or from configuration; it is sent only in the
 * {@code auth} message and is never logged: {@link #toString()} masks it.
 *
 * @param url the stocks cluster: {@link #LIVE_URL} (real time), {@link #DELAYED_URL} (15-minute delayed), the
 *     {@code socket.massive.com} / {@code delayed.massive.com} equivalents, or the local simulator
 * @param apiKey the account's API key
 * @param symbols tickers to subscribe to, as Polygon spells them ({@code AAPL}, {@code BRK.A})
 * @param trades subscribe to trades ({@code T.<ticker>})
 * @param quotes subscribe to NBBO quotes ({@code Q.<ticker>})
 * @param maxTopicsPerSubscribe topics per {@code subscribe} message (Polygon documents no limit; this keeps each
 *     message a modest size)
 * @param authRetryInitialNanos the wait before authenticating again after the first failure (doubles per failure)
 * @param authRetryMaxNanos the longest wait between authentication attempts
 */
public record PolygonConfig(
        URI url,
        String apiKey,
        List<String> symbols,
        boolean trades,
        boolean quotes,
        int maxTopicsPerSubscribe,
        long authRetryInitialNanos,
        long authRetryMaxNanos) {

    /** Real-time stocks cluster (Polygon's documentation; Massive serves the same at {@code socket.massive.com}). */
    public static final URI LIVE_URL = URI.create("wss://socket.polygon.io/stocks");
    /** 15-minute delayed stocks cluster. */
    public static final URI DELAYED_URL = URI.create("wss://delayed.polygon.io/stocks");
    /** Real-time stocks cluster under Polygon's new name, Massive (massive.com/docs/websocket/stocks/trades). */
    public static final URI MASSIVE_LIVE_URL = URI.create("wss://socket.massive.com/stocks");
    /** 15-minute delayed stocks cluster under the Massive name. */
    public static final URI MASSIVE_DELAYED_URL = URI.create("wss://delayed.massive.com/stocks");
    /** The environment variable holding the API key. */
    public static final String API_KEY_VARIABLE = "POLYGON_API_KEY";

    public static final int DEFAULT_MAX_TOPICS_PER_SUBSCRIBE = 1_000;
    public static final long DEFAULT_AUTH_RETRY_INITIAL_NANOS = 30_000_000_000L;
    public static final long DEFAULT_AUTH_RETRY_MAX_NANOS = 30 * 60_000_000_000L;

    public PolygonConfig {
        Objects.requireNonNull(url, "url");
        symbols = List.copyOf(symbols);
        if (apiKey == null || apiKey.isBlank()) {
            throw new IllegalArgumentException(
                    "Polygon API key missing: set " + API_KEY_VARIABLE + " or give it in the configuration");
        }
        if (symbols.isEmpty()) {
            throw new IllegalArgumentException("no Polygon symbols to subscribe to");
        }
        for (String symbol : symbols) {
            if (symbol.isBlank() || symbol.contains(",")) {
                throw new IllegalArgumentException("invalid Polygon ticker \"" + symbol + "\"");
            }
        }
        if (!trades && !quotes) {
            throw new IllegalArgumentException("subscribe to trades, quotes or both");
        }
        if (maxTopicsPerSubscribe < 1) {
            throw new IllegalArgumentException("maxTopicsPerSubscribe must be at least 1: " + maxTopicsPerSubscribe);
        }
        if (authRetryInitialNanos <= 0 || authRetryMaxNanos < authRetryInitialNanos) {
            throw new IllegalArgumentException("auth retry waits must be positive and initial <= max");
        }
    }

    /** Trades and quotes of {@code symbols} on the live cluster, key from the process environment. */
    public static PolygonConfig fromEnvironment(List<String> symbols) {
        return fromEnvironment(System.getenv(), symbols);
    }

    /** Trades and quotes of {@code symbols} on the live cluster, key from {@code environment}. */
    public static PolygonConfig fromEnvironment(Map<String, String> environment, List<String> symbols) {
        return of(LIVE_URL, environment.get(API_KEY_VARIABLE), symbols);
    }

    /** Trades and quotes of {@code symbols} with the default limits. */
    public static PolygonConfig of(URI url, String apiKey, List<String> symbols) {
        return new PolygonConfig(
                url,
                apiKey,
                symbols,
                true,
                true,
                DEFAULT_MAX_TOPICS_PER_SUBSCRIBE,
                DEFAULT_AUTH_RETRY_INITIAL_NANOS,
                DEFAULT_AUTH_RETRY_MAX_NANOS);
    }

    public PolygonConfig withUrl(URI newUrl) {
        return new PolygonConfig(
                newUrl,
                apiKey,
                symbols,
                trades,
                quotes,
                maxTopicsPerSubscribe,
                authRetryInitialNanos,
                authRetryMaxNanos);
    }

    public PolygonConfig withChannels(boolean newTrades, boolean newQuotes) {
        return new PolygonConfig(
                url,
                apiKey,
                symbols,
                newTrades,
                newQuotes,
                maxTopicsPerSubscribe,
                authRetryInitialNanos,
                authRetryMaxNanos);
    }

    public PolygonConfig withMaxTopicsPerSubscribe(int topics) {
        return new PolygonConfig(
                url, apiKey, symbols, trades, quotes, topics, authRetryInitialNanos, authRetryMaxNanos);
    }

    public PolygonConfig withAuthRetry(long initialNanos, long maxNanos) {
        return new PolygonConfig(url, apiKey, symbols, trades, quotes, maxTopicsPerSubscribe, initialNanos, maxNanos);
    }

    /** Never shows the key. */
    @Override
    public String toString() {
        return "PolygonConfig[url=" + url + ", apiKey=***, symbols=" + symbols + ", trades=" + trades + ", quotes="
                + quotes + ", maxTopicsPerSubscribe=" + maxTopicsPerSubscribe + ", authRetryInitialNanos="
                + authRetryInitialNanos + ", authRetryMaxNanos=" + authRetryMaxNanos + "]";
    }
}
