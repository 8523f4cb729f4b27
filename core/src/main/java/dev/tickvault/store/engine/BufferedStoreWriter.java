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
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@link StoreWriter} that buffers rows per slot in columnar arrays until {@link #commit()}. Single thread.
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
    /** Buffers per slot, reused from commit to commit (the store copies what it publishes). */
    private final Map<SlotKey, ColumnData> pending = new LinkedHashMap<>();
    /** A direct-mapped cache from series (by identity) to its trade buffer, so the hot path skips the map. */
    private final SeriesKey[] cachedSeries = new SeriesKey[CACHE_SIZE];

    private final ColumnData[] cachedTrades = new ColumnData[CACHE_SIZE];
    /** The same cache for book buffers. */
    private final SeriesKey[] cachedBookSeries = new SeriesKey[CACHE_SIZE];

    private final ColumnData[] cachedBook = new ColumnData[CACHE_SIZE];
    private ColumnData lastTrades;
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
        ColumnData rows = cachedSeries[cacheIndex] == series
                ? cachedTrades[cacheIndex]
                : cachedBuffer(Table.TRADES, series, cacheIndex, cachedSeries, cachedTrades);
        lastTrades = rows;
        int row = reserveRow(rows);
        rows.longs(Table.TS)[row] = tsNanos;
        rows.longs(Table.RECV_TS)[row] = recvTsNanos;
        rows.longs(Table.PRICE)[row] = priceMantissa;
        rows.longs(Table.QTY)[row] = quantityMantissa;
        rows.longs(Table.TRADE_ID)[row] = tradeId;
        rows.bytes(Table.PRICE_SCALE)[row] = priceScaleByte;
        rows.bytes(Table.QTY_SCALE)[row] = quantityScaleByte;
        rows.bytes(Table.SIDE)[row] = sideCode;
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
            lastTrades.setString(Table.TRADE_ID_TEXT, lastTrades.size() - 1, trade.tradeIdText());
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
        ColumnData rows = cachedBookSeries[cacheIndex] == series
                ? cachedBook[cacheIndex]
                : cachedBuffer(Table.BOOK, series, cacheIndex, cachedBookSeries, cachedBook);
        int row = reserveRow(rows);
        rows.longs(Table.TS)[row] = tsNanos;
        rows.longs(Table.RECV_TS)[row] = recvTsNanos;
        rows.longs(Table.PRICE)[row] = priceMantissa;
        rows.longs(Table.QTY)[row] = quantityMantissa;
        rows.longs(Table.FIRST_UPDATE_ID)[row] = firstUpdateId;
        rows.longs(Table.LAST_UPDATE_ID)[row] = lastUpdateId;
        rows.bytes(Table.PRICE_SCALE)[row] = priceScaleByte;
        rows.bytes(Table.QTY_SCALE)[row] = quantityScaleByte;
        rows.bytes(Table.SIDE)[row] = sideCode;
        rows.bytes(Table.FLAGS)[row] = (byte) flags;
    }

    @Override
    public void appendGap(GapMarker gap) {
        ColumnData rows = buffer(Table.GAPS, gap.series());
        int row = reserveRow(rows);
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
        ColumnData rows = buffer(Table.BARS, bar.series());
        int row = reserveRow(rows);
        rows.longs(Table.TS)[row] = bar.tsNanos();
        rows.longs(Table.RECV_TS)[row] = bar.recvTsNanos();
        for (int i = 0; i < values.length; i++) {
            rows.longs(Table.BAR_OPEN + i)[row] = values[i].mantissa();
            rows.bytes(i)[row] = scales[i];
        }
        rows.setString(Table.BAR_INTERVAL, row, bar.interval());
    }

    private ColumnData cachedBuffer(
            Table table, SeriesKey series, int cacheIndex, SeriesKey[] cacheKeys, ColumnData[] cacheValues) {
        ColumnData rows = buffer(table, series);
        cacheKeys[cacheIndex] = series;
        cacheValues[cacheIndex] = rows;
        return rows;
    }

    private ColumnData buffer(Table table, SeriesKey series) {
        ensureOpen();
        return pending.computeIfAbsent(new SlotKey(table, series), k -> new ColumnData(table, INITIAL_ROWS));
    }

    private int reserveRow(ColumnData rows) {
        if (rows.size() == rows.capacity() && pendingBytes() > pendingLimitBytes) {
            throw new StorageException(
                    StorageException.Kind.BACK_PRESSURE,
                    "uncommitted rows exceed " + pendingLimitBytes + " bytes: commit more often");
        }
        pendingRows++;
        return rows.reserve(1);
    }

    private long pendingBytes() {
        long total = 0;
        for (ColumnData rows : pending.values()) {
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
        engine.commit(pending, codec);
        clearBuffers();
    }

    private void clearBuffers() {
        if (pending.size() > MAX_IDLE_SLOTS) {
            pending.clear(); // many series seen once: don't keep a buffer for each forever
            java.util.Arrays.fill(cachedSeries, null);
            java.util.Arrays.fill(cachedTrades, null);
            java.util.Arrays.fill(cachedBookSeries, null);
            java.util.Arrays.fill(cachedBook, null);
        } else {
            pending.values().forEach(ColumnData::clear);
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
