package dev.tickvault.store;

import dev.tickvault.model.BookUpdate;
import dev.tickvault.model.Decimal;
import dev.tickvault.model.GapMarker;
import dev.tickvault.model.SeriesKey;
import dev.tickvault.model.Side;
import dev.tickvault.model.Trade;
import dev.tickvault.model.VendorBar;
import dev.tickvault.store.engine.BufferedStoreWriter;
import dev.tickvault.store.engine.ReadOnlyStore;
import dev.tickvault.store.engine.StoreBookUpdateBatchCursor;
import dev.tickvault.store.engine.StoreEngine;
import dev.tickvault.store.engine.StoreRows;
import dev.tickvault.store.engine.StoreTradeBatchCursor;
import dev.tickvault.store.engine.StoreTradeCursor;
import dev.tickvault.store.engine.StoreVerifier;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The embedded tick store: a directory holding a write-ahead log and columnar partition files per table, exchange,
 * symbol and UTC day (layout in {@code docs/FORMAT.md}).
 *
 * <p>Thread-safe. Writers ({@link #newWriter()}) commit concurrently; readers see only committed rows and never
 * block writers. {@link #open} replays the write-ahead log, so every commit acknowledged before a crash is there
 * after it. One process at a time may open a directory for writing; any number may open it {@linkplain #openReadOnly
 * read-only} beside it.
 *
 * <pre>{@code
 * try (TickStore store = TickStore.open(Path.of("data"), StoreConfig.defaults());
 *         StoreWriter writer = store.newWriter()) {
 *     writer.appendTrade(trade);
 *     writer.commit();
 *     try (TradeCursor c = store.trades(SeriesKey.of("binance", "BTCUSDT"), from, to)) {
 *         while (c.next()) { ... c.priceMantissa() ... }
 *     }
 * }
 * }</pre>
 */
public final class TickStore implements AutoCloseable {

    /** Default staleness bound of {@link #openReadOnly(Path)}. */
    public static final long DEFAULT_MAX_STALENESS_MILLIS = 100;

    /** The engine, in write mode; null when read-only. */
    private final StoreEngine writable;
    /** Read-only mode; null when writable. */
    private final ReadOnlyStore readOnly;

    private TickStore(StoreEngine writable, ReadOnlyStore readOnly) {
        this.writable = writable;
        this.readOnly = readOnly;
    }

    /**
     * Opens (creating if needed) the store in {@code directory} for writing and recovers it. Takes the directory's
     * lock: a second process opening it this way gets a {@link StorageException} (kind IO, "already open").
     */
    public static TickStore open(Path directory, StoreConfig config) {
        return new TickStore(StoreEngine.open(directory, config), null);
    }

    /**
     * Opens the existing store in {@code directory} read-only, beside a writer in another process (or none): no data
     * file is created, written or deleted, no lock is taken, and the writer is never slowed down; the only file it
     * writes is its lease on the log ({@code wal/leases/}, deleted on close), and only once it has seen a writer at
     * work (docs/FORMAT.md, "Reader leases"). Queries see every commit the writer logged up to {@value
     * #DEFAULT_MAX_STALENESS_MILLIS} ms before they start, whether its rows are still only in the write-ahead log or
     * already in partition files. {@link #newWriter()} and {@link #flush()} throw. See {@link ReadOnlyStore} for how
     * refreshes and races with the writer work.
     */
    public static TickStore openReadOnly(Path directory) {
        return openReadOnly(directory, DEFAULT_MAX_STALENESS_MILLIS);
    }

    /**
     * As {@link #openReadOnly(Path)}, refreshing before a query when the last refresh is older than {@code
     * maxStalenessMillis} (0: before every query).
     */
    public static TickStore openReadOnly(Path directory, long maxStalenessMillis) {
        return new TickStore(null, ReadOnlyStore.open(directory, StoreConfig.defaults(), maxStalenessMillis));
    }

    /** True when opened with {@link #openReadOnly}. */
    public boolean isReadOnly() {
        return readOnly != null;
    }

    /**
     * Read-only stores: makes every commit the writer logged before this call visible now. Writable stores see their
     * own commits at once: nothing to do.
     */
    public void refresh() {
        if (readOnly != null) {
            readOnly.refresh();
        }
    }

    /**
     * Read-only stores: calls {@code listener} with every trade the writer commits from now on, once each, in commit
     * order, as refreshes ({@link #refresh()} or queries) read them; see {@link ReadOnlyStore#onCommittedTrades}.
     * Null stops it. Writable stores: not supported (their writer's process publishes what it commits).
     */
    public void onCommittedTrades(Consumer<Trade> listener) {
        if (readOnly == null) {
            throw new StorageException(
                    StorageException.Kind.INVALID_ARGUMENT,
                    "onCommittedTrades is for read-only stores [dir=" + directory() + "]",
                    directory(),
                    null);
        }
        readOnly.onCommittedTrades(listener);
    }

    /** The engine to query: for a read-only store, its current snapshot, refreshed when stale. */
    private StoreEngine engine() {
        return writable != null ? writable : readOnly.current();
    }

    /** The store directory. */
    public Path directory() {
        return writable != null ? writable.root() : readOnly.root();
    }

    /** A new writer, for one thread. */
    public StoreWriter newWriter() {
        if (readOnly != null) {
            throw new StorageException(
                    StorageException.Kind.INVALID_ARGUMENT,
                    "store is open read-only [dir=" + directory() + "]: open it with TickStore.open to write",
                    directory(),
                    null);
        }
        return BufferedStoreWriter.create(writable);
    }

    /** Trades of {@code series} with {@code fromNanos <= ts < toNanos}, in time order. */
    public TradeCursor trades(SeriesKey series, long fromNanos, long toNanos) {
        return StoreTradeCursor.open(engine(), series, fromNanos, toNanos);
    }

    /**
     * Trades of {@code series} with {@code fromNanos <= ts < toNanos}, in time order, as batches of column arrays:
     * the fastest way to read many rows.
     */
    public TradeBatchCursor tradeBatches(SeriesKey series, long fromNanos, long toNanos) {
        return StoreTradeBatchCursor.open(engine(), series, fromNanos, toNanos);
    }

    /**
     * As {@link #tradeBatches(SeriesKey, long, long)}, reading only {@code columns} (not empty): of each block only
     * their sections are decompressed and decoded (the time column's always: it orders and bounds the rows), the other
     * sections are skipped by their length. The cursor's accessors of columns not asked for throw {@link
     * IllegalStateException}. Each block's checksum still covers all of its bytes and is checked before it is read.
     *
     * @throws IllegalArgumentException if {@code columns} is empty
     */
    public TradeBatchCursor tradeBatches(SeriesKey series, long fromNanos, long toNanos, Set<TradeColumn> columns) {
        return StoreTradeBatchCursor.open(engine(), series, fromNanos, toNanos, columns);
    }

    /**
     * How many trades of {@code series} have {@code fromNanos <= ts < toNanos}: answered from block indexes, decoding
     * only the blocks that straddle the range's ends.
     */
    public long countTrades(SeriesKey series, long fromNanos, long toNanos) {
        return engine().count(Table.TRADES, series, fromNanos, toNanos);
    }

    /** Book updates of {@code series} with {@code fromNanos <= ts < toNanos}, in time order. */
    public void bookUpdates(SeriesKey series, long fromNanos, long toNanos, Consumer<BookUpdate> sink) {
        StoreRows rows = StoreRows.open(engine(), Table.BOOK, series, fromNanos, toNanos);
        while (rows.next()) {
            sink.accept(new BookUpdate(
                    series,
                    rows.longValue(Table.TS),
                    rows.longValue(Table.RECV_TS),
                    Side.ofCode(rows.byteValue(Table.SIDE)),
                    Decimal.of(rows.longValue(Table.PRICE), rows.byteValue(Table.PRICE_SCALE)),
                    Decimal.of(rows.longValue(Table.QTY), rows.byteValue(Table.QTY_SCALE)),
                    rows.longValue(Table.FIRST_UPDATE_ID),
                    rows.longValue(Table.LAST_UPDATE_ID),
                    rows.byteValue(Table.FLAGS)));
        }
    }

    /**
     * Book updates of {@code series} with {@code fromNanos <= ts < toNanos}, in time order (ties keep commit order),
     * as batches of column arrays: no allocation per row.
     */
    public BookUpdateBatchCursor bookUpdateBatches(SeriesKey series, long fromNanos, long toNanos) {
        return StoreBookUpdateBatchCursor.open(engine(), series, fromNanos, toNanos);
    }

    /** Gap markers of {@code series} that overlap {@code [fromNanos, toNanos)}, ordered by start. */
    public List<GapMarker> gaps(SeriesKey series, long fromNanos, long toNanos) {
        List<GapMarker> result = new ArrayList<>();
        StoreRows rows = StoreRows.open(engine(), Table.GAPS, series, Long.MIN_VALUE, toNanos);
        while (rows.next()) {
            long gapFrom = rows.longValue(0);
            long gapTo = rows.longValue(Table.GAP_TO);
            if (gapTo > fromNanos || (gapFrom == gapTo && gapFrom >= fromNanos)) {
                result.add(new GapMarker(
                        series,
                        rows.stringValue(Table.GAP_CHANNEL),
                        gapFrom,
                        gapTo,
                        rows.stringValue(Table.GAP_REASON)));
            }
        }
        return result;
    }

    /**
     * A vendor's bars of {@code series} ({@link Table#BARS}) with {@code fromNanos <= ts < toNanos}, in time order,
     * at most {@code limit} of them (the first ones).
     */
    public List<VendorBar> vendorBars(SeriesKey series, long fromNanos, long toNanos, int limit) {
        List<VendorBar> result = new ArrayList<>();
        StoreRows rows = StoreRows.open(engine(), Table.BARS, series, fromNanos, toNanos);
        while (result.size() < limit && rows.next()) {
            Decimal[] values = new Decimal[5];
            for (int i = 0; i < values.length; i++) {
                values[i] = Decimal.of(rows.longValue(Table.BAR_OPEN + i), rows.byteValue(i));
            }
            result.add(new VendorBar(
                    series,
                    rows.stringValue(Table.BAR_INTERVAL),
                    rows.longValue(Table.TS),
                    rows.longValue(Table.RECV_TS),
                    values[0],
                    values[1],
                    values[2],
                    values[3],
                    values[4]));
        }
        return result;
    }

    /** Every series that has trades. */
    public List<SeriesKey> tradeSeries() {
        return engine().series(Table.TRADES);
    }

    /** Every series that has rows in {@code table}. */
    public List<SeriesKey> series(Table table) {
        return engine().series(table);
    }

    /** Writes every committed in-memory row to partition files. */
    public void flush() {
        engine().flush();
    }

    /** Trades dropped as duplicates (with {@link StoreConfig#deduplicateTradeIds()}) since the store was opened. */
    public long duplicateTradesDropped() {
        return engine().duplicateTradesDropped();
    }

    public StoreStats stats() {
        return engine().stats();
    }

    /**
     * Archives closed book partitions: flushes, then rewrites the book rows of each series and UTC day strictly
     * before {@code before} as one chunk file of format version 4 (docs/FORMAT.md), whose book blocks take about 25%
     * less space than the ingest path's at ~100 times their CPU per row to write and to read. Reads afterwards return
     * exactly the same rows in the same order. Partitions already archived are left alone (unless rows arrived for
     * them since); a partition the memtable still holds rows of is skipped and counted. Runs beside writers, flushes
     * and queries (it takes no lock they wait for); crash-safe (see docs/FORMAT.md, "Durability protocol").
     * Trades, gaps and bars are left as they are.
     *
     * @param before the first UTC day not archived: at most today (UTC), since today's partition is still written
     * @throws StorageException INVALID_ARGUMENT for a read-only store or a cutoff after today
     */
    public ArchiveReport archive(LocalDate before) {
        if (readOnly != null) {
            throw new StorageException(
                    StorageException.Kind.INVALID_ARGUMENT,
                    "store is open read-only [dir=" + directory() + "]: archive needs it open for writing",
                    directory(),
                    null);
        }
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        if (before.isAfter(today)) {
            throw new StorageException(
                    StorageException.Kind.INVALID_ARGUMENT,
                    "cannot archive before " + before + ": today's partition (" + today
                            + ", UTC) is still being written; the cutoff must be today or earlier",
                    directory(),
                    null);
        }
        return writable.archive(before);
    }

    /** Checks every checksum of every file in the store directory without opening it for writing. */
    public static VerifyReport verify(Path directory) {
        return StoreVerifier.verify(directory);
    }

    /** Flushes, syncs and closes. Idempotent. */
    @Override
    public void close() {
        if (writable != null) {
            writable.close();
        } else {
            readOnly.close();
        }
    }
}
