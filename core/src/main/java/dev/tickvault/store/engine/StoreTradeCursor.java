package dev.tickvault.store.engine;

import dev.tickvault.model.SeriesKey;
import dev.tickvault.model.Side;
import dev.tickvault.store.Table;
import dev.tickvault.store.TradeCursor;
import dev.tickvault.store.memtable.ColumnData;

/** A {@link TradeCursor} over the merged rows of one trade slot. */
public final class StoreTradeCursor implements TradeCursor {

    private final SeriesKey series;
    private final RowIterator rows;
    private ColumnData data;
    private int row;

    private StoreTradeCursor(SeriesKey series, MergingRowCursor rows) {
        this.series = series;
        this.rows = new RowIterator(rows);
    }

    public static TradeCursor open(StoreEngine engine, SeriesKey series, long fromNanos, long toNanos) {
        return new StoreTradeCursor(series, engine.rows(Table.TRADES, series, fromNanos, toNanos));
    }

    @Override
    public boolean next() {
        if (rows.next()) {
            data = rows.data();
            row = rows.row();
            return true;
        }
        data = null;
        return false;
    }

    @Override
    public SeriesKey series() {
        return series;
    }

    @Override
    public long tsNanos() {
        return data.longs(Table.TS)[row];
    }

    @Override
    public long recvTsNanos() {
        return data.longs(Table.RECV_TS)[row];
    }

    @Override
    public long priceMantissa() {
        return data.longs(Table.PRICE)[row];
    }

    @Override
    public int priceScale() {
        return data.bytes(Table.PRICE_SCALE)[row];
    }

    @Override
    public long quantityMantissa() {
        return data.longs(Table.QTY)[row];
    }

    @Override
    public int quantityScale() {
        return data.bytes(Table.QTY_SCALE)[row];
    }

    @Override
    public Side side() {
        return Side.ofCode(data.bytes(Table.SIDE)[row]);
    }

    @Override
    public long tradeId() {
        return data.longs(Table.TRADE_ID)[row];
    }

    @Override
    public String tradeIdText() {
        return data.string(Table.TRADE_ID_TEXT, row);
    }

    @Override
    public void close() {
        data = null;
        rows.close();
    }
}
