package dev.tickvault.query;

import dev.tickvault.model.BookUpdate;
import dev.tickvault.model.SeriesKey;
import dev.tickvault.store.BookUpdateBatchCursor;
import dev.tickvault.store.TickStore;
import java.util.OptionalLong;

/**
 * Finds the newest book snapshot (a row flagged {@link BookUpdate#SNAPSHOT_BEGIN}: a venue snapshot or one of
 * tickvault's {@link BookUpdate#CHECKPOINT}s) at or before an instant, searching back in windows that double from one
 * minute, so the rows read are about twice those between the snapshot and the instant, and never more than the
 * lookback limit.
 */
final class SnapshotLocator {

    private static final long FIRST_WINDOW_NANOS = 60_000_000_000L;

    private SnapshotLocator() {}

    /** The time of the newest {@code SNAPSHOT_BEGIN} row with {@code atNanos - lookbackNanos <= ts <= atNanos}. */
    static OptionalLong newestSnapshotAtOrBefore(TickStore store, SeriesKey series, long atNanos, long lookbackNanos) {
        long hi = atNanos == Long.MAX_VALUE ? Long.MAX_VALUE : atNanos + 1;
        long limit = saturatingSubtract(hi, lookbackNanos);
        long width = FIRST_WINDOW_NANOS;
        while (hi > limit) {
            long lo = Math.max(limit, saturatingSubtract(hi, width));
            long found = Long.MIN_VALUE;
            boolean any = false;
            try (BookUpdateBatchCursor c = store.bookUpdateBatches(series, lo, hi)) {
                for (int n = c.next(); n > 0; n = c.next()) {
                    byte[] flags = c.flags();
                    long[] ts = c.tsNanos();
                    for (int i = c.offset() + n - 1; i >= c.offset(); i--) {
                        if ((flags[i] & BookUpdate.SNAPSHOT_BEGIN) != 0) {
                            found = ts[i];
                            any = true;
                            break;
                        }
                    }
                }
            }
            if (any) {
                return OptionalLong.of(found);
            }
            if (lo == Long.MIN_VALUE || !hasRowsBefore(store, series, lo)) {
                return OptionalLong.empty();
            }
            hi = lo;
            width = width > Long.MAX_VALUE / 2 ? Long.MAX_VALUE : width * 2;
        }
        return OptionalLong.empty();
    }

    private static boolean hasRowsBefore(TickStore store, SeriesKey series, long toNanos) {
        try (BookUpdateBatchCursor c = store.bookUpdateBatches(series, Long.MIN_VALUE, toNanos)) {
            return c.next() > 0;
        }
    }

    static long saturatingSubtract(long a, long b) {
        long r = a - b;
        return ((a ^ b) & (a ^ r)) < 0 ? Long.MIN_VALUE : r;
    }
}
