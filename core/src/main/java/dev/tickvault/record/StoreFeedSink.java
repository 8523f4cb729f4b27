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
 * <p><b>Back-pressure:</b> the store bounds the rows it holds in memory; when it falls behind, {@code commit()} blocks
 * the calling (feed) thread until the flusher catches up. The time spent blocked is counted in {@link
 * #commitNanos()}: nothing is dropped. (The venue may then disconnect a slow reader; the feed handler writes that
 * span down as a gap marker.)
 *
 * <p><b>Latency:</b> when a latency consumer is given (e.g. an HdrHistogram {@code Recorder}), every frame's delay
 * from receipt to commit is handed to it (ns), on the sink's thread.
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
    private long rowsCommitted;
    private long commits;
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
            commit();
        } else {
            maybeCommit();
        }
    }

    /** Commits if the oldest uncommitted row has waited the policy's delay (call from the handler's timer). */
    public void maybeCommit() {
        if (firstPendingNanos >= 0 && nanoClock.getAsLong() - firstPendingNanos >= policy.maxDelayNanos()) {
            commit();
        }
    }

    /** Commits everything appended so far (at a frame boundary). */
    public void commit() {
        int rows = writer.pendingRows();
        long start = nanoClock.getAsLong();
        if (rows > 0) {
            writer.commit();
            rowsCommitted += rows;
            commits++;
        }
        long end = nanoClock.getAsLong();
        commitNanos += end - start;
        firstPendingNanos = -1;
        if (!pendingLive.isEmpty()) {
            for (LiveTrade trade : pendingLive) {
                liveHub.publish(trade);
            }
            pendingLive.clear();
        }
        if (latencyNanos != null && pendingFrames > 0) {
            long now = wallClockNanos.getAsLong();
            for (int i = 0; i < pendingFrames; i++) {
                latencyNanos.accept(Math.max(0, now - pendingFrameRecvNanos[i]));
            }
            pendingFrames = 0;
        }
    }

    public long rowsCommitted() {
        return rowsCommitted;
    }

    public long commits() {
        return commits;
    }

    /** Time spent in commit, including time blocked by store back-pressure. */
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
