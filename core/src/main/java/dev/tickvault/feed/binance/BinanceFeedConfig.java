package dev.tickvault.feed.binance;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What one {@link BinanceFeedHandler} records and where from. One handler serves the symbols of one connection (at
 * most {@link BinanceMarket#maxStreamsPerConnection()} streams); {@link BinanceSubscriptionPlan} splits a longer list.
 *
 * @param market spot or USD-M futures
 * @param symbols the venue's symbols, e.g. {@code BTCUSDT} (upper case; streams use lower case)
 * @param trades record trades ({@code @trade}, or {@code @aggTrade} with {@code aggregateTrades})
 * @param aggregateTrades subscribe to {@code @aggTrade} instead of {@code @trade}
 * @param book record the order book ({@code @depth@<depthSpeed>} + REST snapshots)
 * @param depthSpeed {@code 100ms} (spot and USD-M), {@code 0ms} (USD-M only), {@code 250ms}/{@code 500ms} (USD-M),
 *     {@code 1000ms} (spot)
 * @param bbo subscribe to {@code @bookTicker} (delivered to a listener, not stored)
 * @param streamUrl the combined-stream endpoint
 * @param depthUrl the REST depth endpoint
 * @param snapshotLimit {@code limit} of snapshot requests (sets their request weight)
 * @param maxBufferedDiffs diffs buffered per symbol while a snapshot is awaited (when full: dropped, sync restarts)
 * @param checkpointIntervalNanos feed time between book checkpoints (0 = none)
 * @param maxLevelsPerSide levels kept per book side
 * @param subscribeMessagesPerSecond SUBSCRIBE messages sent per second and connection (Binance counts pings and pongs
 *     too against its limit, so stay below it)
 * @param streamsPerSubscribeMessage streams named in one SUBSCRIBE message
 */
public record BinanceFeedConfig(
        BinanceMarket market,
        List<String> symbols,
        boolean trades,
        boolean aggregateTrades,
        boolean book,
        String depthSpeed,
        boolean bbo,
        String streamUrl,
        String depthUrl,
        int snapshotLimit,
        int maxBufferedDiffs,
        long checkpointIntervalNanos,
        int maxLevelsPerSide,
        int subscribeMessagesPerSecond,
        int streamsPerSubscribeMessage) {

    public static final long DEFAULT_CHECKPOINT_INTERVAL_NANOS = 60_000_000_000L;

    public BinanceFeedConfig {
        Objects.requireNonNull(market, "market");
        symbols = List.copyOf(symbols);
        Objects.requireNonNull(depthSpeed, "depthSpeed");
        Objects.requireNonNull(streamUrl, "streamUrl");
        Objects.requireNonNull(depthUrl, "depthUrl");
        if (symbols.isEmpty()) {
            throw new IllegalArgumentException("a Binance feed needs at least one symbol");
        }
        if (maxBufferedDiffs < 1 || maxLevelsPerSide < 1 || snapshotLimit < 1) {
            throw new IllegalArgumentException("maxBufferedDiffs, maxLevelsPerSide and snapshotLimit must be positive");
        }
        if (subscribeMessagesPerSecond < 1 || subscribeMessagesPerSecond > market.incomingMessagesPerSecond()) {
            throw new IllegalArgumentException("subscribeMessagesPerSecond must be 1.."
                    + market.incomingMessagesPerSecond() + " (Binance's limit of messages a client sends per second): "
                    + subscribeMessagesPerSecond);
        }
        if (streamsPerSubscribeMessage < 1) {
            throw new IllegalArgumentException("streamsPerSubscribeMessage must be positive");
        }
        if (checkpointIntervalNanos < 0) {
            throw new IllegalArgumentException("checkpointIntervalNanos must not be negative");
        }
    }

    /**
     * Trades, book ({@code @depth@100ms}) and bbo for {@code symbols} at the live endpoints; snapshot limit 1000; 10,000
     * buffered diffs per symbol; checkpoints every 60 s; SUBSCRIBE pacing one below the venue's limit (spot 4/s, USD-M
     * 9/s), 200 streams per message.
     */
    public static BinanceFeedConfig defaults(BinanceMarket market, List<String> symbols) {
        return new BinanceFeedConfig(
                market,
                symbols,
                true,
                false,
                true,
                "100ms",
                true,
                market.defaultStreamUrl(),
                market.defaultDepthUrl(),
                market.defaultSnapshotLimit(),
                10_000,
                DEFAULT_CHECKPOINT_INTERVAL_NANOS,
                20_000,
                market.incomingMessagesPerSecond() - 1,
                200);
    }

    public BinanceFeedConfig withSymbols(List<String> newSymbols) {
        return toBuilder().symbols(newSymbols).build();
    }

    public BinanceFeedConfig withAggregateTrades(boolean aggregate) {
        return toBuilder().aggregateTrades(aggregate).build();
    }

    public BinanceFeedConfig withDepthSpeed(String speed) {
        return toBuilder().depthSpeed(speed).build();
    }

    public BinanceFeedConfig withUrls(String newStreamUrl, String newDepthUrl) {
        return toBuilder().streamUrl(newStreamUrl).depthUrl(newDepthUrl).build();
    }

    public BinanceFeedConfig withMaxBufferedDiffs(int max) {
        return toBuilder().maxBufferedDiffs(max).build();
    }

    public BinanceFeedConfig withCheckpointIntervalNanos(long intervalNanos) {
        return toBuilder().checkpointIntervalNanos(intervalNanos).build();
    }

    public BinanceFeedConfig withSubscribePacing(int messagesPerSecond, int streamsPerMessage) {
        return toBuilder()
                .subscribeMessagesPerSecond(messagesPerSecond)
                .streamsPerSubscribeMessage(streamsPerMessage)
                .build();
    }

    /** A builder holding these settings, to change several at once. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.market = market;
        b.symbols = symbols;
        b.trades = trades;
        b.aggregateTrades = aggregateTrades;
        b.book = book;
        b.depthSpeed = depthSpeed;
        b.bbo = bbo;
        b.streamUrl = streamUrl;
        b.depthUrl = depthUrl;
        b.snapshotLimit = snapshotLimit;
        b.maxBufferedDiffs = maxBufferedDiffs;
        b.checkpointIntervalNanos = checkpointIntervalNanos;
        b.maxLevelsPerSide = maxLevelsPerSide;
        b.subscribeMessagesPerSecond = subscribeMessagesPerSecond;
        b.streamsPerSubscribeMessage = streamsPerSubscribeMessage;
        return b;
    }

    /** Mutable settings for a {@link BinanceFeedConfig}; {@link #build()} validates them. Not thread-safe. */
    public static final class Builder {
        private BinanceMarket market;
        private List<String> symbols;
        private boolean trades;
        private boolean aggregateTrades;
        private boolean book;
        private String depthSpeed;
        private boolean bbo;
        private String streamUrl;
        private String depthUrl;
        private int snapshotLimit;
        private int maxBufferedDiffs;
        private long checkpointIntervalNanos;
        private int maxLevelsPerSide;
        private int subscribeMessagesPerSecond;
        private int streamsPerSubscribeMessage;

        private Builder() {}

        public Builder market(BinanceMarket value) {
            this.market = value;
            return this;
        }

        public Builder symbols(List<String> value) {
            this.symbols = value;
            return this;
        }

        public Builder trades(boolean value) {
            this.trades = value;
            return this;
        }

        public Builder aggregateTrades(boolean value) {
            this.aggregateTrades = value;
            return this;
        }

        public Builder book(boolean value) {
            this.book = value;
            return this;
        }

        public Builder depthSpeed(String value) {
            this.depthSpeed = value;
            return this;
        }

        public Builder bbo(boolean value) {
            this.bbo = value;
            return this;
        }

        public Builder streamUrl(String value) {
            this.streamUrl = value;
            return this;
        }

        public Builder depthUrl(String value) {
            this.depthUrl = value;
            return this;
        }

        public Builder snapshotLimit(int value) {
            this.snapshotLimit = value;
            return this;
        }

        public Builder maxBufferedDiffs(int value) {
            this.maxBufferedDiffs = value;
            return this;
        }

        public Builder checkpointIntervalNanos(long value) {
            this.checkpointIntervalNanos = value;
            return this;
        }

        public Builder maxLevelsPerSide(int value) {
            this.maxLevelsPerSide = value;
            return this;
        }

        public Builder subscribeMessagesPerSecond(int value) {
            this.subscribeMessagesPerSecond = value;
            return this;
        }

        public Builder streamsPerSubscribeMessage(int value) {
            this.streamsPerSubscribeMessage = value;
            return this;
        }

        public BinanceFeedConfig build() {
            return new BinanceFeedConfig(
                    market,
                    symbols,
                    trades,
                    aggregateTrades,
                    book,
                    depthSpeed,
                    bbo,
                    streamUrl,
                    depthUrl,
                    snapshotLimit,
                    maxBufferedDiffs,
                    checkpointIntervalNanos,
                    maxLevelsPerSide,
                    subscribeMessagesPerSecond,
                    streamsPerSubscribeMessage);
        }
    }

    /** Streams per symbol this configuration subscribes to. */
    public int streamsPerSymbol() {
        return (trades ? 1 : 0) + (book ? 1 : 0) + (bbo ? 1 : 0);
    }

    /** The stream names of one symbol, e.g. {@code btcusdt@trade}, {@code btcusdt@depth@100ms}. */
    public List<String> streamsOf(String symbol) {
        String s = symbol.toLowerCase(Locale.ROOT);
        java.util.ArrayList<String> streams = new java.util.ArrayList<>(3);
        if (trades) {
            streams.add(s + (aggregateTrades ? "@aggTrade" : "@trade"));
        }
        if (book) {
            streams.add(s + "@depth@" + depthSpeed);
        }
        if (bbo) {
            streams.add(s + "@bookTicker");
        }
        return streams;
    }

    /** The snapshot request URL of one symbol. */
    public String depthRequestUrl(String symbol) {
        return depthUrl + "?symbol=" + symbol.toUpperCase(Locale.ROOT) + "&limit=" + snapshotLimit;
    }
}
