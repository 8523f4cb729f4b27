package dev.tickvault.feed.binance;

/**
 * The Binance markets this feed handles, with the live endpoints, the documented limits and the order-book sync rule
 * that differ between them. Every URL is only a default: {@link BinanceFeedConfig} can point anywhere (the local
 * simulator, a testnet).
 */
public enum BinanceMarket {
    /**
     * Spot ({@code stream.binance.com}). Depth events chain by update id: the first event applied after a snapshot has
     * {@code U <= lastUpdateId + 1 <= u}, each later one {@code U == previous u + 1}.
     */
    SPOT("binance", "wss://stream.binance.com:9443/stream", "https://api.binance.com/api/v3/depth", 6_000, 5, 1_000),
    /**
     * USD-M futures ({@code fstream.binance.com}). Update ids are not contiguous per symbol; events chain through
     * {@code pu}: the first event applied after a snapshot has {@code U <= lastUpdateId <= u}, each later one {@code pu
     * == previous u}.
     */
    USDM_FUTURES(
            "binance-futures",
            "wss://fstream.binance.com/stream",
            "https://fapi.binance.com/fapi/v1/depth",
            2_400,
            10,
            1_000);

    private final String exchange;
    private final String defaultStreamUrl;
    private final String defaultDepthUrl;
    private final int requestWeightPerMinute;
    private final int incomingMessagesPerSecond;
    private final int defaultSnapshotLimit;

    BinanceMarket(
            String exchange,
            String defaultStreamUrl,
            String defaultDepthUrl,
            int requestWeightPerMinute,
            int incomingMessagesPerSecond,
            int defaultSnapshotLimit) {
        this.exchange = exchange;
        this.defaultStreamUrl = defaultStreamUrl;
        this.defaultDepthUrl = defaultDepthUrl;
        this.requestWeightPerMinute = requestWeightPerMinute;
        this.incomingMessagesPerSecond = incomingMessagesPerSecond;
        this.defaultSnapshotLimit = defaultSnapshotLimit;
    }

    /** The exchange name of this market's series ({@code binance}, {@code binance-futures}). */
    public String exchange() {
        return exchange;
    }

    /** Live combined-stream endpoint (subscriptions are sent after connecting). */
    public String defaultStreamUrl() {
        return defaultStreamUrl;
    }

    /** Live REST depth snapshot endpoint. */
    public String defaultDepthUrl() {
        return defaultDepthUrl;
    }

    /** Binance's documented REQUEST_WEIGHT limit per minute and IP for this market's REST API. */
    public int requestWeightPerMinute() {
        return requestWeightPerMinute;
    }

    /**
     * Binance's documented limit of messages a client may send per second on one connection (spot: 5, counting pings,
     * pongs and JSON control messages; USD-M futures: 10).
     */
    public int incomingMessagesPerSecond() {
        return incomingMessagesPerSecond;
    }

    /** Streams one connection may carry (both markets document 1024). */
    public int maxStreamsPerConnection() {
        return 1024;
    }

    public int defaultSnapshotLimit() {
        return defaultSnapshotLimit;
    }

    /**
     * Request weight of one depth snapshot with this {@code limit}, as Binance documents it. Spot {@code
     * /api/v3/depth}: 1-100 → 5, 101-500 → 25, 501-1000 → 50, 1001-5000 → 250. USD-M {@code /fapi/v1/depth}: 5, 10,
     * 20, 50 → 2; 100 → 5; 500 → 10; 1000 → 20.
     */
    public int depthRequestWeight(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("depth limit must be positive: " + limit);
        }
        return switch (this) {
            case SPOT -> limit <= 100 ? 5 : limit <= 500 ? 25 : limit <= 1000 ? 50 : 250;
            case USDM_FUTURES -> limit <= 50 ? 2 : limit <= 100 ? 5 : limit <= 500 ? 10 : 20;
        };
    }

    /** True where depth events carry {@code pu} and chain through it (USD-M futures). */
    public boolean chainsByPreviousUpdateId() {
        return this == USDM_FUTURES;
    }
}
