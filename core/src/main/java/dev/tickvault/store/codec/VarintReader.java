package dev.tickvault.store.codec;

/**
 * Decodes runs of LEB128 varints for {@link LongColumnCodec} (VARINTS, DELTA_VARINTS, SCALED_VARINTS). When the
 * bytes are on the heap (blocks are decoded from heap copies) the values are read straight from the array while at
 * least 10 bytes (the longest varint) remain, with a one-byte fast path; the last few go through the checked
 * {@link ByteSource}. Malformed varints (longer than 10 bytes, or overflowing 64 bits) are CORRUPT either way.
 *
 * <p>Stateless and thread-safe.
 */
final class VarintReader {
    /** The longest varint of a 64-bit value. */
    private static final int MAX_VARINT_BYTES = 10;

    private VarintReader() {}

    /**
     * Reads {@code count} zigzag varints into {@code dst[dstOffset, dstOffset + count)}, multiplied by
     * {@code factor}; if {@code delta}, each is a step from the previous value (the first from 0).
     */
    static void read(ByteSource in, int count, long[] dst, int dstOffset, long factor, boolean delta) {
        int i = 0;
        long previous = 0;
        if (in.segment().heapBase().orElse(null) instanceof byte[] array) {
            int base = Math.toIntExact(in.segment().address());
            int p = base + Math.toIntExact(in.position());
            int safeEnd = base + Math.toIntExact(in.segment().byteSize()) - MAX_VARINT_BYTES;
            while (i < count && p <= safeEnd) {
                long word = (long) LONG_VIEW.get(array, p);
                if ((word & STOP_BITS) == 0 && i + 8 <= count) {
                    // Eight one-byte varints (runs of small steps): no length chain between them.
                    for (int k = 0; k < 8; k++) {
                        long raw = (word >>> (k << 3)) & 0x7F;
                        long value = (raw >>> 1) ^ -(raw & 1);
                        previous = delta ? previous + value : value;
                        dst[dstOffset + i + k] = previous * factor;
                    }
                    i += 8;
                    p += 8;
                    continue;
                }
                long stops = ~word & STOP_BITS;
                long raw;
                if (stops != 0) {
                    // Up to 8 bytes: the length from the first clear high bit, the 7-bit groups joined without a
                    // branch per byte (lengths vary unpredictably from value to value).
                    int bits = Long.numberOfTrailingZeros(stops) + 1;
                    raw = joinGroups(word & (-1L >>> (64 - bits)));
                    p += bits >>> 3;
                } else {
                    raw = 0;
                    int shift = 0;
                    long b;
                    do {
                        b = array[p++];
                        raw |= (b & 0x7F) << shift;
                        shift += 7;
                    } while (b < 0 && shift < 70);
                    checkEnd(in, b, shift, p - base);
                }
                long value = (raw >>> 1) ^ -(raw & 1);
                previous = delta ? previous + value : value;
                dst[dstOffset + i] = previous * factor;
                i++;
            }
            in.position(p - base);
        }
        for (; i < count; i++) {
            long value = in.readZigZagVarLong();
            previous = delta ? previous + value : value;
            dst[dstOffset + i] = previous * factor;
        }
    }

    private static final java.lang.invoke.VarHandle LONG_VIEW =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
    /** The continuation bit of each of 8 bytes. */
    private static final long STOP_BITS = 0x8080808080808080L;

    /** Joins the low 7 bits of each byte of {@code word} (least significant first) into one number of 56 bits. */
    private static long joinGroups(long word) {
        long w = word & ~STOP_BITS;
        w = (w & 0x007F007F007F007FL) | ((w & 0x7F007F007F007F00L) >>> 1);
        w = (w & 0x00003FFF00003FFFL) | ((w & 0x3FFF00003FFF0000L) >>> 2);
        return (w & 0x000000000FFFFFFFL) | ((w & 0x0FFFFFFF00000000L) >>> 4);
    }

    /**
     * Reads {@code count} values of the SCALED_VARINTS body (after its scale byte): an even varint {@code c} is
     * {@code zigzag(c / 2) * divisor}; the varint 1 is followed by the zigzag varint of the value itself.
     */
    static void readScaled(ByteSource in, int count, long[] dst, int dstOffset, long divisor) {
        int i = 0;
        if (in.segment().heapBase().orElse(null) instanceof byte[] array) {
            int base = Math.toIntExact(in.segment().address());
            int p = base + Math.toIntExact(in.position());
            // An escaped value takes up to 11 bytes: the escape byte and a varint.
            int safeEnd = base + Math.toIntExact(in.segment().byteSize()) - MAX_VARINT_BYTES - 1;
            for (; i < count && p <= safeEnd; i++) {
                long raw = array[p++];
                if (raw < 0) {
                    raw &= 0x7F;
                    int shift = 7;
                    long b;
                    do {
                        b = array[p++];
                        raw |= (b & 0x7F) << shift;
                        shift += 7;
                    } while (b < 0 && shift < 70);
                    checkEnd(in, b, shift, p - base);
                }
                if ((raw & 1) == 0) {
                    long half = raw >>> 1;
                    dst[dstOffset + i] = ((half >>> 1) ^ -(half & 1)) * divisor;
                } else {
                    if (raw != 1) {
                        throw in.corrupt("scaled varint escape " + Long.toUnsignedString(raw) + " is not 1", p - base);
                    }
                    in.position(p - base);
                    dst[dstOffset + i] = in.readZigZagVarLong();
                    p = base + Math.toIntExact(in.position());
                }
            }
            in.position(p - base);
        }
        for (; i < count; i++) {
            long at = in.position();
            long raw = in.readVarLong();
            if ((raw & 1) == 0) {
                dst[dstOffset + i] = ZigZag.decode(raw >>> 1) * divisor;
            } else if (raw == 1) {
                dst[dstOffset + i] = in.readZigZagVarLong();
            } else {
                throw in.corrupt("scaled varint escape " + Long.toUnsignedString(raw) + " is not 1", at);
            }
        }
    }

    /** Throws CORRUPT if the varint that ended with byte {@code last} after {@code shift} bits is malformed. */
    private static void checkEnd(ByteSource in, long last, int shift, int position) {
        if (last < 0) {
            throw in.corrupt("varint longer than 10 bytes", position);
        }
        if (shift == 70 && last > 1) {
            throw in.corrupt("varint overflows 64 bits", position);
        }
    }
}
