package dev.tickvault.query;

import dev.tickvault.feed.book.OrderBook;
import dev.tickvault.model.BookUpdate;
import dev.tickvault.model.SeriesKey;
import dev.tickvault.model.Side;
import dev.tickvault.store.BookUpdateBatchCursor;
import dev.tickvault.store.TickStore;
import java.util.Arrays;
import java.util.OptionalLong;

/**
 * Replays one series' stored book updates into an {@link OrderBook}, an event at a time, from the newest snapshot at
 * or before the start of the range.
 *
 * <p>Rules: an <em>event</em> is a run of rows ending with a row flagged {@link BookUpdate#EVENT_END} or {@link
 * BookUpdate#SNAPSHOT_END}; it applies whole when its last row is read, never half (its rows are buffered until then).
 * A snapshot event ({@link BookUpdate#SNAPSHOT_BEGIN} on its first row) clears the book first. Until the first
 * snapshot the book is unknown ({@link #synced()} false) and diff events are skipped. A snapshot row arriving while an
 * earlier event is still open closes that event first. The event buffer holds at most {@link #MAX_EVENT_ROWS} rows:
 * an event longer than that (a writer that never flags its ends) is applied in pieces of that size.
 *
 * <p>Not thread-safe. Memory: the book (at most {@code maxLevelsPerSide} levels per side) and the event buffer.
 */
public final class BookStream implements AutoCloseable {

    /** Largest event buffered before it is applied in pieces. */
    public static final int MAX_EVENT_ROWS = 1 << 20;

    private static final int BUY = Side.BUY.code();
    private static final int SELL = Side.SELL.code();

    private final BookUpdateBatchCursor rows;
    private final OrderBook book;
    private final long startNanos;
    private boolean synced;
    private long snapshotTsNanos = Long.MIN_VALUE;
    private boolean snapshotIsCheckpoint;
    private long lastEventTsNanos = Long.MIN_VALUE;

    // Batch position.
    private long[] ts;
    private long[] prices;
    private byte[] priceScales;
    private long[] quantities;
    private byte[] quantityScales;
    private byte[] sides;
    private byte[] flags;
    private int row;
    private int batchEnd;
    private boolean exhausted;

    // The open event.
    private int pendingSize;
    private long pendingTsNanos;
    private boolean pendingClears;
    private boolean pendingIsSnapshot;
    private boolean pendingIsCheckpoint;
    private byte[] pendingSides = new byte[256];
    private long[] pendingPrices = new long[256];
    private byte[] pendingPriceScales = new byte[256];
    private long[] pendingQuantities = new long[256];
    private byte[] pendingQuantityScales = new byte[256];

    private BookStream(BookUpdateBatchCursor rows, SeriesKey series, int maxLevelsPerSide, long startNanos) {
        this.rows = rows;
        this.book = new OrderBook(series, maxLevelsPerSide);
        this.startNanos = startNanos;
    }

    /**
     * Opens a stream of the rows with {@code ts < toNanos}, starting at the newest snapshot at or before {@code
     * fromNanos} (searched back at most {@code lookbackNanos}), or at {@code fromNanos} when there is none (then the
     * book becomes known at the first snapshot after it).
     */
    public static BookStream open(
            TickStore store, SeriesKey series, long fromNanos, long toNanos, long lookbackNanos, int maxLevelsPerSide) {
        OptionalLong snapshot = SnapshotLocator.newestSnapshotAtOrBefore(store, series, fromNanos, lookbackNanos);
        return openAt(store, series, snapshot.orElse(fromNanos), toNanos, maxLevelsPerSide);
    }

    /** Opens a stream of the rows with {@code startNanos <= ts < toNanos}. */
    static BookStream openAt(TickStore store, SeriesKey series, long startNanos, long toNanos, int maxLevelsPerSide) {
        return new BookStream(
                store.bookUpdateBatches(series, startNanos, Math.max(startNanos, toNanos)),
                series,
                maxLevelsPerSide,
                startNanos);
    }

    /** Where reading started (the snapshot searched for, or the range start). */
    public long startNanos() {
        return startNanos;
    }

    public OrderBook book() {
        return book;
    }

    /** True once a snapshot has been applied: the book is known. */
    public boolean synced() {
        return synced;
    }

    /** Time of the first row of the last snapshot applied, or {@code Long.MIN_VALUE}. */
    public long snapshotTsNanos() {
        return snapshotTsNanos;
    }

    /** True if the last snapshot applied was a tickvault {@link BookUpdate#CHECKPOINT}. */
    public boolean snapshotIsCheckpoint() {
        return snapshotIsCheckpoint;
    }

    /** Time of the first row of the last event applied (or skipped before the first snapshot). */
    public long lastEventTsNanos() {
        return lastEventTsNanos;
    }

    /** Time of the next unread row, or {@code Long.MAX_VALUE} at the end. */
    public long peekTsNanos() {
        return fill() ? ts[row] : Long.MAX_VALUE;
    }

    /** Applies every event whose rows all have {@code ts <= upToNanos}. */
    public void applyUpTo(long upToNanos) {
        while (applyNextEvent(upToNanos)) {
            // keep going
        }
    }

    /**
     * Reads rows with {@code ts <= upToNanos} until one event completes (applied, or skipped before the first
     * snapshot) and returns true; false if the rows up to that time run out first (an open event stays buffered).
     */
    public boolean applyNextEvent(long upToNanos) {
        while (fill()) {
            int r = row;
            if (ts[r] > upToNanos) {
                return false;
            }
            row = r + 1;
            int rowFlags = flags[r];
            if ((rowFlags & BookUpdate.SNAPSHOT_BEGIN) != 0) {
                if (pendingSize > 0) {
                    applyPending(); // an event the writer never closed: a snapshot starts, so it ended
                    endEvent();
                }
                pendingClears = true;
                pendingIsSnapshot = true;
                pendingIsCheckpoint = (rowFlags & BookUpdate.CHECKPOINT) != 0;
            }
            if (pendingSize == 0) {
                pendingTsNanos = ts[r];
            }
            buffer(r);
            if ((rowFlags & (BookUpdate.EVENT_END | BookUpdate.SNAPSHOT_END)) != 0) {
                applyPending();
                endEvent();
                return true;
            }
            if (pendingSize == MAX_EVENT_ROWS) {
                applyPending();
            }
        }
        return false;
    }

    private boolean fill() {
        if (row < batchEnd) {
            return true;
        }
        if (exhausted) {
            return false;
        }
        int n = rows.next();
        if (n == 0) {
            exhausted = true;
            return false;
        }
        ts = rows.tsNanos();
        prices = rows.priceMantissas();
        priceScales = rows.priceScales();
        quantities = rows.quantityMantissas();
        quantityScales = rows.quantityScales();
        sides = rows.sides();
        flags = rows.flags();
        row = rows.offset();
        batchEnd = row + n;
        return true;
    }

    private void buffer(int r) {
        if (pendingSize == pendingSides.length) {
            int capacity = Math.min(MAX_EVENT_ROWS, pendingSize * 2);
            pendingSides = Arrays.copyOf(pendingSides, capacity);
            pendingPrices = Arrays.copyOf(pendingPrices, capacity);
            pendingPriceScales = Arrays.copyOf(pendingPriceScales, capacity);
            pendingQuantities = Arrays.copyOf(pendingQuantities, capacity);
            pendingQuantityScales = Arrays.copyOf(pendingQuantityScales, capacity);
        }
        int at = pendingSize++;
        pendingSides[at] = sides[r];
        pendingPrices[at] = prices[r];
        pendingPriceScales[at] = priceScales[r];
        pendingQuantities[at] = quantities[r];
        pendingQuantityScales[at] = quantityScales[r];
    }

    private void applyPending() {
        if (pendingIsSnapshot) {
            if (pendingClears) {
                book.clear();
                pendingClears = false;
                snapshotTsNanos = pendingTsNanos;
                snapshotIsCheckpoint = pendingIsCheckpoint;
            }
            synced = true;
        }
        if (synced) {
            for (int i = 0; i < pendingSize; i++) {
                int code = pendingSides[i];
                if (code != BUY && code != SELL) {
                    continue; // a level without a side cannot be placed (not written by our feeds)
                }
                Side side = code == BUY ? Side.BUY : Side.SELL;
                book.set(side, pendingPrices[i], pendingPriceScales[i], pendingQuantities[i], pendingQuantityScales[i]);
            }
        }
        lastEventTsNanos = pendingTsNanos;
        pendingSize = 0;
    }

    private void endEvent() {
        pendingIsSnapshot = false;
        pendingIsCheckpoint = false;
        pendingClears = false;
    }

    @Override
    public void close() {
        rows.close();
    }
}
