package dev.tickvault.store.engine;

import dev.tickvault.model.SeriesKey;
import dev.tickvault.store.BookUpdateBatchCursor;
import dev.tickvault.store.Table;
import dev.tickvault.store.memtable.ColumnData;

/** A {@link BookUpdateBatchCursor} handing out the decoded column arrays of each merged run, without copying. */
public final class StoreBookUpdateBatchCursor implements BookUpdateBatchCursor {

    private final SeriesKey series;
    private final MergingRowCursor runs;
    private ColumnData data;
    private int offset;

    private StoreBookUpdateBatchCursor(SeriesKey series, MergingRowCursor runs) {
        this.series = series;
        this.runs = runs;
    }

    public static BookUpdateBatchCursor open(StoreEngine engine, SeriesKey series, long fromNanos, long toNanos) {
        return new StoreBookUpdateBatchCursor(series, engine.rows(Table.BOOK, series, fromNanos, toNanos));
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
    public long[] firstUpdateIds() {
        return data.longs(Table.FIRST_UPDATE_ID);
    }

    @Override
    public long[] lastUpdateIds() {
        return data.longs(Table.LAST_UPDATE_ID);
    }

    @Override
    public byte[] flags() {
        return data.bytes(Table.FLAGS);
    }

    @Override
    public void close() {
        data = null;
        runs.close();
    }
}
