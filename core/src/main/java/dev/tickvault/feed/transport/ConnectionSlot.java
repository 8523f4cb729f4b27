package dev.tickvault.feed.transport;

import io.netty.util.concurrent.ScheduledFuture;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One logical connection of a {@link WebSocketFeedClient}: a URI kept connected. It owns the physical {@link
 * WebSocketFeedConnection}s that come and go: the current one, and during a rotation its replacement.
 *
 * <p>Rules: a lost current connection is replaced after a backoff delay ({@link ReconnectBackoff}; the attempt count
 * resets when a connection delivers its first data frame). A rotation opens a replacement while the current one
 * keeps delivering; the replacement takes over when it delivers its first data frame, or when the current one closes,
 * or (if it is open by then) when {@link TransportConfig#rotationOverlapTimeout()} passes. A replacement that fails
 * is dropped and the rotation retried after a backoff delay.
 *
 * <p>Not thread-safe: every method runs on the client's event loop.
 */
final class ConnectionSlot {

    private static final Logger log = LoggerFactory.getLogger(ConnectionSlot.class);

    private final WebSocketFeedClient client;
    private final URI uri;
    private WebSocketFeedConnection current;
    private WebSocketFeedConnection replacement;
    private final List<WebSocketFeedConnection> retiring = new ArrayList<>();
    private int failedAttempts;
    private boolean lostSinceOpen;
    private boolean closed;
    private ScheduledFuture<?> pendingReconnect;
    private ScheduledFuture<?> rotationTimeout;

    ConnectionSlot(WebSocketFeedClient client, URI uri) {
        this.client = client;
        this.uri = uri;
    }

    URI uri() {
        return uri;
    }

    /** Connections that may be delivering: current, replacement, and old ones still closing. */
    List<WebSocketFeedConnection> connections() {
        List<WebSocketFeedConnection> all = new ArrayList<>(retiring);
        if (current != null) {
            all.add(current);
        }
        if (replacement != null) {
            all.add(replacement);
        }
        return all;
    }

    WebSocketFeedConnection current() {
        return current;
    }

    void start() {
        current = client.connect(this);
    }

    /**
     * The transport's periodic check: pings, watchdog, connection age. {@code heldUpNanos}: how long the loop was held
     * up before this tick (not counted as the server's silence).
     */
    void tick(long nowMono, long heldUpNanos) {
        TransportConfig config = client.config();
        long staleNanos = config.staleAfter().toNanos();
        long maxAgeNanos = config.maxConnectionAge().toNanos();
        for (WebSocketFeedConnection c : connections()) {
            if (!c.isOpen()) {
                continue;
            }
            if (heldUpNanos > 0) {
                c.forgiveSilence(heldUpNanos, nowMono);
            }
            c.pingIfDue(nowMono, config.pingInterval().toNanos());
            if (staleNanos > 0 && nowMono - c.lastFrameMonoNanos() > staleNanos) {
                client.stats().watchdogTrips.increment();
                log.warn(
                        "{}: no frame (data or pong) for {} ms, reconnecting",
                        c.name(),
                        (nowMono - c.lastFrameMonoNanos()) / 1_000_000);
                c.abort("stale: no frame (data or pong) for "
                        + config.staleAfter().toMillis() + " ms");
                continue;
            }
            if (maxAgeNanos > 0
                    && c == current
                    && replacement == null
                    && nowMono - c.openedMonoNanos() >= maxAgeNanos) {
                rotate(c, "connection age " + config.maxConnectionAge());
            }
        }
    }

    void onOpened(WebSocketFeedConnection c) {
        client.stats().opened.increment();
        if (c == current && lostSinceOpen) {
            lostSinceOpen = false;
            client.stats().reconnects.increment();
            client.handler().stats().reconnects.increment();
        }
        log.info("{}: open {}", c.name(), uri);
        client.notifyOpen(c);
    }

    void onFirstData(WebSocketFeedConnection c) {
        failedAttempts = 0;
        if (c == replacement) {
            promoteReplacement("replacement delivered data");
        }
    }

    /** A connection (any of ours) is closed; {@code wasOpen} if the handler saw it open. */
    void onClosed(WebSocketFeedConnection c, boolean wasOpen, String reason) {
        retiring.remove(c);
        if (wasOpen) {
            client.stats().closed.increment();
            client.notifyClose(c, reason);
        }
        if (closed) {
            return;
        }
        if (c == replacement) {
            replacement = null;
            cancelRotationTimeout();
            if (current != null && current.state() != WebSocketFeedConnection.State.CLOSED) {
                long delay = client.config().backoff().delayNanos(failedAttempts++);
                log.warn(
                        "{}: replacement failed ({}), retrying the rotation in {} ms",
                        c.name(),
                        reason,
                        delay / 1_000_000);
                WebSocketFeedConnection old = current;
                client.loop().schedule(() -> rotate(old, "retry"), delay, TimeUnit.NANOSECONDS);
            }
            return;
        }
        if (c == current) {
            if (replacement != null) {
                promoteReplacement("current closed: " + reason);
                return;
            }
            current = null;
            lostSinceOpen = true;
            scheduleReconnect(reason);
        }
    }

    private void scheduleReconnect(String reason) {
        if (closed || pendingReconnect != null) {
            return;
        }
        long delay = client.config().backoff().delayNanos(failedAttempts++);
        log.info("{}: reconnecting in {} ms ({})", uri, delay / 1_000_000, reason);
        pendingReconnect = client.loop()
                .schedule(
                        () -> {
                            pendingReconnect = null;
                            if (!closed && current == null) {
                                current = client.connect(this);
                            }
                        },
                        delay,
                        TimeUnit.NANOSECONDS);
    }

    /** The handler asked to drop {@code c} and reconnect. */
    void reconnect(WebSocketFeedConnection c, String reason) {
        if (closed || (c != current && c != replacement)) {
            return;
        }
        client.stats().reconnectRequests.increment();
        log.info("{}: reconnect requested: {}", c.name(), reason);
        c.close("reconnect: " + reason);
    }

    /** Starts a rotation of {@code c} if it is the current connection and none is in progress. */
    void rotate(WebSocketFeedConnection c, String reason) {
        if (closed || c != current || replacement != null || c.state() == WebSocketFeedConnection.State.CLOSED) {
            return;
        }
        log.info("{}: rotating ({})", c.name(), reason);
        replacement = client.connect(this);
        WebSocketFeedConnection pending = replacement;
        rotationTimeout = client.loop()
                .schedule(
                        () -> {
                            rotationTimeout = null;
                            if (replacement != pending) {
                                return;
                            }
                            if (pending.isOpen()) {
                                promoteReplacement("no data on the replacement within the overlap timeout");
                            } else {
                                pending.abort("replacement not open within the overlap timeout");
                            }
                        },
                        client.config().rotationOverlapTimeout().toNanos(),
                        TimeUnit.NANOSECONDS);
    }

    private void promoteReplacement(String why) {
        cancelRotationTimeout();
        WebSocketFeedConnection old = current;
        current = replacement;
        replacement = null;
        client.stats().rotations.increment();
        if (old != null && old.state() != WebSocketFeedConnection.State.CLOSED) {
            log.info("{}: replaced by {} ({}), closing", old.name(), current.name(), why);
            retiring.add(old);
            old.close("rotated");
        }
    }

    private void cancelRotationTimeout() {
        if (rotationTimeout != null) {
            rotationTimeout.cancel(false);
            rotationTimeout = null;
        }
    }

    /** Closes everything for good. */
    void close() {
        closed = true;
        if (pendingReconnect != null) {
            pendingReconnect.cancel(false);
            pendingReconnect = null;
        }
        cancelRotationTimeout();
        for (WebSocketFeedConnection c : connections()) {
            c.close("client closed");
        }
    }
}
