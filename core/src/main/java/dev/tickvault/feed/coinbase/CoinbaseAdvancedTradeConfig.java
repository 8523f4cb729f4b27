package dev.tickvault.feed.coinbase;

import java.util.List;
import java.util.function.Supplier;

/**
 * Settings of {@link CoinbaseAdvancedTradeFeedHandler} (Coinbase Advanced Trade market data, {@code
 * wss://advanced-trade-ws.coinbase.com}).
 *
 * @param url the WebSocket endpoint
 * @param exchange the exchange name in series keys
 * @param productIds the products, e.g. {@code BTC-USD}
 * @param level2Channel the book subscription channel ({@code level2}); its data arrives on {@code l2DataChannel}
 * @param l2DataChannel the channel name of book data frames ({@code l2_data})
 * @param tradesChannel the trades channel ({@code market_trades})
 * @param heartbeatsChannel the heartbeats channel ({@code heartbeats}, keeps quiet subscriptions open), or {@code
 *     null}
 * @param jwt where a fresh JWT comes from for each subscribe message, or {@code null} to subscribe without one (the
 *     market data channels are public; Coinbase says authenticated connections are more reliable). Coinbase wants a
 *     new JWT (ES256, signed with a CDP API key, valid 2 minutes) per message: building it is the caller's business.
 * @param tradeSideIsMaker whether a market trade's {@code side} is the maker's (then the taker's side recorded is the
 *     opposite). Coinbase's documentation does not say; the Exchange feed's {@code match.side} is the maker's, and
 *     nautilus_trader's adapter treats market_trades' side as the maker's too, so {@code true} is the default.
 * @param checkpointIntervalNanos feed time between checkpoint snapshots of each book
 * @param maxLevelsPerMessage a frame with more levels than this is malformed (bounds the parse buffer)
 * @param maxLevelsPerSide book levels kept per side; beyond it the worst levels are dropped and counted
 */
public record CoinbaseAdvancedTradeConfig(
        String url,
        String exchange,
        List<String> productIds,
        String level2Channel,
        String l2DataChannel,
        String tradesChannel,
        String heartbeatsChannel,
        Supplier<String> jwt,
        boolean tradeSideIsMaker,
        long checkpointIntervalNanos,
        int maxLevelsPerMessage,
        int maxLevelsPerSide) {

    public static final String DEFAULT_URL = "wss://advanced-trade-ws.coinbase.com";

    public CoinbaseAdvancedTradeConfig {
        productIds = List.copyOf(productIds);
        if (productIds.isEmpty()) {
            throw new IllegalArgumentException("no products to subscribe");
        }
        if (checkpointIntervalNanos <= 0 || maxLevelsPerMessage < 1 || maxLevelsPerSide < 1) {
            throw new IllegalArgumentException("intervals and limits must be positive");
        }
    }

    /** level2, market_trades and heartbeats without a JWT on the public endpoint; a checkpoint every 60 s. */
    public static CoinbaseAdvancedTradeConfig defaults(List<String> productIds) {
        return new CoinbaseAdvancedTradeConfig(
                DEFAULT_URL,
                "coinbase",
                productIds,
                "level2",
                "l2_data",
                "market_trades",
                "heartbeats",
                null,
                true,
                60_000_000_000L,
                500_000,
                500_000);
    }

    public CoinbaseAdvancedTradeConfig withUrl(String newUrl) {
        return new CoinbaseAdvancedTradeConfig(
                newUrl,
                exchange,
                productIds,
                level2Channel,
                l2DataChannel,
                tradesChannel,
                heartbeatsChannel,
                jwt,
                tradeSideIsMaker,
                checkpointIntervalNanos,
                maxLevelsPerMessage,
                maxLevelsPerSide);
    }

    public CoinbaseAdvancedTradeConfig withJwt(Supplier<String> newJwt) {
        return new CoinbaseAdvancedTradeConfig(
                url,
                exchange,
                productIds,
                level2Channel,
                l2DataChannel,
                tradesChannel,
                heartbeatsChannel,
                newJwt,
                tradeSideIsMaker,
                checkpointIntervalNanos,
                maxLevelsPerMessage,
                maxLevelsPerSide);
    }

    public CoinbaseAdvancedTradeConfig withTradeSideIsMaker(boolean maker) {
        return new CoinbaseAdvancedTradeConfig(
                url,
                exchange,
                productIds,
                level2Channel,
                l2DataChannel,
                tradesChannel,
                heartbeatsChannel,
                jwt,
                maker,
                checkpointIntervalNanos,
                maxLevelsPerMessage,
                maxLevelsPerSide);
    }
}
