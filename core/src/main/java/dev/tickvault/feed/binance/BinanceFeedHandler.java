package dev.tickvault.feed.binance;

import dev.tickvault.feed.FeedConnection;
import dev.tickvault.feed.FeedHandler;
import dev.tickvault.feed.FeedSink;
import dev.tickvault.feed.FeedStats;
import dev.tickvault.feed.book.OrderBook;
import dev.tickvault.model.GapMarker;
import dev.tickvault.model.SeriesKey;
import dev.tickvault.model.Side;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binance spot or USD-M futures market data: trades ({@code @trade} or {@code @aggTrade}), the order book ({@code
 * @depth@…} diffs synced with REST snapshots by {@link BinanceBookSync}) and optionally best bid/offer ({@code
 * @bookTicker}, handed to a {@link BboListener}, not stored).
 *
 * <p>Connections: the transport connects to {@link BinanceFeedConfig#streamUrl()} (the combined-stream endpoint) and
 * calls {@link #onOpen}; the handler then sends its SUBSCRIBE requests, at most {@link
 * BinanceFeedConfig#subscribeMessagesPerSecond()} a second (the rest from {@link #onTimer}), within Binance's limits of
 * 1024 streams per connection (one handler per connection's worth of symbols: {@link BinanceSubscriptionPlan}) and of
 * messages a client sends per second. Any number of connections may be open at once (the 24-hour rotation, or a
 * {@code serverShutdown}, on which the handler asks {@link FeedConnection#reconnect} for a replacement, which the
 * transport opens before the old one closes): every connection subscribes to every stream of this handler, and their
 * frames are stitched per symbol — a trade whose id is at or below the last one delivered is skipped (Binance trade ids
 * are contiguous per symbol), a depth diff already applied is skipped, one that chains is applied (counted in {@link
 * FeedStats#duplicatesSkipped}).
 *
 * <p>When the last open connection carrying a symbol closes, its book is out of sync: when data returns it resyncs
 * (new snapshot) and writes a {@code book} gap marker (reason {@code reconnect}) from the last diff applied to the first
 * applied after the resync; a {@code trades} gap marker (from the last trade's time to the first new trade's) is
 * written only if the trade ids are not contiguous across the break.
 *
 * <p>Snapshots: the handler asks its {@link DepthSnapshotRequester}; bodies come back through {@link #onRestResponse}
 * with a URL whose {@code symbol=} parameter names the symbol (a URL without one is taken for the only symbol awaiting
 * a snapshot — as in a recording of one symbol). In replay the recording's REST frames are the snapshots.
 *
 * <p>Malformed frames are counted ({@link FeedStats#malformed}), logged with a sample (at most one log line per 10 s
 * of feed time) and skipped. Threading: as {@link FeedHandler} says, one thread at a time; not thread-safe otherwise.
 */
public final class BinanceFeedHandler implements FeedHandler {

    private static final Logger LOG = LoggerFactory.getLogger(BinanceFeedHandler.class);
    private static final long LOG_INTERVAL_NANOS = 10_000_000_000L;
    private static final long ONE_SECOND_NANOS = 1_000_000_000L;
    private static final int SAMPLE_CHARS = 200;
    private static final int MAX_HELD_PER_SYMBOL = 10_000;

    /** Receives best bid/offer updates ({@code @bookTicker}); called on the handler's thread. */
    public interface BboListener {
        /**
         * @param tsNanos the venue's time ({@code T}/{@code E}, USD-M), or the receive time where there is none (spot)
         */
        void bbo(
                SeriesKey series,
                long updateId,
                long bidPriceMantissa,
                int bidPriceScale,
                long bidQuantityMantissa,
                int bidQuantityScale,
                long askPriceMantissa,
                int askPriceScale,
                long askQuantityMantissa,
                int askQuantityScale,
                long tsNanos,
                long recvTsNanos);
    }

    private final BinanceFeedConfig config;
    private final FeedSink sink;
    private final DepthSnapshotRequester requester;
    private final BboListener bboListener;
    private final FeedStats stats = new FeedStats();
    private final BinanceFeedCounters counters = new BinanceFeedCounters();
    private final BinanceMessageParser parser;
    private final Listener listener = new Listener();
    private final Map<SeriesKey, SymbolFeed> bySeries = new HashMap<>();
    private final Map<String, SymbolFeed> bySymbol = new HashMap<>();
    private final List<SymbolFeed> all = new ArrayList<>();
    private final Map<FeedConnection, ConnectionState> connections = new IdentityHashMap<>();

    private long nextRequestId = 1;
    /**
     * The series of the last frame and its feed: most frames are for the same symbol as the one before, and the
     * parser hands out one {@link SeriesKey} instance per symbol, so an identity check skips the map (and the record's
     * hash of two strings) on the per-message path.
     */
    private SeriesKey lastSeries;

    private SymbolFeed lastFeed;
    private FeedConnection current;
    private long currentRecvTsNanos;
    private SymbolFeed restTarget;
    private long lastMalformedLogNanos = Long.MIN_VALUE;
    private long lastJumpLogNanos = Long.MIN_VALUE;

    /**
     * @param requester where snapshot requests go ({@link DepthSnapshotRequester#NONE} in replay)
     * @param bboListener receives {@code @bookTicker} updates, or null
     */
    public BinanceFeedHandler(
            BinanceFeedConfig config, FeedSink sink, DepthSnapshotRequester requester, BboListener bboListener) {
        this.config = Objects.requireNonNull(config, "config");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.requester = Objects.requireNonNull(requester, "requester");
        this.bboListener = bboListener;
        int streams = config.symbols().size() * config.streamsPerSymbol();
        if (streams > config.market().maxStreamsPerConnection()) {
            throw new IllegalArgumentException(streams + " streams exceed Binance's "
                    + config.market().maxStreamsPerConnection()
                    + " per connection: split the symbols with BinanceSubscriptionPlan");
        }
        this.parser = new BinanceMessageParser(config.market().exchange());
        for (String symbol : config.symbols()) {
            symbolFeed(SeriesKey.of(config.market().exchange(), symbol));
        }
    }

    public BinanceFeedConfig config() {
        return config;
    }

    @Override
    public FeedStats stats() {
        return stats;
    }

    public BinanceFeedCounters counters() {
        return counters;
    }

    /** The book kept for {@code symbol} (read it on the handler's thread only), or null if the symbol is unknown. */
    public OrderBook book(String symbol) {
        SymbolFeed feed = bySymbol.get(symbol);
        return feed == null ? null : feed.book.book();
    }

    /** True when {@code symbol}'s book is in sync (every diff since the snapshot chained). */
    public boolean isBookSynced(String symbol) {
        SymbolFeed feed = bySymbol.get(symbol);
        return feed != null && feed.book.state() == BinanceBookSync.State.SYNCED;
    }

    @Override
    public void onOpen(FeedConnection connection, long nowNanos) {
        // Reconnects are counted by the transport (a rotation's replacement is not a reconnect).
        ConnectionState state = new ConnectionState(connection);
        for (BinanceSubscriptionPlan.SubscribeRequest request :
                BinanceSubscriptionPlan.subscribeRequests(config, nextRequestId)) {
            state.pending.add(request);
            nextRequestId = request.id() + 1;
        }
        connections.put(connection, state);
        LOG.info("{}: open, {} SUBSCRIBE requests to send", connection.name(), state.pending.size());
        sendDue(state, nowNanos);
    }

    private void sendDue(ConnectionState state, long nowNanos) {
        if (state.pending.isEmpty()) {
            return;
        }
        if (nowNanos - state.windowStartNanos >= ONE_SECOND_NANOS) {
            state.windowStartNanos = nowNanos;
            state.sentInWindow = 0;
        }
        while (!state.pending.isEmpty() && state.sentInWindow < config.subscribeMessagesPerSecond()) {
            BinanceSubscriptionPlan.SubscribeRequest request = state.pending.poll();
            state.connection.send(request.text());
            state.sentInWindow++;
            counters.subscribeRequests.increment();
            for (String symbol : request.symbols()) {
                bySymbol.get(symbol).cover(state.connection);
            }
        }
    }

    @Override
    public void onMessage(FeedConnection connection, byte[] utf8, int offset, int length, long recvTsNanos) {
        stats.messages.increment();
        current = connection;
        currentRecvTsNanos = recvTsNanos;
        if (!parser.parse(utf8, offset, length, listener)) {
            malformed(connection == null ? "?" : connection.name(), utf8, offset, length, recvTsNanos);
        }
        current = null;
        sink.endOfFrame(recvTsNanos);
    }

    @Override
    public void onRestResponse(String url, byte[] body, long recvTsNanos) {
        SymbolFeed target = restTarget(url);
        if (target == null) {
            counters.unusedSnapshots.increment();
            LOG.warn("REST response for no symbol awaiting a snapshot ignored: {}", url);
            return;
        }
        restTarget = target;
        currentRecvTsNanos = recvTsNanos;
        try {
            if (!parser.parse(body, 0, body.length, listener)) {
                malformed("REST " + url, body, 0, body.length, recvTsNanos);
            }
        } finally {
            restTarget = null;
        }
        sink.endOfFrame(recvTsNanos);
    }

    private SymbolFeed restTarget(String url) {
        int at = url.indexOf("symbol=");
        if (at >= 0 && (at == 0 || url.charAt(at - 1) == '?' || url.charAt(at - 1) == '&')) {
            int end = url.indexOf('&', at);
            String symbol = url.substring(at + "symbol=".length(), end < 0 ? url.length() : end);
            return bySymbol.get(symbol);
        }
        SymbolFeed awaiting = null;
        for (SymbolFeed feed : all) {
            BinanceBookSync.State s = feed.book.state();
            if (s == BinanceBookSync.State.BUFFERING || s == BinanceBookSync.State.IDLE) {
                if (awaiting != null && s == BinanceBookSync.State.BUFFERING) {
                    return null; // ambiguous
                }
                if (awaiting == null || s == BinanceBookSync.State.BUFFERING) {
                    awaiting = feed;
                }
            }
        }
        return awaiting != null ? awaiting : all.size() == 1 ? all.get(0) : null;
    }

    @Override
    public void onClose(FeedConnection connection, long nowNanos, String reason) {
        connections.remove(connection);
        LOG.info("{}: closed ({})", connection.name(), reason);
        for (SymbolFeed feed : all) {
            boolean removed = feed.covering.remove(connection);
            if (feed.covering.size() <= 1) {
                flushHeld(feed, feed.book.book().series()); // the overlap is over: what is still held is a real gap
            }
            if (removed && feed.covering.isEmpty()) {
                feed.book.connectionLost();
                feed.tradesInterrupted = true;
            }
        }
    }

    @Override
    public void onTimer(long nowNanos) {
        for (ConnectionState state : connections.values()) {
            sendDue(state, nowNanos);
        }
        if (config.checkpointIntervalNanos() > 0) {
            for (SymbolFeed feed : all) {
                feed.book.onTimer(nowNanos, config.checkpointIntervalNanos());
            }
        }
    }

    private void malformed(String where, byte[] utf8, int offset, int length, long recvTsNanos) {
        stats.malformed.increment();
        if (recvTsNanos - lastMalformedLogNanos >= LOG_INTERVAL_NANOS) {
            lastMalformedLogNanos = recvTsNanos;
            String sample = new String(utf8, offset, Math.min(length, SAMPLE_CHARS * 4), StandardCharsets.UTF_8);
            if (sample.length() > SAMPLE_CHARS) {
                sample = sample.substring(0, SAMPLE_CHARS) + "…";
            }
            LOG.warn(
                    "{}: malformed frame skipped ({}; {} so far): {}",
                    where,
                    parser.failure(),
                    stats.malformed.sum(),
                    sample);
        }
    }

    private SymbolFeed symbolFeed(SeriesKey series) {
        if (series == lastSeries) {
            return lastFeed;
        }
        SymbolFeed feed = bySeries.get(series);
        if (feed == null) {
            feed = new SymbolFeed(new BinanceBookSync(
                    series,
                    config.market(),
                    config.maxLevelsPerSide(),
                    config.maxBufferedDiffs(),
                    sink,
                    stats,
                    counters,
                    requester));
            bySeries.put(series, feed);
            bySymbol.put(series.symbol(), feed);
            all.add(feed);
        }
        lastSeries = series;
        lastFeed = feed;
        return feed;
    }

    /** One symbol's state: its book sync, the last trade delivered, the connections carrying it. */
    private static final class SymbolFeed {
        final BinanceBookSync book;
        final List<FeedConnection> covering = new ArrayList<>(2);
        long lastTradeId = Long.MIN_VALUE;
        long lastTradeNanos;
        boolean tradesInterrupted;
        /** Data that raced ahead while two connections carried the symbol (FIFO, bounded; see holdsBack). */
        final ArrayDeque<Held> held = new ArrayDeque<>();

        SymbolFeed(BinanceBookSync book) {
            this.book = book;
        }

        void cover(FeedConnection connection) {
            if (connection != null) {
                for (int i = 0; i < covering.size(); i++) {
                    if (covering.get(i) == connection) {
                        return;
                    }
                }
                covering.add(connection);
            }
        }
    }

    /** A trade or depth diff held back during a connection overlap. */
    private static final class Held {
        final FeedConnection connection;
        final long recvTsNanos;
        final DepthEvent diff; // null for a trade
        final long tradeId;
        final long priceMantissa;
        final int priceScale;
        final long quantityMantissa;
        final int quantityScale;
        final Side takerSide;
        final long tradeTimeMillis;

        Held(FeedConnection connection, long recvTsNanos, DepthEvent diff) {
            this(connection, recvTsNanos, diff, 0, 0, 0, 0, 0, null, 0);
        }

        Held(
                FeedConnection connection,
                long recvTsNanos,
                DepthEvent diff,
                long tradeId,
                long priceMantissa,
                int priceScale,
                long quantityMantissa,
                int quantityScale,
                Side takerSide,
                long tradeTimeMillis) {
            this.connection = connection;
            this.recvTsNanos = recvTsNanos;
            this.diff = diff;
            this.tradeId = tradeId;
            this.priceMantissa = priceMantissa;
            this.priceScale = priceScale;
            this.quantityMantissa = quantityMantissa;
            this.quantityScale = quantityScale;
            this.takerSide = takerSide;
            this.tradeTimeMillis = tradeTimeMillis;
        }
    }

    /**
     * During an overlap of two connections (rotation) their frames race: the newer one may deliver a symbol's next
     * trade or diff before the other delivered those in between. While two connections carry a symbol, data that does
     * not join (it would look like a gap) is held back and applied once the other connection has caught up; what is
     * still held when the overlap ends goes through the normal rules (a real gap is then written down).
     */
    private boolean holdsBack(SymbolFeed feed) {
        return current != null && feed.covering.size() >= 2 && feed.held.size() < MAX_HELD_PER_SYMBOL;
    }

    /** Applies held data that now joins; stops at the first that still does not. */
    private void drainHeld(SymbolFeed feed, SeriesKey series) {
        while (!feed.held.isEmpty()) {
            Held h = feed.held.peekFirst();
            boolean joins = h.diff != null
                    ? feed.book.joins(h.diff)
                    : feed.lastTradeId == Long.MIN_VALUE || h.tradeId <= feed.lastTradeId + 1;
            if (!joins) {
                return;
            }
            feed.held.pollFirst();
            replay(feed, series, h);
        }
    }

    /** Everything held, through the normal rules (the connection it waited for is gone). */
    private void flushHeld(SymbolFeed feed, SeriesKey series) {
        while (!feed.held.isEmpty()) {
            replay(feed, series, feed.held.pollFirst());
        }
    }

    private void replay(SymbolFeed feed, SeriesKey series, Held h) {
        FeedConnection savedCurrent = current;
        long savedRecv = currentRecvTsNanos;
        current = h.connection;
        currentRecvTsNanos = h.recvTsNanos;
        try {
            if (h.diff != null) {
                feed.book.onDiff(h.diff, h.recvTsNanos);
            } else {
                listener.applyTrade(
                        feed,
                        series,
                        h.tradeId,
                        h.priceMantissa,
                        h.priceScale,
                        h.quantityMantissa,
                        h.quantityScale,
                        h.takerSide,
                        h.tradeTimeMillis);
            }
        } finally {
            current = savedCurrent;
            currentRecvTsNanos = savedRecv;
        }
    }

    private static final class ConnectionState {
        final FeedConnection connection;
        final ArrayDeque<BinanceSubscriptionPlan.SubscribeRequest> pending = new ArrayDeque<>();
        long windowStartNanos = Long.MIN_VALUE / 2;
        int sentInWindow;

        ConnectionState(FeedConnection connection) {
            this.connection = connection;
        }
    }

    /** Parser callbacks, on the handler's thread during onMessage / onRestResponse. */
    private final class Listener implements BinanceMessageListener {

        @Override
        public void trade(
                SeriesKey series,
                long tradeId,
                long priceMantissa,
                int priceScale,
                long quantityMantissa,
                int quantityScale,
                Side takerSide,
                long tradeTimeMillis,
                boolean aggregated) {
            SymbolFeed feed = symbolFeed(series);
            feed.cover(current);
            if (holdsBack(feed) && feed.lastTradeId != Long.MIN_VALUE && tradeId > feed.lastTradeId + 1) {
                feed.held.addLast(new Held(
                        current,
                        currentRecvTsNanos,
                        null,
                        tradeId,
                        priceMantissa,
                        priceScale,
                        quantityMantissa,
                        quantityScale,
                        takerSide,
                        tradeTimeMillis));
                return;
            }
            applyTrade(
                    feed,
                    series,
                    tradeId,
                    priceMantissa,
                    priceScale,
                    quantityMantissa,
                    quantityScale,
                    takerSide,
                    tradeTimeMillis);
            drainHeld(feed, series);
        }

        void applyTrade(
                SymbolFeed feed,
                SeriesKey series,
                long tradeId,
                long priceMantissa,
                int priceScale,
                long quantityMantissa,
                int quantityScale,
                Side takerSide,
                long tradeTimeMillis) {
            long tsNanos = tradeTimeMillis * 1_000_000L;
            if (feed.lastTradeId != Long.MIN_VALUE) {
                if (tradeId <= feed.lastTradeId) {
                    stats.duplicatesSkipped.increment();
                    return;
                }
                if (tradeId != feed.lastTradeId + 1) {
                    if (feed.tradesInterrupted) {
                        sink.gap(new GapMarker(
                                series,
                                "trades",
                                feed.lastTradeNanos,
                                Math.max(feed.lastTradeNanos, tsNanos),
                                "reconnect"));
                        stats.gaps.increment();
                    } else {
                        // Binance trade ids are contiguous per symbol: a jump while connected means trades were
                        // lost (e.g. a frame that could not be parsed). Written down, never silent.
                        counters.tradeIdJumps.increment();
                        sink.gap(new GapMarker(
                                series,
                                "trades",
                                feed.lastTradeNanos,
                                Math.max(feed.lastTradeNanos, tsNanos),
                                "trade-id-gap"));
                        stats.gaps.increment();
                        if (currentRecvTsNanos - lastJumpLogNanos >= LOG_INTERVAL_NANOS) {
                            lastJumpLogNanos = currentRecvTsNanos;
                            LOG.info("{}: trade id jumped from {} to {}", series, feed.lastTradeId, tradeId);
                        }
                    }
                }
            }
            feed.tradesInterrupted = false;
            feed.lastTradeId = tradeId;
            feed.lastTradeNanos = tsNanos;
            sink.trade(
                    series,
                    tsNanos,
                    currentRecvTsNanos,
                    priceMantissa,
                    priceScale,
                    quantityMantissa,
                    quantityScale,
                    takerSide,
                    tradeId,
                    null);
            stats.trades.increment();
        }

        @Override
        public void depthUpdate(DepthEvent event) {
            SymbolFeed feed = symbolFeed(event.series());
            feed.cover(current);
            if (holdsBack(feed) && !feed.book.joins(event)) {
                DepthEvent copy = new DepthEvent();
                copy.copyFrom(event);
                feed.held.addLast(new Held(current, currentRecvTsNanos, copy));
                return;
            }
            feed.book.onDiff(event, currentRecvTsNanos);
            drainHeld(feed, event.series());
        }

        @Override
        public void depthSnapshot(DepthEvent snapshot) {
            if (restTarget == null) {
                counters.unusedSnapshots.increment();
                return;
            }
            restTarget.book.onSnapshot(snapshot, currentRecvTsNanos);
        }

        @Override
        public void bookTicker(
                SeriesKey series,
                long updateId,
                long bidPriceMantissa,
                int bidPriceScale,
                long bidQuantityMantissa,
                int bidQuantityScale,
                long askPriceMantissa,
                int askPriceScale,
                long askQuantityMantissa,
                int askQuantityScale,
                long eventTimeMillis) {
            counters.bookTickers.increment();
            if (bboListener != null) {
                long tsNanos = eventTimeMillis == DepthEvent.ABSENT ? currentRecvTsNanos : eventTimeMillis * 1_000_000L;
                bboListener.bbo(
                        series,
                        updateId,
                        bidPriceMantissa,
                        bidPriceScale,
                        bidQuantityMantissa,
                        bidQuantityScale,
                        askPriceMantissa,
                        askPriceScale,
                        askQuantityMantissa,
                        askQuantityScale,
                        tsNanos,
                        currentRecvTsNanos);
            }
        }

        @Override
        public void reply(long id) {
            counters.subscribeReplies.increment();
        }

        @Override
        public void error(long id, long code, String message) {
            counters.errorReplies.increment();
            LOG.warn("{}: error reply id={} code={}: {}", current == null ? "REST" : current.name(), id, code, message);
        }

        @Override
        public void serverShutdown(long eventTimeMillis) {
            counters.serverShutdowns.increment();
            if (current != null) {
                LOG.info("{}: serverShutdown: asking for a replacement connection", current.name());
                current.rotate();
            }
        }

        @Override
        public void ignored() {
            counters.ignoredEvents.increment();
        }
    }
}
