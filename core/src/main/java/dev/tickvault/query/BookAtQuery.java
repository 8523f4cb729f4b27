package dev.tickvault.query;

import dev.tickvault.feed.book.BookSide;
import dev.tickvault.ingest.TimeFormats;
import dev.tickvault.model.Decimal;
import dev.tickvault.model.SeriesKey;
import dev.tickvault.store.TickStore;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * The order book of a series at an instant T, rebuilt from the store's book table: start at the newest snapshot (venue
 * snapshot or tickvault checkpoint) at or before T, then apply every event whose rows have {@code ts <= T}, each
 * event whole (see {@link BookStream}). If the newest snapshot is still incomplete at T, the one before it is used.
 * The search for a snapshot goes back at most {@link BookQueryConfig#lookbackNanos()}.
 *
 * <p>Thread-safe (holds no state between calls); each call reads the store afresh.
 */
public final class BookAtQuery {

    private static final int MAX_SNAPSHOT_ATTEMPTS = 3;

    private final TickStore store;
    private final BookQueryConfig config;

    public BookAtQuery(TickStore store, BookQueryConfig config) {
        this.store = store;
        this.config = config;
    }

    /**
     * The top {@code depth} levels of each side at {@code atNanos}.
     *
     * @throws BookNotAvailableException if there is no complete snapshot at or before {@code atNanos} within the
     *     lookback
     */
    public BookAtResult at(SeriesKey series, long atNanos, int depth) {
        if (depth < 1) {
            throw new IllegalArgumentException("depth must be at least 1: " + depth);
        }
        long searchAt = atNanos;
        for (int attempt = 0; attempt < MAX_SNAPSHOT_ATTEMPTS; attempt++) {
            OptionalLong snapshot =
                    SnapshotLocator.newestSnapshotAtOrBefore(store, series, searchAt, config.lookbackNanos());
            if (snapshot.isEmpty()) {
                break;
            }
            long snapshotTs = snapshot.getAsLong();
            long end = atNanos == Long.MAX_VALUE ? Long.MAX_VALUE : atNanos + 1;
            try (BookStream stream = BookStream.openAt(store, series, snapshotTs, end, config.maxLevelsPerSide())) {
                stream.applyUpTo(atNanos);
                if (stream.synced()) {
                    return new BookAtResult(
                            series,
                            atNanos,
                            stream.snapshotTsNanos(),
                            stream.snapshotIsCheckpoint(),
                            stream.lastEventTsNanos(),
                            levels(stream.book().bids(), depth),
                            levels(stream.book().asks(), depth),
                            store.gaps(series, stream.snapshotTsNanos(), end),
                            stream.book().isCrossed());
                }
            }
            if (snapshotTs == Long.MIN_VALUE) {
                break;
            }
            searchAt = snapshotTs - 1; // that snapshot ends after T: use the one before
        }
        throw new BookNotAvailableException("no book snapshot of " + series + " at or before "
                + TimeFormats.format(atNanos) + " (searched back "
                + config.lookbackNanos() / BarInterval.NANOS_PER_SECOND + " s): the book is unknown at that time");
    }

    private static List<BookLevel> levels(BookSide side, int depth) {
        int n = Math.min(depth, side.size());
        List<BookLevel> levels = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            levels.add(new BookLevel(
                    Decimal.of(side.priceMantissa(i), side.priceScale(i)),
                    Decimal.of(side.quantityMantissa(i), side.quantityScale(i))));
        }
        return levels;
    }
}
