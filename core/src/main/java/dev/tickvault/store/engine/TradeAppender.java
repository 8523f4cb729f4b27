package dev.tickvault.store.engine;

import dev.tickvault.store.Table;
import dev.tickvault.store.memtable.ColumnData;

/**
 * A {@link ColumnAppender} into one series' trade buffer: one reserve and eight plain array stores per trade.
 *
 * <p>Not thread-safe: owned with its {@link WriterBuffers} set.
 */
final class TradeAppender extends ColumnAppender {

    private long[] tsNanos;
    private long[] recvTsNanos;
    private long[] priceMantissas;
    private long[] quantityMantissas;
    private long[] tradeIds;
    private byte[] priceScales;
    private byte[] quantityScales;
    private byte[] sideCodes;

    TradeAppender(ColumnData rows) {
        super(rows, Table.TRADES);
        readArrays();
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
        int row = reserveRow();
        this.tsNanos[row] = tsNanos;
        this.recvTsNanos[row] = recvTsNanos;
        priceMantissas[row] = priceMantissa;
        quantityMantissas[row] = quantityMantissa;
        tradeIds[row] = tradeId;
        priceScales[row] = priceScale;
        quantityScales[row] = quantityScale;
        sideCodes[row] = sideCode;
    }

    @Override
    void readArrays() {
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
