package dev.tickvault.bench;

/**
 * A reusable block of trades in primitive columns, filled by {@link SyntheticTrades#next(SyntheticTradeBatch)}. Row
 * {@code i < size()} of every array describes one trade; the instrument is an index into
 * {@link SyntheticTrades#instruments()}. Side codes are those of {@link dev.tickvault.model.Side} (1 buy, 2 sell).
 * Not thread-safe.
 */
public final class SyntheticTradeBatch {

    final byte[] instrument;
    final long[] tsNanos;
    final long[] recvTsNanos;
    final long[] priceMantissa;
    final byte[] priceScale;
    final long[] quantityMantissa;
    final byte[] quantityScale;
    final byte[] side;
    final long[] tradeId;
    int size;

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
}
