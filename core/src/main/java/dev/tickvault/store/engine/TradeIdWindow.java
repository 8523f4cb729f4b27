package dev.tickvault.store.engine;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;

/**
 * The most recent trade ids of one series, for deduplication: remembers up to {@code capacity} numeric ids (and as
 * many textual ones) and forgets the oldest first. Duplicates that a venue re-sends after a reconnect arrive within
 * seconds, well inside the window. Storage starts small and doubles as ids arrive, so a quiet series costs a few
 * kilobytes, a busy one at most ~24 bytes per remembered id. Not thread-safe: used under the store's commit ordering.
 */
final class TradeIdWindow {

    private static final long EMPTY = Long.MIN_VALUE;

    private static final int INITIAL_CAPACITY = 1024;

    private long[] table;
    private long[] order;
    private int mask;
    private final int capacity;
    private final Set<String> texts = new HashSet<>();
    private final ArrayDeque<String> textOrder = new ArrayDeque<>();
    private int size;
    private int oldest;

    TradeIdWindow(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.capacity = capacity;
        allocate(Math.min(capacity, INITIAL_CAPACITY));
    }

    /** (Re)builds the storage for {@code orderCapacity} ids, keeping the ids held, oldest first. */
    private void allocate(int orderCapacity) {
        long[] oldOrder = order;
        int oldOldest = oldest;
        int held = size;
        int slots = Integer.highestOneBit(Math.max(16, orderCapacity * 2 - 1)) << 1;
        table = new long[slots];
        mask = slots - 1;
        java.util.Arrays.fill(table, EMPTY);
        order = new long[orderCapacity];
        oldest = 0;
        size = 0;
        for (int i = 0; i < held; i++) {
            long id = oldOrder[(oldOldest + i) % oldOrder.length];
            order[size++] = id;
            table[find(id)] = id;
        }
    }

    /** Adds {@code id}; false when it is already in the window (a duplicate). {@code Long.MIN_VALUE} is never one. */
    boolean add(long id) {
        if (id == EMPTY) {
            return true;
        }
        int slot = find(id);
        if (table[slot] == id) {
            return false;
        }
        if (size == order.length && order.length < capacity) {
            allocate((int) Math.min(capacity, 2L * order.length));
            slot = find(id);
        }
        if (size == order.length) {
            remove(order[oldest]);
            order[oldest] = id;
            oldest = (oldest + 1) % order.length;
            slot = find(id);
        } else {
            order[(oldest + size) % order.length] = id;
        }
        table[slot] = id;
        size = Math.min(size + 1, order.length);
        return true;
    }

    /** Adds a textual id; false when it is a duplicate. */
    boolean add(String id) {
        if (!texts.add(id)) {
            return false;
        }
        textOrder.addLast(id);
        if (textOrder.size() > capacity) {
            texts.remove(textOrder.removeFirst());
        }
        return true;
    }

    private int find(long id) {
        int slot = (int) mix(id) & mask;
        while (table[slot] != EMPTY && table[slot] != id) {
            slot = (slot + 1) & mask;
        }
        return slot;
    }

    /** Removes {@code id} with backward-shift deletion, keeping probe chains intact. */
    private void remove(long id) {
        int slot = find(id);
        if (table[slot] != id) {
            return;
        }
        size--;
        int hole = slot;
        int next = (hole + 1) & mask;
        while (table[next] != EMPTY) {
            int home = (int) mix(table[next]) & mask;
            boolean movable = hole <= next ? (home <= hole || home > next) : (home <= hole && home > next);
            if (movable) {
                table[hole] = table[next];
                hole = next;
            }
            next = (next + 1) & mask;
        }
        table[hole] = EMPTY;
    }

    private static long mix(long x) {
        x *= 0x9E3779B97F4A7C15L;
        return x ^ (x >>> 32);
    }
}
