package dev.tickvault.store.engine;

import dev.tickvault.model.SeriesKey;
import dev.tickvault.store.Table;
import dev.tickvault.store.TradeBatchCursor;
import dev.tickvault.store.TradeColumn;
import dev.tickvault.store.memtable.ColumnData;
import java.util.EnumSet;
import java.util.Set;

/**
 * A {@link TradeBatchCursor} handing out the decoded column arrays of each merged run, without copying. Opened on a
 * set of columns, it decodes only those and refuses to hand out the others.
 */
public final class StoreTradeBatchCursor implements TradeBatchCursor {

    private final SeriesKey series;
    private final MergingRowCursor runs;
    /** The columns asked for; null: every column. */
    private final Set<TradeColumn> columns;

    private ColumnData data;
    private int offset;

    private StoreTradeBatchCursor(SeriesKey series, MergingRowCursor runs, Set<TradeColumn> columns) {
        this.series = series;
        this.runs = runs;
        this.columns = columns;
    }

    /** A cursor over {@code rows} of {@code series}, every column: for {@link DecoderWarmUp}, which opens its own. */
    static TradeBatchCursor over(SeriesKey series, MergingRowCursor rows) {
        return new StoreTradeBatchCursor(series, rows, null);
    }

    public static TradeBatchCursor open(StoreEngine engine, SeriesKey series, long fromNanos, long toNanos) {
        return new StoreTradeBatchCursor(series, engine.rows(Table.TRADES, series, fromNanos, toNanos), null);
    }

    /**
     * A cursor decoding only {@code columns} (not empty) of trade blocks; the time column is decoded in any case (it
     * orders and bounds the rows) but handed out only when asked for, like every other column.
     */
    public static TradeBatchCursor open(
            StoreEngine engine, SeriesKey series, long fromNanos, long toNanos, Set<TradeColumn> columns) {
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("no trade columns asked for: name at least one TradeColumn");
        }
        Set<TradeColumn> asked = EnumSet.copyOf(columns);
        int sections = TradeColumn.sections(asked) | 1; // section 0, the times: always
        return new StoreTradeBatchCursor(
                series, engine.rows(Table.TRADES, series, fromNanos, toNanos, sections), asked);
    }

    /** Throws unless {@code column} was asked for. */
    private void check(TradeColumn column) {
        if (columns != null && !columns.contains(column)) {
            throw new IllegalStateException("trade column " + column + " (" + column.columnName()
                    + ") was not asked for: this cursor reads only " + columns);
        }
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
        check(TradeColumn.TS);
        return data.longs(Table.TS);
    }

    @Override
    public long[] recvTsNanos() {
        check(TradeColumn.RECV_TS);
        return data.longs(Table.RECV_TS);
    }

    @Override
    public long[] priceMantissas() {
        check(TradeColumn.PRICE);
        return data.longs(Table.PRICE);
    }

    @Override
    public byte[] priceScales() {
        check(TradeColumn.PRICE_SCALE);
        return data.bytes(Table.PRICE_SCALE);
    }

    @Override
    public long[] quantityMantissas() {
        check(TradeColumn.QUANTITY);
        return data.longs(Table.QTY);
    }

    @Override
    public byte[] quantityScales() {
        check(TradeColumn.QUANTITY_SCALE);
        return data.bytes(Table.QTY_SCALE);
    }

    @Override
    public byte[] sides() {
        check(TradeColumn.SIDE);
        return data.bytes(Table.SIDE);
    }

    @Override
    public long[] tradeIds() {
        check(TradeColumn.TRADE_ID);
        return data.longs(Table.TRADE_ID);
    }

    @Override
    public String tradeIdText(int row) {
        check(TradeColumn.TRADE_ID_TEXT);
        return data.string(Table.TRADE_ID_TEXT, row);
    }

    @Override
    public void close() {
        data = null;
        runs.close();
    }
}
