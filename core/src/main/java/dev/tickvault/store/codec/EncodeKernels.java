package dev.tickvault.store.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The per-value loops of block encoding, each a small static method over plain arrays, shared by the encoders that
 * need the same loop (the reduction that finds a constant column also gives the OR whose trailing zeros bound the
 * common power of ten; min/max serves byte planes and frame planning).
 *
 * <p>Why: the encoders run once per column per block (8,192 rows) and used to hold their loops inline, so each loop
 * iteration counted as a back-edge of the encoder. The JIT then compiled every encoder twice with C2, first by
 * on-stack replacement of its running loop and then whole, each time with every loop of the encoder and of what it
 * inlines unrolled and vectorised. In the first 10M rows of a process (StoreBenchmark) C2 spent 80-110 ns of CPU
 * per ingested row; its two largest compilations were {@code encodeSplitReceiveTimes} and {@code encodeBytePlanes}
 * (28 and 19 KB of code for the two compilations of each, of ~250 KB compiled during the ingest). With the loops here, an encoder called once per block has a handful
 * of back-edges and ~1,200 calls per 10M rows, below C2's thresholds, so it stays in C1's code, which costs nothing
 * extra here because the work happens in the kernels; each kernel is compiled by C2 on its own (a small on-stack
 * replacement, then the method), once for all its callers.
 *
 * <p>Encoders that run more often than that (the long and byte column encoders also encode every commit's
 * write-ahead-log record) are still compiled whole; their scratch arrays are grown to at least one block
 * ({@link #scratchLength}) so that the first flushed block does not take a growth branch that C2 had compiled as never
 * taken, which deoptimised the encoder and compiled it again. Measured after these changes: C2 CPU per row of the
 * same ingest, all its compilations drained, 89-110 ns before and 62-87 ns after; compiled code of the encoders
 * during the ingest 135 KB before, 100 KB after.
 *
 * <p>Arguments are trusted: callers check ranges and make room in the output first. Stateless and thread-safe.
 */
final class EncodeKernels {
    private EncodeKernels() {}

    /**
     * Values a scratch array is first grown to: one default block (8,192 rows). Smaller sections come first in a
     * process (the write-ahead log's commit sections, ~5,000 rows a series in the benchmark); growing only when the
     * first flushed block arrives takes an array-growth branch that the JIT compiled as never taken, which
     * deoptimises the encoder and compiles it again.
     */
    static final int MIN_SCRATCH_VALUES = 8_192;

    /**
     * The new length of a scratch array that must hold {@code needed} values: twice that (at least
     * {@link #MIN_SCRATCH_VALUES}), so that the sizes of a steady feed's commit sections, which vary by a few percent,
     * stop growing it after the first time, before the JIT compiles the encoder (a growth after that deoptimises it).
     */
    static int scratchLength(int needed) {
        return (int) Math.max(MIN_SCRATCH_VALUES, Math.min(Integer.MAX_VALUE - 8, 2L * needed));
    }

    /**
     * The OR of {@code values[i] ^ reference} over {@code [from, to)}: zero when every value equals {@code reference};
     * with reference 0 the OR of the values (whose trailing zeros every value shares).
     */
    static long differenceBits(long[] values, int from, int to, long reference) {
        long bits = 0;
        for (int i = from; i < to; i++) {
            bits |= values[i] ^ reference;
        }
        return bits;
    }

    /** True when every value of {@code [from, from + count)} (count &gt;= 1) equals the first. */
    static boolean allEqual(long[] values, int from, int count) {
        if (count > 1 && values[from + 1] != values[from]) {
            return false; // most columns that vary do so at once: no pass over the block
        }
        return differenceBits(values, from + 1, from + count, values[from]) == 0;
    }

    /** The OR of {@code values[from, from + count)}. */
    static long orOf(long[] values, int from, int count) {
        return differenceBits(values, from, from + count, 0L);
    }

    /**
     * Folds {@code values[from, to)} into {@code minMax[0]} (minimum) and {@code minMax[1]} (maximum), signed.
     */
    static void minMax(long[] values, int from, int to, long[] minMax) {
        long min = minMax[0];
        long max = minMax[1];
        for (int i = from; i < to; i++) {
            long v = values[i];
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        minMax[0] = min;
        minMax[1] = max;
    }

    /**
     * {@code dst[at + i] = ((src[from + i] - base) >> shift) * inverse} for {@code i < n}: exact division by
     * {@code 2^shift * 5^shift} of multiples of it, given the inverse of {@code 5^shift} (see {@link DecimalScaling}).
     */
    static void scaleDown(long[] src, int from, int n, long base, int shift, long inverse, long[] dst, int at) {
        for (int i = 0; i < n; i++) {
            dst[at + i] = ((src[from + i] - base) >> shift) * inverse;
        }
    }

    /**
     * {@code dst[at + i] = (src[from + i] >> shift) * inverse} for {@code i < n} (exact division by {@code 10^shift}
     * of its multiples, as {@link #scaleDown} with base 0), folding the quotients into {@code
     * minMax[0]} (minimum) and {@code minMax[1]} (maximum), signed: the divide and min/max passes of byte planes in
     * one.
     */
    static void scaleDownMinMax(
            long[] src, int from, int n, int shift, long inverse, long[] dst, int at, long[] minMax) {
        long min = minMax[0];
        long max = minMax[1];
        for (int i = 0; i < n; i++) {
            long v = (src[from + i] >> shift) * inverse;
            dst[at + i] = v;
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        minMax[0] = min;
        minMax[1] = max;
    }

    /** {@code dst[at + (i - from)] = values[i] - values[i - 1]} for {@code i} in {@code [from, to)}, from &gt;= 1. */
    static void differences(long[] values, int from, int to, long[] dst, int at) {
        int shift = at - from;
        for (int i = from; i < to; i++) {
            dst[i + shift] = values[i] - values[i - 1];
        }
    }

    /**
     * One frame of {@link LongColumnCodec#encodeFast}'s planning, for the values after the frame's first: for {@code i}
     * in {@code [from, to)} stores {@code scaled[at + i - from] = (src[i] >> shift) * inverse} (exact division by
     * {@code 10^shift}, see {@link DecimalScaling}; shift 0 and inverse 1 copy) and the step from the value before,
     * {@code deltas[at + i - from - 1]}, and folds the values into {@code stats[0]} (minimum) and {@code stats[1]}
     * (maximum) and the steps into {@code stats[2]} and {@code stats[3]}, signed; {@code previous} is the scaled value
     * before {@code from}, already stored at {@code scaled[at - 1]}. Returns the last scaled value.
     *
     * <p>Two loops over the frame (L1-resident) rather than one: the steps are read back from the scaled values
     * ({@code scaled[j] - scaled[j - 1]}) instead of carried from one iteration to the next, so neither loop has a
     * dependence between iterations and the JIT vectorises them (the one loop they replace ran a value at a time).
     */
    static long scaleFrameWithSteps(
            long[] src,
            int from,
            int to,
            int shift,
            long inverse,
            long[] scaled,
            long[] deltas,
            int at,
            long previous,
            long[] stats) {
        if (from >= to) {
            return previous;
        }
        int n = to - from;
        scaleDownMinMax(src, from, n, shift, inverse, scaled, at, stats);
        foldSteps(scaled, at, at + n, deltas, stats);
        return scaled[at + n - 1];
    }

    /**
     * As {@link #scaleFrameWithSteps} without the values' minimum and maximum (only {@code stats[2]} and {@code
     * stats[3]} are folded): for frames of sorted values, whose minimum and maximum are their first and last.
     */
    static long scaleFrameSteps(
            long[] src,
            int from,
            int to,
            int shift,
            long inverse,
            long[] scaled,
            long[] deltas,
            int at,
            long previous,
            long[] stats) {
        if (from >= to) {
            return previous;
        }
        int n = to - from;
        scaleDown(src, from, n, 0, shift, inverse, scaled, at);
        foldSteps(scaled, at, at + n, deltas, stats);
        return scaled[at + n - 1];
    }

    /**
     * {@code deltas[j - 1] = scaled[j] - scaled[j - 1]} for {@code j} in {@code [from, to)} (from &gt;= 1), folded into
     * {@code stats[2]} (minimum) and {@code stats[3]} (maximum), signed: the differences, then their minimum and
     * maximum over the stored steps (two loops that the JIT vectorises; one loop doing both it does not).
     */
    private static void foldSteps(long[] scaled, int from, int to, long[] deltas, long[] stats) {
        differences(scaled, from, to, deltas, from - 1);
        long stepMin = stats[2];
        long stepMax = stats[3];
        for (int j = from - 1; j < to - 1; j++) {
            long step = deltas[j];
            stepMin = Math.min(stepMin, step);
            stepMax = Math.max(stepMax, step);
        }
        stats[2] = stepMin;
        stats[3] = stepMax;
    }

    /** Byte {@code shift / 8} of {@code values[from + i] - base} into {@code out[at + i]} for {@code i < n}. */
    static void bytePlane(long[] values, int from, int n, long base, int shift, byte[] out, int at) {
        for (int i = 0; i < n; i++) {
            out[at + i] = (byte) ((values[from + i] - base) >>> shift);
        }
    }

    /**
     * Writes the zigzag varints of the steps between consecutive scaled values {@code (values[i] >> shift) * inverse}
     * of {@code [from, to)}, the first step from {@code previous} (already scaled); the sink has room for 10 bytes a
     * value.
     */
    static void putDeltaVarints(long[] values, int from, int to, long previous, int shift, long inverse, ByteSink out) {
        for (int i = from; i < to; i++) {
            long v = (values[i] >> shift) * inverse;
            out.putZigZagVarLongUnchecked(v - previous);
            previous = v;
        }
    }

    /**
     * Packs the low {@code width} bits (1..64, {@code mask} holding them) of {@code values[i] - base} over {@code
     * [from, to)} into {@code out} from byte {@code pos}, least significant bit first (see {@link BitPacking}); the
     * final partial word is stored whole (8 bytes of room past the packed bytes are needed).
     */
    static void packWords(long[] values, int from, int to, long base, int width, long mask, ByteSink out, int pos) {
        long acc = 0;
        int used = 0;
        for (int i = from; i < to; i++) {
            long v = (values[i] - base) & mask;
            acc |= v << used;
            used += width;
            if (used >= 64) {
                out.putLongAt(pos, acc);
                pos += 8;
                used -= 64;
                acc = used == 0 ? 0 : v >>> (width - used);
            }
        }
        if (used > 0) {
            out.putLongAt(pos, acc);
        }
    }

    /**
     * Of the unsigned bytes of {@code [from, to)} (at least one): {@code changes << 16 | maximum << 8 | minimum}, where
     * changes counts the rows after the first whose byte differs from the previous row's.
     */
    static long unsignedByteStats(byte[] values, int from, int to) {
        int min = 255;
        int max = 0;
        int changes = 0;
        int previous = values[from] & 0xFF;
        for (int i = from; i < to; i++) {
            int v = values[i] & 0xFF;
            min = Math.min(min, v);
            max = Math.max(max, v);
            changes += v != previous ? 1 : 0;
            previous = v;
        }
        return (long) changes << 16 | max << 8 | min;
    }

    /**
     * Packs {@code (values[i] & 0xFF) - base} (each below 2^width, width 1..8) over {@code [from, to)} into {@code out}
     * from byte {@code pos}, as {@link #packWords} packs longs: the bit-packed byte column without a widened copy.
     */
    static void packUnsignedBytes(byte[] values, int from, int to, int base, int width, ByteSink out, int pos) {
        long acc = 0;
        int used = 0;
        for (int i = from; i < to; i++) {
            long v = (values[i] & 0xFF) - base;
            acc |= v << used;
            used += width;
            if (used >= 64) {
                out.putLongAt(pos, acc);
                pos += 8;
                used -= 64;
                acc = used == 0 ? 0 : v >>> (width - used);
            }
        }
        if (used > 0) {
            out.putLongAt(pos, acc);
        }
    }

    /** Little-endian longs read from a byte array, for {@link #packUnsignedBits}. */
    private static final VarHandle LONG_LE =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /**
     * Gathers the low bit of each of 8 bytes each 0 or 1 (little-endian in a long) into one byte, byte k to bit k:
     * the multiplication puts a copy of byte k's bit at bit 56 + k, and no other products reach bits 56-63.
     */
    private static final long GATHER_BITS = 0x0102040810204080L;

    /**
     * {@link #packUnsignedBytes} for width 1 (every {@code (values[i] & 0xFF) - base} is 0 or 1), written straight
     * into {@code out[pos, pos + ceil((to - from) / 8))}: eight values a step (subtract the base from each byte of a
     * little-endian long, gather their bits by one multiplication) instead of a shift-and-or per value; the same bytes.
     */
    static void packUnsignedBits(byte[] values, int from, int to, int base, byte[] out, int pos) {
        long bases = (base & 0xFFL) * 0x0101010101010101L;
        int i = from;
        for (; i <= to - 8; i += 8) {
            long bits = (long) LONG_LE.get(values, i) - bases; // no borrows: every byte is base or base + 1
            out[pos++] = (byte) ((bits * GATHER_BITS) >>> 56);
        }
        if (i < to) {
            int last = 0;
            for (int k = 0; i < to; i++, k++) {
                last |= ((values[i] & 0xFF) - base) << k;
            }
            out[pos] = (byte) last;
        }
    }

    /** The non-null elements of {@code values[from, to)}. */
    static int countPresent(Object[] values, int from, int to) {
        int present = 0;
        for (int i = from; i < to; i++) {
            present += values[i] != null ? 1 : 0;
        }
        return present;
    }
}
