package dev.tickvault.store.codec;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * Encodes one block of a {@code long} column (timestamps, price and quantity mantissas, trade ids) into a
 * self-describing byte string, choosing per block the smallest of four encodings, and decodes it back from a
 * (memory-mapped) {@link MemorySegment}. All arithmetic wraps, so every long value round-trips, including
 * {@code Long.MIN_VALUE}/{@code MAX_VALUE} and deltas that overflow.
 *
 * <pre>
 *   +-----+----------+-------------------------------------------+
 *   | tag | exponent | body                                      |
 *   +-----+----------+-------------------------------------------+
 *    1 B    1 B, only if tag bit 4 (DECIMAL) is set: values were divided by 10^exponent (1..18) before
 *           encoding and are multiplied back after decoding
 *
 *   tag bits 0-3 (bits 5-7 are zero):
 *     0 EMPTY            count == 0; no body
 *     1 CONSTANT         body = zigzag varint: the value of every row
 *     2 FRAME_OF_REF     body = frames over the values
 *     3 DELTA            body = zigzag varint v[0], then frames over the count-1 deltas v[i] - v[i-1]
 *     4 DELTA_OF_DELTA   body = zigzag varint v[0], zigzag varint (v[1] - v[0]) if count &gt;= 2,
 *                        then frames over the count-2 values d[i] - d[i-1], where d[i] = v[i] - v[i-1]
 *     5 VARINTS          body = one zigzag varint per value (never chosen by {@link #encode}; written by
 *                        {@link #encodeVarints} for heavy-tailed columns that a byte compressor follows better than
 *                        bit-packed frames, where one outlier widens a whole frame)
 *     6 DELTA_VARINTS    body = zigzag varint v[0], then one zigzag varint per delta v[i] - v[i-1] (count-1 of
 *                        them); written by {@link #encodeDeltaVarints} for prices and exchange times
 *     7 SCALED_VARINTS   body = scale byte s (1..18), then per value: if 10^s divides it, the varint of
 *                        zigzag(v / 10^s) * 2; else the byte 0x01 and the zigzag varint of v. Never with the
 *                        DECIMAL flag. Written by {@link #encodeScaledVarints} for columns most (not all) of whose
 *                        values share a power of ten, such as 100 ns-granular receive-time steps with rare
 *                        outliers, which defeat the column-wide DECIMAL divisor
 *     8 BYTE_PLANES      body = zigzag varint base (the minimum), width byte w (1..8), then w planes of count
 *                        bytes: plane k holds byte k (least significant first) of every v[i] - base. Written by
 *                        {@link #encodeBytePlanes} for quantities: byte-aligned like varints (which a byte
 *                        compressor follows better than bit-packed frames) yet decoded without a length chain
 *
 *   frames: the sequence is cut into frames of 128 values (the last may be shorter), each
 *   +-------+---------------------+--------------------------------------------------+
 *   | width | base                | (value - base) bit-packed at width bits each     |
 *   +-------+---------------------+--------------------------------------------------+
 *     1 B     zigzag varint, the    ceil(n * width / 8) bytes, see {@link BitPacking}
 *     0..64   frame's minimum
 *
 *   varint: unsigned LEB128, 7 bits per byte, low group first, high bit set = more bytes follow (max 10)
 *   zigzag: 0, -1, 1, -2 ... map to 0, 1, 2, 3 ...
 * </pre>
 *
 * <p>The choice costs a few cheap passes (a min/max per frame for each candidate); no candidate is encoded twice.
 * Ties prefer the encoding that decodes fastest (FRAME_OF_REF, then DELTA, then DELTA_OF_DELTA).
 *
 * <p>Not thread-safe: an instance keeps scratch arrays that grow to the largest block and are then reused, so
 * encoding and decoding allocate nothing per value. Use one instance per thread.
 */
public final class LongColumnCodec {
    /** Values per frame; a frame of 128 values at any width ends on a byte boundary. */
    public static final int FRAME_SIZE = 128;

    static final int EMPTY = 0;
    static final int CONSTANT = 1;
    static final int FRAME_OF_REFERENCE = 2;
    static final int DELTA = 3;
    static final int DELTA_OF_DELTA = 4;
    static final int VARINTS = 5;
    static final int DELTA_VARINTS = 6;
    static final int SCALED_VARINTS = 7;
    static final int BYTE_PLANES = 8;
    static final int DECIMAL_FLAG = 0x10;
    /** Frame header bit 7: an exponent byte follows and the packed offsets are multiples of 10^exponent. */
    static final int FRAME_DECIMAL_FLAG = 0x80;

    private static final int FRAME_WIDTH_MASK = 0x7F;
    private static final int ENCODING_MASK = 0x0F;

    private final ByteSource source = new ByteSource();
    private long[] scaled = new long[0];
    private long[] deltas = new long[0];
    private long[] deltasOfDeltas = new long[0];
    private final FramePlan valuePlan = new FramePlan();
    private final FramePlan deltaPlan = new FramePlan();
    private final FramePlan deltaOfDeltaPlan = new FramePlan();
    private final long[] frameScratch = new long[FRAME_SIZE];
    /** Minimum and maximum of the column being encoded as byte planes. */
    private final long[] minMax = new long[2];
    /** The packed frames of the section being decoded as little-endian words (see DecodeKernels.loadWords). */
    private long[] words = new long[0];
    /** A frame's minimum and maximum value and step, folded by {@link EncodeKernels#scaleFrameWithSteps}. */
    private final long[] frameStats = new long[4];
    /** The DELTA candidate's frame bytes planned by the last {@link #planFast}. */
    private long fastDeltaSize;
    /** A 64-value group of packed bits shifted to start at bit 0 of a word (see {@link #frameValues}). */
    private final long[] alignedWords = new long[64];
    /**
     * The previous unscaled value of a DELTA section, carried from frame to frame (see {@link #frame}), or of a varint
     * section from kernel call to kernel call (see {@link VarintRuns#read}).
     */
    private final long[] frameState = new long[1];

    /** Narrowest frame worth a per-frame exponent byte: below it the byte costs more than dividing saves. */
    static final int MIN_WIDTH_FOR_FRAME_DECIMAL = 4;

    /**
     * Appends the encoding of {@code values[offset, offset + count)} to {@code out}.
     *
     * @return the number of bytes written
     */
    public int encode(long[] values, int offset, int count, ByteSink out) {
        return encode(values, offset, count, out, true);
    }

    /**
     * As {@link #encode(long[], int, int, ByteSink)}, choosing among fewer candidates: FRAME_OF_REFERENCE or DELTA
     * only, without per-frame exponents. The bytes are the same format (any decoder reads them), typically a little
     * larger, for about half the encoding work: for the write-ahead log, which is read back only on recovery.
     */
    public int encodeFast(long[] values, int offset, int count, ByteSink out) {
        if (count == 0) {
            // Here, not in encode: an empty column (a trade block without in-burst rows) is rare and may first come
            // after C2 compiled encode without that branch; taking it there would deoptimise and recompile encode.
            Objects.checkFromIndexSize(offset, count, values.length);
            out.putByte(EMPTY);
            return 1;
        }
        return encode(values, offset, count, out, false);
    }

    /**
     * The number of bytes {@link #encode(long[], int, int, ByteSink)} would write for these values, without writing
     * them: for callers that compare forms of a column and encode only the smallest.
     */
    public int encodedSize(long[] values, int offset, int count) {
        return encode(values, offset, count, null, true);
    }

    /** Encodes into {@code out}, or with {@code out == null} only returns the size it would write. */
    private int encode(long[] values, int offset, int count, ByteSink out, boolean thorough) {
        Objects.checkFromIndexSize(offset, count, values.length);
        if (count == 0) {
            if (out != null) {
                out.putByte(EMPTY);
            }
            return 1;
        }
        if (allEqual(values, offset, count)) {
            if (out == null) {
                return 1 + ZigZag.varLongSize(ZigZag.encode(values[offset]));
            }
            int start = out.position();
            out.putByte(CONSTANT);
            out.putZigZagVarLong(values[offset]);
            return out.position() - start;
        }
        int exponent = DecimalScaling.commonExponent(values, offset, count);
        ensureScratch(count);
        long[] v = values;
        int from = offset;
        long forSize;
        long deltaSize = Long.MAX_VALUE;
        long dodSize = Long.MAX_VALUE;
        if (!thorough) {
            // count >= 2 here: a single value is constant.
            forSize = planFast(values, offset, count, exponent);
            v = scaled;
            from = 0;
            deltaSize = ZigZag.varLongSize(ZigZag.encode(v[0])) + fastDeltaSize;
        } else {
            if (exponent > 0) {
                DecimalScaling.divideExact(values, offset, count, exponent, scaled);
                v = scaled;
                from = 0;
            }
            forSize = valuePlan.plan(v, from, count, true);
            if (count >= 2) {
                computeDeltas(v, from, count, deltas, deltasOfDeltas);
                long first = ZigZag.varLongSize(ZigZag.encode(v[from]));
                deltaSize = first + deltaPlan.plan(deltas, 0, count - 1, true);
                dodSize = first
                        + ZigZag.varLongSize(ZigZag.encode(deltas[0]))
                        + deltaOfDeltaPlan.plan(deltasOfDeltas, 0, count - 2, true);
            }
        }
        if (out == null) {
            return (int) ((exponent > 0 ? 2 : 1) + Math.min(forSize, Math.min(deltaSize, dodSize)));
        }
        return writePlanned(v, from, count, exponent, forSize, deltaSize, dodSize, out);
    }

    /**
     * As {@link #encodeFast}, when the frames it plans for {@code values[offset, offset + count)} prove that {@link
     * #encodedSizeFast} of the first {@code sample} values is at most {@code bound}; else writes nothing and returns
     * -1. {@code sample} must be {@code count} or a whole number of frames (otherwise -1).
     *
     * <p>The proof: with the first {@code sample} values not all equal, their common power of ten is at least the
     * column's, so their FRAME_OF_REFERENCE frames, which are the column's first frames divided further, take no more
     * bytes than those (bases and ranges only shrink); their encoding is at most 2 header bytes plus that. For a
     * caller that writes these frames unless another form is smaller on the sample (the receive times' in-burst
     * steps against the scaled varints, {@link #scaledVarintsMinSize}): one plan of the column instead of a plan of
     * the sample and then of the column.
     *
     * @return the number of bytes written, or -1
     */
    public int encodeFastIfSampleWithin(long[] values, int offset, int count, int sample, long bound, ByteSink out) {
        Objects.checkFromIndexSize(offset, count, values.length);
        if (sample < 2 || sample > count || (sample != count && sample % FRAME_SIZE != 0)) {
            return -1;
        }
        if (allEqual(values, offset, sample)) {
            return -1; // a constant sample's own exponent may be 0 (all zero): the proof does not hold
        }
        int exponent = DecimalScaling.commonExponent(values, offset, count);
        ensureScratch(count);
        long forSize = planFast(values, offset, count, exponent);
        if (2 + valuePlan.size(sample) > bound) {
            return -1;
        }
        long deltaSize = ZigZag.varLongSize(ZigZag.encode(scaled[0])) + fastDeltaSize;
        return writePlanned(scaled, 0, count, exponent, forSize, deltaSize, Long.MAX_VALUE, out);
    }

    /**
     * Writes the smallest planned candidate of {@code count} values ({@code v[from, ...)} divided by 10^{@code
     * exponent}, their steps in {@link #deltas} and steps of steps in {@link #deltasOfDeltas}), as {@link #encode}
     * chooses it.
     */
    private int writePlanned(
            long[] v, int from, int count, int exponent, long forSize, long deltaSize, long dodSize, ByteSink out) {
        int flag = exponent > 0 ? DECIMAL_FLAG : 0;
        int start = out.position();
        // One call of FramePlan.write whatever the winner, so the compiled encoder holds its loops once, not thrice.
        int encoding = FRAME_OF_REFERENCE;
        FramePlan plan = valuePlan;
        long[] source = v;
        int sourceFrom = from;
        int sourceCount = count;
        if (forSize > deltaSize || forSize > dodSize) {
            boolean delta = deltaSize <= dodSize;
            encoding = delta ? DELTA : DELTA_OF_DELTA;
            plan = delta ? deltaPlan : deltaOfDeltaPlan;
            source = delta ? deltas : deltasOfDeltas;
            sourceFrom = 0;
            sourceCount = delta ? count - 1 : count - 2;
        }
        writeHeader(out, encoding | flag, exponent);
        if (encoding != FRAME_OF_REFERENCE) {
            out.putZigZagVarLong(v[from]);
        }
        if (encoding == DELTA_OF_DELTA) {
            out.putZigZagVarLong(deltas[0]);
        }
        plan.write(source, sourceFrom, sourceCount, out, frameScratch);
        return out.position() - start;
    }

    /**
     * Appends {@code values[offset, offset + count)} as {@link #VARINTS} (divided by their common power of ten, as
     * {@link #encode} does, with the same DECIMAL header); CONSTANT when every value is equal, EMPTY for none.
     *
     * @return the number of bytes written
     */
    public int encodeVarints(long[] values, int offset, int count, ByteSink out) {
        Objects.checkFromIndexSize(offset, count, values.length);
        if (count == 0 || allEqual(values, offset, count)) {
            return encode(values, offset, count, out);
        }
        int start = out.position();
        int exponent = DecimalScaling.commonExponent(values, offset, count);
        writeHeader(out, VARINTS | (exponent > 0 ? DECIMAL_FLAG : 0), exponent);
        out.ensureRemaining(10 * count);
        if (exponent == 0) {
            for (int i = offset; i < offset + count; i++) {
                out.putZigZagVarLong(values[i]);
            }
        } else {
            for (int i = offset; i < offset + count; i++) {
                out.putZigZagVarLong(DecimalScaling.divideExact(values[i], exponent));
            }
        }
        return out.position() - start;
    }

    /**
     * Appends {@code values[offset, offset + count)} as {@link #DELTA_VARINTS} (divided by their common power of ten
     * first, with the DECIMAL header); CONSTANT when every value is equal, EMPTY for none. One pass to find the
     * divisor and one to write: no planning. Suits columns whose steps are mostly small with a heavy tail (trade
     * prices in ticks, millisecond exchange times), where a byte compressor follows the varint bytes better than
     * bit-packed frames.
     *
     * @return the number of bytes written
     */
    public int encodeDeltaVarints(long[] values, int offset, int count, ByteSink out) {
        Objects.checkFromIndexSize(offset, count, values.length);
        if (count == 0 || allEqual(values, offset, count)) {
            return encode(values, offset, count, out);
        }
        int start = out.position();
        int exponent = DecimalScaling.commonExponent(values, offset, count);
        writeHeader(out, DELTA_VARINTS | (exponent > 0 ? DECIMAL_FLAG : 0), exponent);
        out.ensureRemaining(10 * count);
        // One kernel for both cases: exponent 0 shifts by nothing and multiplies by 1, what divideExact does for it.
        long inverse = DecimalScaling.inversePow5(exponent);
        EncodeKernels.putDeltaVarints(values, offset, offset + count, 0L, exponent, inverse, out);
        return out.position() - start;
    }

    /**
     * Appends {@code values[offset, offset + count)} as {@link #BYTE_PLANES} (divided by their common power of ten
     * first, with the DECIMAL header); CONSTANT when every value is equal, EMPTY for none.
     *
     * @return the number of bytes written
     */
    public int encodeBytePlanes(long[] values, int offset, int count, ByteSink out) {
        Objects.checkFromIndexSize(offset, count, values.length);
        if (count == 0 || allEqual(values, offset, count)) {
            return encode(values, offset, count, out);
        }
        int start = out.position();
        int exponent = DecimalScaling.commonExponent(values, offset, count);
        ensureScratch(count);
        long[] v = values;
        int from = offset;
        if (exponent > 0) {
            // Divided and folded into the minimum and maximum in one pass.
            v = scaled;
            from = 0;
            minMax[0] = Long.MAX_VALUE;
            minMax[1] = Long.MIN_VALUE;
            EncodeKernels.scaleDownMinMax(
                    values, offset, count, exponent, DecimalScaling.inversePow5(exponent), scaled, 0, minMax);
        } else {
            minMax[0] = v[from];
            minMax[1] = v[from];
            EncodeKernels.minMax(v, from + 1, from + count, minMax);
        }
        long min = minMax[0];
        long max = minMax[1];
        // max > min here; a range of 2^63 or more wraps negative, which bitWidth counts as 64 bits.
        int width = (BitPacking.bitWidth(max - min) + 7) >>> 3;
        writeHeader(out, BYTE_PLANES | (exponent > 0 ? DECIMAL_FLAG : 0), exponent);
        out.putZigZagVarLong(min);
        out.putByte(width);
        out.ensureRemaining(width * count);
        byte[] buffer = out.array();
        int at = out.position();
        for (int plane = 0; plane < width; plane++) {
            EncodeKernels.bytePlane(v, from, count, min, plane << 3, buffer, at);
            at += count;
        }
        out.position(at);
        return out.position() - start;
    }

    /**
     * The power of ten (0 to 9) that at least 15 in 16 of {@code values[offset, offset + count)} are multiples of
     * (the largest such), for {@link #encodeScaledVarints}; 0 when none is.
     *
     * <p>Tries 9 down to 1, each with {@link DecimalScaling#atMostNotDivisible}, which gives up on a power once more
     * than one in 16 values missed it: on most columns the powers above the answer fail within the first frame, and
     * the answer takes one branch-free pass. It used to find each value's own trailing decimal zeros (a loop per
     * value whose exit the branch predictor misses on random steps) and count them; the answer is the same, since a
     * value has at least e trailing decimal zeros exactly when 10^e divides it. Measured (session 16, the receive
     * times' 1,024-step samples of the synthetic day's commit-sized blocks, thread CPU per row of the blocks, load
     * 5-9): 1.8-2.4 ns before, 0.7-1.3 after.
     */
    public static int dominantExponent(long[] values, int offset, int count) {
        Objects.checkFromIndexSize(offset, count, values.length);
        if (count == 0) {
            return 0;
        }
        int allowed = count / 16; // at least count - count / 16 values must be multiples
        for (int e = MAX_SCALED_EXPONENT; e >= 1; e--) {
            if (DecimalScaling.atMostNotDivisible(values, offset, offset + count, e, allowed)) {
                return e;
            }
        }
        return 0;
    }

    /** Largest scale {@link #dominantExponent} proposes. */
    static final int MAX_SCALED_EXPONENT = 9;

    /**
     * The bytes {@link #encodeScaledVarints} writes for these values and scale (1..18), counted in one pass without
     * writing.
     */
    public static long scaledVarintsSize(long[] values, int offset, int count, int scale) {
        Objects.checkFromIndexSize(offset, count, values.length);
        return 2 + scaledVarintsBodySize(values, offset, offset + count, scale);
    }

    /**
     * The fewest bytes {@link #encodeScaledVarints} writes for {@code count} (&gt;= 1) values at any scale: the tag and
     * scale bytes, then at least one byte a value (a multiple's varint, or an escape byte and more). Frames sized at
     * most this are never larger than the scaled varints.
     */
    public static long scaledVarintsMinSize(int count) {
        return 2L + count;
    }

    /**
     * Whether {@link #scaledVarintsSize} is below {@code bound}: counted a frame of values at a time, stopping as soon
     * as the count reaches the bound. For a caller that only compares the scaled varints with another form's size
     * (the receive times' in-burst steps): where they lose, typically half the values are counted.
     */
    public static boolean scaledVarintsSmaller(long[] values, int offset, int count, int scale, long bound) {
        Objects.checkFromIndexSize(offset, count, values.length);
        long size = 2;
        int end = offset + count;
        for (int from = offset; from < end && size < bound; from += FRAME_SIZE) {
            size += scaledVarintsBodySize(values, from, Math.min(end, from + FRAME_SIZE), scale);
        }
        return size < bound;
    }

    /** The SCALED_VARINTS body bytes of {@code values[from, to)} (see {@link #putScaledVarints}). */
    private static long scaledVarintsBodySize(long[] values, int from, int to, int scale) {
        long size = 0;
        for (int i = from; i < to; i++) {
            long v = values[i];
            size += DecimalScaling.divisible(v, scale)
                    ? ZigZag.varLongSize(ZigZag.encode(DecimalScaling.divideExact(v, scale)) << 1)
                    : 1 + ZigZag.varLongSize(ZigZag.encode(v));
        }
        return size;
    }

    /**
     * Appends {@code values[offset, offset + count)} as {@link #SCALED_VARINTS} with divisor {@code 10^scale}
     * (1..18): a multiple of it as {@code zigzag(v / 10^scale) * 2}, any other value as the escape byte 1 and its
     * zigzag varint. For count 0, EMPTY.
     *
     * @return the number of bytes written
     */
    public int encodeScaledVarints(long[] values, int offset, int count, int scale, ByteSink out) {
        Objects.checkFromIndexSize(offset, count, values.length);
        if (scale < 1 || scale > DecimalScaling.MAX_EXPONENT) {
            throw new IllegalArgumentException("scale " + scale + " outside 1..18");
        }
        if (count == 0) {
            return encode(values, offset, count, out);
        }
        int start = out.position();
        out.putByte(SCALED_VARINTS);
        out.putByte(scale);
        out.ensureRemaining(11 * count);
        putScaledVarints(values, offset, offset + count, scale, out);
        return out.position() - start;
    }

    /** The SCALED_VARINTS body of {@code values[from, to)}; the sink has room for 11 bytes a value. */
    private static void putScaledVarints(long[] values, int from, int to, int scale, ByteSink out) {
        for (int i = from; i < to; i++) {
            long v = values[i];
            if (DecimalScaling.divisible(v, scale)) {
                out.putVarLongUnchecked(ZigZag.encode(DecimalScaling.divideExact(v, scale)) << 1);
            } else {
                out.putVarLongUnchecked(1);
                out.putZigZagVarLongUnchecked(v);
            }
        }
    }

    /**
     * The number of bytes {@link #encodeFast} would write, without writing: one plan of the FRAME_OF_REFERENCE and
     * DELTA candidates.
     */
    public int encodedSizeFast(long[] values, int offset, int count) {
        return encode(values, offset, count, null, false);
    }

    /**
     * Decodes {@code count} values encoded by {@link #encode} from {@code src} at {@code srcOffset} into
     * {@code dst[dstOffset, dstOffset + count)}.
     *
     * @return the number of bytes consumed
     * @throws dev.tickvault.store.StorageException CORRUPT if the bytes are not a valid encoding of {@code count}
     *     values within the segment
     */
    public long decode(MemorySegment src, long srcOffset, int count, long[] dst, int dstOffset) {
        return decodeRows(src, srcOffset, count, dst, dstOffset, 0, count);
    }

    /** {@link #decodeRows}'s answer when it stopped before the end of the encoding: the bytes consumed are unknown. */
    public static final long PARTIAL = -1;

    /**
     * As {@link #decode}, but only rows {@code [fromRow, toRow)} of the {@code count} encoded must come out right, at
     * their own places {@code dst[dstOffset + row]}; the other places of {@code dst[dstOffset, dstOffset + count)}
     * hold anything. Rows after {@code toRow} are not read, and rows before {@code fromRow} are skipped where the
     * encoding allows it without decoding them (frame of reference frames, constant delta frames, byte planes); the
     * rest is decoded as by {@link #decode}. For a range query's first and last block, which it needs only a part of.
     *
     * @return the number of bytes consumed when the whole encoding was read (always so for {@code [0, count)}),
     *     else {@link #PARTIAL}
     */
    public long decodeRows(
            MemorySegment src, long srcOffset, int count, long[] dst, int dstOffset, int fromRow, int toRow) {
        Objects.checkFromIndexSize(dstOffset, count, dst.length);
        Objects.checkFromToIndex(fromRow, toRow, count);
        ByteSource in = source.reset(src, srcOffset, "long column");
        int tag = in.readUnsignedByte();
        if ((tag & ~(ENCODING_MASK | DECIMAL_FLAG)) != 0) {
            throw in.corrupt("unknown encoding tag 0x" + Integer.toHexString(tag), srcOffset);
        }
        int encoding = tag & ENCODING_MASK;
        if (count == 0) {
            if (tag != EMPTY) {
                throw in.corrupt("expected EMPTY tag for 0 values, found 0x" + Integer.toHexString(tag), srcOffset);
            }
            return 1;
        }
        int exponent = 0;
        if ((tag & DECIMAL_FLAG) != 0) {
            exponent = in.readUnsignedByte();
            if (exponent < 1 || exponent > DecimalScaling.MAX_EXPONENT) {
                throw in.corrupt("decimal exponent " + exponent + " outside 1..18", in.position() - 1);
            }
        }
        long factor = DecimalScaling.pow10(exponent);
        boolean whole = fromRow == 0 && toRow == count;
        switch (encoding) {
            case CONSTANT -> {
                DecodeKernels.fill(dst, dstOffset, dstOffset + count, in.readZigZagVarLong() * factor);
                whole = true;
            }
            case FRAME_OF_REFERENCE ->
                whole = readFrames(in, count, dst, dstOffset, FRAME_OF_REFERENCE, 0, factor, fromRow, toRow);
            case DELTA -> {
                long first = in.readZigZagVarLong();
                dst[dstOffset] = first * factor;
                // the frames hold rows 1..count-1: frame row r is row r + 1
                whole = readFrames(
                        in,
                        count - 1,
                        dst,
                        dstOffset + 1,
                        DELTA,
                        first,
                        factor,
                        Math.max(0, fromRow - 1),
                        Math.max(0, toRow - 1));
            }
            case DELTA_OF_DELTA -> {
                long first = in.readZigZagVarLong();
                dst[dstOffset] = first * factor;
                if (count >= 2) {
                    long firstDelta = in.readZigZagVarLong();
                    long second = first + firstDelta;
                    dst[dstOffset + 1] = second * factor;
                    readFramesChecked(in, count - 2, dst, dstOffset + 2, DELTA_OF_DELTA, second, firstDelta, factor);
                }
                whole = true; // decoded in full
            }
            case VARINTS -> VarintRuns.read(in, toRow, dst, dstOffset, factor, false, frameState);
            case DELTA_VARINTS -> VarintRuns.read(in, toRow, dst, dstOffset, factor, true, frameState);
            case BYTE_PLANES -> {
                readBytePlanes(in, count, dst, dstOffset, factor, fromRow, toRow);
                whole = true; // the planes were skipped over to the end
            }
            case SCALED_VARINTS -> {
                if (exponent != 0) {
                    throw in.corrupt("SCALED_VARINTS with a DECIMAL exponent", srcOffset);
                }
                long scaleAt = in.position();
                int scale = in.readUnsignedByte();
                if (scale < 1 || scale > DecimalScaling.MAX_EXPONENT) {
                    throw in.corrupt("varint scale " + scale + " outside 1..18", scaleAt);
                }
                VarintRuns.readScaled(in, toRow, dst, dstOffset, DecimalScaling.pow10(scale), frameState);
            }
            default -> throw in.corrupt("unknown encoding tag 0x" + Integer.toHexString(tag), srcOffset);
        }
        return whole ? in.position() - srcOffset : PARTIAL;
    }

    /** Byte planes of {@code count} values; rows {@code [fromRow, toRow)} decoded from a heap segment, else all. */
    private static void readBytePlanes(
            ByteSource in, int count, long[] dst, int dstOffset, long factor, int fromRow, int toRow) {
        long base = in.readZigZagVarLong();
        long widthAt = in.position();
        int width = in.readUnsignedByte();
        if (width < 1 || width > 8) {
            throw in.corrupt("byte-plane width " + width + " outside 1..8", widthAt);
        }
        long planesAt = in.skip((long) width * count, "values in byte planes");
        MemorySegment segment = in.segment();
        int end = dstOffset + count;
        byte[] array = in.array();
        if (array != null) {
            int first = in.arrayBase() + (int) planesAt;
            for (int done = fromRow; done < toRow; done += DecodeKernels.GROUP) {
                int n = Math.min(DecodeKernels.GROUP, toRow - done);
                DecodeKernels.joinPlanesGroup(
                        array, first + done, count, width, base, factor, dst, dstOffset + done, n);
            }
            return;
        } else {
            long at = planesAt;
            for (int i = dstOffset; i < end; i++) {
                dst[i] = segment.get(java.lang.foreign.ValueLayout.JAVA_BYTE, at++) & 0xFFL;
            }
            for (int plane = 1; plane < width; plane++) {
                int shift = plane << 3;
                for (int i = dstOffset; i < end; i++) {
                    dst[i] |= (segment.get(java.lang.foreign.ValueLayout.JAVA_BYTE, at++) & 0xFFL) << shift;
                }
            }
        }
        for (int i = dstOffset; i < end; i++) {
            dst[i] = (base + dst[i]) * factor;
        }
    }

    private static void writeHeader(ByteSink out, int tag, int exponent) {
        out.putByte(tag);
        if (exponent > 0) {
            out.putByte(exponent);
        }
    }

    private static boolean allEqual(long[] values, int offset, int count) {
        return EncodeKernels.allEqual(values, offset, count);
    }

    /**
     * {@link #encodeFast}'s planning of both candidates in one pass over the column ({@code count >= 2}): stores the
     * values divided by {@code 10^exponent} in {@link #scaled} and their steps in {@link #deltas}, plans the frames of
     * both into {@link #valuePlan} and {@link #deltaPlan} (no per-frame exponents) and returns the FRAME_OF_REFERENCE
     * size; the DELTA frames' size (without the first value) is left in {@link #fastDeltaSize}. The plans and sizes
     * are exactly what {@link FramePlan#plan} gives for the scaled values and their steps, frame by frame: a value
     * frame covers rows {@code [128f, 128f + 128)}, a step frame the steps into rows {@code [128f + 1, 128f + 129)},
     * so each step frame is closed by the first step of the next value frame.
     */
    private long planFast(long[] values, int offset, int count, int exponent) {
        long inverse = DecimalScaling.inversePow5(exponent);
        long[] s = scaled;
        long[] d = deltas;
        long[] stats = frameStats;
        int frames = (count + FRAME_SIZE - 1) / FRAME_SIZE;
        valuePlan.ensureFrames(count);
        deltaPlan.ensureFrames(count);
        long previous = (values[offset] >> exponent) * inverse;
        s[0] = previous;
        long forSize = 0;
        long deltaSize = 0;
        // Whether the last frame was sorted: then the next one folds only its steps, and its values' minimum and
        // maximum are its first and last when it is sorted too (else a second, L1-resident pass finds them).
        boolean sorted = true;
        for (int frame = 0; frame < frames; frame++) {
            int start = frame * FRAME_SIZE;
            int end = Math.min(start + FRAME_SIZE, count);
            if (frame > 0) {
                long first = (values[offset + start] >> exponent) * inverse;
                long step = first - previous;
                s[start] = first;
                d[start - 1] = step;
                deltaSize +=
                        deltaPlan.record(frame - 1, Math.min(stats[2], step), Math.max(stats[3], step), FRAME_SIZE);
                previous = first;
            }
            long first = previous;
            stats[0] = first;
            stats[1] = first;
            stats[2] = Long.MAX_VALUE;
            stats[3] = Long.MIN_VALUE;
            if (sorted) {
                previous = EncodeKernels.scaleFrameSteps(
                        values, offset + start + 1, offset + end, exponent, inverse, s, d, start + 1, first, stats);
                if (sortedFrame(stats, first, previous)) {
                    stats[1] = previous;
                } else {
                    EncodeKernels.minMax(s, start + 1, end, stats);
                    sorted = false;
                }
            } else {
                previous = EncodeKernels.scaleFrameWithSteps(
                        values, offset + start + 1, offset + end, exponent, inverse, s, d, start + 1, first, stats);
                sorted = sortedFrame(stats, first, previous);
            }
            forSize += valuePlan.record(frame, stats[0], stats[1], end - start);
        }
        int lastFrame = frames - 1;
        int lastSteps = count - 1 - lastFrame * FRAME_SIZE;
        if (lastSteps > 0) {
            deltaSize += deltaPlan.record(lastFrame, stats[2], stats[3], lastSteps);
        }
        fastDeltaSize = deltaSize;
        return forSize;
    }

    /**
     * True when a frame's values from {@code first} to {@code last}, whose steps (wrapping differences) have the
     * minimum {@code stats[2]} and maximum {@code stats[3]}, never decrease, so that {@code first} and {@code last}
     * are their minimum and maximum. Steps of 0 to 2^55 can hide a wrap (a true drop of 2^63 or more, e.g. from
     * Long.MAX_VALUE to Long.MIN_VALUE, leaves a small step); fewer than 128 of them sum to less than 2^62, so the
     * column rose by exactly that sum unless it wrapped, and a wrap would leave {@code last < first}.
     */
    private static boolean sortedFrame(long[] stats, long first, long last) {
        return stats[2] >= 0 && stats[3] < 1L << 55 && last >= first;
    }

    private static void computeDeltas(long[] v, int from, int count, long[] deltas, long[] deltasOfDeltas) {
        EncodeKernels.differences(v, from + 1, from + count, deltas, 0);
        EncodeKernels.differences(deltas, 1, count - 1, deltasOfDeltas, 0);
    }

    /**
     * Reads the frames of {@code count} values (FRAME_OF_REFERENCE, or DELTA from {@code previous}) into {@code
     * dst[dstOffset, dstOffset + count)}, multiplied by {@code factor}: from a heap segment through {@link
     * DecodeKernels} (the packed bits from a {@code long[]} copy of the rest of the section), otherwise checked.
     */
    private boolean readFrames(
            ByteSource in,
            int count,
            long[] dst,
            int dstOffset,
            int encoding,
            long previous,
            long factor,
            int fromRow,
            int toRow) {
        byte[] array = in.array();
        if (count == 0 || array == null) {
            readFramesChecked(in, count, dst, dstOffset, encoding, previous, 0, factor);
            return true;
        }
        int base = in.arrayBase();
        int start = base + (int) in.position();
        int end = start + (int) in.remaining();
        long[] w = words = DecodeKernels.loadWords(array, start, end, words);
        long[] state = frameState;
        state[0] = previous;
        int p = start;
        int frameStart = 0;
        for (; frameStart < count && frameStart < toRow; frameStart += FRAME_SIZE) {
            int length = Math.min(FRAME_SIZE, count - frameStart);
            int next = frame(
                    array,
                    p,
                    start,
                    end,
                    w,
                    alignedWords,
                    length,
                    encoding,
                    state,
                    factor,
                    dst,
                    dstOffset + frameStart,
                    frameStart + length <= fromRow);
            if (next < 0) {
                // Malformed or truncated: the checked reader names the problem.
                in.position(p - base);
                readFramesChecked(in, count - frameStart, dst, dstOffset + frameStart, encoding, state[0], 0, factor);
                if (next == TRUNCATED_AT_HEADER) {
                    return true; // what the checked reader accepts is decoded in full
                }
                throw in.corrupt("malformed frame", p - base);
            }
            p = next;
        }
        in.position(p - base);
        return frameStart >= count;
    }

    /** {@link #frame}'s answer for a frame of fewer than two bytes left (the checked reader decides). */
    private static final int TRUNCATED_AT_HEADER = -2;

    /** {@link #frame}'s answer for a malformed or truncated frame. */
    private static final int MALFORMED_FRAME = -1;

    /**
     * One packed frame of {@code length} values whose header starts at {@code array[p]}: reads the header and writes
     * the values to {@code dst[at, at + length)} through {@link #frameValues} ({@code state[0]} is the previous
     * unscaled value for DELTA, updated), or, when {@code skip} (rows not wanted), only steps over it where no later
     * value depends on it. Returns the position after the frame, or {@link #MALFORMED_FRAME} / {@link
     * #TRUNCATED_AT_HEADER}. One call per frame, from every packed long column, so the JIT compiles the header
     * parsing after a few hundred frames instead of leaving it to the interpreter for a whole first query (a
     * section-level loop is called about a hundred times per query).
     */
    private static int frame(
            byte[] array,
            int p,
            int start,
            int end,
            long[] w,
            long[] aligned,
            int length,
            int encoding,
            long[] state,
            long factor,
            long[] dst,
            int at,
            boolean skip) {
        if (end - p < 2) { // header and at least one byte of base
            return TRUNCATED_AT_HEADER;
        }
        int header = array[p++] & 0xFF;
        int width = header & FRAME_WIDTH_MASK;
        boolean scaled = (header & FRAME_DECIMAL_FLAG) != 0;
        int frameExponent = scaled ? array[p++] & 0xFF : 0;
        long frameBase = 0;
        int shift = 0;
        long b;
        do {
            if (p >= end) {
                b = -1; // truncated
                break;
            }
            b = array[p++];
            frameBase |= (b & 0x7F) << shift;
            shift += 7;
        } while (b < 0 && shift < 70);
        int packed = BitPacking.packedBytes(length, width);
        if (width > 64
                || (scaled && (frameExponent < 1 || frameExponent > DecimalScaling.MAX_EXPONENT || width == 64))
                || b < 0
                || (shift == 70 && b > 1)
                || packed > end - p) {
            return MALFORMED_FRAME;
        }
        frameBase = (frameBase >>> 1) ^ -(frameBase & 1); // zigzag
        long bit = (long) (p - start) << 3;
        p += packed;
        if (skip) {
            // A frame before the rows wanted: skipped unless later values depend on its values.
            if (encoding != DELTA) {
                return p;
            }
            if (width == 0 && frameExponent == 0) {
                state[0] += frameBase * length; // every step is the base
                return p;
            }
        }
        state[0] = frameValues(
                w, aligned, bit, width, frameExponent, frameBase, encoding, state[0], factor, dst, at, length);
        return p;
    }

    /**
     * The values of one frame whose header was read: unpacks its {@code length} values from bit {@code bit} of {@code
     * w} into {@code dst[from, from + length)}, applies the frame exponent, integrates (DELTA, from {@code previous})
     * and scales. Returns the last unscaled value (DELTA). One call per frame, so the JIT compiles it after a few
     * sections; the chunked kernels inside are compiled sooner still.
     */
    private static long frameValues(
            long[] w,
            long[] aligned,
            long bit,
            int width,
            int frameExponent,
            long frameBase,
            int encoding,
            long previous,
            long factor,
            long[] dst,
            int from,
            int length) {
        if (frameExponent == 0 && width > 0 && width < 64) {
            // The common frame (all of a trade block's packed columns): 64 values at a time by the straight-line
            // unpacker of their width (from bit 0 of a word: realigned first unless the group starts on one), then
            // integrated or rebased and scaled; a last group of fewer than 64 values by the fused chunk kernels.
            int done = 0;
            for (; done + FrameUnpackers.VALUES <= length; done += FrameUnpackers.VALUES) {
                long at = bit + (long) done * width;
                int k = (int) (at >>> 6);
                int shift = (int) at & 63;
                if (shift == 0) {
                    FrameUnpackers.unpack(width, w, k, dst, from + done);
                } else {
                    DecodeKernels.realign(w, k, shift, aligned, width);
                    FrameUnpackers.unpack(width, aligned, 0, dst, from + done);
                }
                for (int c = done; c < done + FrameUnpackers.VALUES; c += DecodeKernels.CHUNK) {
                    if (encoding == DELTA) {
                        previous = DecodeKernels.integrate(
                                dst, from + c, DecodeKernels.CHUNK, previous, frameBase, factor);
                    } else {
                        DecodeKernels.rebase(dst, from + c, DecodeKernels.CHUNK, frameBase, factor);
                    }
                }
            }
            for (; done < length; done += DecodeKernels.CHUNK) {
                int n = Math.min(DecodeKernels.CHUNK, length - done);
                long at = bit + (long) done * width;
                if (encoding == DELTA) {
                    previous = DecodeKernels.unpackIntegrated(
                            w, at, width, frameBase, previous, factor, dst, from + done, n);
                } else {
                    DecodeKernels.unpackScaled(w, at, width, frameBase, factor, dst, from + done, n);
                }
            }
            return previous;
        }
        long valueBase = frameExponent == 0 ? frameBase : 0L;
        for (int done = 0; done < length; done += DecodeKernels.CHUNK) {
            int n = Math.min(DecodeKernels.CHUNK, length - done);
            if (width == 0 && frameExponent == 0) { // every value (or step) is the base: trade ids, steps of 1
                if (encoding == DELTA) {
                    previous = DecodeKernels.ramp(dst, from + done, n, previous, frameBase, factor);
                } else {
                    DecodeKernels.fillShort(dst, from + done, n, frameBase * factor);
                }
                continue;
            }
            if (width == 0) {
                DecodeKernels.fillShort(dst, from + done, n, valueBase);
            } else if (width < 64) {
                DecodeKernels.unpack(w, bit + (long) done * width, width, valueBase, dst, from + done, n);
            } else {
                DecodeKernels.unpack64(w, bit + (long) done * 64, valueBase, dst, from + done, n);
            }
            if (frameExponent != 0) {
                DecodeKernels.scaleOffsets(dst, from + done, n, DecimalScaling.pow10(frameExponent), frameBase);
            }
            if (encoding == DELTA) {
                previous = DecodeKernels.integrate(dst, from + done, n, previous, 0, factor);
            } else if (factor != 1) {
                DecodeKernels.rebase(dst, from + done, n, 0, factor);
            }
        }
        return previous;
    }

    /**
     * {@link #readFrames} over any segment, every read checked by {@link ByteSource}, also DELTA_OF_DELTA: rebuilds
     * the column frame by frame while the frame is in L1 (adds the frame base while unpacking, then integrates and
     * scales).
     */
    private static void readFramesChecked(
            ByteSource in,
            int count,
            long[] dst,
            int dstOffset,
            int encoding,
            long previous,
            long previousDelta,
            long factor) {
        for (int start = 0; start < count; start += FRAME_SIZE) {
            int length = Math.min(FRAME_SIZE, count - start);
            long widthAt = in.position();
            int header = in.readUnsignedByte();
            int width = header & FRAME_WIDTH_MASK;
            if (width > 64) {
                throw in.corrupt("frame bit width " + width + " outside 0..64", widthAt);
            }
            int frameExponent = 0;
            if ((header & FRAME_DECIMAL_FLAG) != 0) {
                frameExponent = in.readUnsignedByte();
                if (frameExponent < 1 || frameExponent > DecimalScaling.MAX_EXPONENT || width == 64) {
                    throw in.corrupt("frame decimal exponent " + frameExponent + " invalid at width " + width, widthAt);
                }
            }
            long base = in.readZigZagVarLong();
            long packedAt = in.skip(BitPacking.packedBytes(length, width), "packed frame");
            int from = dstOffset + start;
            int to = from + length;
            if (frameExponent == 0) {
                BitPacking.unpackRelative(in.segment(), packedAt, length, width, base, dst, from);
            } else {
                BitPacking.unpackRelative(in.segment(), packedAt, length, width, 0L, dst, from);
                long step = DecimalScaling.pow10(frameExponent);
                for (int i = from; i < to; i++) {
                    dst[i] = base + dst[i] * step;
                }
            }
            if (encoding == DELTA) {
                for (int i = from; i < to; i++) {
                    previous += dst[i];
                    dst[i] = previous * factor;
                }
            } else if (encoding == DELTA_OF_DELTA) {
                for (int i = from; i < to; i++) {
                    previousDelta += dst[i];
                    previous += previousDelta;
                    dst[i] = previous * factor;
                }
            } else if (factor != 1) {
                for (int i = from; i < to; i++) {
                    dst[i] *= factor;
                }
            }
        }
    }

    /**
     * The frames of one candidate sequence: per frame the base (minimum) and bit width, computed once to size the
     * candidate and reused to write it if it wins. Grows to the largest block, then allocates nothing.
     */
    private static final class FramePlan {
        private int[] widths = new int[0];
        private int[] exponents = new int[0];
        private long[] bases = new long[0];
        private final long[] minMax = new long[2];

        /**
         * Plans the frames of {@code values[offset, offset + count)} and returns their exact encoded size; per-frame
         * exponents only if {@code frameExponents}.
         */
        long plan(long[] values, int offset, int count, boolean frameExponents) {
            int frames = (count + FRAME_SIZE - 1) / FRAME_SIZE;
            ensureFrames(count);
            long size = 0;
            for (int frame = 0; frame < frames; frame++) {
                int from = offset + frame * FRAME_SIZE;
                int to = from + Math.min(FRAME_SIZE, count - frame * FRAME_SIZE);
                minMax[0] = values[from];
                minMax[1] = values[from];
                EncodeKernels.minMax(values, from + 1, to, minMax);
                long min = minMax[0];
                long range = minMax[1] - min;
                int width = BitPacking.bitWidth(range);
                int exponent = 0;
                // Worth an exponent byte only for wide enough frames; ranges below 2^63 keep offsets non-negative.
                if (frameExponents && width >= MIN_WIDTH_FOR_FRAME_DECIMAL && width < 64) {
                    exponent = DecimalScaling.commonOffsetExponent(values, from, to - from, min);
                    if (exponent > 0) {
                        width = BitPacking.bitWidth(DecimalScaling.divideExact(range, exponent));
                    }
                }
                widths[frame] = width;
                exponents[frame] = exponent;
                bases[frame] = min;
                size += (exponent > 0 ? 2 : 1)
                        + ZigZag.varLongSize(ZigZag.encode(min))
                        + BitPacking.packedBytes(to - from, width);
            }
            return size;
        }

        /**
         * The encoded bytes of the planned frames holding the first {@code values} values (a whole number of frames,
         * or all the values planned), without per-frame exponents (as {@link #record} plans them).
         */
        long size(int values) {
            long size = 0;
            for (int frame = 0; frame * FRAME_SIZE < values; frame++) {
                int length = Math.min(FRAME_SIZE, values - frame * FRAME_SIZE);
                size += 1
                        + ZigZag.varLongSize(ZigZag.encode(bases[frame]))
                        + BitPacking.packedBytes(length, widths[frame]);
            }
            return size;
        }

        /** The values whose frames the per-frame arrays hold without growing. */
        int capacity() {
            return Math.min(widths.length, Math.min(exponents.length, bases.length)) * FRAME_SIZE;
        }

        /** Grows the per-frame arrays to hold the frames of {@code count} values. */
        void ensureFrames(int count) {
            int frames = (count + FRAME_SIZE - 1) / FRAME_SIZE;
            if (widths.length < frames) {
                int length = EncodeKernels.scratchLength(count) / FRAME_SIZE + 1;
                widths = new int[length];
                exponents = new int[length];
                bases = new long[length];
            }
        }

        /**
         * Plans frame {@code frame} of {@code length} values whose minimum and maximum are given, without a per-frame
         * exponent, as {@link #plan} does without them; returns its encoded size.
         */
        long record(int frame, long min, long max, int length) {
            int width = BitPacking.bitWidth(max - min);
            widths[frame] = width;
            exponents[frame] = 0;
            bases[frame] = min;
            return 1 + ZigZag.varLongSize(ZigZag.encode(min)) + BitPacking.packedBytes(length, width);
        }

        /** Writes the frames planned by the last {@link #plan} call over the same values. */
        void write(long[] values, int offset, int count, ByteSink out, long[] scratch) {
            for (int frame = 0; frame * FRAME_SIZE < count; frame++) {
                int length = Math.min(FRAME_SIZE, count - frame * FRAME_SIZE);
                int from = offset + frame * FRAME_SIZE;
                int exponent = exponents[frame];
                if (exponent == 0) {
                    out.putByte(widths[frame]);
                    out.putZigZagVarLong(bases[frame]);
                    BitPacking.packRelative(values, from, length, bases[frame], widths[frame], out);
                } else {
                    out.putByte(widths[frame] | FRAME_DECIMAL_FLAG);
                    out.putByte(exponent);
                    out.putZigZagVarLong(bases[frame]);
                    EncodeKernels.scaleDown(
                            values,
                            from,
                            length,
                            bases[frame],
                            exponent,
                            DecimalScaling.inversePow5(exponent),
                            scratch,
                            0);
                    BitPacking.packRelative(scratch, 0, length, 0L, widths[frame], out);
                }
            }
        }
    }

    /**
     * Sizes the scratch arrays and frame plans now for columns of up to {@link EncodeKernels#MIN_SCRATCH_VALUES} values
     * (a chunk block's most rows), so that encoding such columns never grows them. For a long-lived encoder made when
     * the process is already warm (a new writer's): C2 compiles the encoders with the growth branches pruned when they
     * were never seen taken while it profiled them (the first encoders grew before profiling started), so the first
     * growth of a later encoder deoptimised {@code planFast} and {@code encode} and C2 compiled them again (1.2-1.8 s of
     * C2 at the start of StoreBenchmark's second run, session 18). Growing here runs in the constructor's cold code.
     */
    public void reserveScratch() {
        ensureScratch(1);
        valuePlan.ensureFrames(1);
        deltaPlan.ensureFrames(1);
        deltaOfDeltaPlan.ensureFrames(1);
    }

    /** The values the scratch arrays hold without growing (for tests). */
    int scratchCapacity() {
        return Math.min(scaled.length, Math.min(deltas.length, deltasOfDeltas.length));
    }

    /** The values the three frame plans hold without growing (for tests). */
    int planCapacity() {
        return Math.min(valuePlan.capacity(), Math.min(deltaPlan.capacity(), deltaOfDeltaPlan.capacity()));
    }

    /**
     * Grows the three scratch arrays together for {@code count} values, on every column that is not constant rather
     * than when a column first needs each one (the scaled copy may be first needed long after the others): growth
     * then stops early in a process, before C2 compiles the encoders, where it would deoptimise them.
     */
    private void ensureScratch(int count) {
        if (scaled.length < count) {
            int length = EncodeKernels.scratchLength(count);
            scaled = new long[length];
            deltas = new long[length];
            deltasOfDeltas = new long[length];
        }
    }
}
