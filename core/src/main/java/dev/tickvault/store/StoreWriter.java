package dev.tickvault.store;

import dev.tickvault.model.BookUpdate;
import dev.tickvault.model.GapMarker;
import dev.tickvault.model.SeriesKey;
import dev.tickvault.model.Side;
import dev.tickvault.model.Trade;

/**
 * Buffers rows and commits them atomically. One writer per thread (not thread-safe); many writers may commit
 * concurrently. Rows appended since the last commit are invisible to readers and are lost if the process dies
 * before {@link #commit()}. After {@code commit()} returns, the rows are visible, and durable as the store's
 * {@link Durability} says.
 */
public interface StoreWriter extends AutoCloseable {

    /** Appends one trade (hot path: no allocation per row). */
    void appendTrade(
            SeriesKey series,
            long tsNanos,
            long recvTsNanos,
            long priceMantissa,
            int priceScale,
            long quantityMantissa,
            int quantityScale,
            Side side,
            long tradeId);

    /** Appends one trade, including a textual trade id if it has one. */
    void appendTrade(Trade trade);

    void appendBookUpdate(BookUpdate update);

    void appendGap(GapMarker gap);

    /** Number of rows appended since the last commit. */
    int pendingRows();

    /** Makes every appended row visible and durable (per the store's durability) atomically. */
    void commit();

    /** Discards the rows appended since the last commit. */
    void rollback();

    /** Rolls back uncommitted rows and releases the writer. Idempotent. */
    @Override
    void close();
}
