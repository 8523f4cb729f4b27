package dev.tickvault.feed.binance;

import dev.tickvault.model.SeriesKey;
import java.util.Arrays;

/**
 * Maps a symbol's characters, as a streaming JSON parser hands them out (or its ASCII bytes, as the byte scanner finds
 * them in the frame), to its {@link SeriesKey} without making a String per message: an open-addressing table of the
 * symbols seen, compared character by character (byte by byte). Both lookups hash alike (a valid symbol is ASCII). A symbol is
 * allocated once, the first time it appears. Bounded: past {@link #MAX_SYMBOLS} distinct symbols {@link #lookup}
 * returns {@code null} (the caller counts the message as unexpected). Not thread-safe.
 */
final class SymbolCache {

    /** Distinct symbols kept; Binance lists a few thousand. */
    static final int MAX_SYMBOLS = 16_384;

    private final String exchange;
    private char[][] keys = new char[64][];
    /** The same keys as ASCII bytes. */
    private byte[][] byteKeys = new byte[64][];

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

    /** The series of the ASCII bytes {@code bytes[offset, offset + length)}, or null if invalid or the cache is full. */
    SeriesKey lookup(byte[] bytes, int offset, int length) {
        int hash = hash(bytes, offset, length);
        int mask = byteKeys.length - 1;
        for (int slot = hash & mask; ; slot = (slot + 1) & mask) {
            byte[] key = byteKeys[slot];
            if (key == null) {
                char[] chars = new char[length];
                for (int i = 0; i < length; i++) {
                    chars[i] = (char) (bytes[offset + i] & 0xff);
                }
                return insert(slot, chars, 0, length);
            }
            if (key.length == length && Arrays.equals(key, 0, length, bytes, offset, offset + length)) {
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
        byteKeys[slot] = asciiBytes(keys[slot]);
        values[slot] = series;
        size++;
        if (size * 2 > keys.length) {
            rehash();
        }
        return series;
    }

    /** A valid symbol is printable ASCII ({@link SeriesKey#validateSymbol}), so one byte per character. */
    private static byte[] asciiBytes(char[] chars) {
        byte[] bytes = new byte[chars.length];
        for (int i = 0; i < chars.length; i++) {
            bytes[i] = (byte) chars[i];
        }
        return bytes;
    }

    private void rehash() {
        char[][] oldKeys = keys;
        byte[][] oldByteKeys = byteKeys;
        SeriesKey[] oldValues = values;
        keys = new char[oldKeys.length * 2][];
        byteKeys = new byte[oldKeys.length * 2][];
        values = new SeriesKey[oldKeys.length * 2];
        int mask = keys.length - 1;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != null) {
                int slot = hash(oldKeys[i], 0, oldKeys[i].length) & mask;
                while (keys[slot] != null) {
                    slot = (slot + 1) & mask;
                }
                keys[slot] = oldKeys[i];
                byteKeys[slot] = oldByteKeys[i];
                values[slot] = oldValues[i];
            }
        }
    }

    private static int hash(byte[] bytes, int offset, int length) {
        int h = 0;
        for (int i = 0; i < length; i++) {
            h = 31 * h + (bytes[offset + i] & 0xff);
        }
        return h ^ (h >>> 16);
    }

    private static int hash(char[] chars, int offset, int length) {
        int h = 0;
        for (int i = 0; i < length; i++) {
            h = 31 * h + chars[offset + i];
        }
        return h ^ (h >>> 16);
    }
}
