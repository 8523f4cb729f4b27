package dev.tickvault.feed.binance;

import dev.tickvault.model.SeriesKey;
import java.util.Arrays;

/**
 * Maps a symbol's characters, as a streaming JSON parser hands them out, to its {@link SeriesKey} without making a
 * String per message: an open-addressing table of the symbols seen, compared character by character. A symbol is
 * allocated once, the first time it appears. Bounded: past {@link #MAX_SYMBOLS} distinct symbols {@link #lookup}
 * returns {@code null} (the caller counts the message as unexpected). Not thread-safe.
 */
final class SymbolCache {

    /** Distinct symbols kept; Binance lists a few thousand. */
    static final int MAX_SYMBOLS = 16_384;

    private final String exchange;
    private char[][] keys = new char[64][];
    private SeriesKey[] values = new SeriesKey[64];
    private int size;

    SymbolCache(String exchange) {
        this.exchange = exchange;
    }

    /** The series of {@code chars[offset, offset + length)}, or null if invalid or the cache is full. */
    SeriesKey lookup(char[] chars, int offset, int length) {
        int hash = hash(chars, offset, length);
        int mask = keys.length - 1;
        for (int slot = hash & mask; ; slot = (slot + 1) & mask) {
            char[] key = keys[slot];
            if (key == null) {
                return insert(slot, chars, offset, length);
            }
            if (key.length == length && Arrays.equals(key, 0, length, chars, offset, offset + length)) {
                return values[slot];
            }
        }
    }

    private SeriesKey insert(int slot, char[] chars, int offset, int length) {
        if (size >= MAX_SYMBOLS || length == 0 || length > SeriesKey.MAX_SYMBOL_LENGTH) {
            return null;
        }
        SeriesKey series;
        try {
            series = SeriesKey.of(exchange, new String(chars, offset, length));
        } catch (IllegalArgumentException invalid) {
            return null;
        }
        keys[slot] = Arrays.copyOfRange(chars, offset, offset + length);
        values[slot] = series;
        size++;
        if (size * 2 > keys.length) {
            rehash();
        }
        return series;
    }

    private void rehash() {
        char[][] oldKeys = keys;
        SeriesKey[] oldValues = values;
        keys = new char[oldKeys.length * 2][];
        values = new SeriesKey[oldKeys.length * 2];
        int mask = keys.length - 1;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != null) {
                int slot = hash(oldKeys[i], 0, oldKeys[i].length) & mask;
                while (keys[slot] != null) {
                    slot = (slot + 1) & mask;
                }
                keys[slot] = oldKeys[i];
                values[slot] = oldValues[i];
            }
        }
    }

    private static int hash(char[] chars, int offset, int length) {
        int h = 0;
        for (int i = 0; i < length; i++) {
            h = 31 * h + chars[offset + i];
        }
        return h ^ (h >>> 16);
    }
}
