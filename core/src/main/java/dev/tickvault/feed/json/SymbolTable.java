package dev.tickvault.feed.json;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A fixed table from symbol text to a value, looked up by the characters of a JSON string token so a handler needs
 * no String per message. Filled once with the symbols a handler subscribes to ({@link #put}); a symbol that is not
 * in the table is answered with {@code null} (the frame is unexpected), so the table never grows from input.
 *
 * <p>Not thread-safe: lookups happen on the handler's thread.
 *
 * @param <V> the per-symbol state
 */
public final class SymbolTable<V> {

    private String[] keys = new String[16];
    private Object[] values = new Object[16];
    private int size;
    private final List<V> inOrder = new ArrayList<>();

    /** Adds or replaces the value of {@code symbol}. */
    public void put(String symbol, V value) {
        if ((size + 1) * 2 > keys.length) {
            grow();
        }
        int slot = slotOf(symbol);
        if (keys[slot] == null) {
            keys[slot] = symbol;
            size++;
        } else {
            inOrder.remove(valueAt(slot));
        }
        values[slot] = value;
        inOrder.add(value);
    }

    /** The value of the symbol spelled by {@code text[offset, offset + length)}, or {@code null}. */
    public V get(char[] text, int offset, int length) {
        int mask = keys.length - 1;
        int slot = hash(text, offset, length) & mask;
        while (keys[slot] != null) {
            String key = keys[slot];
            if (key.length() == length && sameChars(key, text, offset)) {
                return valueAt(slot);
            }
            slot = (slot + 1) & mask;
        }
        return null;
    }

    /** The value of {@code symbol}, or {@code null}. */
    public V get(String symbol) {
        char[] chars = symbol.toCharArray();
        return get(chars, 0, chars.length);
    }

    /** Every value, in the order first put. */
    public List<V> values() {
        return inOrder;
    }

    public int size() {
        return size;
    }

    @SuppressWarnings("unchecked")
    private V valueAt(int slot) {
        return (V) values[slot];
    }

    private int slotOf(String symbol) {
        char[] chars = symbol.toCharArray();
        int mask = keys.length - 1;
        int slot = hash(chars, 0, chars.length) & mask;
        while (keys[slot] != null && !keys[slot].equals(symbol)) {
            slot = (slot + 1) & mask;
        }
        return slot;
    }

    private void grow() {
        String[] oldKeys = keys;
        Object[] oldValues = values;
        keys = new String[oldKeys.length * 2];
        values = new Object[oldKeys.length * 2];
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != null) {
                int slot = slotOf(oldKeys[i]);
                keys[slot] = oldKeys[i];
                values[slot] = oldValues[i];
                size++;
            }
        }
    }

    private static boolean sameChars(String key, char[] text, int offset) {
        for (int i = 0; i < key.length(); i++) {
            if (key.charAt(i) != text[offset + i]) {
                return false;
            }
        }
        return true;
    }

    private static int hash(char[] text, int offset, int length) {
        int h = 0;
        for (int i = offset; i < offset + length; i++) {
            h = 31 * h + text[i];
        }
        return h ^ (h >>> 16);
    }

    @Override
    public String toString() {
        return "SymbolTable"
                + Arrays.toString(Arrays.stream(keys).filter(k -> k != null).toArray());
    }
}
