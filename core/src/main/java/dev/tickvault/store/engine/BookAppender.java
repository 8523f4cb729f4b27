package dev.tickvault.store.engine;

import dev.tickvault.store.Table;
import dev.tickvault.store.memtable.ColumnData;

/**
 * As {@link TradeAppender}, for one series' book buffer: one reserve and ten plain array stores per update. The
 * buffer's arrays are re-read whenever its capacity changed (the only time they are replaced).
 *
 * <p>Not thread-safe: owned with its {@link WriterBuffers} set.
 */
final class BookAppender {

    /** The buffer appended to. */
    final ColumnData rows;
    /** {@link #rows}' capacity when the arrays below were read. */
    private int capacity;

    private long[] tsNanos;
    private long[] recvTsNanos;
    private long[] priceMantissas;
    private long[] quantityMantissas;
    private long[] firstUpdateIds;
    private long[] lastUpdateIds;
    private byte[] priceScales;
    private byte[] quantityScales;
    private byte[] sideCodes;
    private byte[] flags;

    BookAppender(ColumnData rows) {
        if (rows.table() != Table.BOOK) {
            throw new IllegalArgumentException("not a book buffer: " + rows.table());
        }
        this.rows = rows;
        readArrays();
    }

    /** Whether the next row makes the buffer grow (the writer checks its memory limit before that). */
    boolean full() {
        return rows.size() == rows.capacity();
    }

    /** Appends one update (values already validated); grows the buffer when full. */
    void append(
            long tsNanos,
            long recvTsNanos,
            long priceMantissa,
            long quantityMantissa,
            long firstUpdateId,
            long lastUpdateId,
            byte priceScale,
            byte quantityScale,
            byte sideCode,
            byte flags) {
        ColumnData rows = this.rows;
        int row = rows.reserve(1);
        if (rows.capacity() != capacity) {
            readArrays();
        }
        this.tsNanos[row] = tsNanos;
        this.recvTsNanos[row] = recvTsNanos;
        priceMantissas[row] = priceMantissa;
        quantityMantissas[row] = quantityMantissa;
        firstUpdateIds[row] = firstUpdateId;
        lastUpdateIds[row] = lastUpdateId;
        priceScales[row] = priceScale;
        quantityScales[row] = quantityScale;
        sideCodes[row] = sideCode;
        this.flags[row] = flags;
    }

    private void readArrays() {
        capacity = rows.capacity();
        tsNanos = rows.longs(Table.TS);
        recvTsNanos = rows.longs(Table.RECV_TS);
        priceMantissas = rows.longs(Table.PRICE);
        quantityMantissas = rows.longs(Table.QTY);
        firstUpdateIds = rows.longs(Table.FIRST_UPDATE_ID);
        lastUpdateIds = rows.longs(Table.LAST_UPDATE_ID);
        priceScales = rows.bytes(Table.PRICE_SCALE);
        quantityScales = rows.bytes(Table.QTY_SCALE);
        sideCodes = rows.bytes(Table.SIDE);
        flags = rows.bytes(Table.FLAGS);
    }
}
