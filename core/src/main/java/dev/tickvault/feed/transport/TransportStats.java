package dev.tickvault.feed.transport;

import java.util.concurrent.atomic.LongAdder;

/**
 * Transport-level counters of one {@link WebSocketFeedClient}. Written on the client's event loop, readable from any
 * thread. (Reconnects are also counted in the handler's {@link dev.tickvault.feed.FeedStats#reconnects}.)
 */
public final class TransportStats {

    /** TCP connection attempts. */
    public final LongAdder connectAttempts = new LongAdder();
    /** Attempts that failed before the WebSocket was open (refused, timed out, TLS or upgrade rejected). */
    public final LongAdder connectFailures = new LongAdder();
    /** Connections that reached the open state (onOpen called). */
    public final LongAdder opened = new LongAdder();
    /** Open connections that closed, for any reason. */
    public final LongAdder closed = new LongAdder();
    /** Connections reopened after one was lost or dropped (not counting rotations). */
    public final LongAdder reconnects = new LongAdder();
    /** Reconnects asked for by the handler ({@code FeedConnection.reconnect}). */
    public final LongAdder reconnectRequests = new LongAdder();
    /** Rotations completed (replacement took over, old connection closed). */
    public final LongAdder rotations = new LongAdder();
    /**
     * Timer ticks that came more than a period late (the loop was held up: a slow commit on the handler's thread, a
     * pause); the watchdog does not count such time as a server's silence.
     */
    public final LongAdder loopHoldUps = new LongAdder();
    /** Connections dropped because no frame (data or pong) arrived for {@link TransportConfig#staleAfter()}. */
    public final LongAdder watchdogTrips = new LongAdder();
    /** Connections failed by a message larger than {@link TransportConfig#maxFrameBytes()}. */
    public final LongAdder oversizedFrames = new LongAdder();
    /** Connections failed by any other error after connecting (invalid frame, invalid UTF-8, TLS, upgrade refused). */
    public final LongAdder protocolErrors = new LongAdder();
    /**
     * Connection attempts that failed in the TLS handshake (the server's certificate not trusted or not for its host
     * name, no common protocol) or could not build a TLS context (an unreadable {@link
     * TransportConfig#trustedCertificates()} file). Each is also a connect failure and is retried after a backoff.
     */
    public final LongAdder tlsFailures = new LongAdder();
    /** What the last failed connection attempt or failed connection died of (null: none yet). */
    public volatile String lastFailure;
    /** Text frames delivered to the handler. */
    public final LongAdder textFrames = new LongAdder();
    /** Binary frames received and skipped (the venues speak text). */
    public final LongAdder binaryFramesSkipped = new LongAdder();
    /** Payload bytes of delivered text frames (after decompression). */
    public final LongAdder bytesReceived = new LongAdder();
    /** Text frames sent. */
    public final LongAdder framesSent = new LongAdder();
    /** {@code send} calls on a connection that was not open: dropped (the handler resubscribes in onOpen). */
    public final LongAdder sendsDropped = new LongAdder();
    /** Client pings sent. */
    public final LongAdder pingsSent = new LongAdder();
    /** Pongs received (answers to client pings, or unsolicited). */
    public final LongAdder pongsReceived = new LongAdder();
    /** Exceptions thrown by the handler (logged; the connection carries on). */
    public final LongAdder handlerErrors = new LongAdder();

    @Override
    public String toString() {
        return "opened=" + opened.sum() + " closed=" + closed.sum() + " reconnects=" + reconnects.sum()
                + " rotations=" + rotations.sum() + " watchdogTrips=" + watchdogTrips.sum() + " oversizedFrames="
                + oversizedFrames.sum() + " protocolErrors=" + protocolErrors.sum() + " tlsFailures="
                + tlsFailures.sum() + " connectFailures="
                + connectFailures.sum() + " textFrames="
                + textFrames.sum() + " bytesReceived=" + bytesReceived.sum() + " framesSent=" + framesSent.sum()
                + " sendsDropped=" + sendsDropped.sum() + " pingsSent=" + pingsSent.sum() + " pongsReceived="
                + pongsReceived.sum() + " handlerErrors=" + handlerErrors.sum();
    }
}
