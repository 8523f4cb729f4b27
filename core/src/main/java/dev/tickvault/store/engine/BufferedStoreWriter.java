package dev.tickvault.store.engine;

import dev.tickvault.model.BookUpdate;
import dev.tickvault.model.Decimal;
import dev.tickvault.model.GapMarker;
import dev.tickvault.model.SeriesKey;
import dev.tickvault.model.Side;
import dev.tickvault.model.Trade;
import dev.tickvault.model.VendorBar;
import dev.tickvault.store.StorageException;
import dev.tickvault.store.StoreWriter;
import dev.tickvault.store.Table;
import dev.tickvault.store.memtable.ColumnData;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@link StoreWriter} that buffers rows per slot until {@link #commit()}. Single thread.
 *
 * <p>Trades and book updates are buffered row after row ({@link StagedRows}) and moved into exact-size columns at
 * commit, which the store then publishes without another copy; gaps go straight into columns.
 *
 * <p>Bounded: when the uncommitted rows exceed half the store's memory limit, appends fail with
 * {@link StorageException.Kind#BACK_PRESSURE} (commit more often); nothing already appended is lost.
 */
public final class BufferedStoreWriter implements StoreWriter {

    private static final int INITIAL_ROWS = 1024;
    private static final int CACHE_SIZE = 256;
    private static final int MAX_IDLE_SLOTS = 10_000;

    private final StoreEngine engine;
    private final CommitCodec codec = new CommitCodec();
    private final long pendingLimitBytes;
    /** Trades and book updates per slot, reused from commit to commit. */
    private final Map<SlotKey, StagedRows> staged = new LinkedHashMap<>();
    /**
     * Rows of the small tables (gaps, vendor bars) per slot, straight into columns; a buffer the store kept as
     * published rows (frozen) is replaced.
     */
    private final Map<SlotKey, ColumnData> gaps = new LinkedHashMap<>();
    /** What one commit hands to the store, rebuilt by every commit. */
    private final Map<SlotKey, ColumnData> sections = new LinkedHashMap<>();
    /** A direct-mapped cache from series (by identity) to its staged trades, so the hot path skips the map. */
    private final SeriesKey[] cachedSeries = new SeriesKey[CACHE_SIZE];

    private final StagedRows[] cachedTrades = new StagedRows[CACHE_SIZE];
    /** The same cache for book updates. */
    private final SeriesKey[] cachedBookSeries = new SeriesKey[CACHE_SIZE];

    private final StagedRows[] cachedBook = new StagedRows[CACHE_SIZE];
    private StagedRows lastTrades;
    private int pendingRows;
    private boolean closed;

    BufferedStoreWriter(StoreEngine engine) {
        this.engine = engine;
        this.pendingLimitBytes = engine.config().memtableLimitBytes() / 2;
    }

    public static StoreWriter create(StoreEngine engine) {
        return new BufferedStoreWriter(engine);
    }

    @Override
    public void appendTrade(
            SeriesKey series,
            long tsNanos,
            long recvTsNanos,
            long priceMantissa,
            int priceScale,
            long quantityMantissa,
            int quantityScale,
            Side side,
            long tradeId) {
        // Validate before reserving the row, so a rejected row leaves nothing half-written behind.
        java.util.Objects.requireNonNull(series, "series");
        byte sideCode = (byte) side.code();
        byte priceScaleByte = checkScale(priceScale);
        byte quantityScaleByte = checkScale(quantityScale);
        int cacheIndex = System.identityHashCode(series) & (CACHE_SIZE - 1);
        StagedRows rows = cachedSeries[cacheIndex] == series
                ? cachedTrades[cacheIndex]
                : cachedRows(Table.TRADES, series, cacheIndex, cachedSeries, cachedTrades);
        lastTrades = rows;
        int at = reserveRow(rows);
        long[] v = rows.values();
        v[at] = tsNanos;
        v[at + 1] = recvTsNanos;
        v[at + 2] = priceMantissa;
        v[at + 3] = quantityMantissa;
        v[at + 4] = tradeId;
        v[at + 5] = StagedRows.packTrade(priceScaleByte, quantityScaleByte, sideCode);
    }

    @Override
    public void appendTrade(Trade trade) {
        appendTrade(
                trade.series(),
                trade.tsNanos(),
                trade.recvTsNanos(),
                trade.price().mantissa(),
                trade.price().scale(),
                trade.quantity().mantissa(),
                trade.quantity().scale(),
                trade.side(),
                trade.tradeId());
        if (trade.tradeIdText() != null) {
            lastTrades.setLastText(trade.tradeIdText());
        }
    }

    @Override
    public void appendBookUpdate(BookUpdate update) {
        appendBookUpdate(
                update.series(),
                update.tsNanos(),
                update.recvTsNanos(),
                update.side(),
                update.price().mantissa(),
                update.price().scale(),
                update.quantity().mantissa(),
                update.quantity().scale(),
                update.firstUpdateId(),
                update.lastUpdateId(),
                update.flags());
    }

    @Override
    public void appendBookUpdate(
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
        java.util.Objects.requireNonNull(series, "series");
        byte sideCode = (byte) side.code();
        byte priceScaleByte = checkScale(priceScale);
        byte quantityScaleByte = checkScale(quantityScale);
        if (flags < 0 || flags > 0xFF) {
            throw new IllegalArgumentException("book update flags must fit one byte: " + flags);
        }
        int cacheIndex = System.identityHashCode(series) & (CACHE_SIZE - 1);
        StagedRows rows = cachedBookSeries[cacheIndex] == series
                ? cachedBook[cacheIndex]
                : cachedRows(Table.BOOK, series, cacheIndex, cachedBookSeries, cachedBook);
        int at = reserveRow(rows);
        long[] v = rows.values();
        v[at] = tsNanos;
        v[at + 1] = recvTsNanos;
        v[at + 2] = priceMantissa;
        v[at + 3] = quantityMantissa;
        v[at + 4] = firstUpdateId;
        v[at + 5] = lastUpdateId;
        v[at + 6] = StagedRows.packBook(priceScaleByte, quantityScaleByte, sideCode, flags);
    }

    @Override
    public void appendGap(GapMarker gap) {
        ensureOpen();
        ColumnData rows =
                gaps.computeIfAbsent(new SlotKey(Table.GAPS, gap.series()), k -> new ColumnData(Table.GAPS, 4));
        if (rows.size() == rows.capacity() && pendingBytes() > pendingLimitBytes) {
            throw backPressure();
        }
        int row = rows.reserve(1);
        pendingRows++;
        rows.longs(0)[row] = gap.fromNanos();
        rows.longs(Table.GAP_TO)[row] = gap.toNanos();
        rows.setString(Table.GAP_CHANNEL, row, gap.channel());
        rows.setString(Table.GAP_REASON, row, gap.reason());
    }

    @Override
    public void appendVendorBar(VendorBar bar) {
        Decimal[] values = {bar.open(), bar.high(), bar.low(), bar.close(), bar.volume()};
        byte[] scales = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            scales[i] = checkScale(values[i].scale());
        }
        ensureOpen();
        ColumnData rows =
                gaps.computeIfAbsent(new SlotKey(Table.BARS, bar.series()), k -> new ColumnData(Table.BARS, 4));
        if (rows.size() == rows.capacity() && pendingBytes() > pendingLimitBytes) {
            throw backPressure();
        }
        int row = rows.reserve(1);
        pendingRows++;
        rows.longs(Table.TS)[row] = bar.tsNanos();
        rows.longs(Table.RECV_TS)[row] = bar.recvTsNanos();
        for (int i = 0; i < values.length; i++) {
            rows.longs(Table.BAR_OPEN + i)[row] = values[i].mantissa();
            rows.bytes(i)[row] = scales[i];
        }
        rows.setString(Table.BAR_INTERVAL, row, bar.interval());
    }

    private StagedRows cachedRows(
            Table table, SeriesKey series, int cacheIndex, SeriesKey[] cacheKeys, StagedRows[] cacheValues) {
        ensureOpen();
        StagedRows rows = staged.computeIfAbsent(new SlotKey(table, series), k -> new StagedRows(table, INITIAL_ROWS));
        cacheKeys[cacheIndex] = series;
        cacheValues[cacheIndex] = rows;
        return rows;
    }

    private int reserveRow(StagedRows rows) {
        if (rows.isFull() && pendingBytes() > pendingLimitBytes) {
            throw backPressure();
        }
        pendingRows++;
        return rows.addRow();
    }

    private StorageException backPressure() {
        return new StorageException(
                StorageException.Kind.BACK_PRESSURE,
                "uncommitted rows exceed " + pendingLimitBytes + " bytes: commit more often");
    }

    private long pendingBytes() {
        long total = 0;
        for (StagedRows rows : staged.values()) {
            total += rows.sizeBytes();
        }
        for (ColumnData rows : gaps.values()) {
            total += rows.sizeBytes();
        }
        return total;
    }

    private static byte checkScale(int scale) {
        if (scale < 0 || scale > dev.tickvault.model.Decimal.MAX_SCALE) {
            throw new IllegalArgumentException("decimal scale out of range: " + scale);
        }
        return (byte) scale;
    }

    @Override
    public int pendingRows() {
        return pendingRows;
    }

    @Override
    public void commit() {
        ensureOpen();
        if (pendingRows == 0) {
            return;
        }
        sections.clear();
        for (Map.Entry<SlotKey, StagedRows> e : staged.entrySet()) {
            if (e.getValue().rows() > 0) {
                sections.put(e.getKey(), e.getValue().toColumns());
            }
        }
        for (Map.Entry<SlotKey, ColumnData> e : gaps.entrySet()) {
            if (e.getValue().size() > 0) {
                sections.put(e.getKey(), e.getValue());
            }
        }
        try {
            engine.commit(sections, codec);
        } finally {
            sections.clear();
            // A gap buffer the store kept (frozen) is published even if the commit failed after publishing it.
            gaps.replaceAll((key, rows) -> rows.isFrozen() ? new ColumnData(key.table(), 4) : rows);
        }
        clearBuffers();
    }

    private void clearBuffers() {
        if (staged.size() + gaps.size() > MAX_IDLE_SLOTS) {
            staged.clear(); // many series seen once: don't keep a buffer for each forever
            gaps.clear();
            Arrays.fill(cachedSeries, null);
            Arrays.fill(cachedTrades, null);
            Arrays.fill(cachedBookSeries, null);
            Arrays.fill(cachedBook, null);
        } else {
            staged.values().forEach(StagedRows::clear);
            gaps.values().forEach(ColumnData::clear);
        }
        lastTrades = null;
        pendingRows = 0;
    }

    @Override
    public void rollback() {
        clearBuffers();
    }

    private void ensureOpen() {
        if (closed) {
            throw new StorageException(StorageException.Kind.CLOSED, "writer is closed");
        }
    }

    @Override
    public void close() {
        if (!closed) {
            rollback();
            closed = true;
        }
    }
}
