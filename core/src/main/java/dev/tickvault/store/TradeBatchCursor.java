package dev.tickvault.store;

import dev.tickvault.model.SeriesKey;

/**
 * Streams trades of one series in time order, a batch of consecutive rows at a time, as column arrays: the fastest
 * way to read many rows. After {@link #next()} returns {@code n > 0}, rows {@code [offset(), offset() + n)} of the
 * arrays are the batch. The arrays belong to the cursor: read them, don't modify or keep them past the next call
 * or {@link #close()} (a closed cursor gives its buffers to the next read on the same thread).
 * Not thread-safe. Close it to release resources.
 */
public interface TradeBatchCursor extends AutoCloseable {

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

    /** Side codes ({@link dev.tickvault.model.Side#code()}). */
    byte[] sides();

    long[] tradeIds();

    /** The textual trade id of row {@code row} of the batch arrays, or {@code null}. */
    String tradeIdText(int row);

    @Override
    void close();
}
