package dev.tickvault.feed;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of one feed handler. Written by the handler's thread, read by metrics and status displays from others.
 */
public final class FeedStats {

    /** Frames received (all kinds). */
    public final LongAdder messages = new LongAdder();
    /** Trades delivered to the sink. */
    public final LongAdder trades = new LongAdder();
    /** Book level updates delivered to the sink (snapshots and checkpoints included). */
    public final LongAdder bookUpdates = new LongAdder();
    /** Frames that could not be parsed or were not expected, skipped. */
    public final LongAdder malformed = new LongAdder();
    /** Gap markers written. */
    public final LongAdder gaps = new LongAdder();
    /** Per-symbol resynchronisations (new snapshot or resubscription). */
    public final LongAdder resyncs = new LongAdder();
    /** Connections lost and reopened. */
    public final LongAdder reconnects = new LongAdder();
    /** Rows not delivered because they were already delivered (connection stitching, replays). */
    public final LongAdder duplicatesSkipped = new LongAdder();

    @Override
    public String toString() {
        return "messages=" + messages.sum() + " trades=" + trades.sum() + " bookUpdates=" + bookUpdates.sum()
                + " malformed=" + malformed.sum() + " gaps=" + gaps.sum() + " resyncs=" + resyncs.sum()
                + " reconnects=" + reconnects.sum() + " duplicatesSkipped=" + duplicatesSkipped.sum();
    }
}
