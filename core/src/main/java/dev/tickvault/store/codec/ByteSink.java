package dev.tickvault.store.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A reusable, growable little-endian byte output. Once it has grown to the size of the largest block it is asked to
 * hold, writing allocates nothing; {@link #reset()} rewinds it for the next block.
 *
 * <pre>
 *   0                                  position()          capacity
 *   +----------------------------------+-------------------+
 *   | bytes written since reset()      | free              |
 *   +----------------------------------+-------------------+
 *   multi-byte values are little-endian: putInt(0x11223344) writes 44 33 22 11
 * </pre>
 *
 * <p>Not thread-safe: one sink per writing thread.
 */
public final class ByteSink {
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final int MAX_CAPACITY = Integer.MAX_VALUE - 16;

    private byte[] buffer;
    private int position;

    /** A sink with a small initial capacity; it grows on demand. */
    public ByteSink() {
        this(256);
    }

    /** A sink with the given initial capacity in bytes. */
    public ByteSink(int initialCapacityBytes) {
        if (initialCapacityBytes < 0) {
            throw new IllegalArgumentException("negative capacity: " + initialCapacityBytes);
        }
        this.buffer = new byte[initialCapacityBytes];
    }

    /** Number of bytes written since the last {@link #reset()}. */
    public int position() {
        return position;
    }

    /**
     * Moves the write position, e.g. back to patch a length or forward past bytes written directly into
     * {@link #array()}. The new position must lie within the current capacity.
     */
    public void position(int newPosition) {
        if (newPosition < 0 || newPosition > buffer.length) {
            throw new IndexOutOfBoundsException("position " + newPosition + " outside [0, " + buffer.length + "]");
        }
        position = newPosition;
    }

    /** The backing array; bytes {@code [0, position())} are the output. Invalidated by any call that may grow. */
    public byte[] array() {
        return buffer;
    }

    /** Current capacity in bytes. */
    public int capacity() {
        return buffer.length;
    }

    /** Discards the contents; keeps the capacity. */
    public void reset() {
        position = 0;
    }

    /** Grows the backing array, if needed, so that it holds at least {@code minCapacityBytes} bytes. */
    public void ensureCapacity(int minCapacityBytes) {
        if (minCapacityBytes > buffer.length) {
            grow(minCapacityBytes);
        }
    }

    /** Grows the backing array, if needed, so that {@code bytes} more bytes fit after the position. */
    public void ensureRemaining(int bytes) {
        long needed = (long) position + bytes;
        if (needed > buffer.length) {
            if (needed > MAX_CAPACITY) {
                throw new IllegalStateException("byte sink cannot grow to " + needed + " bytes");
            }
            grow((int) needed);
        }
    }

    private void grow(int minCapacityBytes) {
        long doubled = Math.max(64L, (long) buffer.length * 2);
        int newCapacity = (int) Math.min(MAX_CAPACITY, Math.max(doubled, minCapacityBytes));
        buffer = Arrays.copyOf(buffer, newCapacity);
    }

    public void putByte(int value) {
        ensureRemaining(1);
        buffer[position++] = (byte) value;
    }

    public void putShort(int value) {
        ensureRemaining(2);
        SHORT.set(buffer, position, (short) value);
        position += 2;
    }

    public void putInt(int value) {
        ensureRemaining(4);
        INT.set(buffer, position, value);
        position += 4;
    }

    public void putLong(long value) {
        ensureRemaining(8);
        LONG.set(buffer, position, value);
        position += 8;
    }

    public void putBytes(byte[] source, int offset, int length) {
        ensureRemaining(length);
        System.arraycopy(source, offset, buffer, position, length);
        position += length;
    }

    public void putBytes(byte[] source) {
        putBytes(source, 0, source.length);
    }

    /** Writes {@code value} as an unsigned LEB128 varint: 7 bits per byte, low group first, high bit = more. */
    public void putVarLong(long value) {
        ensureRemaining(10);
        byte[] b = buffer;
        int p = position;
        while ((value & ~0x7FL) != 0) {
            b[p++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        b[p++] = (byte) value;
        position = p;
    }

    /** As {@link #putVarLong}, the caller having ensured 10 bytes of room (for tight loops). */
    void putVarLongUnchecked(long value) {
        byte[] b = buffer;
        int p = position;
        while ((value & ~0x7FL) != 0) {
            b[p++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        b[p++] = (byte) value;
        position = p;
    }

    /** As {@link #putZigZagVarLong}, the caller having ensured 10 bytes of room (for tight loops). */
    void putZigZagVarLongUnchecked(long value) {
        putVarLongUnchecked(ZigZag.encode(value));
    }

    /** Writes a signed value as a zigzag-mapped varint, so that small magnitudes of either sign are short. */
    public void putZigZagVarLong(long value) {
        putVarLong(ZigZag.encode(value));
    }

    /** Writes a little-endian long at {@code index} without bounds beyond the array's own, nor moving the position. */
    void putLongAt(int index, long value) {
        LONG.set(buffer, index, value);
    }
}
