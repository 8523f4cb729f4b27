package dev.tickvault.store.codec;

import dev.tickvault.store.StorageException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * Packs the low {@code bitWidth} bits (0 to 64) of each value densely, least significant bit first, and unpacks them
 * from a {@link MemorySegment} at any byte offset (aligned or not).
 *
 * <pre>
 *   bitWidth = 3, values a, b, c, d ... (a0 = lowest bit of a)
 *
 *   byte 0                          byte 1
 *   bit 7 ............... bit 0     bit 7 ............... bit 0
 *   +--+--+--+--+--+--+--+--+      +--+--+--+--+--+--+--+--+
 *   |c1|c0|b2|b1|b0|a2|a1|a0|      |f0|e2|e1|e0|d2|d1|d0|c2|  ...
 *   +--+--+--+--+--+--+--+--+      +--+--+--+--+--+--+--+--+
 *
 *   value i occupies stream bits [i*bitWidth, (i+1)*bitWidth); the stream takes
 *   ceil(count * bitWidth / 8) bytes; unused high bits of the last byte are zero.
 * </pre>
 *
 * Stateless and thread-safe; allocates nothing.
 */
public final class BitPacking {
    private static final ValueLayout.OfLong LONG_LE =
            ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private BitPacking() {}

    /** Bytes that {@code count} values of {@code bitWidth} bits take. */
    public static int packedBytes(int count, int bitWidth) {
        return (int) (((long) count * bitWidth + 7) >>> 3);
    }

    /** Bits needed to hold the unsigned value {@code value} (0 for 0, 64 for negative values). */
    public static int bitWidth(long value) {
        return 64 - Long.numberOfLeadingZeros(value);
    }

    /** Appends the low {@code bitWidth} bits of {@code values[offset, offset + count)} to {@code out}. */
    public static void pack(long[] values, int offset, int count, int bitWidth, ByteSink out) {
        packRelative(values, offset, count, 0L, bitWidth, out);
    }

    /**
     * Appends the low {@code bitWidth} bits of {@code values[i] - base} (wrapping) for each value of the range: the
     * frame-of-reference form, without a pass to subtract first.
     */
    static void packRelative(long[] values, int offset, int count, long base, int bitWidth, ByteSink out) {
        Objects.checkFromIndexSize(offset, count, values.length);
        checkWidth(bitWidth);
        if (bitWidth == 0 || count == 0) {
            return;
        }
        int bytes = packedBytes(count, bitWidth);
        // 8 bytes of slack: the final partial word is stored whole and the position then set exactly.
        out.ensureRemaining(bytes + 8);
        int start = out.position();
        long mask = bitWidth == 64 ? -1L : (1L << bitWidth) - 1;
        EncodeKernels.packWords(values, offset, offset + count, base, bitWidth, mask, out, start);
        out.position(start + bytes);
    }

    /**
     * Unpacks {@code count} values of {@code bitWidth} bits from {@code src} starting at byte {@code srcOffset} into
     * {@code dst[dstOffset, dstOffset + count)}.
     *
     * @return the number of bytes read, {@link #packedBytes(int, int)}
     * @throws StorageException CORRUPT if the width is outside 0..64 or the packed bytes run past the segment
     */
    public static int unpack(MemorySegment src, long srcOffset, int count, int bitWidth, long[] dst, int dstOffset) {
        return unpackRelative(src, srcOffset, count, bitWidth, 0L, dst, dstOffset);
    }

    /** As {@link #unpack}, adding {@code base} (wrapping) to every value: the inverse of {@link #packRelative}. */
    static int unpackRelative(
            MemorySegment src, long srcOffset, int count, int bitWidth, long base, long[] dst, int dstOffset) {
        Objects.checkFromIndexSize(dstOffset, count, dst.length);
        if (bitWidth < 0 || bitWidth > 64) {
            throw ByteSource.corrupt("bit-packed values", "bit width " + bitWidth + " outside 0..64", srcOffset);
        }
        int bytes = packedBytes(count, bitWidth);
        if (srcOffset < 0 || srcOffset > src.byteSize() - bytes) {
            throw ByteSource.corrupt(
                    "bit-packed values",
                    "truncated: " + count + " values of " + bitWidth + " bits need " + bytes + " bytes, segment has "
                            + Math.max(0, src.byteSize() - srcOffset),
                    srcOffset);
        }
        if (bitWidth == 0) {
            Arrays.fill(dst, dstOffset, dstOffset + count, base);
        } else if (bitWidth == 64) {
            MemorySegment.copy(src, LONG_LE, srcOffset, dst, dstOffset, count);
            if (base != 0) {
                for (int i = dstOffset; i < dstOffset + count; i++) {
                    dst[i] += base;
                }
            }
        } else if (bitWidth <= 56 && src.heapBase().orElse(null) instanceof byte[] array) {
            unpackHeap(array, src.address() + srcOffset, bytes, count, bitWidth, base, dst, dstOffset);
        } else {
            unpackChecked(src, srcOffset, srcOffset + bytes, count, bitWidth, base, dst, dstOffset);
        }
        return bytes;
    }

    /**
     * The fast path for heap bytes (what block decoding reads): plain array loads through a byte-array view, which the
     * JIT compiles to unaligned loads without the per-access segment checks. {@code start} is the index in
     * {@code array}; {@code bytes} packed bytes follow it (already bounds-checked by the caller).
     */
    private static void unpackHeap(
            byte[] array, long start, int bytes, int count, int bitWidth, long base, long[] dst, int dstOffset) {
        long mask = (1L << bitWidth) - 1;
        int from = Math.toIntExact(start);
        // Values whose 8-byte window lies inside the packed bytes take one load each; the last few go byte by byte.
        long safeBits = (long) (bytes - 8) * 8;
        int fast = safeBits < 0 ? 0 : (int) Math.min(count, safeBits / bitWidth + 1);
        long bit = 0;
        for (int i = 0; i < fast; i++, bit += bitWidth) {
            long word = (long) LONG_ARRAY_VIEW.get(array, from + (int) (bit >>> 3));
            dst[dstOffset + i] = ((word >>> (bit & 7)) & mask) + base;
        }
        for (int i = fast; i < count; i++, bit += bitWidth) {
            int at = from + (int) (bit >>> 3);
            int shift = (int) (bit & 7);
            int bytesNeeded = (shift + bitWidth + 7) >>> 3;
            long value = 0;
            for (int b = 0; b < bytesNeeded; b++) {
                long octet = array[at + b] & 0xFFL;
                int position = b * 8 - shift;
                value |= position >= 0 ? octet << position : octet >>> -position;
            }
            dst[dstOffset + i] = (value & mask) + base;
        }
    }

    private static final java.lang.invoke.VarHandle LONG_ARRAY_VIEW =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

    private static void unpackChecked(
            MemorySegment src, long start, long end, int count, int bitWidth, long base, long[] dst, int dstOffset) {
        long mask = (1L << bitWidth) - 1;
        // Values whose 8-byte (or, for widths over 56 bits, 9-byte) window lies inside the packed bytes are read
        // with one unaligned load each; the few at the end go through the byte-careful loop.
        int window = bitWidth <= 56 ? 8 : 9;
        long safeBits = (end - start - window) * 8;
        int fast = safeBits < 0 ? 0 : (int) Math.min(count, safeBits / bitWidth + 1);
        if (bitWidth <= 56) {
            for (int i = 0; i < fast; i++) {
                long bit = (long) i * bitWidth;
                long word = src.get(LONG_LE, start + (bit >>> 3));
                dst[dstOffset + i] = ((word >>> (bit & 7)) & mask) + base;
            }
        } else {
            for (int i = 0; i < fast; i++) {
                long bit = (long) i * bitWidth;
                long at = start + (bit >>> 3);
                int shift = (int) (bit & 7);
                long word = src.get(LONG_LE, at) >>> shift;
                if (shift + bitWidth > 64) {
                    word |= (src.get(ValueLayout.JAVA_BYTE, at + 8) & 0xFFL) << (64 - shift);
                }
                dst[dstOffset + i] = (word & mask) + base;
            }
        }
        for (int i = fast; i < count; i++) {
            long bit = (long) i * bitWidth;
            long at = start + (bit >>> 3);
            int shift = (int) (bit & 7);
            int bytesNeeded = (shift + bitWidth + 7) >>> 3;
            long value = 0;
            for (int b = 0; b < bytesNeeded; b++) {
                long octet = src.get(ValueLayout.JAVA_BYTE, at + b) & 0xFFL;
                int position = b * 8 - shift;
                value |= position >= 0 ? octet << position : octet >>> -position;
            }
            dst[dstOffset + i] = (value & mask) + base;
        }
    }

    private static void checkWidth(int bitWidth) {
        if (bitWidth < 0 || bitWidth > 64) {
            throw new IllegalArgumentException("bit width " + bitWidth + " outside 0..64");
        }
    }
}
