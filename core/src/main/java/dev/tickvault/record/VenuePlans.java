package dev.tickvault.record;

import dev.tickvault.feed.FeedHandler;
import dev.tickvault.feed.FeedSink;
import dev.tickvault.feed.binance.BinanceFeedConfig;
import dev.tickvault.feed.binance.BinanceFeedHandler;
import dev.tickvault.feed.binance.BinanceMarket;
import dev.tickvault.feed.binance.BinanceSubscriptionPlan;
import dev.tickvault.feed.binance.DepthSnapshotRequester;
import dev.tickvault.feed.binance.HttpDepthSnapshotRequester;
import dev.tickvault.feed.coinbase.CoinbaseAdvancedTradeConfig;
import dev.tickvault.feed.coinbase.CoinbaseAdvancedTradeFeedHandler;
import dev.tickvault.feed.coinbase.CoinbaseExchangeConfig;
import dev.tickvault.feed.coinbase.CoinbaseExchangeFeedHandler;
import dev.tickvault.feed.kraken.KrakenV1Config;
import dev.tickvault.feed.kraken.KrakenV1FeedHandler;
import dev.tickvault.feed.kraken.KrakenV2Config;
import dev.tickvault.feed.kraken.KrakenV2FeedHandler;
import dev.tickvault.feed.polygon.PolygonConfig;
import dev.tickvault.feed.polygon.PolygonFeedHandler;
import dev.tickvault.feed.transport.TransportConfig;
import dev.tickvault.feed.transport.TrustedCertificates;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns what the user asked for ({@link FeedSpec}) into runnable {@link FeedPlan}s — one per connection group — with
 * each venue's live endpoints unless the spec overrides them, and builds handlers for replaying recordings.
 */
public final class VenuePlans {

    private VenuePlans() {}

    /** The plans recording {@code spec}; API keys from the process environment. */
    public static List<FeedPlan> plans(FeedSpec spec) {
        return plans(spec, System.getenv());
    }

    /** The plans recording {@code spec}; API keys (e.g. {@value PolygonConfig#API_KEY_VARIABLE}) from {@code environment}. */
    public static List<FeedPlan> plans(FeedSpec spec, java.util.Map<String, String> environment) {
        if (spec.trustedCertificates() != null) {
            // A missing or unreadable ca_file is a configuration error, reported before any connection (the message
            // names the file), not a TLS failure retried on every reconnect.
            TrustedCertificates.load(spec.trustedCertificates());
        }
        return switch (spec.exchange()) {
            case "binance" -> binance(spec, BinanceMarket.SPOT);
            case "binance-futures" -> binance(spec, BinanceMarket.USDM_FUTURES);
            case "coinbase" ->
                List.of(simple(spec, CoinbaseExchangeConfig.DEFAULT_URL, (sink, context) -> {
                    CoinbaseExchangeConfig config = CoinbaseExchangeConfig.defaults(spec.symbols());
                    if (spec.wsUrl() != null) {
                        config = config.withUrl(spec.wsUrl());
                    }
                    return new CoinbaseExchangeFeedHandler(config, sink);
                }));
            case "coinbase-advanced" ->
                List.of(simple(spec, CoinbaseAdvancedTradeConfig.DEFAULT_URL, (sink, context) -> {
                    CoinbaseAdvancedTradeConfig config = CoinbaseAdvancedTradeConfig.defaults(spec.symbols());
                    if (spec.wsUrl() != null) {
                        config = config.withUrl(spec.wsUrl());
                    }
                    return new CoinbaseAdvancedTradeFeedHandler(config, sink);
                }));
            case "kraken" ->
                List.of(simple(spec, KrakenV2Config.DEFAULT_URL, (sink, context) -> {
                    KrakenV2Config config = KrakenV2Config.defaults(spec.symbols());
                    if (spec.wsUrl() != null) {
                        config = config.withUrl(spec.wsUrl());
                    }
                    return new KrakenV2FeedHandler(config, sink);
                }));
            case "polygon" -> {
                PolygonConfig config = PolygonConfig.fromEnvironment(environment, spec.symbols())
                        // trades: T.<ticker>; book / bbo: Q.<ticker>, the NBBO (Polygon's stocks feed has no depth)
                        .withChannels(spec.wants("trades"), spec.wants("book") || spec.wants("bbo"));
                if (spec.wsUrl() != null) {
                    config = config.withUrl(URI.create(spec.wsUrl()));
                }
                PolygonConfig chosen = config;
                yield List.of(
                        simple(spec, chosen.url().toString(), (sink, context) -> new PolygonFeedHandler(chosen, sink)));
            }
            case VENDOR_BARS_EXCHANGE ->
                throw new IllegalArgumentException(spec.exchange() + " is polled over REST: use vendorBarPlan");
            default -> throw new IllegalArgumentException("unknown exchange: " + spec.exchange());
        };
    }

    /** The exchange whose feed is a vendor's bars polled over REST rather than a WebSocket. */
    public static final String VENDOR_BARS_EXCHANGE = "alphavantage";

    /** The time between poll rounds of a vendor's bars (the key's rate limits may space requests further). */
    public static final java.time.Duration VENDOR_BARS_POLL = java.time.Duration.ofSeconds(60);

    /**
     * The plan recording an Alpha Vantage spec: 1-minute intraday bars (compact, JSON) of each symbol, the key from
     * {@code environment}'s {@value dev.tickvault.feed.alphavantage.AlphaVantageConfig#API_KEY_VARIABLE}, the free
     * tier's rate limits, {@code rest_url} instead of the live endpoint if given.
     *
     * @throws IllegalArgumentException if the key is missing
     */
    public static VendorBarPlan vendorBarPlan(FeedSpec spec, java.util.Map<String, String> environment) {
        if (!spec.exchange().equals(VENDOR_BARS_EXCHANGE)) {
            throw new IllegalArgumentException(spec.exchange() + " has no vendor bars");
        }
        dev.tickvault.feed.alphavantage.AlphaVantageConfig config =
                dev.tickvault.feed.alphavantage.AlphaVantageConfig.fromEnvironment(environment);
        if (spec.restUrl() != null) {
            config = dev.tickvault.feed.alphavantage.AlphaVantageConfig.of(URI.create(spec.restUrl()), config.apiKey());
        }
        return new VendorBarPlan(spec.exchange(), config, spec.symbols(), VENDOR_BARS_POLL);
    }

    private interface HandlerFactory {
        FeedHandler create(FeedSink sink, FeedPlan.Context context);
    }

    private static FeedPlan simple(FeedSpec spec, String defaultUrl, HandlerFactory factory) {
        String url = spec.wsUrl() != null ? spec.wsUrl() : defaultUrl;
        TransportConfig transport =
                TransportConfig.defaults(spec.exchange()).withTrustedCertificates(spec.trustedCertificates());
        return new FeedPlan() {
            @Override
            public String name() {
                return spec.exchange();
            }

            @Override
            public TransportConfig transport() {
                return transport;
            }

            @Override
            public List<URI> uris() {
                return List.of(URI.create(url));
            }

            @Override
            public FeedHandler newHandler(FeedSink sink, Context context) {
                return factory.create(sink, context);
            }
        };
    }

    private static List<FeedPlan> binance(FeedSpec spec, BinanceMarket market) {
        return binance(spec, market, null);
    }

    /**
     * Binance plans with a chosen depth stream speed ({@code 100ms}, {@code 0ms} on USD-M, …; null: the default).
     */
    public static List<FeedPlan> binance(FeedSpec spec, BinanceMarket market, String depthSpeed) {
        BinanceFeedConfig all = binanceConfig(spec, market);
        if (depthSpeed != null) {
            all = all.withDepthSpeed(depthSpeed);
        }
        List<BinanceFeedConfig> groups = BinanceSubscriptionPlan.split(all);
        List<FeedPlan> plans = new ArrayList<>();
        for (int i = 0; i < groups.size(); i++) {
            BinanceFeedConfig config = groups.get(i);
            String name = spec.exchange() + (groups.size() > 1 ? "-" + (i + 1) : "");
            TransportConfig transport =
                    TransportConfig.defaults(name).withTrustedCertificates(spec.trustedCertificates());
            plans.add(new FeedPlan() {
                @Override
                public String name() {
                    return name;
                }

                @Override
                public TransportConfig transport() {
                    return transport;
                }

                @Override
                public List<URI> uris() {
                    return List.of(URI.create(config.streamUrl()));
                }

                @Override
                public FeedHandler newHandler(FeedSink sink, Context context) {
                    DeferredRequester requester = new DeferredRequester();
                    BinanceFeedHandler handler = new BinanceFeedHandler(config, sink, requester, null);
                    if (config.book()) {
                        HttpClient.Builder rest = HttpClient.newBuilder()
                                .connectTimeout(Duration.ofSeconds(10))
                                // Its own threads: never the common ForkJoinPool, which the rest of a process may
                                // keep busy.
                                .executor(java.util.concurrent.Executors.newCachedThreadPool(Thread.ofPlatform()
                                        .name("tickvault-rest-", 0)
                                        .daemon(true)
                                        .factory()));
                        if (spec.trustedCertificates() != null) {
                            rest.sslContext(TrustedCertificates.load(spec.trustedCertificates())
                                    .sslContext());
                        }
                        HttpDepthSnapshotRequester http = new HttpDepthSnapshotRequester(
                                HttpDepthSnapshotRequester.Config.defaults(config),
                                rest.build(),
                                context.handlerExecutor(),
                                context.outermost(),
                                transport.clock()::nowNanos);
                        requester.target = http;
                        context.resources().add(http);
                    }
                    return handler;
                }
            });
        }
        return plans;
    }

    static BinanceFeedConfig binanceConfig(FeedSpec spec, BinanceMarket market) {
        BinanceFeedConfig d = BinanceFeedConfig.defaults(market, spec.symbols());
        BinanceFeedConfig config = new BinanceFeedConfig(
                d.market(),
                d.symbols(),
                spec.wants("trades"),
                d.aggregateTrades(),
                spec.wants("book"),
                d.depthSpeed(),
                spec.wants("bbo"),
                d.streamUrl(),
                d.depthUrl(),
                d.snapshotLimit(),
                d.maxBufferedDiffs(),
                d.checkpointIntervalNanos(),
                d.maxLevelsPerSide(),
                d.subscribeMessagesPerSecond(),
                d.streamsPerSubscribeMessage());
        if (spec.wsUrl() != null || spec.restUrl() != null) {
            config = config.withUrls(
                    spec.wsUrl() != null ? spec.wsUrl() : d.streamUrl(),
                    spec.restUrl() != null ? spec.restUrl() : d.depthUrl());
        }
        return config;
    }

    /** The requester exists only after the handler it calls back: this forwards once it is set. */
    private static final class DeferredRequester implements DepthSnapshotRequester {
        volatile DepthSnapshotRequester target;

        @Override
        public void request(dev.tickvault.model.SeriesKey series) {
            DepthSnapshotRequester t = target;
            if (t != null) {
                t.request(series);
            }
        }
    }

    /** A handler for replaying a recording of {@code exchange} into {@code sink}. */
    public static FeedHandler replayHandler(String exchange, List<String> symbols, boolean krakenV1, FeedSink sink) {
        return switch (exchange) {
            case "binance" ->
                new BinanceFeedHandler(
                        BinanceFeedConfig.defaults(BinanceMarket.SPOT, symbols),
                        sink,
                        DepthSnapshotRequester.NONE,
                        null);
            case "binance-futures" ->
                new BinanceFeedHandler(
                        BinanceFeedConfig.defaults(BinanceMarket.USDM_FUTURES, symbols),
                        sink,
                        DepthSnapshotRequester.NONE,
                        null);
            case "coinbase" -> new CoinbaseExchangeFeedHandler(CoinbaseExchangeConfig.defaults(symbols), sink);
            case "coinbase-advanced" ->
                new CoinbaseAdvancedTradeFeedHandler(CoinbaseAdvancedTradeConfig.defaults(symbols), sink);
            case "kraken" ->
                krakenV1
                        ? new KrakenV1FeedHandler(KrakenV1Config.defaults(symbols), sink)
                        : new KrakenV2FeedHandler(KrakenV2Config.defaults(symbols), sink);
            case "polygon" ->
                new PolygonFeedHandler(PolygonConfig.of(URI.create("wss://replay"), "replay", symbols), sink);
            default -> throw new IllegalArgumentException("unknown exchange: " + exchange);
        };
    }
}
