package dev.tickvault.store.engine;

import dev.tickvault.model.SeriesKey;
import dev.tickvault.store.Table;
import dev.tickvault.store.TradeBatchCursor;
import dev.tickvault.store.memtable.ColumnData;

/** A {@link TradeBatchCursor} handing out the decoded column arrays of each merged run, without copying. */
public final class StoreTradeBatchCursor implements TradeBatchCursor {

    private final SeriesKey series;
    private final MergingRowCursor runs;
    private ColumnData data;
    private int offset;

    private StoreTradeBatchCursor(SeriesKey series, MergingRowCursor runs) {
        this.series = series;
        this.runs = runs;
    }

    public static TradeBatchCursor open(StoreEngine engine, SeriesKey series, long fromNanos, long toNanos) {
        return new StoreTradeBatchCursor(series, engine.rows(Table.TRADES, series, fromNanos, toNanos));
    }

    @Override
    public int next() {
        int n = runs.nextRun();
        if (n == 0) {
            data = null;
            return 0;
        }
        data = runs.data();
        offset = runs.row();
        return n;
    }

    @Override
    public SeriesKey series() {
        return series;
    }

    @Override
    public int offset() {
        return offset;
    }

    @Override
    public long[] tsNanos() {
        return data.longs(Table.TS);
    }

    @Override
    public long[] recvTsNanos() {
        return data.longs(Table.RECV_TS);
    }

    @Override
    public long[] priceMantissas() {
        return data.longs(Table.PRICE);
    }

    @Override
    public byte[] priceScales() {
        return data.bytes(Table.PRICE_SCALE);
    }

    @Override
    public long[] quantityMantissas() {
        return data.longs(Table.QTY);
    }

    @Override
    public byte[] quantityScales() {
        return data.bytes(Table.QTY_SCALE);
    }

    @Override
    public byte[] sides() {
        return data.bytes(Table.SIDE);
    }

    @Override
    public long[] tradeIds() {
        return data.longs(Table.TRADE_ID);
    }

    @Override
    public String tradeIdText(int row) {
        return data.string(Table.TRADE_ID_TEXT, row);
    }

    @Override
    public void close() {
        data = null;
        runs.close();
    }
}
