package dev.tickvault.feed.json;

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
}
