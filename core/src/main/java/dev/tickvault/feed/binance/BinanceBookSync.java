package dev.tickvault.feed.binance;

import dev.tickvault.feed.FeedSink;
import dev.tickvault.feed.FeedStats;
import dev.tickvault.feed.book.OrderBook;
import dev.tickvault.model.BookUpdate;
import dev.tickvault.model.GapMarker;
import dev.tickvault.model.SeriesKey;
import dev.tickvault.model.Side;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one symbol's order book in sync with Binance's diff stream, exactly as Binance documents it ("How to manage a
 * local order book correctly"):
 *
 * <ol>
 *   <li>diffs are buffered (at most {@code maxBufferedDiffs}; when full the buffer is dropped, counted in {@link
 *       BinanceFeedCounters#bufferOverflows}, and sync restarts from the snapshot still awaited) until the REST snapshot
 *       arrives;
 *   <li>diffs the snapshot covers are dropped (spot: {@code u <= lastUpdateId}; USD-M: {@code u < lastUpdateId});
 *   <li>the first diff applied must straddle the snapshot (spot: {@code U <= lastUpdateId + 1 <= u}; USD-M: {@code U
 *       <= lastUpdateId <= u}); if the buffered diffs start after it the snapshot is too old and another is requested;
 *   <li>then each diff must chain (spot: {@code U == previous u + 1}; USD-M: {@code pu == previous u}); a diff that
 *       overlaps the last one applied ({@code U <= previous u + 1 <= u}, resp. {@code U <= previous u < u}, as another
 *       connection with other batching delivers) also applies, a diff already applied ({@code u <= previous u}) is
 *       skipped as a duplicate. Anything else is a break: the book is out of sync, a new snapshot is requested.
 * </ol>
 *
 * A break (or a lost connection, {@link #connectionLost}) leaves a gap marker pending on channel {@code book}, from the
 * venue time of the last diff applied to the venue time of the first diff applied after the resync; it is written when
 * that diff applies. The snapshot goes to the sink as levels flagged SNAPSHOT_BEGIN … SNAPSHOT_END, each diff as its
 * levels with {@code firstUpdateId = U}, {@code lastUpdateId = u}, EVENT_END on the last. Row times: a diff's {@code T}
 * (USD-M) or {@code E} (spot); a snapshot's {@code T} (USD-M) or, where the venue gives no time (spot), a time that
 * keeps it before the diffs applied on it in the store's time order (see {@link #snapshotTimeNanos}). Crossed books are counted and logged, never fixed.
 *
 * <p>Not thread-safe: owned by the handler's thread.
 */
final class BinanceBookSync {

    private static final Logger LOG = LoggerFactory.getLogger(BinanceBookSync.class);
    private static final long LOG_INTERVAL_NANOS = 10_000_000_000L;

    enum State {
        /** Not synced and no data since (start, or connection lost): sync starts with the next diff. */
        IDLE,
        /** Snapshot requested; diffs are buffered. */
        BUFFERING,
        /** Snapshot applied; waiting for the first diff that straddles it. */
        AWAITING_FIRST_DIFF,
        /** Every diff chains. */
        SYNCED
    }

    private final SeriesKey series;
    private final boolean chainsByPreviousId;
    private final OrderBook book;
    private final FeedSink sink;
    private final FeedStats stats;
    private final BinanceFeedCounters counters;
    private final DepthSnapshotRequester requester;
    private final DepthEvent[] buffer;
    private int bufferHead;
    private int bufferSize;

    private State state = State.IDLE;
    private boolean snapshotRequested;
    private long lastUpdateId = DepthEvent.ABSENT;
    private long lastEventNanos;
    private long lastCheckpointNanos;
    private boolean gapPending;
    private long gapFromNanos;
    private String gapReason;
    private long lastCrossedLogNanos = Long.MIN_VALUE;

    BinanceBookSync(
            SeriesKey series,
            BinanceMarket market,
            int maxLevelsPerSide,
            int maxBufferedDiffs,
            FeedSink sink,
            FeedStats stats,
            BinanceFeedCounters counters,
            DepthSnapshotRequester requester) {
        this.series = series;
        this.chainsByPreviousId = market.chainsByPreviousUpdateId();
        this.book = new OrderBook(series, maxLevelsPerSide);
        this.sink = sink;
        this.stats = stats;
        this.counters = counters;
        this.requester = requester;
        this.buffer = new DepthEvent[maxBufferedDiffs];
    }

    OrderBook book() {
        return book;
    }

    State state() {
        return state;
    }

    /** {@code u} of the last diff applied (or of the snapshot), or {@link DepthEvent#ABSENT}. */
    long lastUpdateId() {
        return lastUpdateId;
    }

    /**
     * Whether {@code event} would apply now or is one already applied; false only for a synced book it would break
     * (the handler holds such a diff back while the connection that fed the book is still delivering).
     */
    boolean joins(DepthEvent event) {
        if (state != State.SYNCED) {
            return true;
        }
        long previous = lastUpdateId;
        if (event.lastUpdateId <= previous) {
            return true;
        }
        return chainsByPreviousId
                ? event.previousUpdateId == previous || event.firstUpdateId <= previous
                : event.firstUpdateId <= previous + 1;
    }

    void onDiff(DepthEvent event, long recvTsNanos) {
        handleDiff(event, recvTsNanos, false);
    }

    /** @return true if the diff was consumed; false if it must stay buffered (it is the first of a new sync) */
    private boolean handleDiff(DepthEvent event, long recvTsNanos, boolean fromBuffer) {
        switch (state) {
            case IDLE -> {
                state = State.BUFFERING;
                requestSnapshot();
                return buffer(event, fromBuffer);
            }
            case BUFFERING -> {
                return buffer(event, fromBuffer);
            }
            case AWAITING_FIRST_DIFF -> {
                long l = lastUpdateId;
                if (chainsByPreviousId ? event.lastUpdateId < l : event.lastUpdateId <= l) {
                    counters.diffsCoveredBySnapshot.increment();
                    return true;
                }
                if (chainsByPreviousId ? event.firstUpdateId <= l : event.firstUpdateId <= l + 1) {
                    apply(event, recvTsNanos);
                    synced(event.venueTimeNanos(recvTsNanos), recvTsNanos);
                    return true;
                }
                // The snapshot is older than the stream: it cannot be joined. Ask again.
                counters.staleSnapshots.increment();
                pendGap(lastEventNanos, "sequence-gap");
                restart();
                return buffer(event, fromBuffer);
            }
            case SYNCED -> {
                long previous = lastUpdateId;
                if (event.lastUpdateId <= previous) {
                    stats.duplicatesSkipped.increment();
                    return true;
                }
                boolean chains = chainsByPreviousId
                        ? event.previousUpdateId == previous || event.firstUpdateId <= previous
                        : event.firstUpdateId <= previous + 1;
                if (chains) {
                    apply(event, recvTsNanos);
                    return true;
                }
                LOG.warn(
                        "{}: depth sequence break (previous u={}, next U={} u={}{}): resyncing",
                        series,
                        previous,
                        event.firstUpdateId,
                        event.lastUpdateId,
                        chainsByPreviousId ? " pu=" + event.previousUpdateId : "");
                stats.resyncs.increment();
                pendGap(lastEventNanos, "sequence-gap");
                restart();
                return buffer(event, fromBuffer);
            }
            default -> throw new IllegalStateException("unknown state " + state);
        }
    }

    void onSnapshot(DepthEvent snapshot, long recvTsNanos) {
        if (state == State.SYNCED || state == State.AWAITING_FIRST_DIFF) {
            counters.unusedSnapshots.increment();
            return;
        }
        snapshotRequested = false;
        long l = snapshot.lastUpdateId;
        long coveredNanos = Long.MIN_VALUE;
        while (bufferSize > 0) {
            DepthEvent first = buffer[bufferHead];
            if (chainsByPreviousId ? first.lastUpdateId < l : first.lastUpdateId <= l) {
                counters.diffsCoveredBySnapshot.increment();
                coveredNanos = Math.max(coveredNanos, first.venueTimeNanos(recvTsNanos));
                removeFirst();
            } else {
                break;
            }
        }
        if (bufferSize > 0) {
            DepthEvent first = buffer[bufferHead];
            if (chainsByPreviousId ? first.firstUpdateId > l : first.firstUpdateId > l + 1) {
                LOG.info(
                        "{}: snapshot lastUpdateId={} is older than the buffered diffs (U={}): asking again",
                        series,
                        l,
                        first.firstUpdateId);
                counters.staleSnapshots.increment();
                state = State.BUFFERING;
                requestSnapshot();
                return;
            }
        }
        book.clear();
        for (int i = 0; i < snapshot.bids.size(); i++) {
            DepthLevels b = snapshot.bids;
            book.set(Side.BUY, b.priceMantissa(i), b.priceScale(i), b.quantityMantissa(i), b.quantityScale(i));
        }
        for (int i = 0; i < snapshot.asks.size(); i++) {
            DepthLevels a = snapshot.asks;
            book.set(Side.SELL, a.priceMantissa(i), a.priceScale(i), a.quantityMantissa(i), a.quantityScale(i));
        }
        long tsNanos = snapshotTimeNanos(snapshot, recvTsNanos, coveredNanos);
        int written = book.writeSnapshot(sink, tsNanos, recvTsNanos, l, l, 0);
        stats.bookUpdates.add(written);
        counters.snapshotsApplied.increment();
        lastUpdateId = l;
        lastEventNanos = tsNanos;
        state = State.AWAITING_FIRST_DIFF;
        drainBuffer(recvTsNanos);
    }

    /**
     * The row time of a snapshot: the venue's ({@code T}, USD-M) where it gives one. A spot snapshot carries no time,
     * and its receive time may be later than the venue times of the diffs applied on top of it (they were buffered
     * while it was awaited, or the local clock runs ahead): the store orders rows by time, so such a snapshot would
     * sort after those diffs and a reader rebuilding the book would lose them. It is stamped no later than the first
     * buffered diff it is joined with, and, when every buffered diff was covered, at the newest of those (a later diff
     * is no older).
     */
    private long snapshotTimeNanos(DepthEvent snapshot, long recvTsNanos, long coveredNanos) {
        if (snapshot.transactionTimeMillis != DepthEvent.ABSENT || snapshot.eventTimeMillis != DepthEvent.ABSENT) {
            return snapshot.venueTimeNanos(recvTsNanos);
        }
        if (bufferSize > 0) {
            return Math.min(recvTsNanos, buffer[bufferHead].venueTimeNanos(recvTsNanos));
        }
        return coveredNanos != Long.MIN_VALUE ? coveredNanos : recvTsNanos;
    }

    private void drainBuffer(long recvTsNanos) {
        while (bufferSize > 0 && state != State.BUFFERING) {
            DepthEvent next = buffer[bufferHead];
            if (handleDiff(next, recvTsNanos, true)) {
                removeFirst();
            }
        }
    }

    /** The only connection carrying this symbol closed: out of sync until data returns and a resync completes. */
    void connectionLost() {
        if (state == State.SYNCED || state == State.AWAITING_FIRST_DIFF) {
            pendGap(lastEventNanos, "reconnect");
        }
        state = State.IDLE;
        clearBuffer();
    }

    /** Writes a checkpoint of a synced book if {@code intervalNanos} of feed time passed since the last one. */
    void onTimer(long nowNanos, long intervalNanos) {
        if (state == State.SYNCED && nowNanos - lastCheckpointNanos >= intervalNanos) {
            int written = book.writeSnapshot(
                    sink, lastEventNanos, nowNanos, lastUpdateId, lastUpdateId, BookUpdate.CHECKPOINT);
            stats.bookUpdates.add(written);
            counters.checkpoints.increment();
            lastCheckpointNanos = nowNanos;
        }
    }

    private void synced(long tsNanos, long recvTsNanos) {
        state = State.SYNCED;
        lastCheckpointNanos = recvTsNanos;
        if (gapPending) {
            sink.gap(new GapMarker(series, "book", gapFromNanos, Math.max(gapFromNanos, tsNanos), gapReason));
            stats.gaps.increment();
            gapPending = false;
            LOG.info("{}: book in sync again after {} (gap {} ns)", series, gapReason, tsNanos - gapFromNanos);
        }
    }

    private void pendGap(long fromNanos, String reason) {
        if (!gapPending) {
            gapPending = true;
            gapFromNanos = fromNanos;
            gapReason = reason;
        }
    }

    private void restart() {
        state = State.BUFFERING;
        clearBuffer();
        requestSnapshot();
    }

    private void requestSnapshot() {
        if (!snapshotRequested) {
            snapshotRequested = true;
            counters.snapshotRequests.increment();
            requester.request(series);
        }
    }

    /** Stale snapshot seen while buffering: the request was answered, ask again. */
    private boolean buffer(DepthEvent event, boolean fromBuffer) {
        if (fromBuffer) {
            return false; // it is already the first buffered diff
        }
        if (bufferSize == buffer.length) {
            LOG.warn(
                    "{}: {} diffs buffered while awaiting a snapshot: buffer dropped, sync restarts",
                    series,
                    bufferSize);
            counters.bufferOverflows.increment();
            clearBuffer();
        }
        int slot = (bufferHead + bufferSize) % buffer.length;
        if (buffer[slot] == null) {
            buffer[slot] = new DepthEvent();
        }
        buffer[slot].copyFrom(event);
        bufferSize++;
        return true;
    }

    private void removeFirst() {
        bufferHead = (bufferHead + 1) % buffer.length;
        bufferSize--;
    }

    private void clearBuffer() {
        bufferHead = 0;
        bufferSize = 0;
    }

    private void apply(DepthEvent event, long recvTsNanos) {
        DepthLevels bids = event.bids;
        DepthLevels asks = event.asks;
        for (int i = 0; i < bids.size(); i++) {
            book.set(
                    Side.BUY,
                    bids.priceMantissa(i),
                    bids.priceScale(i),
                    bids.quantityMantissa(i),
                    bids.quantityScale(i));
        }
        for (int i = 0; i < asks.size(); i++) {
            book.set(
                    Side.SELL,
                    asks.priceMantissa(i),
                    asks.priceScale(i),
                    asks.quantityMantissa(i),
                    asks.quantityScale(i));
        }
        long tsNanos = event.venueTimeNanos(recvTsNanos);
        int total = bids.size() + asks.size();
        write(bids, Side.BUY, event, tsNanos, recvTsNanos, 0, total);
        write(asks, Side.SELL, event, tsNanos, recvTsNanos, bids.size(), total);
        stats.bookUpdates.add(total);
        lastUpdateId = event.lastUpdateId;
        lastEventNanos = tsNanos;
        if (book.isCrossed()) {
            counters.crossedBooks.increment();
            if (recvTsNanos - lastCrossedLogNanos >= LOG_INTERVAL_NANOS) {
                lastCrossedLogNanos = recvTsNanos;
                LOG.warn(
                        "{}: book crossed after u={} (bid {} > ask {}); kept as received",
                        series,
                        event.lastUpdateId,
                        book.bids().priceText(0),
                        book.asks().priceText(0));
            }
        }
    }

    private void write(
            DepthLevels levels, Side side, DepthEvent event, long tsNanos, long recvTsNanos, int before, int total) {
        for (int i = 0; i < levels.size(); i++) {
            int flags = before + i == total - 1 ? BookUpdate.EVENT_END : 0;
            sink.bookLevel(
                    series,
                    tsNanos,
                    recvTsNanos,
                    side,
                    levels.priceMantissa(i),
                    levels.priceScale(i),
                    levels.quantityMantissa(i),
                    levels.quantityScale(i),
                    event.firstUpdateId,
                    event.lastUpdateId,
                    flags);
        }
    }
}
