package dev.tickvault.store.codec;

import dev.tickvault.store.StorageException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A bounds-checked read cursor over a {@link MemorySegment}, used by the decoders. Every read that would run past the
 * end of the segment, and every malformed varint, throws {@link StorageException} of kind CORRUPT instead of an index
 * exception. Reusable: {@link #reset} points it at a new segment. Not thread-safe.
 */
final class ByteSource {
    private MemorySegment segment = MemorySegment.NULL;
    /** The array behind a heap segment of bytes (blocks are decoded from heap copies), else null. */
    private byte[] array;
    /** Index in {@link #array} of the segment's first byte. */
    private int arrayBase;

    private long position;
    private long limit;
    private String what = "";

    /** Starts reading {@code segment} at {@code offset}; {@code what} names the structure in error messages. */
    ByteSource reset(MemorySegment segment, long offset, String what) {
        this.segment = segment;
        this.limit = segment.byteSize();
        this.what = what;
        // Reads from a heap segment go straight to its array: a MemorySegment read is a VarHandle call chain that
        // costs ~1 µs in the interpreter (a first query reads a few hundred header bytes before the JIT compiles it)
        // and its first call links method handles.
        if (segment.heapBase().orElse(null) instanceof byte[] bytes) {
            this.array = bytes;
            this.arrayBase = Math.toIntExact(segment.address());
        } else {
            this.array = null;
            this.arrayBase = 0;
        }
        if (offset < 0 || offset > limit) {
            throw corrupt("start offset outside the segment (size " + limit + ")", offset);
        }
        this.position = offset;
        return this;
    }

    MemorySegment segment() {
        return segment;
    }

    /** The array holding the segment's bytes when it is a heap segment of bytes, else null. */
    byte[] array() {
        return array;
    }

    /** Index in {@link #array()} of the segment's byte 0 (0 without an array). */
    int arrayBase() {
        return arrayBase;
    }

    long position() {
        return position;
    }

    /** Moves the read position to {@code newPosition}, which a caller reading the segment directly has checked. */
    void position(long newPosition) {
        if (newPosition < position || newPosition > limit) {
            throw new IllegalArgumentException(
                    "position " + newPosition + " outside [" + position + ", " + limit + "]");
        }
        position = newPosition;
    }

    long remaining() {
        return limit - position;
    }

    int readUnsignedByte() {
        if (position >= limit) {
            throw corrupt("truncated: expected 1 more byte", position);
        }
        byte[] bytes = array;
        if (bytes != null) {
            return bytes[arrayBase + (int) position++] & 0xFF;
        }
        return segment.get(ValueLayout.JAVA_BYTE, position++) & 0xFF;
    }

    /** Reads an unsigned LEB128 varint of at most 10 bytes. */
    long readVarLong() {
        long start = position;
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = readUnsignedByte();
            result |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                if (shift == 63 && b > 1) {
                    throw corrupt("varint overflows 64 bits", start);
                }
                return result;
            }
        }
        throw corrupt("varint longer than 10 bytes", start);
    }

    long readZigZagVarLong() {
        return ZigZag.decode(readVarLong());
    }

    /** Reads a varint that must lie in {@code [0, max]}. */
    int readVarInt(int max, String field) {
        long start = position;
        long value = readVarLong();
        if (value < 0 || value > max) {
            throw corrupt(field + " " + Long.toUnsignedString(value) + " outside [0, " + max + "]", start);
        }
        return (int) value;
    }

    /** Checks that {@code bytes} more bytes are available, then skips them; returns the offset they start at. */
    long skip(long bytes, String field) {
        if (bytes < 0 || bytes > limit - position) {
            throw corrupt(
                    "truncated: " + field + " needs " + bytes + " bytes but only " + (limit - position) + " remain",
                    position);
        }
        long start = position;
        position += bytes;
        return start;
    }

    StorageException corrupt(String message, long offset) {
        return corrupt(what, message, offset);
    }

    static StorageException corrupt(String what, String message, long offset) {
        return new StorageException(StorageException.Kind.CORRUPT, what + ": " + message + " [offset=" + offset + "]");
    }
}
