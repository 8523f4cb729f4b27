package dev.tickvault.feed;

/**
 * One venue's protocol: subscription requests out, frames in, normalised rows to a {@link FeedSink}.
 *
 * <p>The transport calls a handler from one thread at a time (all connections of one handler share one event loop),
 * so a handler needs no locks. Times come from the caller ({@code recvTsNanos} / {@code nowNanos}), never from a clock
 * the handler reads itself, so replaying a recording drives exactly the same code as live recording.
 *
 * <p>A connection's life: {@link #onOpen} (send subscriptions), any number of {@link #onMessage}, then {@link
 * #onClose}. A handler may see two connections open at once (Binance's 24-hour rotation: the replacement opens before
 * the old one closes) and must stitch them without losing or duplicating rows.
 */
public interface FeedHandler {

    /** A connection is open: send its subscriptions. */
    void onOpen(FeedConnection connection, long nowNanos);

    /**
     * One text frame as received (UTF-8 bytes, valid only during the call). A malformed or unexpected frame is
     * counted, logged with a sample, and skipped; it never throws.
     */
    void onMessage(FeedConnection connection, byte[] utf8, int offset, int length, long recvTsNanos);

    /**
     * The body of a REST response the handler asked for (a depth snapshot), or one found in a recording.
     *
     * @param url the request URL
     */
    default void onRestResponse(String url, byte[] body, long recvTsNanos) {}

    /** The connection closed or failed; what it was subscribed to is out of sync until it is open and synced again. */
    void onClose(FeedConnection connection, long nowNanos, String reason);

    /** Called about once a second (and at the end of a replay): timers, book checkpoints, stale-data checks. */
    default void onTimer(long nowNanos) {}

    /** Counters for metrics and the recorder's status line. */
    FeedStats stats();
}
