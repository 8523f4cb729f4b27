package dev.tickvault.store.engine;

import dev.tickvault.store.Table;
import dev.tickvault.store.memtable.ColumnData;
import java.util.Arrays;

/**
 * The writer's per-row path into one series' trades: rows are appended in <b>tiles</b> and copied into the slot's
 * {@link ColumnData} columns by {@link #materialize()} before they are committed.
 *
 * <p>Why tiles: appending straight into the columns wrote eight arrays per series — with 20 series, 160 interleaved
 * write streams, more than the hardware prefetchers follow, so most cache lines the writer filled arrived on demand.
 * Here the five long columns of 8 consecutive rows share one tile of 40 longs (a cache line per column, side by side)
 * and the three byte columns of 64 rows one tile of 192 bytes: two sequential write streams per series. {@code
 * WriterAppendProbe --mode scatter-tiled} against {@code scatter} measured the difference for plain stores (see
 * docs/BENCHMARKS.md, session 12). The copy into columns runs on the thread that commits (the committer for {@code
 * commitAsync()}), a sequential pass per series.
 *
 * <p>Layout: row {@code r}'s long column {@code c} is at {@code (r / 8) * 40 + c * 8 + r % 8}, its byte column
 * {@code c} at {@code (r / 64) * 192 + c * 64 + r % 64}; the capacity is a multiple of 64 rows, so growth is a copy of
 * both arrays' prefixes. String values (a trade id given as text, rare) go to the column data directly.
 *
 * <p>Bounded: the tiles grow like a column buffer, by half again, only after the writer's memory bound was checked
 * ({@link #full()}); {@link #sizeBytes()} counts the tiles (the columns they fill for a commit, at most as many bytes
 * again, are reused staging and not counted).
 *
 * <p>Not thread-safe: owned with its {@link WriterBuffers} set (the writer's thread while rows are appended, the
 * committer's while the set is committed).
 */
final class TradeAppender {

    /** Rows per long tile: one 64-byte cache line per column. */
    static final int LONG_TILE_ROWS = 8;
    /** Rows per byte tile: one 64-byte cache line per column; also the unit of capacity. */
    static final int BYTE_TILE_ROWS = 64;

    private static final int LONG_COLUMNS = 5;
    private static final int BYTE_COLUMNS = 3;
    private static final int LONG_TILE = LONG_TILE_ROWS * LONG_COLUMNS;
    private static final int BYTE_TILE = BYTE_TILE_ROWS * BYTE_COLUMNS;
    /** The slot's column data: the columns {@link #materialize()} fills, and the trade id text. */
    final ColumnData rows;

    private long[] longTiles;
    private byte[] byteTiles;
    /** Rows appended since the last {@link #clear()}. */
    private int size;
    /** Rows the tiles hold: a multiple of {@link #BYTE_TILE_ROWS}. */
    private int capacity;
    /**
     * {@link #size} when {@link #materialize(int)} last copied rows, or -1: rows are only appended between clears, so
     * an equal size means the parts in {@link #materializedParts} already hold every row.
     */
    private int materializedSize = -1;
    /** The parts ({@link #longColumnPart}, {@link #BYTE_COLUMNS_PART}) copied for {@link #materializedSize} rows. */
    private int materializedParts;

    /** The part of {@link #materialize(int)} that is long column {@code column}. */
    static int longColumnPart(int column) {
        return 1 << column;
    }

    /** The part of {@link #materialize(int)} that is the three byte columns. */
    static final int BYTE_COLUMNS_PART = 1 << LONG_COLUMNS;
    /** The parts of the five long columns. */
    private static final int ALL_LONG_PARTS = (1 << LONG_COLUMNS) - 1;
    /** Every part: all numeric columns. */
    static final int ALL_PARTS = (1 << (LONG_COLUMNS + 1)) - 1;

    TradeAppender(ColumnData rows) {
        if (rows.table() != Table.TRADES) {
            throw new IllegalArgumentException("not a " + Table.TRADES + " buffer: " + rows.table());
        }
        if (rows.table().longColumns().size() != LONG_COLUMNS
                || rows.table().byteColumns().size() != BYTE_COLUMNS) {
            throw new IllegalStateException("trade tiles expect 5 long and 3 byte columns");
        }
        this.rows = rows;
        capacity = roundUp(Math.max(1, rows.capacity()));
        longTiles = new long[capacity / LONG_TILE_ROWS * LONG_TILE];
        byteTiles = new byte[capacity / BYTE_TILE_ROWS * BYTE_TILE];
    }

    /** Whether the next row makes the tiles grow (the writer checks its memory limit before that). */
    boolean full() {
        return size == capacity;
    }

    /** Rows appended since the last clear. */
    int size() {
        return size;
    }

    /** Appends one row (values already validated); grows the tiles when full. */
    void append(
            long tsNanos,
            long recvTsNanos,
            long priceMantissa,
            long quantityMantissa,
            long tradeId,
            byte priceScale,
            byte quantityScale,
            byte sideCode) {
        int row = size;
        if (row == capacity) {
            grow();
        }
        long[] longs = longTiles;
        int at = (row >>> 3) * LONG_TILE + (row & (LONG_TILE_ROWS - 1));
        longs[at] = tsNanos;
        longs[at + LONG_TILE_ROWS] = recvTsNanos;
        longs[at + 2 * LONG_TILE_ROWS] = priceMantissa;
        longs[at + 3 * LONG_TILE_ROWS] = quantityMantissa;
        longs[at + 4 * LONG_TILE_ROWS] = tradeId;
        byte[] bytes = byteTiles;
        int byteAt = (row >>> 6) * BYTE_TILE + (row & (BYTE_TILE_ROWS - 1));
        bytes[byteAt] = priceScale;
        bytes[byteAt + BYTE_TILE_ROWS] = quantityScale;
        bytes[byteAt + 2 * BYTE_TILE_ROWS] = sideCode;
        size = row + 1;
    }

    /** Sets string column {@code column} of the last row appended (there must be one). */
    void setStringOfLastRow(int column, String value) {
        if (size == 0) {
            throw new IllegalStateException("no row appended");
        }
        if (value == null && rows.strings(column) == null) {
            return;
        }
        rows.ensureCapacity(size);
        rows.setString(column, size - 1, value);
    }

    /**
     * Copies the rows appended into {@link #rows}' numeric columns and sets its size to {@link #size()} (its string
     * values stay). Repeatable: a call after rows were appended copies every row again; one after none were copies
     * only the columns not copied yet (the writer's thread may have copied some before the committer's call).
     */
    void materialize() {
        materialize(ALL_PARTS);
    }

    /**
     * As {@link #materialize()} for the columns in {@code parts} only ({@link #longColumnPart}, {@link
     * #BYTE_COLUMNS_PART}): the rows' size is set, the other columns are left as they are until a later call.
     */
    void materialize(int parts) {
        int n = size;
        if (n != materializedSize) {
            rows.ensureCapacity(n);
            rows.setSize(n);
            materializedSize = n;
            materializedParts = 0;
        }
        int todo = parts & ~materializedParts;
        if (todo == 0) {
            return;
        }
        materializedParts |= todo;
        if ((todo & ALL_LONG_PARTS) == ALL_LONG_PARTS) {
            copyLongColumns(rows, n);
            todo &= ~ALL_LONG_PARTS;
        }
        for (int c = 0; c < LONG_COLUMNS; c++) {
            if ((todo & longColumnPart(c)) != 0) {
                copyLongColumn(c, n);
            }
        }
        if ((todo & BYTE_COLUMNS_PART) != 0) {
            copyByteColumns(rows, n);
        }
    }

    /** Whether {@link #rows} holds string values (trade ids given as text): then they may be set. */
    boolean hasStrings() {
        for (int c = 0; c < rows.table().stringColumns().size(); c++) {
            if (rows.strings(c) != null) {
                return true;
            }
        }
        return false;
    }

    /**
     * Copies every numeric column of the rows appended into {@code staging} (sized to {@link #size()} rows) instead of
     * into {@link #rows}, whose size is set as {@link #materialize(int)} sets it with no column copied (a later
     * {@link #materialize()} copies them all). For the writer's pre-encode: one staging set reused for every series
     * stays in this core's caches, where the series' own columns, written once per commit, are not. The rows must
     * hold no string values ({@link #hasStrings()}): {@code staging} gets none.
     */
    void copyInto(ColumnData staging) {
        if (staging.table() != Table.TRADES) {
            throw new IllegalArgumentException("not a " + Table.TRADES + " buffer: " + staging.table());
        }
        materialize(0);
        int n = size;
        staging.ensureCapacity(n);
        staging.setSize(n);
        copyLongColumns(staging, n);
        copyByteColumns(staging, n);
    }

    /**
     * Copies long column {@code c} of the first {@code n} rows: one cache line per tile, the lines of the other columns
     * untouched.
     */
    private void copyLongColumn(int c, int n) {
        long[] column = rows.longs(c);
        long[] longs = longTiles;
        int whole = n & -LONG_TILE_ROWS;
        int at = c * LONG_TILE_ROWS;
        for (int row = 0; row < whole; row += LONG_TILE_ROWS, at += LONG_TILE) {
            System.arraycopy(longs, at, column, row, LONG_TILE_ROWS);
        }
        if (n > whole) {
            System.arraycopy(longs, at, column, whole, n - whole);
        }
    }

    /**
     * Copies all five long columns of the first {@code n} rows in one sequential pass over the tiles (a read stream
     * and five write streams), eight values a column at a time; {@link #copyLongColumn} per column would pass over
     * the tiles five times.
     */
    private void copyLongColumns(ColumnData target, int n) {
        long[] ts = target.longs(Table.TS);
        long[] recv = target.longs(Table.RECV_TS);
        long[] price = target.longs(Table.PRICE);
        long[] qty = target.longs(Table.QTY);
        long[] id = target.longs(Table.TRADE_ID);
        long[] longs = longTiles;
        int whole = n & -LONG_TILE_ROWS;
        int at = 0;
        for (int row = 0; row < whole; row += LONG_TILE_ROWS, at += LONG_TILE) {
            copyTileLine(longs, at, ts, row);
            copyTileLine(longs, at + LONG_TILE_ROWS, recv, row);
            copyTileLine(longs, at + 2 * LONG_TILE_ROWS, price, row);
            copyTileLine(longs, at + 3 * LONG_TILE_ROWS, qty, row);
            copyTileLine(longs, at + 4 * LONG_TILE_ROWS, id, row);
        }
        if (n > whole) {
            for (int c = 0; c < LONG_COLUMNS; c++) {
                System.arraycopy(longs, at + c * LONG_TILE_ROWS, target.longs(c), whole, n - whole);
            }
        }
    }

    /** Copies one tile's line of a long column ({@link #LONG_TILE_ROWS} values) to {@code column[row, row + 8)}. */
    private static void copyTileLine(long[] tiles, int at, long[] column, int row) {
        column[row] = tiles[at];
        column[row + 1] = tiles[at + 1];
        column[row + 2] = tiles[at + 2];
        column[row + 3] = tiles[at + 3];
        column[row + 4] = tiles[at + 4];
        column[row + 5] = tiles[at + 5];
        column[row + 6] = tiles[at + 6];
        column[row + 7] = tiles[at + 7];
    }

    private void copyByteColumns(ColumnData target, int n) {
        byte[] priceScales = target.bytes(Table.PRICE_SCALE);
        byte[] quantityScales = target.bytes(Table.QTY_SCALE);
        byte[] sides = target.bytes(Table.SIDE);
        byte[] bytes = byteTiles;
        for (int row = 0, at = 0; row < n; row += BYTE_TILE_ROWS, at += BYTE_TILE) {
            int length = Math.min(BYTE_TILE_ROWS, n - row);
            System.arraycopy(bytes, at, priceScales, row, length);
            System.arraycopy(bytes, at + BYTE_TILE_ROWS, quantityScales, row, length);
            System.arraycopy(bytes, at + 2 * BYTE_TILE_ROWS, sides, row, length);
        }
    }

    /** Forgets the rows appended (the tiles are kept for reuse; {@link #rows} is cleared by its owner). */
    void clear() {
        size = 0;
        materializedSize = -1;
    }

    /**
     * Memory of this slot's trades that counts against the writer's bound: the tiles and the trade id texts. The
     * numeric columns {@link #materialize()} fills are a staging copy for the commit, kept for reuse and not counted:
     * they hold at most as many rows as the tiles did (as many bytes again, at most).
     */
    long sizeBytes() {
        return 8L * longTiles.length + byteTiles.length + rows.stringSizeBytes();
    }

    private void grow() {
        int newCapacity = roundUp(capacity + (capacity >> 1) + BYTE_TILE_ROWS);
        longTiles = Arrays.copyOf(longTiles, newCapacity / LONG_TILE_ROWS * LONG_TILE);
        byteTiles = Arrays.copyOf(byteTiles, newCapacity / BYTE_TILE_ROWS * BYTE_TILE);
        capacity = newCapacity;
    }

    /** {@code rows} rounded up to a whole number of byte tiles. */
    private static int roundUp(int rows) {
        return Math.addExact(rows, BYTE_TILE_ROWS - 1) & -BYTE_TILE_ROWS;
    }
}
