package dev.tickvault.store.partition;

import java.util.Arrays;

/**
 * One side of the live book that {@link ContextMixingBookBlockCodec} builds while it codes a block: the side's prices
 * in its outward tick coordinate, ascending, each with its quantity, the quantity before that and the event that last
 * changed it. Bounded by the rows of one block (a level is added only by a row).
 *
 * <p>Internal: public (with its arrays) only so that the bench's research probe ({@code BookContextMixingProbe})
 * walks the same book as the codec; not an API of the store.
 */
public final class LiveBookSide {
    /** Prices (outward tick coordinate), ascending, in {@code [0, size)}. */
    public long[] x = new long[256];
    /** Each level's quantity. */
    public long[] q = new long[256];
    /** Each level's quantity before its last change (0 for a level added since). */
    public long[] previousQ = new long[256];
    /** The event that last changed each level. */
    public int[] event = new int[256];
    /** Live levels. */
    public int size;

    /** Removes every level. */
    public void clear() {
        size = 0;
    }

    /** The index of {@code price}, or {@code -(insertion point) - 1}. */
    public int find(long price) {
        int lo = 0;
        int hi = size - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (x[mid] < price) {
                lo = mid + 1;
            } else if (x[mid] > price) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -lo - 1;
    }

    /**
     * The coordinate of position {@code j} of a walk: outward ({@code inward} 0) the side as stored; inward, from the
     * outermost level, negated so that coordinates grow along the walk.
     */
    public long view(int j, int inward) {
        return inward == 1 ? -x[size - 1 - j] : x[j];
    }

    /** Sets the level's quantity (0 deletes it) as of {@code eventIndex}. */
    public void set(long price, long quantity, int eventIndex) {
        int at = find(price);
        if (quantity == 0) {
            if (at >= 0) {
                remove(at);
            }
            return;
        }
        if (at >= 0) {
            previousQ[at] = q[at];
            q[at] = quantity;
            event[at] = eventIndex;
            return;
        }
        at = -at - 1;
        if (size == x.length) {
            x = Arrays.copyOf(x, size * 2);
            q = Arrays.copyOf(q, size * 2);
            previousQ = Arrays.copyOf(previousQ, size * 2);
            event = Arrays.copyOf(event, size * 2);
        }
        System.arraycopy(x, at, x, at + 1, size - at);
        System.arraycopy(q, at, q, at + 1, size - at);
        System.arraycopy(previousQ, at, previousQ, at + 1, size - at);
        System.arraycopy(event, at, event, at + 1, size - at);
        x[at] = price;
        q[at] = quantity;
        previousQ[at] = 0;
        event[at] = eventIndex;
        size++;
    }

    private void remove(int at) {
        System.arraycopy(x, at + 1, x, at, size - at - 1);
        System.arraycopy(q, at + 1, q, at, size - at - 1);
        System.arraycopy(previousQ, at + 1, previousQ, at, size - at - 1);
        System.arraycopy(event, at + 1, event, at, size - at - 1);
        size--;
    }

    /** Drops every level not changed in {@code eventIndex} (a snapshot replaces the book). */
    public void keepOnly(int eventIndex) {
        int w = 0;
        for (int r = 0; r < size; r++) {
            if (event[r] == eventIndex) {
                x[w] = x[r];
                q[w] = q[r];
                previousQ[w] = previousQ[r];
                event[w] = event[r];
                w++;
            }
        }
        size = w;
    }
}
