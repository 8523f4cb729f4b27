package dev.tickvault.store.engine;

import dev.tickvault.model.SeriesKey;
import java.util.Arrays;
import java.util.function.IntFunction;

/**
 * The writer's hot-path lookup from a series (by identity) to its buffer of one table (held as {@code V}, the buffer's
 * appender): open addressing with linear
 * probing, so series whose identity hashes share a slot all stay cached (the direct-mapped cache it replaces made such
 * series miss whenever they alternated, and every miss hashed the names and looked up the writer's map; with a few
 * hundred symbols most of them shared a slot with another).
 *
 * <p>A cache in front of {@link WriterBuffers#buffer}: a miss returns {@code null}. The table starts at {@value
 * #INITIAL_SLOTS} slots and doubles when half full, up to {@value #MAX_SLOTS} slots; past that it forgets every entry
 * before caching the next one (bounded memory, short probes). Not thread-safe: owned with its {@link WriterBuffers}.
 */
final class SeriesBufferCache<V> {

    static final int INITIAL_SLOTS = 256; // powers of two
    static final int MAX_SLOTS = 1 << 15;

    private final IntFunction<V[]> newArray;
    private SeriesKey[] keys = new SeriesKey[INITIAL_SLOTS];
    private V[] buffers;
    private int entries;

    /** @param newArray creates the value array ({@code TradeAppender[]::new}) */
    SeriesBufferCache(IntFunction<V[]> newArray) {
        this.newArray = newArray;
        this.buffers = newArray.apply(INITIAL_SLOTS);
    }

    /** The cached buffer of {@code series}, or {@code null}. */
    V get(SeriesKey series) {
        SeriesKey[] keys = this.keys;
        int mask = keys.length - 1;
        int slot = System.identityHashCode(series) & mask;
        for (SeriesKey key = keys[slot]; key != null; key = keys[slot]) {
            if (key == series) {
                return buffers[slot];
            }
            slot = (slot + 1) & mask;
        }
        return null;
    }

    /** Caches {@code buffer} as the buffer of {@code series} (replacing an earlier one). */
    void put(SeriesKey series, V buffer) {
        if (entries >= keys.length / 2) {
            if (keys.length < MAX_SLOTS) {
                grow();
            } else {
                clear();
            }
        }
        insert(series, buffer);
    }

    void clear() {
        Arrays.fill(keys, null);
        Arrays.fill(buffers, null);
        entries = 0;
    }

    int size() {
        return entries;
    }

    int slots() {
        return keys.length;
    }

    private void insert(SeriesKey series, V buffer) {
        int mask = keys.length - 1;
        int slot = System.identityHashCode(series) & mask;
        while (keys[slot] != null && keys[slot] != series) {
            slot = (slot + 1) & mask;
        }
        if (keys[slot] == null) {
            keys[slot] = series;
            entries++;
        }
        buffers[slot] = buffer;
    }

    private void grow() {
        SeriesKey[] oldKeys = keys;
        V[] oldBuffers = buffers;
        keys = new SeriesKey[oldKeys.length * 2];
        buffers = newArray.apply(oldKeys.length * 2);
        entries = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != null) {
                insert(oldKeys[i], oldBuffers[i]);
            }
        }
    }
}
