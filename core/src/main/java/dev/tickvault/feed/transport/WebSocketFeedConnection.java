package dev.tickvault.feed.transport;

import dev.tickvault.feed.FeedConnection;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.compression.DecompressionException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One physical WebSocket connection of a {@link WebSocketFeedClient}: what the handler sees as a {@link
 * FeedConnection}. A reconnect or a rotation makes a new instance (with a new {@link #name()}); a closed instance
 * stays closed and drops what is sent to it (counted).
 *
 * <p>Threading: everything but {@link #send}, {@link #reconnect}, {@link #rotate} and {@link #name} runs on the
 * client's event loop; those four may be called from any thread and hop to the loop.
 */
final class WebSocketFeedConnection implements FeedConnection {

    private static final Logger log = LoggerFactory.getLogger(WebSocketFeedConnection.class);
    private static final int INITIAL_BUFFER_BYTES = 64 << 10;

    enum State {
        CONNECTING,
        OPEN,
        CLOSED
    }

    private final WebSocketFeedClient client;
    private final ConnectionSlot slot;
    private final String name;
    private final EventLoop loop;
    private Channel channel;
    private State state = State.CONNECTING;
    private String closeReason;
    private long openedMonoNanos;
    private long lastFrameMonoNanos;
    private long lastPingMonoNanos;
    private boolean dataSeen;
    private byte[] frameBuffer = new byte[0];

    WebSocketFeedConnection(WebSocketFeedClient client, ConnectionSlot slot, String name, EventLoop loop) {
        this.client = client;
        this.slot = slot;
        this.name = name;
        this.loop = loop;
    }

    @Override
    public String name() {
        return name;
    }

    URI uri() {
        return slot.uri();
    }

    State state() {
        return state;
    }

    boolean isOpen() {
        return state == State.OPEN;
    }

    long openedMonoNanos() {
        return openedMonoNanos;
    }

    /** When the last data frame or pong arrived, {@link System#nanoTime()}. */
    long lastFrameMonoNanos() {
        return lastFrameMonoNanos;
    }

    boolean dataSeen() {
        return dataSeen;
    }

    void attach(Channel ch) {
        this.channel = ch;
    }

    Channel channel() {
        return channel;
    }

    @Override
    public void send(String text) {
        if (loop.inEventLoop()) {
            sendOnLoop(text);
        } else {
            loop.execute(() -> sendOnLoop(text));
        }
    }

    private void sendOnLoop(String text) {
        if (state != State.OPEN || !channel.isActive()) {
            client.stats().sendsDropped.increment();
            log.debug("{}: not open, dropped a frame: {}", name, text);
            return;
        }
        client.stats().framesSent.increment();
        channel.writeAndFlush(new TextWebSocketFrame(text));
    }

    @Override
    public void reconnect(String reason) {
        loop.execute(() -> slot.reconnect(this, reason));
    }

    @Override
    public void rotate() {
        loop.execute(() -> slot.rotate(this, "requested by handler"));
    }

    /**
     * Moves the last frame time {@code nanos} later (at most to {@code nowMono}): the loop was held up that long, so
     * frames may be waiting unread. On the loop.
     */
    void forgiveSilence(long nanos, long nowMono) {
        lastFrameMonoNanos = Math.min(nowMono, lastFrameMonoNanos + nanos);
    }

    /**
     * Sends a client ping if the connection has been silent for {@code intervalNanos} and none was sent in that time
     * (a busy connection sends none: each ping counts against venues' incoming-message limits); on the loop.
     */
    void pingIfDue(long nowMono, long intervalNanos) {
        if (state == State.OPEN
                && intervalNanos > 0
                && nowMono - lastFrameMonoNanos >= intervalNanos
                && nowMono - lastPingMonoNanos >= intervalNanos) {
            lastPingMonoNanos = nowMono;
            client.stats().pingsSent.increment();
            channel.writeAndFlush(new PingWebSocketFrame());
        }
    }

    /**
     * Closes with a normal close frame (code 1000) and then the socket, or at once if the handshake isn't done. The
     * handler's onClose comes when the channel is inactive. On the loop.
     */
    void close(String reason) {
        if (closeReason == null) {
            closeReason = reason;
        }
        if (channel == null) {
            markClosed();
            return;
        }
        if (state == State.OPEN && channel.isActive()) {
            channel.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE, truncate(reason)));
            Channel ch = channel;
            loop.schedule(() -> ch.close(), client.config().closeTimeout().toMillis() / 2, TimeUnit.MILLISECONDS);
        } else {
            channel.close();
        }
    }

    /** Drops the socket without a close frame (watchdog, protocol failure). On the loop. */
    void abort(String reason) {
        if (closeReason == null) {
            closeReason = reason;
        }
        if (channel != null) {
            channel.close();
        } else {
            markClosed();
        }
    }

    private static String truncate(String reason) {
        return reason.length() > 100 ? reason.substring(0, 100) : reason; // a close reason fits in 123 bytes
    }

    /** The connect attempt failed before a channel was usable. */
    void connectFailed(Throwable cause) {
        if (closeReason == null) {
            closeReason = "connect failed: " + cause;
        }
        client.stats().lastFailure = closeReason;
        markClosed();
    }

    private void markClosed() {
        if (state == State.CLOSED) {
            return;
        }
        boolean wasOpen = state == State.OPEN;
        state = State.CLOSED;
        if (!wasOpen) {
            client.stats().connectFailures.increment();
        }
        slot.onClosed(this, wasOpen, closeReason == null ? "closed by peer" : closeReason);
    }

    private void onHandshakeComplete() {
        if (state != State.CONNECTING) {
            return;
        }
        state = State.OPEN;
        long mono = System.nanoTime();
        openedMonoNanos = mono;
        lastFrameMonoNanos = mono;
        lastPingMonoNanos = mono;
        slot.onOpened(this);
    }

    private void onText(ByteBuf content) {
        long recvTsNanos = client.config().clock().nowNanos();
        lastFrameMonoNanos = System.nanoTime();
        int length = content.readableBytes();
        TransportStats stats = client.stats();
        stats.textFrames.increment();
        stats.bytesReceived.add(length);
        byte[] bytes;
        int offset;
        if (content.hasArray()) {
            bytes = content.array();
            offset = content.arrayOffset() + content.readerIndex();
        } else {
            if (frameBuffer.length < length) {
                int max = client.config().maxFrameBytes();
                int grown = Math.max(length, Math.max(INITIAL_BUFFER_BYTES, Math.min(max, frameBuffer.length * 2)));
                frameBuffer = new byte[grown];
            }
            content.getBytes(content.readerIndex(), frameBuffer, 0, length);
            bytes = frameBuffer;
            offset = 0;
        }
        client.deliver(this, bytes, offset, length, recvTsNanos);
        if (!dataSeen) {
            dataSeen = true;
            slot.onFirstData(this);
        }
    }

    private boolean tlsFailureCounted;

    /**
     * The TLS handshake failed (counted once per connection): the reason names the server and says what to check,
     * the connection closes and is retried after a backoff like any failed connect.
     */
    private void tlsFailed(SSLException cause) {
        if (tlsFailureCounted) {
            return;
        }
        tlsFailureCounted = true;
        String reason = "TLS handshake with " + slot.uri().getHost() + ":" + port() + " failed: " + cause.getMessage()
                + " (is the server's certificate issued for that host by a CA in the trust store? "
                + (client.config().trustedCertificates() == null
                        ? "the JDK's default trust store is used; set trustedCertificates / ca_file for a private CA)"
                        : "trusted: " + client.config().trustedCertificates() + ")");
        if (closeReason == null) {
            closeReason = reason;
        }
        // The reason first, then the count: whoever sees the count sees this reason (or a later one).
        client.stats().lastFailure = reason;
        client.stats().tlsFailures.increment();
        log.warn("{}: {}", name, reason);
    }

    private int port() {
        URI uri = slot.uri();
        return uri.getPort() > 0 ? uri.getPort() : 443;
    }

    /** The {@link SSLException} in {@code cause}'s chain, or null. */
    private static SSLException tlsCause(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof SSLException ssl) {
                return ssl;
            }
        }
        return null;
    }

    /** The last handler of the pipeline: handshake events, frames, failures, end of the channel. */
    final class FrameHandler extends ChannelInboundHandlerAdapter {

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
            if (event == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                onHandshakeComplete();
            } else if (event instanceof SslHandshakeCompletionEvent tls && !tls.isSuccess()) {
                SSLException cause = tlsCause(tls.cause());
                tlsFailed(cause != null ? cause : new SSLException(tls.cause()));
            } else if (event == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
                if (closeReason == null) {
                    closeReason = "handshake timed out";
                }
            }
            super.userEventTriggered(ctx, event);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (state != State.OPEN) {
                    return; // frames after close was decided
                }
                if (msg instanceof TextWebSocketFrame text) {
                    onText(text.content());
                } else if (msg instanceof PongWebSocketFrame) {
                    client.stats().pongsReceived.increment();
                    lastFrameMonoNanos = System.nanoTime();
                } else if (msg instanceof BinaryWebSocketFrame) {
                    client.stats().binaryFramesSkipped.increment();
                    lastFrameMonoNanos = System.nanoTime();
                } else if (msg instanceof CloseWebSocketFrame close) {
                    if (closeReason == null) {
                        closeReason = "close frame from server: " + close.statusCode() + " " + close.reasonText();
                    }
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            SSLException tls = tlsCause(cause);
            if (tls != null) {
                tlsFailed(tls);
                ctx.close();
                return;
            }
            boolean tooLong = cause instanceof TooLongFrameException
                    || (cause instanceof DecompressionException
                            && String.valueOf(cause.getMessage()).contains("maximum size"))
                    || cause.getCause() instanceof TooLongFrameException
                    || (cause instanceof CorruptedWebSocketFrameException corrupted
                            && corrupted.closeStatus() != null
                            && corrupted.closeStatus().code() == WebSocketCloseStatus.MESSAGE_TOO_BIG.code());
            if (tooLong) {
                client.stats().oversizedFrames.increment();
            } else {
                client.stats().protocolErrors.increment();
            }
            if (closeReason == null) {
                closeReason =
                        (tooLong ? "message larger than " + client.config().maxFrameBytes() + " bytes: " : "") + cause;
            }
            client.stats().lastFailure = closeReason;
            log.warn("{}: {}: {}", name, slot.uri(), closeReason);
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            markClosed();
            super.channelInactive(ctx);
        }
    }
}
