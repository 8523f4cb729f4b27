package dev.tickvault.store.codec;

/**
 * Decodes runs of LEB128 varints for {@link LongColumnCodec} (VARINTS, DELTA_VARINTS, SCALED_VARINTS). When the
 * bytes are on the heap (blocks are decoded from heap copies) the values are read straight from the array by the
 * {@link DecodeKernels} varint kernels, {@value DecodeKernels#GROUP} values per call, each byte checked against the
 * section end; otherwise, and from a malformed or truncated varint on, through the checked {@link ByteSource}, which
 * reports it. Malformed varints (longer than 10 bytes, or overflowing 64 bits) are CORRUPT either way.
 *
 * <p>Its counterpart for the book codec, a stateful cursor reading one varint at a time from a padded array, is
 * {@code dev.tickvault.store.partition.VarintCursor}. Stateless and thread-safe.
 */
final class VarintRuns {
    private VarintRuns() {}

    /**
     * Reads {@code count} zigzag varints into {@code dst[dstOffset, dstOffset + count)}, multiplied by
     * {@code factor}; if {@code delta}, each is a step from the previous value (the first from 0). {@code state} is
     * one slot of scratch (the previous unscaled value between kernel calls).
     */
    static void read(ByteSource in, int count, long[] dst, int dstOffset, long factor, boolean delta, long[] state) {
        int i = 0;
        long previous = 0;
        byte[] array = in.array();
        if (array != null) {
            int base = in.arrayBase();
            int p = base + (int) in.position();
            int end = p + (int) in.remaining();
            // Scaled values chunk by chunk (the kernels are compiled early); a malformed or truncated varint stops
            // the group, and the checked loop below re-reads from the group start and reports it.
            state[0] = 0;
            while (i < count) {
                int n = Math.min(DecodeKernels.GROUP, count - i);
                int next = DecodeKernels.readVarintGroup(array, p, end, dst, dstOffset + i, n, state, delta, factor);
                if (next < 0) {
                    break;
                }
                p = next;
                i += n;
                previous = state[0];
            }
            in.position(p - base);
        }
        for (; i < count; i++) {
            long value = in.readZigZagVarLong();
            previous = delta ? previous + value : value;
            dst[dstOffset + i] = previous * factor;
        }
    }

    /**
     * Reads {@code count} values of the SCALED_VARINTS body (after its scale byte): an even varint {@code c} is
     * {@code zigzag(c / 2) * divisor}; the varint 1 is followed by the zigzag varint of the value itself. {@code slot} is
     * one element of scratch.
     */
    static void readScaled(ByteSource in, int count, long[] dst, int dstOffset, long divisor, long[] slot) {
        int i = 0;
        byte[] array = in.array();
        if (array != null) {
            int base = in.arrayBase();
            int p = base + (int) in.position();
            int end = p + (int) in.remaining();
            while (i < count) {
                int n = Math.min(DecodeKernels.GROUP, count - i);
                int next = DecodeKernels.readScaledGroup(array, p, end, dst, dstOffset + i, n, divisor, slot);
                if (next < 0) {
                    break; // the checked loop re-reads this chunk and reports the problem
                }
                p = next;
                i += n;
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
}
