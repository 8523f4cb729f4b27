package dev.tickvault.feed.transport;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of one {@link WebSocketFeedClient}. Start from {@link #defaults(String)} and change what differs with the
 * {@code with*} methods, or several at once with {@link #toBuilder()}. A zero duration disables the feature where stated.
 *
 * @param name prefix of connection names ({@code binance} → {@code binance#1}, {@code binance#2}, …) and of logs
 * @param connectTimeout TCP connect timeout
 * @param handshakeTimeout TLS + WebSocket upgrade timeout
 * @param maxFrameBytes largest message accepted (after reassembly of fragments and after decompression); a larger
 *     one fails the connection (counted in {@link TransportStats#oversizedFrames}) and the transport reconnects
 * @param compression offer permessage-deflate
 * @param pingInterval a client ping frame (RFC 6455 §5.5.2; every venue's server must answer with a pong) is sent
 *     when the connection has received nothing for this long, and at most once per interval (zero: none): a busy
 *     connection, whose data proves it alive, sends no pings at all. Binance counts pings in its limit of incoming
 *     messages per connection (spot 5/s, USD-M 10/s); its SUBSCRIBE pacing stays one below that limit, so one ping a
 *     second fits even while subscribing.
 * @param staleAfter a connection that received no frame at all — data or pong — for this long is
 *     dropped and reopened, counted in {@link TransportStats#watchdogTrips} (zero: no watchdog). With client pings
 *     on, a healthy connection receives a frame (data, or the pong of an idle ping) at least every {@code
 *     pingInterval} plus a round trip however quiet its symbols are, so this is the
 *     pong deadline; it must be longer than {@code pingInterval} plus the round trip. A stall is noticed between
 *     {@code staleAfter} and {@code staleAfter + timerInterval} after the last frame.
 * @param reconnectBaseDelay backoff base ({@link ReconnectBackoff})
 * @param reconnectMaxDelay backoff ceiling
 * @param maxConnectionAge a connection this old is rotated: a replacement opens first, the old one closes once the
 *     replacement delivered data (zero: never). Binance closes connections at 24 h; the default rotates at 23 h 50 m.
 * @param rotationOverlapTimeout how long a rotation waits for the replacement's first data frame before closing the
 *     old connection anyway (if the replacement is open) or giving up on the replacement (if it is not)
 * @param timerInterval period of {@link dev.tickvault.feed.FeedHandler#onTimer} and of the transport's own checks
 *     (watchdog, pings, connection age); these checks have this granularity
 * @param closeTimeout how long {@link WebSocketFeedClient#close()} waits for close handshakes and threads
 * @param headers extra HTTP headers on the upgrade request (e.g. an API key)
 * @param clock source of {@code recvTsNanos} / {@code nowNanos}
 * @param trustedCertificates a PEM (or DER) file of the CA certificates a {@code wss://} server's certificate must
 *     chain to, instead of the JDK's default trust store (e.g. a private CA, a TLS-intercepting proxy's CA, the
 *     simulator's self-signed certificate); null: the JDK's default trust store. The host name is checked either way.
 */
public record TransportConfig(
        String name,
        Duration connectTimeout,
        Duration handshakeTimeout,
        int maxFrameBytes,
        boolean compression,
        Duration pingInterval,
        Duration staleAfter,
        Duration reconnectBaseDelay,
        Duration reconnectMaxDelay,
        Duration maxConnectionAge,
        Duration rotationOverlapTimeout,
        Duration timerInterval,
        Duration closeTimeout,
        Map<String, String> headers,
        NanoClock clock,
        Path trustedCertificates) {

    /** Default largest message: 16 MiB (a Coinbase level2 snapshot of a busy product is several MB). */
    public static final int DEFAULT_MAX_FRAME_BYTES = 16 << 20;
    /** Default client ping interval: 1 s. */
    public static final Duration DEFAULT_PING_INTERVAL = Duration.ofSeconds(1);
    /** Default pong deadline (no frame of any kind for this long: stale): 3 s. */
    public static final Duration DEFAULT_STALE_AFTER = Duration.ofSeconds(3);
    /** Default period of the transport's checks and of {@code onTimer}: 250 ms. */
    public static final Duration DEFAULT_TIMER_INTERVAL = Duration.ofMillis(250);

    public TransportConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
        Objects.requireNonNull(pingInterval, "pingInterval");
        Objects.requireNonNull(staleAfter, "staleAfter");
        Objects.requireNonNull(maxConnectionAge, "maxConnectionAge");
        Objects.requireNonNull(rotationOverlapTimeout, "rotationOverlapTimeout");
        Objects.requireNonNull(timerInterval, "timerInterval");
        Objects.requireNonNull(closeTimeout, "closeTimeout");
        Objects.requireNonNull(clock, "clock");
        headers = Map.copyOf(headers);
        if (maxFrameBytes < 1024) {
            throw new IllegalArgumentException("maxFrameBytes below 1 KiB: " + maxFrameBytes);
        }
        if (timerInterval.toMillis() < 10) {
            throw new IllegalArgumentException("timerInterval below 10 ms: " + timerInterval);
        }
        new ReconnectBackoff(reconnectBaseDelay, reconnectMaxDelay); // validates
    }

    /**
     * Defaults suited to Binance (and fine for the others): see each field. Liveness: a ping every second, stale
     * after 3 s without any frame, checked every 250 ms, so a stalled connection is dropped 3–3.25 s after its last
     * frame and reopened after a backoff of at most 500 ms: recording resumes within 5 s; a quiet but healthy
     * connection (pongs arrive) is never dropped.
     */
    public static TransportConfig defaults(String name) {
        return new TransportConfig(
                name,
                Duration.ofSeconds(10),
                Duration.ofSeconds(10),
                DEFAULT_MAX_FRAME_BYTES,
                true,
                DEFAULT_PING_INTERVAL,
                DEFAULT_STALE_AFTER,
                Duration.ofMillis(500),
                Duration.ofSeconds(30),
                Duration.ofHours(23).plusMinutes(50),
                Duration.ofSeconds(30),
                DEFAULT_TIMER_INTERVAL,
                Duration.ofSeconds(3),
                Map.of(),
                NanoClock.system(),
                null);
    }

    /**
     * True when a quiet but healthy connection can be dropped: a watchdog without client pings (only data and server
     * pings keep it alive), or a deadline not longer than the ping interval.
     */
    public boolean watchdogMayDropQuietConnections() {
        return !staleAfter.isZero() && (pingInterval.isZero() || staleAfter.compareTo(pingInterval) <= 0);
    }

    public ReconnectBackoff backoff() {
        return new ReconnectBackoff(reconnectBaseDelay, reconnectMaxDelay);
    }

    public TransportConfig withMaxFrameBytes(int bytes) {
        return toBuilder().maxFrameBytes(bytes).build();
    }

    public TransportConfig withCompression(boolean on) {
        return toBuilder().compression(on).build();
    }

    public TransportConfig withPingInterval(Duration interval) {
        return toBuilder().pingInterval(interval).build();
    }

    public TransportConfig withStaleAfter(Duration stale) {
        return toBuilder().staleAfter(stale).build();
    }

    public TransportConfig withReconnectDelays(Duration base, Duration max) {
        return toBuilder().reconnectBaseDelay(base).reconnectMaxDelay(max).build();
    }

    public TransportConfig withMaxConnectionAge(Duration age) {
        return toBuilder().maxConnectionAge(age).build();
    }

    public TransportConfig withRotationOverlapTimeout(Duration timeout) {
        return toBuilder().rotationOverlapTimeout(timeout).build();
    }

    public TransportConfig withTimerInterval(Duration interval) {
        return toBuilder().timerInterval(interval).build();
    }

    public TransportConfig withHeaders(Map<String, String> extraHeaders) {
        return toBuilder().headers(extraHeaders).build();
    }

    public TransportConfig withClock(NanoClock nanoClock) {
        return toBuilder().clock(nanoClock).build();
    }

    /** The same settings trusting only the CA certificates in {@code file} (PEM or DER; null: the JDK's defaults). */
    public TransportConfig withTrustedCertificates(Path file) {
        return toBuilder().trustedCertificates(file).build();
    }

    /** A builder holding these settings, to change several at once. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.name = name;
        b.connectTimeout = connectTimeout;
        b.handshakeTimeout = handshakeTimeout;
        b.maxFrameBytes = maxFrameBytes;
        b.compression = compression;
        b.pingInterval = pingInterval;
        b.staleAfter = staleAfter;
        b.reconnectBaseDelay = reconnectBaseDelay;
        b.reconnectMaxDelay = reconnectMaxDelay;
        b.maxConnectionAge = maxConnectionAge;
        b.rotationOverlapTimeout = rotationOverlapTimeout;
        b.timerInterval = timerInterval;
        b.closeTimeout = closeTimeout;
        b.headers = headers;
        b.clock = clock;
        b.trustedCertificates = trustedCertificates;
        return b;
    }

    /**
     * Mutable settings for a {@link TransportConfig}; {@link #build()} validates them (as the record's constructor
     * does). Not thread-safe.
     */
    public static final class Builder {
        private String name;
        private Duration connectTimeout;
        private Duration handshakeTimeout;
        private int maxFrameBytes;
        private boolean compression;
        private Duration pingInterval;
        private Duration staleAfter;
        private Duration reconnectBaseDelay;
        private Duration reconnectMaxDelay;
        private Duration maxConnectionAge;
        private Duration rotationOverlapTimeout;
        private Duration timerInterval;
        private Duration closeTimeout;
        private Map<String, String> headers;
        private NanoClock clock;
        private Path trustedCertificates;

        private Builder() {}

        public Builder name(String value) {
            this.name = value;
            return this;
        }

        public Builder connectTimeout(Duration value) {
            this.connectTimeout = value;
            return this;
        }

        public Builder handshakeTimeout(Duration value) {
            this.handshakeTimeout = value;
            return this;
        }

        public Builder maxFrameBytes(int value) {
            this.maxFrameBytes = value;
            return this;
        }

        public Builder compression(boolean value) {
            this.compression = value;
            return this;
        }

        public Builder pingInterval(Duration value) {
            this.pingInterval = value;
            return this;
        }

        public Builder staleAfter(Duration value) {
            this.staleAfter = value;
            return this;
        }

        public Builder reconnectBaseDelay(Duration value) {
            this.reconnectBaseDelay = value;
            return this;
        }

        public Builder reconnectMaxDelay(Duration value) {
            this.reconnectMaxDelay = value;
            return this;
        }

        public Builder maxConnectionAge(Duration value) {
            this.maxConnectionAge = value;
            return this;
        }

        public Builder rotationOverlapTimeout(Duration value) {
            this.rotationOverlapTimeout = value;
            return this;
        }

        public Builder timerInterval(Duration value) {
            this.timerInterval = value;
            return this;
        }

        public Builder closeTimeout(Duration value) {
            this.closeTimeout = value;
            return this;
        }

        public Builder headers(Map<String, String> value) {
            this.headers = value;
            return this;
        }

        public Builder clock(NanoClock value) {
            this.clock = value;
            return this;
        }

        public Builder trustedCertificates(Path value) {
            this.trustedCertificates = value;
            return this;
        }

        public TransportConfig build() {
            return new TransportConfig(
                    name,
                    connectTimeout,
                    handshakeTimeout,
                    maxFrameBytes,
                    compression,
                    pingInterval,
                    staleAfter,
                    reconnectBaseDelay,
                    reconnectMaxDelay,
                    maxConnectionAge,
                    rotationOverlapTimeout,
                    timerInterval,
                    closeTimeout,
                    headers,
                    clock,
                    trustedCertificates);
        }
    }
}
