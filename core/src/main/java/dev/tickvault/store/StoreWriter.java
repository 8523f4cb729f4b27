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

    /** Appends one book level update; {@link #appendBookUpdate(SeriesKey, long, long, Side, long, int, long, int,
     * long, long, int)} is the allocation-free form. */
    void appendBookUpdate(BookUpdate update);

    /**
     * Appends one book level update (hot path: a store writer allocates nothing per row): the level at price
     * {@code priceMantissa × 10^-priceScale} on {@code side} now holds {@code quantityMantissa × 10^-quantityScale}
     * (zero deletes it). The fields are those of {@link BookUpdate}.
     *
     * <p>The default implementation builds a {@link BookUpdate} and calls {@link #appendBookUpdate(BookUpdate)}, so
     * writers that predate this method keep working; the store's own writer overrides it.
     *
     * @param flags a bit set of {@link BookUpdate#SNAPSHOT_BEGIN}, {@link BookUpdate#SNAPSHOT_END},
     *     {@link BookUpdate#EVENT_END}, {@link BookUpdate#CHECKPOINT} (one byte)
     */
    default void appendBookUpdate(
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
        appendBookUpdate(new BookUpdate(
                series,
                tsNanos,
                recvTsNanos,
                side,
                dev.tickvault.model.Decimal.of(priceMantissa, priceScale),
                dev.tickvault.model.Decimal.of(quantityMantissa, quantityScale),
                firstUpdateId,
                lastUpdateId,
                flags));
    }

    void appendGap(GapMarker gap);

    /** Appends a vendor's OHLCV bar ({@link dev.tickvault.store.Table#BARS}). */
    void appendVendorBar(dev.tickvault.model.VendorBar bar);

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
