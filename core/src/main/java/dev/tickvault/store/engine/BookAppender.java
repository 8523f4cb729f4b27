package dev.tickvault.store.engine;

import dev.tickvault.store.Table;
import dev.tickvault.store.memtable.ColumnData;

/**
 * A {@link ColumnAppender} into one series' book buffer: one reserve and ten plain array stores per update.
 *
 * <p>Not thread-safe: owned with its {@link WriterBuffers} set.
 */
final class BookAppender extends ColumnAppender {

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
        super(rows, Table.BOOK);
        readArrays();
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
        int row = reserveRow();
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

    @Override
    void readArrays() {
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
