package dev.tickvault.feed.binance;

import java.util.Arrays;

/**
 * The price levels of one side of a depth event or snapshot, as parallel primitive arrays in the order the venue sent
 * them. Reused from message to message; grows to the largest event seen, never beyond {@link #MAX_LEVELS} (a larger
 * message is rejected as malformed). Not thread-safe.
 */
public final class DepthLevels {

    /** More levels than any Binance message carries (snapshots stop at 5000 per side). */
    public static final int MAX_LEVELS = 20_000;

    private long[] priceMantissa = new long[16];
    private byte[] priceScale = new byte[16];
    private long[] quantityMantissa = new long[16];
    private byte[] quantityScale = new byte[16];
    private int size;

    public int size() {
        return size;
    }

    public long priceMantissa(int i) {
        return priceMantissa[i];
    }

    public int priceScale(int i) {
        return priceScale[i];
    }

    public long quantityMantissa(int i) {
        return quantityMantissa[i];
    }

    public int quantityScale(int i) {
        return quantityScale[i];
    }

    void clear() {
        size = 0;
    }

    /** Appends a level; false when {@link #MAX_LEVELS} is reached. */
    boolean add(long pMantissa, int pScale, long qMantissa, int qScale) {
        if (size == priceMantissa.length) {
            if (size >= MAX_LEVELS) {
                return false;
            }
            int capacity = Math.min(MAX_LEVELS, size * 2);
            priceMantissa = Arrays.copyOf(priceMantissa, capacity);
            priceScale = Arrays.copyOf(priceScale, capacity);
            quantityMantissa = Arrays.copyOf(quantityMantissa, capacity);
            quantityScale = Arrays.copyOf(quantityScale, capacity);
        }
        priceMantissa[size] = pMantissa;
        priceScale[size] = (byte) pScale;
        quantityMantissa[size] = qMantissa;
        quantityScale[size] = (byte) qScale;
        size++;
        return true;
    }

    void copyFrom(DepthLevels other) {
        clear();
        for (int i = 0; i < other.size; i++) {
            add(other.priceMantissa[i], other.priceScale[i], other.quantityMantissa[i], other.quantityScale[i]);
        }
    }
}
