package dev.tickvault.feed.transport;

import dev.tickvault.feed.FeedConnection;
import dev.tickvault.feed.FeedHandler;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketClientCompressionHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one {@link FeedHandler}'s WebSocket connections open: connects ({@code ws://} or {@code wss://}), delivers
 * text frames, pings, detects stale connections (no frame — data or pong — within {@link
 * TransportConfig#staleAfter()}), reconnects with backoff, rotates old connections, and shuts down
 * cleanly.
 *
 * <h2>Threading contract</h2>
 *
 * Every call into the handler — {@link FeedHandler#onOpen}, {@link FeedHandler#onMessage}, {@link
 * FeedHandler#onClose}, {@link FeedHandler#onTimer} (every {@link TransportConfig#timerInterval()}) and every task
 * given to {@link #handlerExecutor()} (e.g. a REST snapshot fetcher delivering {@link FeedHandler#onRestResponse}) —
 * runs on ONE Netty event loop, the one all of this client's connections are registered on. The handler needs no
 * locks. {@link FeedConnection#send}, {@code reconnect} and {@code rotate} may be called from any thread.
 *
 * <h2>Connections</h2>
 *
 * {@link #open(URI)} adds a logical connection kept open until {@link #close()}. Each physical connection is a new
 * {@link FeedConnection} (named {@code <name>#<n>}) that gets {@code onOpen} (subscribe there), frames, and one
 * {@code onClose} — only if it was opened. Frames are delivered as bytes valid during the call (a reused buffer per
 * connection, or the frame's own heap array); {@code recvTsNanos} is the config's {@link NanoClock} at arrival.
 *
 * <h2>Rotation</h2>
 *
 * When a connection reaches {@link TransportConfig#maxConnectionAge()}, or the handler calls {@link
 * FeedConnection#rotate()} (a venue announced a shutdown), a replacement connection opens and is subscribed by {@code
 * onOpen} while the old one keeps delivering; the old one gets a normal close once the replacement delivered its first
 * data frame (or after {@link TransportConfig#rotationOverlapTimeout()}). The handler sees both for a while and
 * de-duplicates.
 *
 * <h2>Limits</h2>
 *
 * A message larger than {@link TransportConfig#maxFrameBytes()} (reassembled, decompressed) fails its connection,
 * which is counted and reopened. Outbound frames go straight to Netty's channel buffer (the handler sends few).
 */
public final class WebSocketFeedClient implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WebSocketFeedClient.class);
    private static final int HANDSHAKE_RESPONSE_MAX_BYTES = 64 << 10;
    private static final long RESYNC_CLOCK_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final TransportConfig config;
    private final FeedHandler handler;
    private final EventLoopGroup group;
    private final boolean ownsGroup;
    private final EventLoop loop;
    private final ChannelGroup channels;
    private final TransportStats stats = new TransportStats();
    private final List<ConnectionSlot> slots = new ArrayList<>(); // loop-confined
    private final AtomicInteger connectionNumber = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Executor handlerExecutor;
    private final ScheduledFuture<?> timer;
    private SslContext sslContext; // loop-confined, built on first wss://
    private long lastClockResyncMono = System.nanoTime();
    private long lastTickMono; // loop-confined

    /** A client with its own event loop group of one thread (shut down by {@link #close()}). */
    public WebSocketFeedClient(TransportConfig config, FeedHandler handler) {
        this(config, handler, null);
    }

    /**
     * A client on one loop of {@code sharedGroup} (the caller owns the group and shuts it down), or on its own
     * single-thread group when {@code sharedGroup} is null.
     */
    public WebSocketFeedClient(TransportConfig config, FeedHandler handler, EventLoopGroup sharedGroup) {
        this.config = config;
        this.handler = handler;
        if (sharedGroup == null) {
            this.group = new MultiThreadIoEventLoopGroup(
                    1, new DefaultThreadFactory("tickvault-feed-" + config.name(), true), NioIoHandler.newFactory());
            this.ownsGroup = true;
        } else {
            this.group = sharedGroup;
            this.ownsGroup = false;
        }
        this.loop = group.next();
        this.channels = new DefaultChannelGroup("feed-" + config.name(), loop);
        this.handlerExecutor = task -> loop.execute(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                handlerFailed("a task on the handler's thread", e);
            }
        });
        if (config.watchdogMayDropQuietConnections()) {
            log.warn(
                    "{}: staleAfter {} with pingInterval {}: a quiet but healthy connection may be dropped",
                    config.name(),
                    config.staleAfter(),
                    config.pingInterval());
        }
        long periodNanos = config.timerInterval().toNanos();
        this.timer = loop.scheduleAtFixedRate(this::tick, periodNanos, periodNanos, TimeUnit.NANOSECONDS);
    }

    /**
     * Keeps a connection to {@code uri} open until {@link #close()} ({@code ws://} or {@code wss://}; the handler
     * subscribes in onOpen). Returns at once; connecting happens on the loop.
     *
     * @throws IllegalStateException if the client is closed
     */
    public void open(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("ws") && !scheme.equals("wss")) {
            throw new IllegalArgumentException("not a ws:// or wss:// URI: " + uri);
        }
        if (closed.get()) {
            throw new IllegalStateException("client closed");
        }
        loop.execute(() -> {
            if (!closed.get()) {
                ConnectionSlot slot = new ConnectionSlot(this, uri);
                slots.add(slot);
                slot.start();
            }
        });
    }

    /** Runs tasks on the handler's thread (the client's event loop); rejects them once the client is closed. */
    public Executor handlerExecutor() {
        return handlerExecutor;
    }

    /** The event loop every handler call runs on. */
    public EventLoop eventLoop() {
        return loop;
    }

    public TransportStats stats() {
        return stats;
    }

    public TransportConfig config() {
        return config;
    }

    FeedHandler handler() {
        return handler;
    }

    EventLoop loop() {
        return loop;
    }

    /** Names of the connections that are open now (for status displays and tests); blocks briefly on the loop. */
    public List<String> openConnectionNames() {
        if (loop.inEventLoop()) {
            return openNames();
        }
        try {
            return loop.submit(this::openNames).get(config.closeTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            return List.of();
        }
    }

    private List<String> openNames() {
        List<String> names = new ArrayList<>();
        for (ConnectionSlot slot : slots) {
            for (WebSocketFeedConnection c : slot.connections()) {
                if (c.isOpen()) {
                    names.add(c.name());
                }
            }
        }
        return names;
    }

    /** Starts one physical connection for {@code slot}; on the loop. */
    WebSocketFeedConnection connect(ConnectionSlot slot) {
        URI uri = slot.uri();
        String name = config.name() + "#" + connectionNumber.incrementAndGet();
        WebSocketFeedConnection connection = new WebSocketFeedConnection(this, slot, name, loop);
        boolean tls = uri.getScheme().equalsIgnoreCase("wss");
        String host = uri.getHost();
        int port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
        SslContext ssl;
        try {
            ssl = tls ? sslContext() : null;
        } catch (SSLException e) {
            log.error("{}: cannot build a TLS context: {}", name, e.toString());
            stats.connectAttempts.increment();
            stats.lastFailure = "cannot build a TLS context: " + e.getMessage();
            stats.tlsFailures.increment();
            loop.execute(() -> connection.connectFailed(e));
            return connection;
        }
        stats.connectAttempts.increment();
        Bootstrap bootstrap = new Bootstrap()
                .group(loop)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int)
                        config.connectTimeout().toMillis())
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ChannelPipeline p = ch.pipeline();
                        if (ssl != null) {
                            p.addLast("tls", ssl.newHandler(ch.alloc(), host, port));
                        }
                        p.addLast("http", new HttpClientCodec());
                        p.addLast("http-aggregator", new HttpObjectAggregator(HANDSHAKE_RESPONSE_MAX_BYTES));
                        if (config.compression()) {
                            p.addLast("deflate", new WebSocketClientCompressionHandler(config.maxFrameBytes()));
                        }
                        p.addLast("websocket", new WebSocketClientProtocolHandler(protocolConfig(uri)));
                        p.addLast("frame-aggregator", new WebSocketFrameAggregator(config.maxFrameBytes()));
                        p.addLast("feed", connection.new FrameHandler());
                    }
                });
        ChannelFuture future = bootstrap.connect(host, port);
        connection.attach(future.channel());
        channels.add(future.channel());
        future.addListener(f -> {
            if (!f.isSuccess()) {
                log.warn("{}: connect to {} failed: {}", name, uri, f.cause().toString());
                connection.connectFailed(f.cause());
            }
        });
        return connection;
    }

    private WebSocketClientProtocolConfig protocolConfig(URI uri) {
        HttpHeaders headers = new DefaultHttpHeaders();
        config.headers().forEach(headers::add);
        return WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(uri)
                .version(WebSocketVersion.V13)
                .allowExtensions(config.compression())
                .customHeaders(headers)
                .maxFramePayloadLength(config.maxFrameBytes())
                .handshakeTimeoutMillis(config.handshakeTimeout().toMillis())
                .forceCloseTimeoutMillis(config.closeTimeout().toMillis())
                .handleCloseFrames(true)
                .dropPongFrames(false) // pongs prove the connection alive (FrameHandler)
                .build();
    }

    private SslContext sslContext() throws SSLException {
        if (sslContext == null) {
            SslContextBuilder builder =
                    SslContextBuilder.forClient().sslProvider(SslProvider.JDK).endpointIdentificationAlgorithm("HTTPS");
            if (config.trustedCertificates() != null) {
                try {
                    builder.trustManager(TrustedCertificates.load(config.trustedCertificates())
                            .trustManagerFactory());
                } catch (IllegalArgumentException e) {
                    throw new SSLException(e.getMessage(), e);
                }
            }
            sslContext = builder.build();
        }
        return sslContext;
    }

    private void tick() {
        long mono = System.nanoTime();
        if (mono - lastClockResyncMono > RESYNC_CLOCK_NANOS) {
            lastClockResyncMono = mono;
            config.clock().resync();
        }
        // A tick later than one period past the previous one means this loop was held up (a slow commit or fsync on
        // the handler's thread, a GC pause, a starved thread): frames that arrived meanwhile wait unread in the
        // socket, so that time is not the server's silence and is forgiven to the watchdog.
        long periodNanos = config.timerInterval().toNanos();
        long heldUpNanos = lastTickMono == 0 ? 0 : mono - lastTickMono - periodNanos;
        lastTickMono = mono;
        if (heldUpNanos > periodNanos) {
            stats.loopHoldUps.increment();
        } else {
            heldUpNanos = 0;
        }
        for (ConnectionSlot slot : slots) {
            slot.tick(mono, heldUpNanos);
        }
        try {
            handler.onTimer(config.clock().nowNanos());
        } catch (RuntimeException e) {
            handlerFailed("onTimer", e);
        }
    }

    void deliver(WebSocketFeedConnection c, byte[] bytes, int offset, int length, long recvTsNanos) {
        try {
            handler.onMessage(c, bytes, offset, length, recvTsNanos);
        } catch (RuntimeException e) {
            handlerFailed("onMessage on " + c.name(), e);
        }
    }

    void notifyOpen(WebSocketFeedConnection c) {
        try {
            handler.onOpen(c, config.clock().nowNanos());
        } catch (RuntimeException e) {
            handlerFailed("onOpen on " + c.name(), e);
        }
    }

    void notifyClose(WebSocketFeedConnection c, String reason) {
        log.info("{}: closed ({})", c.name(), reason);
        try {
            handler.onClose(c, config.clock().nowNanos(), reason);
        } catch (RuntimeException e) {
            handlerFailed("onClose on " + c.name(), e);
        }
    }

    private void handlerFailed(String where, RuntimeException e) {
        stats.handlerErrors.increment();
        log.error("{}: the handler threw in {}", config.name(), where, e);
    }

    /**
     * Closes every connection with a normal close frame (the handler gets onClose for each open one), stops the
     * timer, and shuts down the event loop group if this client owns it. Waits up to {@link
     * TransportConfig#closeTimeout()} for the close handshakes and again for the threads. Idempotent. Must not be
     * called on the handler's own thread when this client owns its group (it would wait for itself): from there it
     * starts the shutdown and returns.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        long timeoutMillis = config.closeTimeout().toMillis();
        io.netty.util.concurrent.Future<?> closing = loop.submit(() -> {
            timer.cancel(false);
            for (ConnectionSlot slot : slots) {
                slot.close();
            }
        });
        if (loop.inEventLoop()) {
            if (ownsGroup) {
                channels.newCloseFuture()
                        .addListener(f -> group.shutdownGracefully(0, timeoutMillis, TimeUnit.MILLISECONDS));
            }
            return;
        }
        closing.awaitUninterruptibly(timeoutMillis);
        if (!channels.newCloseFuture().awaitUninterruptibly(timeoutMillis)) {
            log.warn("{}: connections still open after {} ms, closing them", config.name(), timeoutMillis);
            channels.close().awaitUninterruptibly(timeoutMillis);
        }
        if (ownsGroup) {
            group.shutdownGracefully(0, timeoutMillis, TimeUnit.MILLISECONDS).awaitUninterruptibly(2 * timeoutMillis);
        }
    }

    /** True once {@link #close()} finished and (if owned) the event loop group terminated. */
    public boolean isTerminated() {
        return closed.get() && (!ownsGroup || group.isTerminated());
    }
}
