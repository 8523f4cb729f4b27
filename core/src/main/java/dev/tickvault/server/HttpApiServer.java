package dev.tickvault.server;

import dev.tickvault.live.FeedStatusBoard;
import dev.tickvault.live.LiveTradeHub;
import dev.tickvault.store.TickStore;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code tickvault serve}: the HTTP API over a store ({@code /api/v1/...}, {@code /metrics}). Network I/O runs on
 * Netty's event loops; queries run on a bounded pool ({@link ServerConfig#queryThreads()} threads, at most {@link
 * ServerConfig#maxQueuedQueries()} waiting, then 503), so a slow query never stalls other connections and recording
 * in the same process is never blocked by readers.
 */
public final class HttpApiServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HttpApiServer.class);

    private final EventLoopGroup group;
    private final ThreadPoolExecutor queries;
    private final Channel serverChannel;
    private final PrometheusMeterRegistry registry;
    private final Map<String, Endpoint> routes;
    private final LiveTradeHub liveTrades;

    private HttpApiServer(
            TickStore store,
            ServerConfig config,
            PrometheusMeterRegistry registry,
            LiveTradeHub liveTrades,
            FeedStatusBoard feeds)
            throws InterruptedException {
        this.registry = registry;
        this.liveTrades = liveTrades;
        Endpoints endpoints = new Endpoints(store, config, registry, feeds);
        DashboardAssets dashboard = new DashboardAssets();
        io.micrometer.core.instrument.Gauge.builder(
                        "tickvault.store.bytes", store, s -> (double) s.stats().totalBytesOnDisk())
                .description("bytes of partition files on disk")
                .baseUnit("bytes")
                .register(registry);
        io.micrometer.core.instrument.Gauge.builder(
                        "tickvault.store.rows", store, s -> (double) s.stats().totalRows())
                .description("rows in partition files")
                .register(registry);
        Map<String, Endpoint> table = new LinkedHashMap<>();
        table.put("/api/v1/health", endpoints::health);
        table.put("/api/v1/symbols", endpoints::symbols);
        table.put("/api/v1/trades", endpoints::trades);
        table.put("/api/v1/gaps", endpoints::gaps);
        table.put("/api/v1/feeds", endpoints::feeds);
        QueryEndpoints queryEndpoints = new QueryEndpoints(store, config);
        table.put("/api/v1/bars", queryEndpoints::bars);
        table.put("/api/v1/book", queryEndpoints::book);
        table.put("/metrics", (request, response) -> endpoints.metrics(request, response));
        table.put(LiveWebSocketHandler.PATH, (request, response) -> {
            throw new BadRequestException(
                    400, null, "this endpoint is a WebSocket: connect with ws://…" + LiveWebSocketHandler.PATH);
        });
        this.routes = java.util.Collections.synchronizedMap(table);
        this.queries = new ThreadPoolExecutor(
                config.queryThreads(),
                config.queryThreads(),
                30,
                TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(Math.max(1, config.maxQueuedQueries())),
                Thread.ofPlatform().name("tickvault-query-", 0).daemon(true).factory());
        this.group = new MultiThreadIoEventLoopGroup(
                2, Thread.ofPlatform().name("tickvault-http-", 0).daemon(true).factory(), NioIoHandler.newFactory());
        if (!isLoopback(config.bindAddress()) && config.bearerToken() == null) {
            LOG.warn(
                    "serving on {} without a bearer token: anyone who can reach it can read the store",
                    config.bindAddress());
        }
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline()
                                .addLast(new HttpServerCodec(8192, 16 * 1024, 16 * 1024))
                                .addLast(new HttpObjectAggregator(64 * 1024))
                                .addLast(new LiveUpgradeGuard(config.bearerToken()))
                                .addLast(new WebSocketServerProtocolHandler(WebSocketServerProtocolConfig.newBuilder()
                                        .websocketPath(LiveWebSocketHandler.PATH)
                                        .checkStartsWith(true)
                                        .maxFramePayloadLength(64 * 1024)
                                        .build()))
                                .addLast(new LiveWebSocketHandler(liveTrades))
                                .addLast(new ApiChannelHandler(routes, queries, config, registry, dashboard));
                    }
                });
        this.serverChannel = bootstrap
                .bind(new InetSocketAddress(config.bindAddress(), config.port()))
                .sync()
                .channel();
    }

    private static boolean isLoopback(String address) {
        try {
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException("cannot bind to unknown address " + address);
        }
    }

    /** Starts serving {@code store}; metrics go to a new Prometheus registry; no live trades. */
    public static HttpApiServer start(TickStore store, ServerConfig config) {
        return start(
                store,
                config,
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                new LiveTradeHub(),
                new FeedStatusBoard());
    }

    /**
     * Starts serving {@code store}, with metrics from {@code registry}, the live WebSocket fed by {@code liveTrades}
     * and feed health from {@code feeds} (the recorder of the same process publishes to both).
     */
    public static HttpApiServer start(
            TickStore store,
            ServerConfig config,
            PrometheusMeterRegistry registry,
            LiveTradeHub liveTrades,
            FeedStatusBoard feeds) {
        try {
            return new HttpApiServer(store, config, registry, liveTrades, feeds);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the server", e);
        }
    }

    /** Adds (or replaces) a route, e.g. {@code /api/v1/bars}. */
    public void route(String path, Endpoint endpoint) {
        routes.put(path, endpoint);
    }

    public LiveTradeHub liveTrades() {
        return liveTrades;
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    public URI baseUri() {
        InetSocketAddress address = (InetSocketAddress) serverChannel.localAddress();
        String host = address.getAddress().isAnyLocalAddress() ? "127.0.0.1" : address.getHostString();
        return URI.create("http://" + host + ":" + address.getPort());
    }

    @Override
    public void close() {
        serverChannel.close().syncUninterruptibly();
        queries.shutdownNow();
        try {
            queries.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
