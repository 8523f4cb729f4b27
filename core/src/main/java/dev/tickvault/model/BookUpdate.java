package dev.tickvault.model;

/**
 * One change to one level of an L2 order book: the level at {@code price} on {@code side} now holds {@code quantity}
 * (zero deletes it). A snapshot is a run of updates flagged {@link #SNAPSHOT_BEGIN} on the first and
 * {@link #SNAPSHOT_END} on the last (both on a one-level snapshot); it replaces the book.
 *
 * @param side {@link Side#BUY} for bids, {@link Side#SELL} for asks
 * @param firstUpdateId the venue's first update / sequence id covered by the event this update belongs to (Binance
 *     {@code U}), or the sequence number where a venue has only one
 * @param lastUpdateId the venue's last update id of the event (Binance {@code u}); equal to firstUpdateId otherwise
 * @param flags a bit set of {@link #SNAPSHOT_BEGIN}, {@link #SNAPSHOT_END}, {@link #EVENT_END}, {@link #CHECKPOINT}
 */
public record BookUpdate(
        SeriesKey series,
        long tsNanos,
        long recvTsNanos,
        Side side,
        Decimal price,
        Decimal quantity,
        long firstUpdateId,
        long lastUpdateId,
        int flags) {

    public BookUpdate {
        java.util.Objects.requireNonNull(series, "series");
        java.util.Objects.requireNonNull(side, "side");
        java.util.Objects.requireNonNull(price, "price");
        java.util.Objects.requireNonNull(quantity, "quantity");
        if (flags < 0 || flags > 0xFF) {
            throw new IllegalArgumentException("book update flags must fit one byte: " + flags);
        }
    }

    /** First level of a snapshot: the book is cleared before it applies. */
    public static final int SNAPSHOT_BEGIN = 1;
    /** Last level of a snapshot. */
    public static final int SNAPSHOT_END = 2;
    /** Last level of one venue event (a diff message): the book is consistent after it. */
    public static final int EVENT_END = 4;
    /**
     * The snapshot is tickvault's own periodic checkpoint of the book it keeps (not a venue snapshot): it repeats
     * state already implied by earlier updates, so a reader may start from it instead of replaying the whole day.
     */
    public static final int CHECKPOINT = 8;

    public boolean isSnapshotBegin() {
        return (flags & SNAPSHOT_BEGIN) != 0;
    }

    public boolean isSnapshotEnd() {
        return (flags & SNAPSHOT_END) != 0;
    }
}
