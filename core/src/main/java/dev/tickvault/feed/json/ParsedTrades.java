package dev.tickvault.feed.json;

import dev.tickvault.feed.FeedSink;
import dev.tickvault.model.SeriesKey;
import dev.tickvault.model.Side;
import java.util.Arrays;

/**
 * The trades of one message as parsed, delivered only once the whole frame parsed (a frame that fails half way
 * delivers nothing). Bounded by {@link #maxTrades()}; {@link #add} refuses more.
 *
 * <p>Not thread-safe; reused from message to message.
 *
 * @param <S> what a trade belongs to (the handler's per-symbol state)
 */
public final class ParsedTrades<S> {

    private final int maxTrades;
    private Object[] owners = new Object[16];
    private byte[] sides = new byte[16];
    private long[] priceMantissas = new long[16];
    private byte[] priceScales = new byte[16];
    private long[] quantityMantissas = new long[16];
    private byte[] quantityScales = new byte[16];
    private long[] tsNanos = new long[16];
    private long[] tradeIds = new long[16];
    private int size;
    private int[] order = new int[16];

    /** How two parsed trades are ordered for delivery (by their indices), as {@link java.util.Comparator}. */
    @FunctionalInterface
    public interface Order {
        int compare(int a, int b);
    }

    public ParsedTrades(int maxTrades) {
        if (maxTrades < 1) {
            throw new IllegalArgumentException("maxTrades must be positive: " + maxTrades);
        }
        this.maxTrades = maxTrades;
    }

    public int maxTrades() {
        return maxTrades;
    }

    public void clear() {
        Arrays.fill(owners, 0, size, null);
        size = 0;
    }

    public int size() {
        return size;
    }

    /** Appends one trade; returns false (adding nothing) when full. */
    public boolean add(
            S owner, Side side, long pMantissa, int pScale, long qMantissa, int qScale, long ts, long tradeId) {
        if (size == maxTrades) {
            return false;
        }
        if (size == sides.length) {
            int capacity = Math.min(maxTrades, size * 2);
            owners = Arrays.copyOf(owners, capacity);
            sides = Arrays.copyOf(sides, capacity);
            priceMantissas = Arrays.copyOf(priceMantissas, capacity);
            priceScales = Arrays.copyOf(priceScales, capacity);
            quantityMantissas = Arrays.copyOf(quantityMantissas, capacity);
            quantityScales = Arrays.copyOf(quantityScales, capacity);
            tsNanos = Arrays.copyOf(tsNanos, capacity);
            tradeIds = Arrays.copyOf(tradeIds, capacity);
        }
        owners[size] = owner;
        sides[size] = (byte) side.code();
        priceMantissas[size] = pMantissa;
        priceScales[size] = (byte) pScale;
        quantityMantissas[size] = qMantissa;
        quantityScales[size] = (byte) qScale;
        tsNanos[size] = ts;
        tradeIds[size] = tradeId;
        size++;
        return true;
    }

    @SuppressWarnings("unchecked")
    public S owner(int i) {
        return (S) owners[i];
    }

    public Side side(int i) {
        return Side.ofCode(sides[i]);
    }

    public long priceMantissa(int i) {
        return priceMantissas[i];
    }

    public int priceScale(int i) {
        return priceScales[i];
    }

    public long quantityMantissa(int i) {
        return quantityMantissas[i];
    }

    public int quantityScale(int i) {
        return quantityScales[i];
    }

    public long tsNanos(int i) {
        return tsNanos[i];
    }

    public long tradeId(int i) {
        return tradeIds[i];
    }

    /**
     * The indices of the parsed trades in delivery order: as parsed, then sorted stably by {@code order} unless it is
     * null. The array is reused (valid up to {@link #size()} until the next call).
     */
    public int[] deliveryOrder(Order order) {
        if (this.order.length < size) {
            this.order = new int[Math.max(size, this.order.length * 2)];
        }
        int[] o = this.order;
        for (int i = 0; i < size; i++) {
            o[i] = i;
        }
        if (order != null) {
            for (int i = 1; i < size; i++) { // insertion sort: a message holds few trades, often in order already
                int v = o[i];
                int j = i - 1;
                while (j >= 0 && order.compare(o[j], v) > 0) {
                    o[j + 1] = o[j];
                    j--;
                }
                o[j + 1] = v;
            }
        }
        return o;
    }

    /** Writes trade {@code i} to {@code sink} as a row of {@code series}, with its own time, side and id. */
    public void write(int i, FeedSink sink, SeriesKey series, long recvTsNanos, String textTradeId) {
        sink.trade(
                series,
                tsNanos[i],
                recvTsNanos,
                priceMantissas[i],
                priceScales[i],
                quantityMantissas[i],
                quantityScales[i],
                side(i),
                tradeIds[i],
                textTradeId);
    }
}
