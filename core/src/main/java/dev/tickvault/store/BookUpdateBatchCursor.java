package dev.tickvault.store;

import dev.tickvault.model.SeriesKey;

/**
 * Streams book updates of one series in time order (ties keep commit order), a batch of consecutive rows at a time,
 * as column arrays. After {@link #next()} returns {@code n > 0}, rows {@code [offset(), offset() + n)} of the arrays
 * are the batch. The arrays belong to the cursor: read them, don't modify or keep them past the next call or {@link
 * #close()} (a closed cursor gives its buffers to the next read on the same thread). Not thread-safe.
 */
public interface BookUpdateBatchCursor extends AutoCloseable {

    /** Moves to the next batch and returns its row count, or 0 at the end. */
    int next();

    SeriesKey series();

    int offset();

    long[] tsNanos();

    long[] recvTsNanos();

    long[] priceMantissas();

    byte[] priceScales();

    long[] quantityMantissas();

    byte[] quantityScales();

    /** Side codes ({@link dev.tickvault.model.Side#code()}): 1 bid, 2 ask. */
    byte[] sides();

    long[] firstUpdateIds();

    long[] lastUpdateIds();

    /** {@link dev.tickvault.model.BookUpdate} flags. */
    byte[] flags();

    @Override
    void close();
}
