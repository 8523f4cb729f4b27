package dev.tickvault.record;

import dev.tickvault.feed.FeedSink;
import dev.tickvault.live.LiveTrade;
import dev.tickvault.live.LiveTradeHub;
import dev.tickvault.model.Decimal;
import dev.tickvault.model.GapMarker;
import dev.tickvault.model.SeriesKey;
import dev.tickvault.model.Side;
import dev.tickvault.model.Trade;
import dev.tickvault.store.StoreWriter;
import dev.tickvault.store.TickStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * A {@link FeedSink} that writes rows into a {@link TickStore} through its own {@link StoreWriter} and commits at frame
 * boundaries as its {@link CommitPolicy} says.
 *
 * <p><b>Single thread:</b> a sink belongs to one feed handler and is called only from that handler's thread
 * (including {@link #maybeCommit()} and {@link #close()}).
 *
 * <p><b>Commits in the background:</b> the commits the policy calls for (at the end of a frame once the row budget is
 * used, or once the oldest row waited the policy's delay) are {@linkplain StoreWriter#commitAsync(Runnable)
 * asynchronous}: the feed thread hands the rows over and goes back to reading frames while the writer's committer
 * thread encodes, logs (and, with the store's default durability, fsyncs) them. At most one commit is in flight; the
 * next one waits for it. {@link #commit()} and {@link #close()} are synchronous: when they return, every row appended
 * before is committed (so a recorder's shutdown commits everything it received). A failed commit fails the writer: the
 * next append or commit throws on the feed thread, naming the cause.
 *
 * <p><b>Back-pressure:</b> the store bounds the rows it holds in memory; when it falls behind, a commit blocks
 * (the committer thread, and then the feed thread at its next commit) until the flusher catches up. The time the feed
 * thread spends in commits (handing over, or waiting for the commit in flight) is counted in {@link #commitNanos()}:
 * nothing is dropped. (The venue may then disconnect a slow reader; the feed handler writes that span down as a gap
 * marker.)
 *
 * <p><b>Latency:</b> when a latency consumer is given (e.g. an HdrHistogram {@code Recorder}), every frame's delay
 * from receipt to commit is handed to it (ns) once its commit is durable: on the committer thread for background
 * commits, so the consumer (and the live hub) must be thread-safe. Committed trades are pushed to the live hub at the
 * same point, in commit order.
 */
public final class StoreFeedSink implements FeedSink, AutoCloseable {

    private final StoreWriter writer;
    private final CommitPolicy policy;
    private final LongSupplier nanoClock;
    private final LongConsumer latencyNanos;
    private final LongSupplier wallClockNanos;
    private long firstPendingNanos = -1;
    private long[] pendingFrameRecvNanos = new long[1024];
    private int pendingFrames;
    private final java.util.concurrent.atomic.AtomicLong rowsCommitted = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong commits = new java.util.concurrent.atomic.AtomicLong();
    private long commitNanos;
    private boolean closed;
    private LiveTradeHub liveHub;
    private final List<LiveTrade> pendingLive = new ArrayList<>();

    /**
     * @param latencyNanos receives each frame's receive → commit delay, or {@code null}
     * @param wallClockNanos the wall clock receive times are measured on (ns since the epoch); used for latency only
     */
    public StoreFeedSink(
            TickStore store,
            CommitPolicy policy,
            LongSupplier nanoClock,
            LongConsumer latencyNanos,
            LongSupplier wallClockNanos) {
        this.writer = store.newWriter();
        this.policy = policy;
        this.nanoClock = nanoClock;
        this.latencyNanos = latencyNanos;
        this.wallClockNanos = wallClockNanos;
    }

    public StoreFeedSink(TickStore store, CommitPolicy policy) {
        this(store, policy, System::nanoTime, null, null);
    }

    /** Pushes each committed trade to {@code hub}'s subscribers (right after its commit). */
    public StoreFeedSink publishTo(LiveTradeHub hub) {
        this.liveHub = hub;
        return this;
    }

    @Override
    public void trade(
            SeriesKey series,
            long tsNanos,
            long recvTsNanos,
            long priceMantissa,
            int priceScale,
            long quantityMantissa,
            int quantityScale,
            Side side,
            long tradeId,
            String textTradeId) {
        pending();
        if (liveHub != null && liveHub.hasSubscribers(series)) {
            pendingLive.add(new LiveTrade(
                    series,
                    tsNanos,
                    recvTsNanos,
                    priceMantissa,
                    priceScale,
                    quantityMantissa,
                    quantityScale,
                    side,
                    tradeId));
        }
        if (textTradeId == null) {
            writer.appendTrade(
                    series,
                    tsNanos,
                    recvTsNanos,
                    priceMantissa,
                    priceScale,
                    quantityMantissa,
                    quantityScale,
                    side,
                    tradeId);
        } else {
            writer.appendTrade(new Trade(
                    series,
                    tsNanos,
                    recvTsNanos,
                    Decimal.of(priceMantissa, priceScale),
                    Decimal.of(quantityMantissa, quantityScale),
                    side,
                    Trade.NO_TRADE_ID,
                    textTradeId));
        }
    }

    @Override
    public void bookLevel(
            SeriesKey series,
            long tsNanos,
            long recvTsNanos,
            Side side,
            long priceMantissa,
            int priceScale,
            long quantityMantissa,
            int quantityScale,
            long firstUpdateId,
            long lastUpdateId,
            int flags) {
        pending();
        writer.appendBookUpdate(
                series,
                tsNanos,
                recvTsNanos,
                side,
                priceMantissa,
                priceScale,
                quantityMantissa,
                quantityScale,
                firstUpdateId,
                lastUpdateId,
                flags);
    }

    @Override
    public void gap(GapMarker gap) {
        pending();
        writer.appendGap(gap);
    }

    private void pending() {
        if (closed) {
            throw new IllegalStateException("the sink is closed");
        }
        if (firstPendingNanos < 0) {
            firstPendingNanos = nanoClock.getAsLong();
        }
    }

    @Override
    public void endOfFrame(long recvTsNanos) {
        if (latencyNanos != null) {
            if (pendingFrames == pendingFrameRecvNanos.length) {
                pendingFrameRecvNanos = Arrays.copyOf(pendingFrameRecvNanos, pendingFrames * 2);
            }
            pendingFrameRecvNanos[pendingFrames++] = recvTsNanos;
        }
        if (writer.pendingRows() >= policy.maxRows()) {
            commitInBackground();
        } else {
            maybeCommit();
        }
    }

    /**
     * Starts committing, in the background, if the oldest uncommitted row has waited the policy's delay (call from the
     * handler's timer).
     */
    public void maybeCommit() {
        if (firstPendingNanos >= 0 && nanoClock.getAsLong() - firstPendingNanos >= policy.maxDelayNanos()) {
            commitInBackground();
        }
    }

    /** Hands the pending rows to an asynchronous commit (waiting first for the one in flight, if any). */
    private void commitInBackground() {
        int rows = writer.pendingRows();
        if (rows == 0) {
            commit();
            return;
        }
        long start = nanoClock.getAsLong();
        List<LiveTrade> live = pendingLive.isEmpty() ? List.of() : List.copyOf(pendingLive);
        long[] frames =
                latencyNanos != null && pendingFrames > 0 ? Arrays.copyOf(pendingFrameRecvNanos, pendingFrames) : null;
        int frameCount = pendingFrames;
        writer.commitAsync(() -> committed(rows, live, frames, frameCount));
        pendingLive.clear();
        pendingFrames = 0;
        commitNanos += nanoClock.getAsLong() - start;
        firstPendingNanos = -1;
    }

    /** Commits everything appended so far (at a frame boundary) and returns once it is committed. */
    public void commit() {
        int rows = writer.pendingRows();
        long start = nanoClock.getAsLong();
        writer.commit(); // waits for the commit in flight (whose trades and latencies it reports) first
        long end = nanoClock.getAsLong();
        commitNanos += end - start;
        firstPendingNanos = -1;
        committed(rows, pendingLive, pendingFrameRecvNanos, pendingFrames);
        pendingLive.clear();
        pendingFrames = 0;
    }

    /**
     * After a commit of {@code rows} rows: counts it, pushes its trades to the live hub and hands each frame's delay
     * to the latency consumer. Runs on the committer thread for background commits, in commit order.
     */
    private void committed(int rows, List<LiveTrade> live, long[] frameRecvNanos, int frames) {
        if (rows > 0) {
            rowsCommitted.addAndGet(rows);
            commits.incrementAndGet();
        }
        for (LiveTrade trade : live) {
            liveHub.publish(trade);
        }
        if (latencyNanos != null && frames > 0) {
            long now = wallClockNanos.getAsLong();
            for (int i = 0; i < frames; i++) {
                latencyNanos.accept(Math.max(0, now - frameRecvNanos[i]));
            }
        }
    }

    public long rowsCommitted() {
        return rowsCommitted.get();
    }

    public long commits() {
        return commits.get();
    }

    /**
     * Time the feed thread spent in commits: handing rows to a background commit, waiting for the one in flight, and
     * synchronous commits, including time blocked by store back-pressure.
     */
    public long commitNanos() {
        return commitNanos;
    }

    /** Commits what is pending and releases the writer. Idempotent. */
    @Override
    public void close() {
        if (!closed) {
            try {
                commit();
            } finally {
                closed = true;
                writer.close();
            }
        }
    }
}
