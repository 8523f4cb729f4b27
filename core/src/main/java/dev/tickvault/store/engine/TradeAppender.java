package dev.tickvault.store.engine;

import dev.tickvault.store.Table;
import dev.tickvault.store.memtable.ColumnData;

/**
 * The writer's per-row path into one series' trade buffer of one {@link WriterBuffers} set: holds the buffer's column
 * arrays as fields, so appending a row is one reserve and eight plain array stores (no lookup of each column through
 * the buffer's array of arrays). The buffer's arrays are replaced only when it grows, which changes its capacity; the
 * appender re-reads them then, so it stays right after any growth, its own or not.
 *
 * <p>Not thread-safe: owned with its set (the writer's thread while rows are appended).
 */
final class TradeAppender {

    /** The buffer appended to. */
    final ColumnData rows;
    /** {@link #rows}' capacity when the arrays below were read. */
    private int capacity;

    private long[] tsNanos;
    private long[] recvTsNanos;
    private long[] priceMantissas;
    private long[] quantityMantissas;
    private long[] tradeIds;
    private byte[] priceScales;
    private byte[] quantityScales;
    private byte[] sideCodes;

    TradeAppender(ColumnData rows) {
        if (rows.table() != Table.TRADES) {
            throw new IllegalArgumentException("not a trades buffer: " + rows.table());
        }
        this.rows = rows;
        readArrays();
    }

    /** Whether the next row makes the buffer grow (the writer checks its memory limit before that). */
    boolean full() {
        return rows.size() == rows.capacity();
    }

    /** Appends one row (values already validated); grows the buffer when full. */
    void append(
            long tsNanos,
            long recvTsNanos,
            long priceMantissa,
            long quantityMantissa,
            long tradeId,
            byte priceScale,
            byte quantityScale,
            byte sideCode) {
        ColumnData rows = this.rows;
        int row = rows.reserve(1);
        if (rows.capacity() != capacity) {
            readArrays();
        }
        this.tsNanos[row] = tsNanos;
        this.recvTsNanos[row] = recvTsNanos;
        priceMantissas[row] = priceMantissa;
        quantityMantissas[row] = quantityMantissa;
        tradeIds[row] = tradeId;
        priceScales[row] = priceScale;
        quantityScales[row] = quantityScale;
        sideCodes[row] = sideCode;
    }

    private void readArrays() {
        capacity = rows.capacity();
        tsNanos = rows.longs(Table.TS);
        recvTsNanos = rows.longs(Table.RECV_TS);
        priceMantissas = rows.longs(Table.PRICE);
        quantityMantissas = rows.longs(Table.QTY);
        tradeIds = rows.longs(Table.TRADE_ID);
        priceScales = rows.bytes(Table.PRICE_SCALE);
        quantityScales = rows.bytes(Table.QTY_SCALE);
        sideCodes = rows.bytes(Table.SIDE);
    }
}
