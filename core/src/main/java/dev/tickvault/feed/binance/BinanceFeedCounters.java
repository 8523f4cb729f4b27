package dev.tickvault.feed.binance;

import java.util.concurrent.atomic.LongAdder;

/**
 * Binance-specific counters, beside the common {@link dev.tickvault.feed.FeedStats}. Written by the handler's thread,
 * readable from any.
 */
public final class BinanceFeedCounters {

    /** Snapshot requests made (initial syncs and resyncs). */
    public final LongAdder snapshotRequests = new LongAdder();
    /** Snapshots applied to a book. */
    public final LongAdder snapshotsApplied = new LongAdder();
    /** Snapshots older than the buffered diffs (or followed by a diff that did not chain): asked for again. */
    public final LongAdder staleSnapshots = new LongAdder();
    /** Snapshots that arrived for a book already in sync, or for no known symbol: ignored. */
    public final LongAdder unusedSnapshots = new LongAdder();
    /** Diffs dropped during sync because the snapshot already covers them ({@code u} at or before it). */
    public final LongAdder diffsCoveredBySnapshot = new LongAdder();
    /** Times a symbol's diff buffer filled while awaiting a snapshot: the buffer was dropped, sync restarted. */
    public final LongAdder bufferOverflows = new LongAdder();
    /** Diffs after which the book was crossed (best bid above best ask). Counted and logged, never fixed. */
    public final LongAdder crossedBooks = new LongAdder();
    /** Trade ids that jumped (more than +1) while the connection stayed up. */
    public final LongAdder tradeIdJumps = new LongAdder();
    /** Book checkpoints written. */
    public final LongAdder checkpoints = new LongAdder();
    /** {@code bookTicker} events received. */
    public final LongAdder bookTickers = new LongAdder();
    /** Well-formed events of a kind not recorded (kline, ...), skipped. */
    public final LongAdder ignoredEvents = new LongAdder();
    /** Subscription requests sent, and acknowledged by a {@code result} reply. */
    public final LongAdder subscribeRequests = new LongAdder();

    public final LongAdder subscribeReplies = new LongAdder();
    /** Error replies from the server. */
    public final LongAdder errorReplies = new LongAdder();
    /** {@code serverShutdown} events (each asks the transport for a replacement connection). */
    public final LongAdder serverShutdowns = new LongAdder();

    @Override
    public String toString() {
        return "snapshotRequests=" + snapshotRequests.sum() + " snapshotsApplied=" + snapshotsApplied.sum()
                + " staleSnapshots=" + staleSnapshots.sum() + " unusedSnapshots=" + unusedSnapshots.sum()
                + " diffsCoveredBySnapshot=" + diffsCoveredBySnapshot.sum() + " bufferOverflows="
                + bufferOverflows.sum() + " crossedBooks=" + crossedBooks.sum() + " tradeIdJumps="
                + tradeIdJumps.sum() + " checkpoints=" + checkpoints.sum() + " bookTickers=" + bookTickers.sum()
                + " ignoredEvents=" + ignoredEvents.sum() + " subscribeRequests=" + subscribeRequests.sum()
                + " subscribeReplies=" + subscribeReplies.sum() + " errorReplies=" + errorReplies.sum()
                + " serverShutdowns=" + serverShutdowns.sum();
    }
}
