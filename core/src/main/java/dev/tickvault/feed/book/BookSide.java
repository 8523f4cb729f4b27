package dev.tickvault.feed.book;

import dev.tickvault.model.DecimalFormat;
import dev.tickvault.model.DecimalMath;
import java.util.Arrays;

/**
 * One side of an {@link OrderBook}: levels kept in parallel primitive arrays, sorted so the best level is the last
 * element (inserting and deleting near the touch, where most changes happen, moves few elements). Index 0 of the
 * public accessors is the best level.
 */
public final class BookSide {

    private static final int INITIAL_CAPACITY = 64;

    private final boolean bids;
    private final int maxLevels;
    private long[] priceMantissa = new long[INITIAL_CAPACITY];
    private byte[] priceScale = new byte[INITIAL_CAPACITY];
    private long[] quantityMantissa = new long[INITIAL_CAPACITY];
    private byte[] quantityScale = new byte[INITIAL_CAPACITY];
    private int size;
    private long droppedLevels;

    BookSide(boolean bids, int maxLevels) {
        if (maxLevels < 1) {
            throw new IllegalArgumentException("a book side holds at least one level: " + maxLevels);
        }
        this.bids = bids;
        this.maxLevels = maxLevels;
    }

    /** True for the bid side. */
    public boolean isBids() {
        return bids;
    }

    public int size() {
        return size;
    }

    public long droppedLevels() {
        return droppedLevels;
    }

    /** Price mantissa of the level {@code level} places from the best (0 = best). */
    public long priceMantissa(int level) {
        return priceMantissa[index(level)];
    }

    public int priceScale(int level) {
        return priceScale[index(level)];
    }

    public long quantityMantissa(int level) {
        return quantityMantissa[index(level)];
    }

    public int quantityScale(int level) {
        return quantityScale[index(level)];
    }

    /** The level's price as the venue wrote it, e.g. {@code "61837.63000000"}. */
    public String priceText(int level) {
        return DecimalFormat.toString(priceMantissa(level), priceScale(level));
    }

    public String quantityText(int level) {
        return DecimalFormat.toString(quantityMantissa(level), quantityScale(level));
    }

    private int index(int level) {
        if (level < 0 || level >= size) {
            throw new IndexOutOfBoundsException("level " + level + " of " + size);
        }
        return size - 1 - level;
    }

    void clear() {
        size = 0;
    }

    void truncate(int depth) {
        if (depth < size) {
            int drop = size - depth;
            System.arraycopy(priceMantissa, drop, priceMantissa, 0, depth);
            System.arraycopy(priceScale, drop, priceScale, 0, depth);
            System.arraycopy(quantityMantissa, drop, quantityMantissa, 0, depth);
            System.arraycopy(quantityScale, drop, quantityScale, 0, depth);
            size = depth;
        }
    }

    void set(long pMantissa, int pScale, long qMantissa, int qScale) {
        int found = find(pMantissa, pScale);
        if (found >= 0) {
            if (qMantissa == 0) {
                remove(found);
            } else {
                priceMantissa[found] = pMantissa; // keep the spelling of the newest update
                priceScale[found] = (byte) pScale;
                quantityMantissa[found] = qMantissa;
                quantityScale[found] = (byte) qScale;
            }
            return;
        }
        if (qMantissa == 0) {
            return; // deleting a level the book doesn't have: nothing to do
        }
        int at = -found - 1;
        if (size == maxLevels) {
            if (at == 0) {
                droppedLevels++; // the new level would be the worst one: it is the one dropped
                return;
            }
            remove(0); // drop the worst level to make room
            droppedLevels++;
            at--;
        }
        ensureCapacity(size + 1);
        int tail = size - at;
        if (tail > 0) {
            System.arraycopy(priceMantissa, at, priceMantissa, at + 1, tail);
            System.arraycopy(priceScale, at, priceScale, at + 1, tail);
            System.arraycopy(quantityMantissa, at, quantityMantissa, at + 1, tail);
            System.arraycopy(quantityScale, at, quantityScale, at + 1, tail);
        }
        priceMantissa[at] = pMantissa;
        priceScale[at] = (byte) pScale;
        quantityMantissa[at] = qMantissa;
        quantityScale[at] = (byte) qScale;
        size++;
    }

    private void remove(int at) {
        int tail = size - at - 1;
        if (tail > 0) {
            System.arraycopy(priceMantissa, at + 1, priceMantissa, at, tail);
            System.arraycopy(priceScale, at + 1, priceScale, at, tail);
            System.arraycopy(quantityMantissa, at + 1, quantityMantissa, at, tail);
            System.arraycopy(quantityScale, at + 1, quantityScale, at, tail);
        }
        size--;
    }

    /**
     * Array index of the level at this price, or {@code -(insertion point) - 1}. Arrays run worst → best: ascending
     * prices for bids, descending for asks. The touch (end of the array) is checked first.
     */
    private int find(long pMantissa, int pScale) {
        int lo = 0;
        int hi = size - 1;
        if (size > 0) {
            int c = order(pMantissa, pScale, hi);
            if (c > 0) {
                return -(size + 1);
            }
            if (c == 0) {
                return hi;
            }
        }
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = order(pMantissa, pScale, mid);
            if (c > 0) {
                lo = mid + 1;
            } else if (c < 0) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -(lo + 1);
    }

    /** Positive if the price belongs after (nearer the touch than) the level at {@code index}. */
    private int order(long pMantissa, int pScale, int index) {
        int c = pScale == priceScale[index]
                ? Long.compare(pMantissa, priceMantissa[index])
                : DecimalMath.compare(pMantissa, pScale, priceMantissa[index], priceScale[index]);
        return bids ? c : -c;
    }

    private void ensureCapacity(int needed) {
        if (needed > priceMantissa.length) {
            int capacity = Math.min(Math.max(needed, priceMantissa.length * 2), Math.max(maxLevels, needed));
            priceMantissa = Arrays.copyOf(priceMantissa, capacity);
            priceScale = Arrays.copyOf(priceScale, capacity);
            quantityMantissa = Arrays.copyOf(quantityMantissa, capacity);
            quantityScale = Arrays.copyOf(quantityScale, capacity);
        }
    }
}
