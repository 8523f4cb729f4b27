package dev.tickvault.feed.capture;

import java.nio.charset.StandardCharsets;

/**
 * One entry of a recording of a feed: a frame received or sent on a connection, a connection opening, or a REST
 * response.
 *
 * @param recvTsNanos local time of the entry, ns since the epoch
 * @param kind what the entry is
 * @param url the connection's or request's URL where the recording names it, else {@code ""}
 * @param payload the raw message (UTF-8 JSON as the venue sent it); empty for {@link Kind#CONNECTED}
 */
public record CapturedFrame(long recvTsNanos, Kind kind, String url, byte[] payload) {

    public enum Kind {
        /** A WebSocket connection was opened (a recording's connection boundary). */
        CONNECTED,
        /** A message the client sent (a subscription request). */
        SENT,
        /** A message received on the WebSocket. */
        RECEIVED,
        /** The body of a REST response (a depth snapshot, a product list). */
        REST,
        /** Something the recording tool wrote about itself (cryptofeed's {@code configuration:} line). */
        METADATA
    }

    public CapturedFrame {
        java.util.Objects.requireNonNull(kind, "kind");
        java.util.Objects.requireNonNull(url, "url");
        java.util.Objects.requireNonNull(payload, "payload");
    }

    public String payloadText() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        String text = payloadText();
        return kind + "@" + recvTsNanos + " " + (text.length() > 120 ? text.substring(0, 120) + "…" : text);
    }
}
