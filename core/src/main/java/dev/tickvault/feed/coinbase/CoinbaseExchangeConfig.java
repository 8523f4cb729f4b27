package dev.tickvault.feed.coinbase;

import java.util.List;

/**
 * Settings of {@link CoinbaseExchangeFeedHandler} (Coinbase Exchange, formerly Pro, {@code
 * wss://ws-feed.exchange.coinbase.com}).
 *
 * @param url the WebSocket endpoint
 * @param exchange the exchange name in series keys
 * @param productIds the products, e.g. {@code BTC-USD}
 * @param level2Channel the book channel: {@code level2_batch} works without authentication today ({@code level2}
 *     now requires it; the 2021 recording used {@code level2}); both send {@code snapshot} and {@code l2update}
 * @param matchesChannel the trades channel ({@code matches})
 * @param heartbeatChannel the heartbeat channel ({@code heartbeat}, with {@code last_trade_id}), or {@code null}
 * @param checkpointIntervalNanos feed time between checkpoint snapshots of each book
 * @param maxLevelsPerMessage a frame with more levels than this is malformed (bounds the parse buffer; a full-depth
 *     snapshot of a busy product has tens of thousands)
 * @param maxLevelsPerSide book levels kept per side; beyond it the worst levels are dropped and counted
 */
public record CoinbaseExchangeConfig(
        String url,
        String exchange,
        List<String> productIds,
        String level2Channel,
        String matchesChannel,
        String heartbeatChannel,
        long checkpointIntervalNanos,
        int maxLevelsPerMessage,
        int maxLevelsPerSide) {

    public static final String DEFAULT_URL = "wss://ws-feed.exchange.coinbase.com";

    public CoinbaseExchangeConfig {
        productIds = List.copyOf(productIds);
        if (productIds.isEmpty()) {
            throw new IllegalArgumentException("no products to subscribe");
        }
        if (checkpointIntervalNanos <= 0 || maxLevelsPerMessage < 1 || maxLevelsPerSide < 1) {
            throw new IllegalArgumentException("intervals and limits must be positive");
        }
    }

    /** {@code level2_batch}, {@code matches} and {@code heartbeat} on the public endpoint; a checkpoint every 60 s. */
    public static CoinbaseExchangeConfig defaults(List<String> productIds) {
        return new CoinbaseExchangeConfig(
                DEFAULT_URL,
                "coinbase",
                productIds,
                "level2_batch",
                "matches",
                "heartbeat",
                60_000_000_000L,
                500_000,
                500_000);
    }

    public CoinbaseExchangeConfig withUrl(String newUrl) {
        return new CoinbaseExchangeConfig(
                newUrl,
                exchange,
                productIds,
                level2Channel,
                matchesChannel,
                heartbeatChannel,
                checkpointIntervalNanos,
                maxLevelsPerMessage,
                maxLevelsPerSide);
    }

    public CoinbaseExchangeConfig withLevel2Channel(String channel) {
        return new CoinbaseExchangeConfig(
                url,
                exchange,
                productIds,
                channel,
                matchesChannel,
                heartbeatChannel,
                checkpointIntervalNanos,
                maxLevelsPerMessage,
                maxLevelsPerSide);
    }

    /** The channels one subscription asks for. */
    List<String> channels() {
        return heartbeatChannel == null
                ? List.of(level2Channel, matchesChannel)
                : List.of(level2Channel, matchesChannel, heartbeatChannel);
    }
}
