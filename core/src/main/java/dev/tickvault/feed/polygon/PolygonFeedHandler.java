package dev.tickvault.feed.polygon;

import dev.tickvault.feed.FeedConnection;
import dev.tickvault.feed.FeedHandler;
import dev.tickvault.feed.FeedSink;
import dev.tickvault.feed.FeedStats;
import dev.tickvault.model.GapMarker;
import dev.tickvault.model.SeriesKey;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Polygon.io (Massive) stocks WebSocket: authentication, trade and quote subscriptions, frames to rows.
 *
 * <p>Protocol, per https://massive.com/docs/websocket/quickstart and the stocks trades/quotes pages (the same as
 * polygon.io/docs/websocket): on connect the server sends {@code [{"ev":"status","status":"connected",...}]}; the
 * client sends {@code {"action":"auth","params":"<key>"}}; the server answers {@code auth_success} (or {@code
 * auth_failed}; older servers answer {@code error} with "authentication failed" / "not authorized"); only then does
 * the client send {@code {"action":"subscribe","params":"T.AAPL,Q.AAPL"}}, which the server confirms with {@code
 * success} statuses. An account has one connection per cluster: a newer connection disconnects the older one ({@code
 * max_connections} status).
 *
 * <p><b>Failed authentication does not cause a reconnect storm.</b> The handler never asks the transport to reconnect
 * because of it. After each failure it waits before authenticating again: {@link PolygonConfig#authRetryInitialNanos()}
 * (30 s by default), doubling per consecutive failure up to {@link PolygonConfig#authRetryMaxNanos()} (30 min); a
 * success resets it. While waiting, a connection the transport opens (or keeps) is left unauthenticated, and {@link
 * #onTimer} sends {@code auth} once the wait is over. {@link #authRetryNotBeforeNanos()} lets the transport delay its
 * own reconnects as well. The same wait follows a {@code max_connections} status, so two recorders sharing a key do not
 * knock each other off in a loop. The key is sent only in the auth message and never logged.
 *
 * <p>Polygon has no replay: after a connection that was receiving data is lost, a {@link GapMarker} (reason {@code
 * reconnect}) is written for every subscribed series and channel ({@code trades}, {@code book}). It spans what cannot
 * have been delivered, on the exchange-time axis the stored rows use: from the latest exchange time of an event
 * received on the lost connection (or its last frame's receive time, if earlier) — an event the venue published
 * after that one was not seen — to the receive time of the first trade or quote on the new connection: the server
 * had processed the new subscription by then, so an event it published earlier was not delivered (ending the gap at
 * {@code auth_success} instead would leave out events published while the subscription was in flight). If the new
 * connection is lost too before any data arrives, the gap carries on into the next one.
 *
 * <p>Threading: as {@link FeedHandler} says, called from one thread at a time; counters are readable from any.
 */
public final class PolygonFeedHandler implements FeedHandler {

    private static final Logger LOG = LoggerFactory.getLogger(PolygonFeedHandler.class);

    private final PolygonConfig config;
    private final FeedSink sink;
    private final FeedStats stats = new FeedStats();
    private final PolygonEventParser parser;
    private final Map<FeedConnection, ConnectionState> connections = new IdentityHashMap<>();
    private final List<String> subscribeMessages;
    /** One listener for every frame (no allocation per frame); the frame's connection is in the two fields below. */
    private final PolygonEventParser.StatusListener statusListener =
            (status, message, ts) -> onStatus(this.frameConnection, this.frameState, status, message, ts);

    private FeedConnection frameConnection;
    private ConnectionState frameState;

    private volatile long authFailures;
    private volatile long statusErrors;
    private int consecutiveAuthFailures;
    private long authRetryNotBeforeNanos = Long.MIN_VALUE;
    /** Receive time of the last frame of a lost, subscribed connection; MIN_VALUE when nothing is lost. */
    private long dataLostSinceNanos = Long.MIN_VALUE;

    public PolygonFeedHandler(PolygonConfig config, FeedSink sink) {
        this.config = config;
        this.sink = sink;
        this.parser = new PolygonEventParser(sink, stats);
        this.subscribeMessages = subscribeMessages(config);
    }

    /** The {@code subscribe} messages for a configuration, at most {@code maxTopicsPerSubscribe} topics each. */
    static List<String> subscribeMessages(PolygonConfig config) {
        List<String> topics = new ArrayList<>();
        for (String symbol : config.symbols()) {
            if (config.trades()) {
                topics.add("T." + symbol);
            }
            if (config.quotes()) {
                topics.add("Q." + symbol);
            }
        }
        List<String> messages = new ArrayList<>();
        for (int i = 0; i < topics.size(); i += config.maxTopicsPerSubscribe()) {
            List<String> batch = topics.subList(i, Math.min(topics.size(), i + config.maxTopicsPerSubscribe()));
            messages.add("{\"action\":\"subscribe\",\"params\":\"" + jsonEscape(String.join(",", batch)) + "\"}");
        }
        return List.copyOf(messages);
    }

    @Override
    public void onOpen(FeedConnection connection, long nowNanos) {
        // Reconnects are counted by the transport.
        ConnectionState state = new ConnectionState();
        connections.put(connection, state);
        if (nowNanos >= authRetryNotBeforeNanos) {
            sendAuth(connection, state);
        } else {
            LOG.info(
                    "Polygon {}: connected; authentication deferred {} s after earlier failures",
                    connection.name(),
                    (authRetryNotBeforeNanos - nowNanos) / 1_000_000_000L);
        }
    }

    @Override
    public void onMessage(FeedConnection connection, byte[] utf8, int offset, int length, long recvTsNanos) {
        stats.messages.increment();
        ConnectionState state = connections.get(connection);
        if (state == null) { // a frame after onClose, or from a connection we never saw open
            state = new ConnectionState();
            connections.put(connection, state);
        }
        state.lastFrameNanos = recvTsNanos;
        frameConnection = connection;
        frameState = state;
        long eventsBefore = parser.eventsDelivered();
        parser.parseFrame(utf8, offset, length, recvTsNanos, statusListener);
        frameConnection = null;
        frameState = null;
        if (parser.eventsDelivered() != eventsBefore) {
            state.receivedData = true;
            state.latestEventTsNanos = parser.latestEventTsNanos();
            if (state.subscribed && dataLostSinceNanos != Long.MIN_VALUE) {
                writeGaps(dataLostSinceNanos, recvTsNanos);
                dataLostSinceNanos = Long.MIN_VALUE;
            }
        }
    }

    @Override
    public void onClose(FeedConnection connection, long nowNanos, String reason) {
        ConnectionState state = connections.remove(connection);
        if (state != null && state.subscribed) {
            long since = state.lastFrameNanos == Long.MIN_VALUE ? nowNanos : state.lastFrameNanos;
            if (state.receivedData) {
                since = Math.min(since, state.latestEventTsNanos);
            }
            if (dataLostSinceNanos == Long.MIN_VALUE || since < dataLostSinceNanos) {
                dataLostSinceNanos = since;
            }
        }
        LOG.info("Polygon {}: closed ({})", connection.name(), reason);
    }

    @Override
    public void onTimer(long nowNanos) {
        if (nowNanos < authRetryNotBeforeNanos) {
            return;
        }
        for (Map.Entry<FeedConnection, ConnectionState> entry : connections.entrySet()) {
            ConnectionState state = entry.getValue();
            if (state.auth == AuthState.NOT_SENT || state.auth == AuthState.FAILED) {
                sendAuth(entry.getKey(), state);
            }
        }
    }

    @Override
    public FeedStats stats() {
        return stats;
    }

    /** Authentication failures so far (each logged at ERROR). */
    public long authFailures() {
        return authFailures;
    }

    /** {@code error} statuses after authentication, and {@code max_connections}. */
    public long statusErrors() {
        return statusErrors;
    }

    /** Sequence numbers that did not increase on the same ticker, channel and trading day. */
    public long sequenceRegressions() {
        return parser.sequenceRegressions();
    }

    /** Quotes carrying neither a bid nor an ask (nothing written for them). */
    public long quotesWithoutSides() {
        return parser.quotesWithoutSides();
    }

    /**
     * The earliest time the handler will authenticate again after failures ({@link Long#MIN_VALUE} when it may now):
     * a transport may wait until then before reconnecting.
     */
    public long authRetryNotBeforeNanos() {
        return authRetryNotBeforeNanos;
    }

    /** Whether {@code connection} is authenticated and subscribed. */
    public boolean isSubscribed(FeedConnection connection) {
        ConnectionState state = connections.get(connection);
        return state != null && state.subscribed;
    }

    private void sendAuth(FeedConnection connection, ConnectionState state) {
        connection.send("{\"action\":\"auth\",\"params\":\"" + jsonEscape(config.apiKey()) + "\"}");
        state.auth = AuthState.SENT;
        LOG.info("Polygon {}: authenticating (key from configuration, not shown)", connection.name());
    }

    private void onStatus(
            FeedConnection connection, ConnectionState state, String status, String message, long recvTsNanos) {
        switch (status) {
            case "connected" -> LOG.info("Polygon {}: {}", connection.name(), message);
            case "auth_success" -> onAuthenticated(connection, state, recvTsNanos);
            case "auth_failed" -> onAuthFailed(connection, state, message, recvTsNanos);
            case "success" -> LOG.info("Polygon {}: {}", connection.name(), message);
            case "error", "auth_timeout" -> {
                if (state.auth == AuthState.SENT) {
                    onAuthFailed(connection, state, status + ": " + message, recvTsNanos);
                } else {
                    statusErrors++;
                    LOG.warn("Polygon {}: error status: {}", connection.name(), message);
                }
            }
            case "max_connections" -> {
                statusErrors++;
                backOff(recvTsNanos);
                LOG.warn(
                        "Polygon {}: {} (another connection uses this key); next authentication not before {} s",
                        connection.name(),
                        message,
                        (authRetryNotBeforeNanos - recvTsNanos) / 1_000_000_000L);
            }
            default -> LOG.info("Polygon {}: status {}: {}", connection.name(), status, message);
        }
    }

    private void onAuthenticated(FeedConnection connection, ConnectionState state, long recvTsNanos) {
        consecutiveAuthFailures = 0;
        authRetryNotBeforeNanos = Long.MIN_VALUE;
        state.auth = AuthState.SUCCEEDED;
        LOG.info(
                "Polygon {}: authenticated; subscribing to {} symbols",
                connection.name(),
                config.symbols().size());
        for (String message : subscribeMessages) {
            connection.send(message);
        }
        state.subscribed = true;
        // A gap pending from a lost connection ends at this connection's first trade or quote (onMessage).
    }

    private void onAuthFailed(FeedConnection connection, ConnectionState state, String message, long recvTsNanos) {
        authFailures++;
        state.auth = AuthState.FAILED;
        backOff(recvTsNanos);
        LOG.error(
                "Polygon {}: authentication failed ({}), failure {} in a row; next attempt not before {} s from now",
                connection.name(),
                message,
                consecutiveAuthFailures,
                (authRetryNotBeforeNanos - recvTsNanos) / 1_000_000_000L);
    }

    private void backOff(long nowNanos) {
        consecutiveAuthFailures++;
        int doublings = Math.min(consecutiveAuthFailures - 1, 30);
        long wait = config.authRetryInitialNanos();
        for (int i = 0; i < doublings && wait < config.authRetryMaxNanos(); i++) {
            wait *= 2;
        }
        authRetryNotBeforeNanos = nowNanos + Math.min(wait, config.authRetryMaxNanos());
    }

    private void writeGaps(long fromNanos, long toNanos) {
        for (String symbol : config.symbols()) {
            SeriesKey series = SeriesKey.of(PolygonEventParser.EXCHANGE, symbol);
            if (config.trades()) {
                sink.gap(new GapMarker(series, "trades", fromNanos, toNanos, "reconnect"));
                stats.gaps.increment();
            }
            if (config.quotes()) {
                sink.gap(new GapMarker(series, "book", fromNanos, toNanos, "reconnect"));
                stats.gaps.increment();
            }
        }
    }

    private static String jsonEscape(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }

    private enum AuthState {
        NOT_SENT,
        SENT,
        SUCCEEDED,
        FAILED
    }

    private static final class ConnectionState {
        AuthState auth = AuthState.NOT_SENT;
        boolean subscribed;
        /** A trade or quote arrived on this connection. */
        boolean receivedData;
        /** The latest exchange time of a trade or quote received so far (valid once {@link #receivedData}). */
        long latestEventTsNanos = Long.MIN_VALUE;

        long lastFrameNanos = Long.MIN_VALUE;
    }
}
