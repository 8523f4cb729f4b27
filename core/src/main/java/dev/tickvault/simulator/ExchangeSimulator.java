package dev.tickvault.simulator;

import dev.tickvault.feed.book.BookSide;
import dev.tickvault.feed.book.OrderBook;
import dev.tickvault.model.Side;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketServerCompressionHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local exchange: Netty HTTP + WebSocket server speaking the venues' real protocols, for tests, demos and the
 * recorder's resilience checks.
 *
 * <ul>
 *   <li>Binance spot: WebSocket {@code /ws}, {@code /ws/<stream>}, {@code /stream?streams=a/b}; REST {@code
 *       /api/v3/depth?symbol=&limit=}. Binance USD-M: the same under {@code /usdm}; REST {@code /fapi/v1/depth}.
 *       Source: a hftbacktest recording or a synthetic generator ({@link SimulatorConfig.BinanceSourceConfig}); the
 *       true book of every symbol is kept, so a REST snapshot is consistent with the diffs sent ({@link
 *       BinanceMarket}).
 *   <li>Coinbase Exchange: WebSocket {@code /coinbase} ({@link CoinbaseSession}). Kraken v1: {@code /kraken} ({@link
 *       KrakenSession}). Replays of cryptofeed recordings, one per connection.
 *   <li>Kraken WebSocket v2: {@code /kraken/v2} ({@link KrakenV2Session}); Coinbase Advanced Trade: {@code
 *       /coinbase-advanced} ({@link CoinbaseAdvancedSession}). The same recordings converted to those protocols and
 *       replayed as one market per venue that every connection joins ({@link MarketReplay}): a subscription gets the
 *       book as it is now.
 *   <li>Polygon.io stocks WebSocket: {@code /polygon/stocks} ({@link PolygonSession}), always served: a synthetic
 *       market of trades and NBBO quotes for whatever tickers clients subscribe to ({@link PolygonMarket}); the key
 *       {@value #POLYGON_API_KEY} authenticates.
 *   <li>TLS: with {@link SimulatorConfig#tls()} it serves {@code wss://} and {@code https://} only, with that key
 *       and certificate ({@link SimulatorTls}); every URI method then gives the TLS scheme.
 *   <li>Faults: {@link #faults()} from Java, or {@code POST /control/fault?type=…} ({@link FaultType}); counters:
 *       {@link #stats()}, {@link #connections()}, {@code GET /control/stats}.
 * </ul>
 *
 * <p>Threading: the whole simulator runs on ONE event loop thread (accepting, every connection, sources, books),
 * so its state needs no locks; public methods hop onto it. The rate it can serve is that of one thread.
 */
public final class ExchangeSimulator implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ExchangeSimulator.class);
    private static final long HOUSEKEEPING_MILLIS = 100;

    private final SimulatorConfig config;
    private final EventLoopGroup group;
    private final EventLoop loop;
    private final SimulatorStats stats = new SimulatorStats();
    private final FaultInjector faults = new FaultInjector(this);
    private final Map<BinanceMarketKind, BinanceMarket> markets = new EnumMap<>(BinanceMarketKind.class);
    private final Map<Integer, SimSession> sessions = new LinkedHashMap<>(); // loop-confined
    private final RecordedFeed coinbase;
    private final RecordedFeed kraken;
    private MarketReplay krakenV2; // loop-confined, like the sessions
    private MarketReplay coinbaseAdvanced;
    private final PolygonMarket polygon = new PolygonMarket(); // loop-confined
    private final ScheduledFuture<?> polygonTicks;
    private final Channel serverChannel;
    private final ScheduledFuture<?> housekeeping;
    private int nextSessionId = 1;
    private long lastPingMono = System.nanoTime();
    private volatile boolean closed;

    private ExchangeSimulator(SimulatorConfig config) {
        this.config = config;
        this.coinbase = config.coinbaseRecording() == null ? null : RecordedFeed.coinbase(config.coinbaseRecording());
        this.kraken = config.krakenRecordings().isEmpty() ? null : RecordedFeed.kraken(config.krakenRecordings());
        BinanceSource spot = config.binanceSpot() == null ? null : source(BinanceMarketKind.SPOT, config.binanceSpot());
        BinanceSource usdm = config.binanceUsdm() == null ? null : source(BinanceMarketKind.USDM, config.binanceUsdm());
        SslContext tls = config.tls() == null ? null : config.tls().serverContext();
        this.group = new MultiThreadIoEventLoopGroup(
                1, new DefaultThreadFactory("tickvault-simulator", true), NioIoHandler.newFactory());
        this.loop = group.next();
        try {
            onLoop(() -> {
                if (spot != null) {
                    markets.put(BinanceMarketKind.SPOT, new BinanceMarket(BinanceMarketKind.SPOT, this, spot, loop));
                }
                if (usdm != null) {
                    markets.put(BinanceMarketKind.USDM, new BinanceMarket(BinanceMarketKind.USDM, this, usdm, loop));
                }
                if (kraken != null) {
                    krakenV2 = new MarketReplay(this, RecordedMarket.fromKrakenV1(kraken), "kraken");
                }
                if (coinbase != null) {
                    coinbaseAdvanced =
                            new MarketReplay(this, RecordedMarket.fromCoinbaseExchange(coinbase), "coinbase-advanced");
                }
                if (!config.waitForSubscriber()) {
                    markets.values().forEach(BinanceMarket::start);
                }
                return null;
            });
            ServerBootstrap bootstrap = new ServerBootstrap()
                    .group(loop, loop)
                    .channel(NioServerSocketChannel.class)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(1 << 20, 4 << 20))
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ChannelPipeline p = ch.pipeline();
                            if (tls != null) {
                                p.addLast("tls", tls.newHandler(ch.alloc()));
                            }
                            p.addLast("http", new HttpServerCodec());
                            p.addLast("http-aggregator", new HttpObjectAggregator(1 << 20));
                            if (config.compression()) {
                                p.addLast("deflate", new WebSocketServerCompressionHandler(0));
                            }
                            p.addLast("route", new SimulatorHttpHandler(ExchangeSimulator.this));
                        }
                    });
            this.serverChannel = bootstrap
                    .bind(new InetSocketAddress(config.host(), config.port()))
                    .syncUninterruptibly()
                    .channel();
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5_000);
            throw e;
        }
        this.housekeeping = loop.scheduleAtFixedRate(
                this::housekeeping, HOUSEKEEPING_MILLIS, HOUSEKEEPING_MILLIS, TimeUnit.MILLISECONDS);
        this.polygonTicks = loop.scheduleAtFixedRate(
                () -> polygon.tick(System.currentTimeMillis()),
                PolygonMarket.TICK_MILLIS,
                PolygonMarket.TICK_MILLIS,
                TimeUnit.MILLISECONDS);
        log.info("exchange simulator listening on {}", baseUri());
    }

    /** Starts a simulator; it listens when this returns. */
    public static ExchangeSimulator start(SimulatorConfig config) {
        return new ExchangeSimulator(config);
    }

    private BinanceSource source(BinanceMarketKind kind, SimulatorConfig.BinanceSourceConfig source) {
        return source.isSynthetic()
                ? new BinanceSyntheticSource(kind, source, System::currentTimeMillis)
                : new BinanceRecordingSource(source.recording(), config.speed());
    }

    public SimulatorConfig config() {
        return config;
    }

    public SimulatorStats stats() {
        return stats;
    }

    public FaultInjector faults() {
        return faults;
    }

    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    /** {@code http://host:port} ({@code https://} with TLS): base of the REST endpoints and {@code /control}. */
    public URI baseUri() {
        return URI.create((config.tls() != null ? "https://" : "http://") + config.host() + ":" + port());
    }

    /** {@code wss://} when serving TLS, else {@code ws://}. */
    private String webSocketScheme() {
        return config.tls() != null ? "wss://" : "ws://";
    }

    /** Base of a Binance market's WebSocket URLs: {@code ws://host:port} (spot) or {@code ws://host:port/usdm}. */
    public URI binanceWebSocketBase(BinanceMarketKind market) {
        return URI.create(webSocketScheme() + config.host() + ":" + port() + market.wsPrefix);
    }

    /** The combined-stream URL of a Binance market for these streams. */
    public URI binanceCombinedStreamUri(BinanceMarketKind market, List<String> streams) {
        return URI.create(binanceWebSocketBase(market) + "/stream?streams=" + String.join("/", streams));
    }

    public URI coinbaseUri() {
        return URI.create(webSocketScheme() + config.host() + ":" + port() + "/coinbase");
    }

    public URI krakenUri() {
        return URI.create(webSocketScheme() + config.host() + ":" + port() + "/kraken");
    }

    /** Kraken WebSocket v2, served from the Kraken recording's market ({@link KrakenV2Session}). */
    public URI krakenV2Uri() {
        return URI.create(webSocketScheme() + config.host() + ":" + port() + "/kraken/v2");
    }

    /**
     * The Polygon.io stocks WebSocket ({@link PolygonSession}), a synthetic market ({@link PolygonMarket}); the key it
     * accepts is {@link #POLYGON_API_KEY}.
     */
    public URI polygonUri() {
        return URI.create(webSocketScheme() + config.host() + ":" + port() + "/polygon/stocks");
    }

    /** The API key the simulated Polygon endpoint accepts. */
    public static final String POLYGON_API_KEY = PolygonSession.API_KEY;

    /** The trades the Polygon market has published for {@code ticker} (the last {@value PolygonMarket#TAPE_LIMIT}). */
    public List<PolygonMarket.Trade> polygonTrades(String ticker) {
        return onLoop(() -> {
            PolygonMarket.Tape tape = polygon.tape(ticker);
            return tape == null ? List.<PolygonMarket.Trade>of() : List.copyOf(tape.trades);
        });
    }

    /** The NBBO quotes the Polygon market has published for {@code ticker} (the last {@value PolygonMarket#TAPE_LIMIT}). */
    public List<PolygonMarket.Quote> polygonQuotes(String ticker) {
        return onLoop(() -> {
            PolygonMarket.Tape tape = polygon.tape(ticker);
            return tape == null ? List.<PolygonMarket.Quote>of() : List.copyOf(tape.quotes);
        });
    }

    /** Coinbase Advanced Trade, served from the Coinbase recording's market ({@link CoinbaseAdvancedSession}). */
    public URI coinbaseAdvancedUri() {
        return URI.create(webSocketScheme() + config.host() + ":" + port() + "/coinbase-advanced");
    }

    /** Products of the Kraken v2 market (v2 names, e.g. {@code KSM/BTC}), empty if not served. */
    public List<String> krakenV2Symbols() {
        return onLoop(() -> krakenV2 == null ? List.<String>of() : List.copyOf(krakenV2.market().products));
    }

    /** Products of the Coinbase Advanced Trade market, empty if not served. */
    public List<String> coinbaseAdvancedProducts() {
        return onLoop(
                () -> coinbaseAdvanced == null ? List.<String>of() : List.copyOf(coinbaseAdvanced.market().products));
    }

    /** True when the Kraken v2 / Coinbase Advanced Trade market replayed its whole recording. */
    public boolean recordedMarketFinished(String venue) {
        return onLoop(() -> {
            MarketReplay m = venue.equals("kraken") ? krakenV2 : coinbaseAdvanced;
            return m != null && m.finished();
        });
    }

    /** The client connections open now. */
    public List<ConnectionInfo> connections() {
        return onLoop(() -> {
            List<ConnectionInfo> out = new ArrayList<>();
            for (SimSession s : sessions.values()) {
                if (!s.isClosed()) {
                    out.add(s.info());
                }
            }
            return out;
        });
    }

    /** Symbols of a Binance market (upper case), empty if the market isn't served. */
    public List<String> binanceSymbols(BinanceMarketKind market) {
        return onLoop(() -> {
            List<String> out = new ArrayList<>();
            BinanceMarket m = markets.get(market);
            if (m != null) {
                m.symbols().forEach(s -> out.add(s.name));
            }
            return out;
        });
    }

    /**
     * A copy of the true book of a Binance symbol as of now, with the {@code u} of the last diff applied; null if
     * unknown.
     */
    public TrueBook trueBook(BinanceMarketKind market, String symbol) {
        return onLoop(() -> {
            BinanceMarket m = markets.get(market);
            BinanceMarket.Symbol s = m == null ? null : m.symbol(symbol);
            if (s == null) {
                return null;
            }
            OrderBook copy = new OrderBook(s.book.series(), BinanceMarket.MAX_LEVELS);
            copySide(s.book.bids(), Side.BUY, copy);
            copySide(s.book.asks(), Side.SELL, copy);
            return new TrueBook(s.lastUpdateId, copy);
        });
    }

    private static void copySide(BookSide side, Side which, OrderBook into) {
        for (int i = 0; i < side.size(); i++) {
            into.set(which, side.priceMantissa(i), side.priceScale(i), side.quantityMantissa(i), side.quantityScale(i));
        }
    }

    /**
     * A true book and the update id it is at.
     *
     * @param lastUpdateId the {@code u} of the last depth diff applied (sent or skipped by a fault)
     */
    public record TrueBook(long lastUpdateId, OrderBook book) {}

    /** Messages a Binance market's source has published so far (0 if the market isn't served). */
    public long binancePublished(BinanceMarketKind market) {
        return onLoop(
                () -> markets.containsKey(market) ? markets.get(market).source().published() : 0L);
    }

    /** True when a Binance market's source has nothing more to send (end of a recording or of maxMessages). */
    public boolean binanceFinished(BinanceMarketKind market) {
        return onLoop(() ->
                markets.containsKey(market) && markets.get(market).source().finished());
    }

    // ---- package-private, on the loop ----

    BinanceMarket market(BinanceMarketKind kind) {
        return markets.get(kind);
    }

    Collection<BinanceMarket> markets() {
        return markets.values();
    }

    RecordedFeed coinbaseFeed() {
        return coinbase;
    }

    RecordedFeed krakenFeed() {
        return kraken;
    }

    MarketReplay krakenV2Market() {
        return krakenV2;
    }

    MarketReplay coinbaseAdvancedMarket() {
        return coinbaseAdvanced;
    }

    PolygonMarket polygonMarket() {
        return polygon;
    }

    EventLoop loop() {
        return loop;
    }

    Collection<SimSession> sessions() {
        return sessions.values();
    }

    SimSession session(int id) {
        return sessions.get(id);
    }

    int newSessionId() {
        return nextSessionId++;
    }

    void register(SimSession session) {
        sessions.put(session.id, session);
        stats.connectionsAccepted.increment();
    }

    void unregister(SimSession session) {
        sessions.remove(session.id);
    }

    /** Runs {@code task} on the simulator's loop and waits for it (runs it directly when already there). */
    <T> T onLoop(Callable<T> task) {
        if (loop.inEventLoop()) {
            try {
                return task.call();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        try {
            return loop.submit(task).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the simulator's loop did not answer in 30 s", e);
        }
    }

    private void housekeeping() {
        long now = System.nanoTime();
        long pingNanos = config.serverPingInterval().toNanos();
        boolean ping = pingNanos > 0 && now - lastPingMono >= pingNanos;
        if (ping) {
            lastPingMono = now;
        }
        long maxAgeNanos = config.maxConnectionAge().toNanos();
        for (SimSession s : List.copyOf(sessions.values())) {
            if (s.isClosed()) {
                continue;
            }
            if (ping) {
                s.ping();
            }
            if (maxAgeNanos > 0 && s instanceof BinanceSession && now - s.openedMonoNanos >= maxAgeNanos) {
                if (s.announceShutdown(config.shutdownGrace().toMillis())) {
                    stats.maxAgeDisconnects.increment();
                }
            }
            s.housekeeping(now);
        }
    }

    /** Closes every connection and the server, and stops the thread. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            onLoop(() -> {
                housekeeping.cancel(false);
                polygonTicks.cancel(false);
                markets.values().forEach(BinanceMarket::stop);
                serverChannel.close();
                for (SimSession s : List.copyOf(sessions.values())) {
                    s.disconnect();
                }
                return null;
            });
        } catch (RuntimeException e) {
            log.warn("closing the simulator: {}", e.toString());
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10_000);
    }

    /** True once {@link #close()} finished and its thread ended. */
    public boolean isTerminated() {
        return group.isTerminated();
    }
}
