package dev.tickvault.feed.kraken;

import java.util.List;

/**
 * Settings of {@link KrakenV1FeedHandler} (Kraken WebSocket v1, {@code wss://ws.kraken.com}; used to replay v1
 * recordings and against the simulator).
 *
 * @param url the WebSocket endpoint
 * @param exchange the exchange name in series keys (symbols are v1 pair names such as {@code XBT/USD})
 * @param pairs the pairs to subscribe, as v1 {@code wsname}s
 * @param bookDepth subscribed book depth: 10, 25, 100, 500 or 1000; the book is truncated to it after each update
 * @param subscribeBook whether to subscribe the book channel
 * @param subscribeTrades whether to subscribe the trade channel
 * @param bookChannel the book subscription name ({@code book}; data arrives on {@code book-<depth>})
 * @param tradeChannel the trade subscription name ({@code trade})
 * @param checkpointIntervalNanos feed time between checkpoint snapshots of each book
 * @param maxLevelsPerMessage a frame with more levels than this is malformed (bounds the parse buffer)
 */
public record KrakenV1Config(
        String url,
        String exchange,
        List<String> pairs,
        int bookDepth,
        boolean subscribeBook,
        boolean subscribeTrades,
        String bookChannel,
        String tradeChannel,
        long checkpointIntervalNanos,
        int maxLevelsPerMessage) {

    public static final String DEFAULT_URL = "wss://ws.kraken.com";

    public KrakenV1Config {
        pairs = KrakenSettings.check(pairs, "pairs", bookDepth, checkpointIntervalNanos, maxLevelsPerMessage);
    }

    /** Book depth 1000 and trades for {@code pairs} on the public endpoint, a checkpoint every 60 s. */
    public static KrakenV1Config defaults(List<String> pairs) {
        return new KrakenV1Config(
                DEFAULT_URL, "kraken", pairs, 1000, true, true, "book", "trade", 60_000_000_000L, 25_000);
    }

    public KrakenV1Config withUrl(String newUrl) {
        return new KrakenV1Config(
                newUrl,
                exchange,
                pairs,
                bookDepth,
                subscribeBook,
                subscribeTrades,
                bookChannel,
                tradeChannel,
                checkpointIntervalNanos,
                maxLevelsPerMessage);
    }

    public KrakenV1Config withBookDepth(int depth) {
        return new KrakenV1Config(
                url,
                exchange,
                pairs,
                depth,
                subscribeBook,
                subscribeTrades,
                bookChannel,
                tradeChannel,
                checkpointIntervalNanos,
                maxLevelsPerMessage);
    }
}
