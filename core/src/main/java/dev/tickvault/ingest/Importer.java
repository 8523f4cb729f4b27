package dev.tickvault.ingest;

import dev.tickvault.store.StoreWriter;

/**
 * Drives a {@link TradeReader} into a {@link StoreWriter}: appends every row, commits every
 * {@code commitEveryRows} rows and at the end. Rows go through the writer's allocation-free overload unless their
 * trade id is textual.
 *
 * <p>When reading fails (an I/O error, a malformed line in strict mode) or the store fails, the rows since the last
 * commit are rolled back and the exception propagates; earlier batches stay committed, and
 * {@link #rowsCommitted()} says how many rows that is. Single use per file, not thread-safe.
 */
public final class Importer {

    /** Default batch: large enough to amortise a commit, small enough to bound memory and replay. */
    public static final int DEFAULT_COMMIT_EVERY_ROWS = 1_000_000;

    /** Progress is updated every this many rows, so the hot loop stays cheap. */
    private static final int PROGRESS_EVERY_ROWS = 8192;

    private final StoreWriter writer;
    private final int commitEveryRows;
    private long rowsCommitted;
    private long rowsAppended;

    public Importer(StoreWriter writer, int commitEveryRows) {
        if (commitEveryRows <= 0) {
            throw new IllegalArgumentException("commitEveryRows must be positive: " + commitEveryRows);
        }
        this.writer = writer;
        this.commitEveryRows = commitEveryRows;
    }

    /** Imports every row of {@code reader}; see the class comment for what happens on failure. */
    public ImportResult run(TradeReader reader, MalformedLines malformed, ImportProgress progress) {
        rowsCommitted = 0;
        rowsAppended = 0;
        try {
            reader.readAll(row -> append(row, reader, progress), malformed);
            commit();
            progress.update(reader.bytesRead());
        } catch (RuntimeException e) {
            rollbackQuietly(e);
            throw e;
        }
        return new ImportResult(malformed.source(), rowsCommitted, malformed.count(), malformed.messages());
    }

    /** Rows of the current (or last) run that are committed. */
    public long rowsCommitted() {
        return rowsCommitted;
    }

    private void append(TradeRow row, TradeReader reader, ImportProgress progress) {
        if (row.tradeIdText == null) {
            writer.appendTrade(
                    row.series,
                    row.tsNanos,
                    row.recvTsNanos,
                    row.priceMantissa,
                    row.priceScale,
                    row.quantityMantissa,
                    row.quantityScale,
                    row.side,
                    row.tradeId);
        } else {
            writer.appendTrade(row.toTrade());
        }
        rowsAppended++;
        if (rowsAppended - rowsCommitted >= commitEveryRows) {
            commit();
        }
        if (rowsAppended % PROGRESS_EVERY_ROWS == 0) {
            progress.update(reader.bytesRead());
        }
    }

    private void commit() {
        writer.commit();
        rowsCommitted = rowsAppended;
    }

    private void rollbackQuietly(RuntimeException cause) {
        try {
            writer.rollback();
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
        }
    }
}
