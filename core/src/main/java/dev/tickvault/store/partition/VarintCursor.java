package dev.tickvault.store.partition;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Reads LEB128 varints (unsigned, and zigzag-mapped signed) from a byte array: the decoding side of {@code
 * ByteSink.putVarLong} for codecs that decode a whole section in a tight loop. A varint of up to 8 bytes is decoded
 * from one 8-byte load without a loop (the array must have {@link #PADDING} bytes after the limit). Reading past
 * {@link #limit} throws {@link ArrayIndexOutOfBoundsException} only when the array ends; callers check {@link
 * #position()} against the section length after each stream and turn both into a CORRUPT error naming the file.
 * (Whole runs of varints into {@code long[]} columns, for the trade codecs, are read by {@code
 * dev.tickvault.store.codec.VarintRuns}.) Not thread-safe.
 */
final class VarintCursor {

    /** Bytes a caller must leave readable after {@link #limit}: the fast path loads 8 bytes at a time. */
    static final int PADDING = Long.BYTES;

    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private byte[] bytes = new byte[0];
    private int position;
    private int limit;

    /** Reads {@code [0, length)} of {@code source}. */
    VarintCursor reset(byte[] source, int length) {
        this.bytes = source;
        this.position = 0;
        this.limit = length;
        return this;
    }

    int position() {
        return position;
    }

    int limit() {
        return limit;
    }

    /** True if at least one more byte is in the section. */
    boolean hasRemaining() {
        return position < limit;
    }

    int readUnsignedByte() {
        if (position >= limit) {
            throw new ArrayIndexOutOfBoundsException("byte beyond section end");
        }
        return bytes[position++] & 0xFF;
    }

    /** A little-endian 32-bit integer. */
    int readIntLittleEndian() {
        if (limit - position < Integer.BYTES) {
            throw new ArrayIndexOutOfBoundsException("int beyond section end");
        }
        int value = (int) INT.get(bytes, position);
        position += Integer.BYTES;
        return value;
    }

    /** Moves past {@code count} bytes the caller has read itself (at most what remains). */
    void skip(int count) {
        if (count < 0 || count > limit - position) {
            throw new ArrayIndexOutOfBoundsException("skip beyond section end");
        }
        position += count;
    }

    /**
     * An unsigned varint of at most 10 bytes; a longer one, or one running past the array, throws. One running past
     * {@link #limit} into the array's padding returns a value and leaves {@link #position()} beyond the limit, which
     * the caller's end-of-section check reports.
     */
    long readVarLong() {
        int p = position;
        int first = bytes[p];
        if (first >= 0) { // most values of a book block are one byte: a well-predicted branch beats the word path
            position = p + 1;
            return first;
        }
        if (p <= bytes.length - Long.BYTES) {
            long word = (long) LONG.get(bytes, p);
            long stops = ~word & 0x8080808080808080L; // high bit clear = last byte of the varint
            if (stops != 0) {
                int stop = Long.numberOfTrailingZeros(stops);
                position = p + ((stop + 1) >>> 3);
                return spread(word & (-1L >>> (63 - stop)));
            }
        }
        return readLongVarLong();
    }

    /** The rest of {@link #readVarLong}, kept apart so that the one-byte case inlines into decoding loops. */
    private long readLongVarLong() {
        byte[] b = bytes;
        int p = position;
        long value = 0;
        int shift = 0;
        while (true) {
            if (p >= limit || shift > 63) {
                throw new ArrayIndexOutOfBoundsException("varint beyond section end or longer than 10 bytes");
            }
            int x = b[p++];
            value |= (long) (x & 0x7F) << shift;
            if (x >= 0) {
                break;
            }
            shift += 7;
        }
        position = p;
        return value;
    }

    /**
     * Reads {@code n} unsigned varints into {@code dst[at, at + n)}, each multiplied by {@code factor}: {@link
     * #readVarLong} in a loop over local copies of the cursor, for whole sections.
     */
    void readVarLongs(long[] dst, int at, int n, long factor) {
        byte[] b = bytes;
        int p = position;
        int wordEnd = b.length - Long.BYTES;
        for (int i = at, end = at + n; i < end; i++) {
            long value;
            long stops;
            long word;
            // One 8-byte load and no branch on the length (lengths of real quantities are hard to predict).
            if (p <= wordEnd && (stops = ~(word = (long) LONG.get(b, p)) & 0x8080808080808080L) != 0) {
                int stop = Long.numberOfTrailingZeros(stops);
                p += (stop + 1) >>> 3;
                value = compress(word & (-1L >>> (63 - stop)));
            } else {
                position = p;
                value = readVarLong();
                p = position;
            }
            dst[i] = value * factor;
        }
        position = p;
    }

    /**
     * As {@link #readVarLongs} for zigzag-mapped signed varints: read as unsigned, then mapped in a second pass over
     * the values just written (still in L1), so the word-at-a-time reader exists once.
     */
    void readZigZagVarLongs(long[] dst, int at, int n, long factor) {
        readVarLongs(dst, at, n, 1);
        for (int i = at, end = at + n; i < end; i++) {
            long value = dst[i];
            dst[i] = ((value >>> 1) ^ -(value & 1)) * factor;
        }
    }

    /**
     * The 7-bit groups of the bytes of {@code x} put together, low byte first (the continuation bits are dropped):
     * three halving steps instead of one shift per byte.
     */
    private static long compress(long x) {
        x &= 0x7F7F7F7F7F7F7F7FL;
        x = (x & 0x007F007F007F007FL) | (x & 0x7F007F007F007F00L) >>> 1; // 14-bit groups in 16-bit lanes
        x = (x & 0x00003FFF00003FFFL) | (x & 0x3FFF00003FFF0000L) >>> 2; // 28-bit groups in 32-bit lanes
        return (x & 0x000000000FFFFFFFL) | (x & 0x0FFFFFFF00000000L) >>> 4;
    }

    /** The 7-bit groups of the bytes of {@code x} (continuation bits included, they are masked out) put together. */
    private static long spread(long x) {
        return (x & 0x7FL)
                | (x >>> 1 & 0x7FL << 7)
                | (x >>> 2 & 0x7FL << 14)
                | (x >>> 3 & 0x7FL << 21)
                | (x >>> 4 & 0x7FL << 28)
                | (x >>> 5 & 0x7FL << 35)
                | (x >>> 6 & 0x7FL << 42)
                | (x >>> 7 & 0x7FL << 49);
    }

    long readZigZagVarLong() {
        long v = readVarLong();
        return (v >>> 1) ^ -(v & 1);
    }
}
