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
 *
 * <p><b>Asynchronous commits:</b> {@link #commitAsync()} hands the rows appended so far to a commit that runs beside
 * the caller, so the next rows can be appended while the previous ones are encoded and logged. The rules:
 *
 * <ul>
 *   <li>Rows appended after {@code commitAsync()} returns belong to the next commit.
 *   <li>The commits of one writer become visible in the order they were called, synchronous or not; each commit's rows
 *       appear to readers all at once.
 *   <li>At most one commit per writer is in flight: {@code commitAsync()} while one is in flight first waits for it
 *       (back-pressure: the caller blocks, nothing is dropped).
 *   <li>{@link #commit()} waits for the commit in flight, then commits synchronously.
 *   <li>{@link #rollback()} discards only the rows not yet handed to a commit.
 *   <li>{@link #close()} waits for the commit in flight, then rolls back what was appended after it.
 *   <li>If an asynchronous commit fails, its {@link CommitTicket} throws, its rows are lost (as those of a failed
 *       synchronous commit are), and the writer is failed: every later call throws a {@link StorageException} naming
 *       the cause, except {@code close()}, which releases the writer (and throws the failure only if no call
 *       reported it before).
 * </ul>
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

    /** Number of rows appended since the last commit (rows of an asynchronous commit in flight not included). */
    int pendingRows();

    /**
     * Makes every appended row visible and durable (per the store's durability) atomically; first waits for an
     * asynchronous commit in flight.
     */
    void commit();

    /**
     * Starts committing every appended row and returns (after waiting for this writer's previous commit, if it is
     * still in flight); the returned ticket completes when the rows are visible and durable. The store's own writer
     * first encodes the columns of the commit's trade blocks on the calling thread (a few tens of ns per row; the
     * committer thread compresses and logs them), while the previous commit may still be running, so that the caller
     * and the committer share the work. See the class comment for ordering, back-pressure and failures. With nothing appended since the last commit, the ticket is
     * that of the commit in flight, or a completed one.
     *
     * <p>The default implementation commits synchronously and returns a completed ticket, so writers that predate this
     * method keep working; the store's own writer overrides it.
     *
     * @throws StorageException when the writer is closed or failed (a failure of this commit itself is reported by the
     *     ticket)
     */
    default CommitTicket commitAsync() {
        commit();
        return CommitTicket.completed();
    }

    /**
     * As {@link #commitAsync()}, and runs {@code onCommitted} once the rows are visible and durable: on the thread that
     * committed them (the writer's committer thread; the caller's with the default implementation), before the ticket
     * completes — so it has run when {@link CommitTicket#await()} returns, and the actions of one writer's commits run
     * in commit order. Not run if the commit fails (or has nothing to commit). It must be quick and thread-safe, and
     * must not close this writer or the store (closing waits for the commit that runs the action: a deadlock); an
     * exception it throws is logged and does not fail the commit.
     */
    default CommitTicket commitAsync(Runnable onCommitted) {
        int rows = pendingRows();
        commit();
        if (rows > 0) {
            onCommitted.run();
        }
        return CommitTicket.completed();
    }

    /** Discards the rows appended since the last commit (rows handed to an asynchronous commit stay in it). */
    void rollback();

    /**
     * Waits for an asynchronous commit in flight, rolls back the rows appended after it, and releases the writer.
     * Idempotent.
     */
    @Override
    void close();
}
