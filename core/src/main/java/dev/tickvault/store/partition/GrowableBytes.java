package dev.tickvault.store.partition;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;

/** A reusable, growable little-endian byte buffer over a heap array. Not thread-safe. */
final class GrowableBytes {

    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private byte[] array;
    private MemorySegment segment;
    private int position;

    GrowableBytes(int initialCapacity) {
        array = new byte[Math.max(64, initialCapacity)];
        segment = MemorySegment.ofArray(array);
    }

    byte[] array() {
        return array;
    }

    MemorySegment segment() {
        return segment;
    }

    int position() {
        return position;
    }

    void reset() {
        position = 0;
    }

    void skip(int n) {
        ensureCapacity(n);
        position += n;
    }

    void ensureCapacity(int extra) {
        if (position + extra > array.length) {
            array = Arrays.copyOf(array, Math.max(position + extra, array.length * 2));
            segment = MemorySegment.ofArray(array);
        }
    }

    void putByte(byte v) {
        ensureCapacity(1);
        array[position++] = v;
    }

    void putInt(int v) {
        ensureCapacity(4);
        segment.set(INT, position, v);
        position += 4;
    }

    void putLong(long v) {
        ensureCapacity(8);
        segment.set(LONG, position, v);
        position += 8;
    }

    void putBytes(byte[] src, int offset, int length) {
        ensureCapacity(length);
        System.arraycopy(src, offset, array, position, length);
        position += length;
    }

    int reserveInt() {
        int at = position;
        putInt(0);
        return at;
    }

    void putIntAt(int at, int v) {
        segment.set(INT, at, v);
    }

    void putLongAt(int at, long v) {
        segment.set(LONG, at, v);
    }
}
