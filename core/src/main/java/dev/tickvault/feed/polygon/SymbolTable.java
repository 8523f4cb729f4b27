package dev.tickvault.feed.polygon;

import java.util.Arrays;
import java.util.function.Function;

/**
 * Looks symbols up by their characters as the JSON parser hands them out, so the hot path allocates no {@code String}
 * per event once a symbol has been seen. Open addressing with linear probing; grows at half full.
 *
 * <p>Not thread-safe: one table per parser.
 *
 * @param <V> the per-symbol state
 */
final class SymbolTable<V> {

    /** More symbols than any stocks feed lists (~12k US tickers); a frame naming more new ones is refused. */
    static final int MAX_SYMBOLS = 1 << 16;

    private String[] keys = new String[64];
    private Object[] values = new Object[64];
    private int size;
    private final Function<String, V> factory;

    SymbolTable(Function<String, V> factory) {
        this.factory = factory;
    }

    /**
     * The value for the symbol {@code chars[offset, offset + length)}, created on first sight.
     *
     * @throws IllegalStateException if the table already holds {@link #MAX_SYMBOLS} symbols
     */
    @SuppressWarnings("unchecked")
    V get(char[] chars, int offset, int length) {
        int hash = hash(chars, offset, length);
        int mask = keys.length - 1;
        for (int i = hash & mask; ; i = (i + 1) & mask) {
            String key = keys[i];
            if (key == null) {
                if (size >= MAX_SYMBOLS) {
                    throw new IllegalStateException("more than " + MAX_SYMBOLS + " symbols seen");
                }
                String symbol = new String(chars, offset, length);
                V value = factory.apply(symbol);
                keys[i] = symbol;
                values[i] = value;
                if (++size * 2 > keys.length) {
                    grow();
                }
                return value;
            }
            if (matches(key, chars, offset, length)) {
                return (V) values[i];
            }
        }
    }

    int size() {
        return size;
    }

    private static boolean matches(String key, char[] chars, int offset, int length) {
        if (key.length() != length) {
            return false;
        }
        for (int k = 0; k < length; k++) {
            if (key.charAt(k) != chars[offset + k]) {
                return false;
            }
        }
        return true;
    }

    private static int hash(char[] chars, int offset, int length) {
        int h = 0;
        for (int k = 0; k < length; k++) {
            h = 31 * h + chars[offset + k];
        }
        return h ^ (h >>> 16);
    }

    private static int hash(String key) {
        int h = key.hashCode(); // same polynomial as above
        return h ^ (h >>> 16);
    }

    private void grow() {
        String[] oldKeys = keys;
        Object[] oldValues = values;
        keys = new String[oldKeys.length * 2];
        values = new Object[oldKeys.length * 2];
        int mask = keys.length - 1;
        for (int j = 0; j < oldKeys.length; j++) {
            if (oldKeys[j] != null) {
                int i = hash(oldKeys[j]) & mask;
                while (keys[i] != null) {
                    i = (i + 1) & mask;
                }
                keys[i] = oldKeys[j];
                values[i] = oldValues[j];
            }
        }
        Arrays.fill(oldValues, null);
    }
}
