package dev.tickvault.feed.capture;

import dev.tickvault.feed.FeedConnection;
import dev.tickvault.feed.FeedHandler;
import dev.tickvault.feed.FeedStats;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.IdentityHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes every frame a handler sees to a raw capture file, then passes it on — the recorder's optional {@code
 * --capture}. Connection openings and REST responses are captured too, so a replay drives the handler exactly as the
 * live session did. Runs on the handler's thread; flushes the capture on each timer tick. If the capture file fails
 * (disk full), capturing stops with one error logged and the feed goes on: the store, not the raw capture, is the
 * record of truth.
 */
public final class CapturingFeedHandler implements FeedHandler, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CapturingFeedHandler.class);

    private final FeedHandler delegate;
    private final TickvaultCaptureWriter capture;
    private final Map<FeedConnection, CapturingConnection> connections = new IdentityHashMap<>();
    private boolean failed;

    public CapturingFeedHandler(FeedHandler delegate, TickvaultCaptureWriter capture) {
        this.delegate = delegate;
        this.capture = capture;
    }

    @Override
    public void onOpen(FeedConnection connection, long nowNanos) {
        byte[] name = connection.name().getBytes(StandardCharsets.UTF_8);
        write(CapturedFrame.Kind.CONNECTED, nowNanos, "", name, 0, name.length);
        CapturingConnection wrapped = new CapturingConnection(connection);
        connections.put(connection, wrapped);
        delegate.onOpen(wrapped, nowNanos);
    }

    @Override
    public void onMessage(FeedConnection connection, byte[] utf8, int offset, int length, long recvTsNanos) {
        write(CapturedFrame.Kind.RECEIVED, recvTsNanos, "", utf8, offset, length);
        delegate.onMessage(wrapped(connection), utf8, offset, length, recvTsNanos);
    }

    @Override
    public void onRestResponse(String url, byte[] body, long recvTsNanos) {
        write(CapturedFrame.Kind.REST, recvTsNanos, url, body, 0, body.length);
        delegate.onRestResponse(url, body, recvTsNanos);
    }

    @Override
    public void onClose(FeedConnection connection, long nowNanos, String reason) {
        FeedConnection wrapped = wrapped(connection);
        connections.remove(connection);
        delegate.onClose(wrapped, nowNanos, reason);
    }

    @Override
    public void onTimer(long nowNanos) {
        delegate.onTimer(nowNanos);
        if (!failed) {
            try {
                capture.flush();
            } catch (IOException e) {
                fail(e);
            }
        }
    }

    @Override
    public FeedStats stats() {
        return delegate.stats();
    }

    private void write(CapturedFrame.Kind kind, long nanos, String url, byte[] bytes, int offset, int length) {
        if (failed) {
            return;
        }
        try {
            capture.write(kind, nanos, url, bytes, offset, length);
        } catch (IOException e) {
            fail(e);
        }
    }

    private void fail(IOException e) {
        failed = true;
        LOG.error("raw capture {} failed, capturing stops (recording goes on): {}", capture.file(), e.toString());
    }

    /** The handler sees the same wrapper object for a connection in every call, so it may key state by it. */
    private FeedConnection wrapped(FeedConnection connection) {
        FeedConnection wrapped = connections.get(connection);
        return wrapped != null ? wrapped : connection;
    }

    /** True once the capture file failed and capturing stopped. */
    public boolean failed() {
        return failed;
    }

    @Override
    public void close() {
        try {
            capture.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Records what the handler sends (its subscriptions) as {@link CapturedFrame.Kind#SENT}. */
    private final class CapturingConnection implements FeedConnection {
        private final FeedConnection connection;

        CapturingConnection(FeedConnection connection) {
            this.connection = connection;
        }

        @Override
        public void send(String text) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            write(CapturedFrame.Kind.SENT, System.currentTimeMillis() * 1_000_000L, "", bytes, 0, bytes.length);
            connection.send(text);
        }

        @Override
        public void reconnect(String reason) {
            connection.reconnect(reason);
        }

        @Override
        public void rotate() {
            connection.rotate();
        }

        @Override
        public String name() {
            return connection.name();
        }
    }
}
