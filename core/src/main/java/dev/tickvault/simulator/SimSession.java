package dev.tickvault.simulator;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client WebSocket connection of the simulator: what it sends, with the faults that apply to it (stall, corrupt
 * or truncated next frame) and its counters.
 *
 * <p>Confined to the simulator's event loop, except the counters (readable from any thread).
 */
abstract class SimSession {

    private static final Logger log = LoggerFactory.getLogger(SimSession.class);
    private static final byte[] GARBAGE = "~#@!~#@!".getBytes(StandardCharsets.US_ASCII);

    final ExchangeSimulator simulator;
    final int id;
    final String venue;
    final String path;
    final Channel channel;
    final long openedMonoNanos = System.nanoTime();
    final LongAdder framesSent = new LongAdder();
    final LongAdder bytesSent = new LongAdder();
    final LongAdder framesDropped = new LongAdder();
    long lastSentMonoNanos = openedMonoNanos;
    private long stalledUntilMonoNanos;
    private boolean corruptNext;
    private boolean truncateNext;
    private boolean needsFlush;
    private boolean shutdownAnnounced;
    private boolean closed;

    SimSession(ExchangeSimulator simulator, int id, String venue, String path, Channel channel) {
        this.simulator = simulator;
        this.id = id;
        this.venue = venue;
        this.path = path;
        this.channel = channel;
    }

    /** A text message from the client. */
    abstract void onClientText(String text);

    /** Called once the socket is closed. */
    void onClosed() {
        closed = true;
    }

    boolean isClosedMarked() {
        return closed;
    }

    boolean isClosed() {
        return closed || !channel.isActive();
    }

    /**
     * For the sessions that listen to a market ({@link MarketReplay.Listener}, {@link PolygonMarket.Listener}): a
     * closed session is dropped from the market's listeners.
     */
    public boolean listenerClosed() {
        return isClosed();
    }

    /** The simulator's periodic check (every 100 ms): heartbeats and the like. */
    void housekeeping(long nowMono) {}

    /** Names of what the client subscribed to (for {@link ConnectionInfo}). */
    abstract java.util.List<String> subscriptions();

    ConnectionInfo info() {
        return new ConnectionInfo(
                id, venue, path, framesSent.sum(), bytesSent.sum(), framesDropped.sum(), subscriptions());
    }

    /** Sends a data frame, applying this connection's faults; takes ownership of {@code payload}. */
    boolean sendData(ByteBuf payload) {
        if (isClosed()) {
            payload.release();
            return false;
        }
        if (stalled()) {
            payload.release();
            framesDropped.increment();
            simulator.stats().framesDroppedStalled.increment();
            return false;
        }
        if (!channel.isWritable()
                && channel.bytesBeforeWritable() > simulator.config().maxPendingBytesPerConnection()) {
            payload.release();
            simulator.stats().slowClientDisconnects.increment();
            log.warn(
                    "connection {} ({}) fell behind by {} bytes, disconnecting",
                    id,
                    venue,
                    channel.bytesBeforeWritable());
            channel.close();
            return false;
        }
        ByteBuf out = payload;
        if (corruptNext || truncateNext) {
            byte[] bytes = ByteBufUtil.getBytes(payload);
            payload.release();
            if (corruptNext) {
                corruptNext = false;
                int at = Math.max(0, bytes.length / 3);
                for (int i = 0; i < GARBAGE.length && at + i < bytes.length; i++) {
                    bytes[at + i] = GARBAGE[i];
                }
            }
            if (truncateNext) {
                truncateNext = false;
                bytes = java.util.Arrays.copyOf(bytes, bytes.length / 2);
            }
            out = Unpooled.wrappedBuffer(bytes);
        }
        write(out);
        return true;
    }

    /** Sends a reply or event (not subject to corrupt/truncate, but to a stall); flushed at once. */
    void sendControl(String json) {
        if (isClosed()) {
            return;
        }
        if (stalled()) {
            framesDropped.increment();
            simulator.stats().framesDroppedStalled.increment();
            return;
        }
        write(Unpooled.copiedBuffer(json, StandardCharsets.UTF_8));
        flush();
    }

    private void write(ByteBuf out) {
        int bytes = out.readableBytes();
        framesSent.increment();
        bytesSent.add(bytes);
        simulator.stats().framesSent.increment();
        simulator.stats().bytesSent.add(bytes);
        lastSentMonoNanos = System.nanoTime();
        channel.write(new TextWebSocketFrame(out), channel.voidPromise());
        needsFlush = true;
    }

    void flush() {
        if (needsFlush) {
            needsFlush = false;
            channel.flush();
        }
    }

    boolean stalled() {
        return stalledUntilMonoNanos != 0 && System.nanoTime() < stalledUntilMonoNanos;
    }

    void stall(long millis) {
        stalledUntilMonoNanos = System.nanoTime() + millis * 1_000_000L;
    }

    void corruptNextFrame() {
        corruptNext = true;
    }

    void truncateNextFrame() {
        truncateNext = true;
    }

    void ping() {
        if (!isClosed() && !stalled()) {
            channel.writeAndFlush(new PingWebSocketFrame(), channel.voidPromise());
        }
    }

    /** Drops the socket without a close frame. */
    void disconnect() {
        channel.close();
    }

    /** A normal close: close frame {@code status}, then the socket. */
    void close(WebSocketCloseStatus status, String reason) {
        if (!isClosed()) {
            channel.writeAndFlush(new CloseWebSocketFrame(status, reason)).addListener(f -> channel.close());
        }
    }

    /**
     * Announces a server shutdown ({@code {"e":"serverShutdown","E":…}}, as Binance does on its market streams) and
     * closes after {@code graceMillis}. Returns false if one was already announced.
     */
    boolean announceShutdown(long graceMillis) {
        if (shutdownAnnounced || isClosed()) {
            return false;
        }
        shutdownAnnounced = true;
        sendControl("{\"e\":\"serverShutdown\",\"E\":" + System.currentTimeMillis() + "}");
        channel.eventLoop()
                .schedule(
                        () -> close(WebSocketCloseStatus.ENDPOINT_UNAVAILABLE, "server shutdown"),
                        graceMillis,
                        java.util.concurrent.TimeUnit.MILLISECONDS);
        return true;
    }

    boolean shutdownAnnounced() {
        return shutdownAnnounced;
    }
}
