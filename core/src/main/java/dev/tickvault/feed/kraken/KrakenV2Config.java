package dev.tickvault.feed.kraken;

import java.util.List;

/**
 * Settings of {@link KrakenV2FeedHandler} (Kraken WebSocket v2, {@code wss://ws.kraken.com/v2}: the live protocol).
 *
 * @param url the WebSocket endpoint
 * @param exchange the exchange name in series keys (symbols are v2 names such as {@code BTC/USD}; v1 spelt Bitcoin
 *     {@code XBT}, so v1 and v2 recordings of the same market have different series)
 * @param symbols the symbols to subscribe
 * @param bookDepth subscribed book depth: 10, 25, 100, 500 or 1000; the book is truncated to it after each update
 * @param subscribeBook whether to subscribe the book channel
 * @param subscribeTrades whether to subscribe the trade channel
 * @param bookChannel the book channel name ({@code book})
 * @param tradeChannel the trade channel name ({@code trade})
 * @param checkpointIntervalNanos feed time between checkpoint snapshots of each book
 * @param maxLevelsPerMessage a frame with more levels than this is malformed (bounds the parse buffer)
 */
public record KrakenV2Config(
        String url,
        String exchange,
        List<String> symbols,
        int bookDepth,
        boolean subscribeBook,
        boolean subscribeTrades,
        String bookChannel,
        String tradeChannel,
        long checkpointIntervalNanos,
        int maxLevelsPerMessage) {

    public static final String DEFAULT_URL = "wss://ws.kraken.com/v2";

    public KrakenV2Config {
        symbols = KrakenSettings.check(symbols, "symbols", bookDepth, checkpointIntervalNanos, maxLevelsPerMessage);
    }

    /** Book depth 1000 and trades for {@code symbols} on the public endpoint, a checkpoint every 60 s. */
    public static KrakenV2Config defaults(List<String> symbols) {
        return new KrakenV2Config(
                DEFAULT_URL, "kraken", symbols, 1000, true, true, "book", "trade", 60_000_000_000L, 25_000);
    }

    public KrakenV2Config withUrl(String newUrl) {
        return new KrakenV2Config(
                newUrl,
                exchange,
                symbols,
                bookDepth,
                subscribeBook,
                subscribeTrades,
                bookChannel,
                tradeChannel,
                checkpointIntervalNanos,
                maxLevelsPerMessage);
    }

    public KrakenV2Config withBookDepth(int depth) {
        return new KrakenV2Config(
                url,
                exchange,
                symbols,
                depth,
                subscribeBook,
                subscribeTrades,
                bookChannel,
                tradeChannel,
                checkpointIntervalNanos,
                maxLevelsPerMessage);
    }
}
