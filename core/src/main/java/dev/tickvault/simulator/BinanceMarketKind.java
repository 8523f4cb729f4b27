package dev.tickvault.simulator;

/**
 * The two Binance markets the simulator serves on one port: spot on Binance's own paths, USD-M futures under {@code
 * /usdm} (so a client's base URL {@code ws://host:port/usdm} stands for {@code wss://fstream.binance.com}).
 */
public enum BinanceMarketKind {
    SPOT("binance-spot", "", "/api/v3/depth", 5000, "@depth@100ms"),
    USDM("binance-usdm", "/usdm", "/fapi/v1/depth", 1000, "@depth@0ms");

    final String venue;
    /** Prefix of the WebSocket paths ({@code /ws}, {@code /stream}). */
    final String wsPrefix;

    final String restDepthPath;
    final int maxDepthLimit;
    /** Suffix of the depth stream name the synthetic source uses. */
    final String syntheticDepthStream;

    BinanceMarketKind(String venue, String wsPrefix, String restDepthPath, int maxDepthLimit, String depthStream) {
        this.venue = venue;
        this.wsPrefix = wsPrefix;
        this.restDepthPath = restDepthPath;
        this.maxDepthLimit = maxDepthLimit;
        this.syntheticDepthStream = depthStream;
    }

    public String venue() {
        return venue;
    }

    public String wsPrefix() {
        return wsPrefix;
    }

    public String restDepthPath() {
        return restDepthPath;
    }
}
