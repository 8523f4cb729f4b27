package dev.tickvault.sample;

/**
 * A reusable block of trades in primitive columns, filled by {@link SyntheticTrades#next(SyntheticTradeBatch)}. Row
 * {@code i < size()} of every array describes one trade; the instrument is an index into
 * {@link SyntheticTrades#instruments()}. Side codes are those of {@link dev.tickvault.model.Side} (1 buy, 2 sell).
 * The arrays are public so that producers and benchmarks can fill and read them without per-row calls. Not
 * thread-safe.
 */
public final class SyntheticTradeBatch {

    public final byte[] instrument;
    public final long[] tsNanos;
    public final long[] recvTsNanos;
    public final long[] priceMantissa;
    public final byte[] priceScale;
    public final long[] quantityMantissa;
    public final byte[] quantityScale;
    public final byte[] side;
    public final long[] tradeId;
    private int size;

    public SyntheticTradeBatch(int capacity) {
        instrument = new byte[capacity];
        tsNanos = new long[capacity];
        recvTsNanos = new long[capacity];
        priceMantissa = new long[capacity];
        priceScale = new byte[capacity];
        quantityMantissa = new long[capacity];
        quantityScale = new byte[capacity];
        side = new byte[capacity];
        tradeId = new long[capacity];
    }

    public int capacity() {
        return tsNanos.length;
    }

    /** Sets the number of filled rows (for producers other than {@link SyntheticTrades}). */
    public void size(int rows) {
        if (rows < 0 || rows > capacity()) {
            throw new IllegalArgumentException("size " + rows + " outside [0, " + capacity() + "]");
        }
        size = rows;
    }

    /** Rows filled by the last {@code next} call. */
    public int size() {
        return size;
    }

    public int instrument(int row) {
        return instrument[row];
    }

    public long tsNanos(int row) {
        return tsNanos[row];
    }

    public long recvTsNanos(int row) {
        return recvTsNanos[row];
    }

    public long priceMantissa(int row) {
        return priceMantissa[row];
    }

    public int priceScale(int row) {
        return priceScale[row];
    }

    public long quantityMantissa(int row) {
        return quantityMantissa[row];
    }

    public int quantityScale(int row) {
        return quantityScale[row];
    }

    /** The {@link dev.tickvault.model.Side} code: 1 buy, 2 sell. */
    public int side(int row) {
        return side[row];
    }

    public long tradeId(int row) {
        return tradeId[row];
    }

    /** Sides by code, so {@link #appendTo} maps a row's side byte without a call. */
    private static final dev.tickvault.model.Side[] SIDES_BY_CODE = {
        dev.tickvault.model.Side.ofCode(0), dev.tickvault.model.Side.ofCode(1), dev.tickvault.model.Side.ofCode(2)
    };

    /**
     * Appends rows {@code [from, to)} to {@code writer} (no commit); {@code series} maps instrument indexes to series
     * keys. One call per range, the loop here reading the arrays, as a feed handler calls the writer: a call per row
     * from the caller's loop was not inlined by the JIT once that loop was compiled on its own (5-10 ns per row).
     */
    public void appendTo(
            dev.tickvault.store.StoreWriter writer, dev.tickvault.model.SeriesKey[] series, int from, int to) {
        java.util.Objects.checkFromToIndex(from, to, size);
        byte[] instrument = this.instrument;
        long[] tsNanos = this.tsNanos;
        long[] recvTsNanos = this.recvTsNanos;
        long[] priceMantissa = this.priceMantissa;
        byte[] priceScale = this.priceScale;
        long[] quantityMantissa = this.quantityMantissa;
        byte[] quantityScale = this.quantityScale;
        byte[] side = this.side;
        long[] tradeId = this.tradeId;
        for (int row = from; row < to; row++) {
            writer.appendTrade(
                    series[instrument[row]],
                    tsNanos[row],
                    recvTsNanos[row],
                    priceMantissa[row],
                    priceScale[row],
                    quantityMantissa[row],
                    quantityScale[row],
                    SIDES_BY_CODE[side[row]],
                    tradeId[row]);
        }
    }

    /**
     * The rows of one instrument ({@code -1}: every row) as the store's trades table holds them, sorted by time: what
     * the trade-block encoder is fed (golden-bytes tests, CPU probes).
     */
    public dev.tickvault.store.memtable.ColumnData columnsOf(int instrument) {
        var rows = new dev.tickvault.store.memtable.ColumnData(dev.tickvault.store.Table.TRADES, 1 << 12);
        for (int i = 0; i < size; i++) {
            if (instrument >= 0 && this.instrument[i] != instrument) {
                continue;
            }
            int row = rows.reserve(1);
            rows.longs(dev.tickvault.store.Table.TS)[row] = tsNanos[i];
            rows.longs(dev.tickvault.store.Table.RECV_TS)[row] = recvTsNanos[i];
            rows.longs(dev.tickvault.store.Table.PRICE)[row] = priceMantissa[i];
            rows.longs(dev.tickvault.store.Table.QTY)[row] = quantityMantissa[i];
            rows.longs(dev.tickvault.store.Table.TRADE_ID)[row] = tradeId[i];
            rows.bytes(dev.tickvault.store.Table.PRICE_SCALE)[row] = priceScale[i];
            rows.bytes(dev.tickvault.store.Table.QTY_SCALE)[row] = quantityScale[i];
            rows.bytes(dev.tickvault.store.Table.SIDE)[row] = side[i];
        }
        return rows.sortedByTime();
    }
}
