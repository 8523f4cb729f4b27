package dev.tickvault.feed;

/**
 * The outbound side of one feed connection, as its {@link FeedHandler} sees it. Implemented by the WebSocket
 * transport (live or against the simulator) and by replay (where sending does nothing).
 */
public interface FeedConnection {

    /** Sends one text frame (a subscription request, a ping the venue wants as a message). */
    void send(String text);

    /**
     * Asks the transport to drop this connection and open a new one (resubscribing through {@link
     * FeedHandler#onOpen}); {@code reason} is logged and counted. Replay ignores it.
     */
    void reconnect(String reason);

    /**
     * Asks the transport to replace this connection without a gap: a new connection opens (and is subscribed through
     * {@link FeedHandler#onOpen}) while this one keeps delivering, and this one closes once the new one has delivered
     * data. For a venue's announced shutdown or 24-hour limit. The handler sees both connections for a while and
     * de-duplicates. The default (for connections that can't overlap) is {@link #reconnect}.
     */
    default void rotate() {
        reconnect("rotation requested");
    }

    /** A short name for logs and metrics, e.g. {@code binance#2}. */
    String name();
}
