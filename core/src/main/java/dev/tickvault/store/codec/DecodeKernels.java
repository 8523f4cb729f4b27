package dev.tickvault.store.codec;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The per-value loops of block decoding, each over at most {@link #CHUNK} values per call, reading plain arrays.
 *
 * <p>Why chunks: the JIT compiles a method after about 100-200 calls, but a loop inside one long-running call only
 * after ~60,000 iterations (on-stack replacement). A query right after a JVM starts (or right after ingest, whose
 * encoders are different code) decodes its first ~66k rows before any one-call-per-block loop was compiled, i.e. in
 * the interpreter, at 50-1,300 ns per value. Called per {@value #CHUNK} values, each loop is compiled after a few
 * thousand values and the caller's loop runs a few calls per frame. Why plain arrays: a {@code VarHandle} or {@code
 * MemorySegment} access costs ~1 µs in the interpreter (a chain of method-handle frames) against a few ns for an array
 * load; compiled, the two are equal. Packed bit frames are read from a {@code long[]} copy of their section ({@link
 * #loadWords}, one bulk copy per section) instead of unaligned 8-byte loads. Two levels: the {@code *Group} methods
 * loop over the kernels for {@value #GROUP} values (a frame for packed frames), so the section-level loops of the
 * callers, which stay interpreted until the JIT replaces them on the stack, run only a few dozen iterations per
 * block. Measured (FirstQueryProbe, the one-hour query of the 10M-trade store in a fresh JVM, thread CPU): the first
 * run fell from 84-125 ms to 41-59 ms; the warm cost per query is unchanged.
 *
 * <p>Arguments are trusted: callers check lengths and positions first. The varint kernels check every byte against
 * the section end and return a negative number instead of throwing on malformed input; their callers then re-read
 * from the chunk start through the checked {@link ByteSource} path, which throws the precise CORRUPT error.
 *
 * <p>Stateless and thread-safe.
 */
final class DecodeKernels {
    /** Values per call of a kernel. */
    static final int CHUNK = 32;

    private DecodeKernels() {}

    /**
     * Copies bytes {@code [from, to)} of {@code array} into {@code words} (grown if needed) as little-endian longs:
     * {@code words[k]} holds bytes {@code from + 8k ... from + 8k + 7}, bytes past {@code to} read as zero, and two
     * zero words follow the last one (the unpack kernels read one word past a value's own). Returns the array used.
     */
    static long[] loadWords(byte[] array, int from, int to, long[] words) {
        int bytes = to - from;
        int whole = bytes >>> 3;
        int needed = whole + 2;
        long[] w = words.length >= needed ? words : new long[Math.max(needed, words.length + (words.length >> 1))];
        // A byte-buffer view's bulk get is one memory copy; MemorySegment.copy into a long[] would be too, but its
        // first call bootstraps a type switch (~100 ms of class generation) on the first query's path.
        ByteBuffer.wrap(array, from, bytes)
                .slice()
                .order(ByteOrder.LITTLE_ENDIAN)
                .asLongBuffer()
                .get(w, 0, whole);
        long tail = 0;
        for (int i = (whole << 3) + from, shift = 0; i < to; i++, shift += 8) {
            tail |= (array[i] & 0xFFL) << shift;
        }
        w[whole] = tail;
        w[whole + 1] = 0;
        return w;
    }

    /**
     * Writes {@code n} (≤ {@link #CHUNK}) values of {@code width} bits (1..63), the first starting at bit {@code bit}
     * of {@code words}, plus {@code base} (wrapping), to {@code dst[at, at + n)}.
     */
    static void unpack(long[] words, long bit, int width, long base, long[] dst, int at, int n) {
        unpackScaled(words, bit, width, base, 1, dst, at, n);
    }

    /**
     * {@link #unpack} and the column's scaling in one pass: {@code dst[i] = (value + base) * factor} (wrapping) for
     * the {@code n} (≤ {@link #CHUNK}) values of {@code width} bits (1..63) from bit {@code bit} of {@code words}.
     * For FRAME_OF_REFERENCE frames without a frame exponent: one store per value instead of an unpack and a
     * multiply pass over the chunk.
     */
    static void unpackScaled(long[] words, long bit, int width, long base, long factor, long[] dst, int at, int n) {
        long mask = (1L << width) - 1;
        for (int i = at, end = at + n; i < end; i++, bit += width) {
            int k = (int) (bit >>> 6);
            int shift = (int) bit & 63;
            // The second term brings the bits that continue in the next word; it is masked away when none do.
            long value = (words[k] >>> shift) | ((words[k + 1] << 1) << (63 - shift));
            dst[i] = ((value & mask) + base) * factor;
        }
    }

    /**
     * {@link #unpack}, {@link #integrate} and the scaling in one pass, for DELTA frames without a frame exponent: each
     * of the {@code n} (≤ {@link #CHUNK}) values of {@code width} bits (1..63) from bit {@code bit} of {@code words},
     * plus {@code base}, is a step: {@code previous += step; dst[i] = previous * factor} over {@code [at, at + n)}
     * (wrapping). Returns the last (unscaled) value.
     */
    static long unpackIntegrated(
            long[] words, long bit, int width, long base, long previous, long factor, long[] dst, int at, int n) {
        long mask = (1L << width) - 1;
        for (int i = at, end = at + n; i < end; i++, bit += width) {
            int k = (int) (bit >>> 6);
            int shift = (int) bit & 63;
            long value = (words[k] >>> shift) | ((words[k + 1] << 1) << (63 - shift));
            previous += (value & mask) + base;
            dst[i] = previous * factor;
        }
        return previous;
    }

    /** As {@link #unpack} for width 64: each value is 8 bytes, at any bit offset that is a multiple of 8. */
    static void unpack64(long[] words, long bit, long base, long[] dst, int at, int n) {
        for (int i = at, end = at + n; i < end; i++, bit += 64) {
            int k = (int) (bit >>> 6);
            int shift = (int) bit & 63;
            long value = shift == 0 ? words[k] : (words[k] >>> shift) | (words[k + 1] << (64 - shift));
            dst[i] = value + base;
        }
    }

    /** {@code dst[i] = base + dst[i] * step} for {@code i} in {@code [at, at + n)}. */
    static void scaleOffsets(long[] dst, int at, int n, long step, long base) {
        for (int i = at, end = at + n; i < end; i++) {
            dst[i] = base + dst[i] * step;
        }
    }

    /**
     * Integrates steps: {@code previous += dst[i] + base; dst[i] = previous * factor} over {@code [at, at + n)}
     * (wrapping); returns the last (unscaled) value.
     */
    static long integrate(long[] dst, int at, int n, long previous, long base, long factor) {
        for (int i = at, end = at + n; i < end; i++) {
            previous += dst[i] + base;
            dst[i] = previous * factor;
        }
        return previous;
    }

    /** {@code dst[i] = (dst[i] + base) * factor} (wrapping) over {@code [at, at + n)}. */
    static void rebase(long[] dst, int at, int n, long base, long factor) {
        for (int i = at, end = at + n; i < end; i++) {
            dst[i] = (dst[i] + base) * factor;
        }
    }

    /**
     * Shifts {@code n} words of packed bits down by {@code shift} (1..63) bits: {@code aligned[j]} gets the 64 bits
     * that start at bit {@code shift} of {@code words[k + j]} (reads {@code words[k, k + n]}), so that values packed
     * from a bit inside a word can be read by {@link FrameUnpackers} from bit 0.
     */
    static void realign(long[] words, int k, int shift, long[] aligned, int n) {
        for (int j = 0; j < n; j++) {
            aligned[j] = (words[k + j] >>> shift) | (words[k + j + 1] << (64 - shift));
        }
    }

    /**
     * A constant step: {@code previous += step; dst[i] = previous * factor} over {@code [at, at + n)}; returns the
     * last (unscaled) value.
     */
    static long ramp(long[] dst, int at, int n, long previous, long step, long factor) {
        // Each value from its index, not from the one before: no chain between rows, so the JIT can vectorise it.
        for (int i = 0; i < n; i++) {
            dst[at + i] = (previous + (i + 1) * step) * factor;
        }
        return previous + n * step;
    }

    /** {@code dst[i] = value} over {@code [at, at + n)}: a plain loop, for chunks. */
    static void fillShort(long[] dst, int at, int n, long value) {
        for (int i = at, end = at + n; i < end; i++) {
            dst[i] = value;
        }
    }

    /** Fills {@code dst[from, to)} with {@code value} by doubling copies (intrinsic even before the JIT runs). */
    static void fill(long[] dst, int from, int to, long value) {
        if (from >= to) {
            return;
        }
        dst[from] = value;
        for (int filled = 1, length = to - from; filled < length; filled <<= 1) {
            System.arraycopy(dst, from, dst, from + filled, Math.min(filled, length - filled));
        }
    }

    /** Fills {@code dst[from, to)} with {@code value} by doubling copies. */
    static void fill(byte[] dst, int from, int to, byte value) {
        if (from >= to) {
            return;
        }
        dst[from] = value;
        for (int filled = 1, length = to - from; filled < length; filled <<= 1) {
            System.arraycopy(dst, from, dst, from + filled, Math.min(filled, length - filled));
        }
    }

    /** Values per call of a group method: the loop over kernel calls, itself compiled after a few sections. */
    static final int GROUP = 256;

    /**
     * {@link #readVarints} over {@code n} (≤ {@link #GROUP}) values, a chunk per call; -1 as it returns ({@code
     * state[0]} may then have moved past the group's first chunks).
     */
    static int readVarintGroup(
            byte[] array, int p, int end, long[] dst, int at, int n, long[] state, boolean delta, long factor) {
        for (int done = 0; done < n && p >= 0; done += CHUNK) {
            p = readVarints(array, p, end, dst, at + done, Math.min(CHUNK, n - done), state, delta, factor);
        }
        return p;
    }

    /** {@link #readScaledVarints} over {@code n} (≤ {@link #GROUP}) values, a chunk per call; -1 as it returns. */
    static int readScaledGroup(byte[] array, int p, int end, long[] dst, int at, int n, long divisor, long[] slot) {
        for (int done = 0; done < n && p >= 0; done += CHUNK) {
            p = readScaledVarints(array, p, end, dst, at + done, Math.min(CHUNK, n - done), divisor, slot);
        }
        return p;
    }

    /** {@link #joinPlanes} over {@code n} (≤ {@link #GROUP}) rows, a chunk per call. */
    static void joinPlanesGroup(
            byte[] array, int first, int stride, int width, long base, long factor, long[] dst, int at, int n) {
        for (int done = 0; done < n; done += CHUNK) {
            joinPlanes(array, first + done, stride, width, base, factor, dst, at + done, Math.min(CHUNK, n - done));
        }
    }

    /**
     * Unpacks {@code n} (≤ {@link #GROUP}) values of {@code width} bits (1..8) from bit {@code bit} of {@code words},
     * plus {@code base}, as bytes into {@code dst[dstAt, dstAt + n)}; returns the bits of the values outside 0..255.
     */
    static long unpackBytesGroup(long[] words, long bit, int width, long base, byte[] dst, int dstAt, int n) {
        long overflow = 0;
        for (int done = 0; done < n; done += CHUNK) {
            int length = Math.min(CHUNK, n - done);
            overflow |= unpackBytes(words, bit + (long) done * width, width, base, dst, dstAt + done, length);
        }
        return overflow;
    }

    /**
     * One-bit values (sides of trades: two codes), read straight from the packed bytes (no word copy): {@code dst[dstAt
     * + i] = base + bit (row + i)} for {@code i < n} (≤ {@link #GROUP}), bit {@code r} being bit {@code r % 8} of
     * {@code array[at + r / 8]}. Returns 0 exactly when every bit read is 0 (with {@code base} 255, a set bit overflows
     * a byte).
     */
    static int unpackBitsGroup(byte[] array, int at, int row, int base, byte[] dst, int dstAt, int n) {
        int bits = 0;
        for (int done = 0; done < n; done += CHUNK) {
            bits |= unpackBits(array, at, row + done, base, dst, dstAt + done, Math.min(CHUNK, n - done));
        }
        return bits;
    }

    /**
     * {@link #unpackBitsGroup} over {@code n} (≤ {@link #CHUNK}) rows: row by row up to a byte boundary, then eight rows
     * from each packed byte (one load, eight stores), then row by row. Returns a value that is 0 exactly when every bit
     * read is 0 (the OR of the bytes and bits read).
     */
    static int unpackBits(byte[] array, int at, int row, int base, byte[] dst, int dstAt, int n) {
        int head = Math.min(n, (8 - (row & 7)) & 7);
        int bits = unpackBitsSingly(array, at, row, base, dst, dstAt, head);
        int i = head;
        for (int whole = head + ((n - head) & ~7); i < whole; i += 8) {
            int b = array[at + ((row + i) >>> 3)] & 0xFF;
            bits |= b;
            int o = dstAt + i;
            dst[o] = (byte) (base + (b & 1));
            dst[o + 1] = (byte) (base + ((b >>> 1) & 1));
            dst[o + 2] = (byte) (base + ((b >>> 2) & 1));
            dst[o + 3] = (byte) (base + ((b >>> 3) & 1));
            dst[o + 4] = (byte) (base + ((b >>> 4) & 1));
            dst[o + 5] = (byte) (base + ((b >>> 5) & 1));
            dst[o + 6] = (byte) (base + ((b >>> 6) & 1));
            dst[o + 7] = (byte) (base + (b >>> 7));
        }
        return bits | unpackBitsSingly(array, at, row + i, base, dst, dstAt + i, n - i);
    }

    /** {@link #unpackBits} one row at a time, for fewer than eight rows; returns the OR of the bits read. */
    private static int unpackBitsSingly(byte[] array, int at, int row, int base, byte[] dst, int dstAt, int n) {
        int bits = 0;
        for (int i = 0; i < n; i++) {
            int r = row + i;
            int bit = (array[at + (r >>> 3)] >>> (r & 7)) & 1;
            bits |= bit;
            dst[dstAt + i] = (byte) (base + bit);
        }
        return bits;
    }

    /**
     * As {@link #unpack} into bytes, in one pass (no long scratch): writes {@code n} (≤ {@link #CHUNK}) values of
     * {@code width} bits (1..8) plus {@code base} as bytes to {@code dst[at, at + n)}; returns the bits of the values
     * outside 0..255 (0 if all fit).
     */
    static long unpackBytes(long[] words, long bit, int width, long base, byte[] dst, int at, int n) {
        long mask = (1L << width) - 1;
        long overflow = 0;
        for (int i = at, end = at + n; i < end; i++, bit += width) {
            int k = (int) (bit >>> 6);
            int shift = (int) bit & 63;
            long value = (((words[k] >>> shift) | ((words[k + 1] << 1) << (63 - shift))) & mask) + base;
            overflow |= value & ~0xFFL;
            dst[i] = (byte) value;
        }
        return overflow;
    }

    /**
     * Reads the unsigned varint at {@code array[p]} ({@code p < end}; none of it may reach {@code end}) into {@code
     * slot[0]}; returns the position after it, or -1 if it runs to {@code end}, is longer than 10 bytes or overflows.
     * The varint kernels read one-byte varints inline and call this for the others.
     */
    static int readVarint(byte[] array, int p, int end, long[] slot) {
        long value = 0;
        int shift = 0;
        long b;
        do {
            if (p >= end) {
                return -1;
            }
            b = array[p++];
            value |= (b & 0x7F) << shift;
            shift += 7;
        } while (b < 0 && shift < 70);
        if (b < 0 || (shift == 70 && b > 1)) {
            return -1;
        }
        slot[0] = value;
        return p;
    }

    /**
     * Reads {@code n} zigzag varints from {@code array} at {@code p} (none may reach {@code end}) into {@code dst[at,
     * at + n)}, multiplied by {@code factor} (wrapping); if {@code delta}, each is a step from the previous value, the
     * first from {@code state[0]}, where the last (unscaled) value is left. Returns the position after them, or -1
     * ({@code state[0]} then holds anything) if a varint runs to {@code end}, is longer than 10 bytes or overflows.
     */
    static int readVarints(
            byte[] array, int p, int end, long[] dst, int at, int n, long[] state, boolean delta, long factor) {
        long previous = state[0];
        long[] slot = state; // free while previous is held here: multi-byte varints land in it
        for (int i = at, stop = at + n; i < stop; i++) {
            if (p >= end) {
                return -1;
            }
            long raw = array[p];
            if (raw >= 0) {
                p++; // one byte: the common case, read inline
            } else {
                p = readVarint(array, p, end, slot);
                if (p < 0) {
                    return -1;
                }
                raw = slot[0];
            }
            long value = (raw >>> 1) ^ -(raw & 1);
            previous = delta ? previous + value : value;
            dst[i] = previous * factor;
        }
        state[0] = previous;
        return p;
    }

    /**
     * Reads {@code n} values of the SCALED_VARINTS body into {@code dst[at, at + n)}: an even varint {@code c} is
     * {@code zigzag(c / 2) * divisor}; the varint 1 is followed by the zigzag varint of the value itself. Returns the
     * position after them, or -1 on a malformed or truncated varint or an odd code other than 1. {@code slot} is one
     * element of scratch.
     */
    static int readScaledVarints(byte[] array, int p, int end, long[] dst, int at, int n, long divisor, long[] slot) {
        for (int i = at, stop = at + n; i < stop; i++) {
            if (p >= end) {
                return -1;
            }
            long raw = array[p];
            if (raw >= 0) {
                p++; // one byte: the common case, read inline
            } else {
                p = readVarint(array, p, end, slot);
                if (p < 0) {
                    return -1;
                }
                raw = slot[0];
            }
            if ((raw & 1) == 0) {
                long half = raw >>> 1;
                dst[i] = ((half >>> 1) ^ -(half & 1)) * divisor;
                continue;
            }
            if (raw != 1) {
                return -1;
            }
            // The escaped value: a zigzag varint of its own.
            p = p < end ? readVarint(array, p, end, slot) : -1;
            if (p < 0) {
                return -1;
            }
            long value = slot[0];
            dst[i] = (value >>> 1) ^ -(value & 1);
        }
        return p;
    }

    /**
     * Run-length bytes: decodes up to {@code maxRuns} runs (a value byte, then the unsigned varint run length, 1 to
     * what remains of {@code count}) from {@code array} at {@code p} (none may reach {@code end}) into {@code dst},
     * {@code filled} of whose {@code count} rows at {@code at} are already done. Returns {@code position << 32 |
     * filled} after them, or -1 on a truncated, malformed or out-of-range run.
     */
    static long readRuns(byte[] array, int p, int end, byte[] dst, int at, int filled, int count, int maxRuns) {
        for (int run = 0; run < maxRuns && filled < count; run++) {
            if (end - p < 2) {
                return -1;
            }
            byte value = array[p++];
            long length = 0;
            int shift = 0;
            long b;
            do {
                if (p >= end) {
                    return -1;
                }
                b = array[p++];
                length |= (b & 0x7F) << shift;
                shift += 7;
            } while (b < 0 && shift < 35);
            if (b < 0 || length < 1 || length > count - filled) {
                return -1;
            }
            int from = at + filled;
            int to = from + (int) length;
            if (length <= 16) {
                for (int i = from; i < to; i++) {
                    dst[i] = value;
                }
            } else {
                fill(dst, from, to, value);
            }
            filled = to - at;
        }
        return (long) p << 32 | filled;
    }

    /**
     * {@code dst[to + i] = (byte) values[from + i]} for {@code i < n}; returns the bits of the values outside 0..255
     * (0 if all fit).
     */
    static long toBytes(long[] values, int from, byte[] dst, int to, int n) {
        long overflow = 0;
        for (int i = 0; i < n; i++) {
            long value = values[from + i];
            overflow |= value & ~0xFFL;
            dst[to + i] = (byte) value;
        }
        return overflow;
    }

    /**
     * Byte planes: {@code dst[at + i] = (base + v) * factor} for {@code i < n}, where {@code v} joins byte {@code
     * k} (least significant first) from {@code array[first + k * stride + i]} for {@code k < width}.
     */
    static void joinPlanes(
            byte[] array, int first, int stride, int width, long base, long factor, long[] dst, int at, int n) {
        int end = at + n;
        // Widths 1 to 3 (quantities in lots: the common case) in one pass per row: one store per value instead of
        // a read-modify-write per plane, and a third of the bytecodes while the interpreter runs this.
        // The bytes are joined as an int (widened once for the add): narrower vector lanes, ~10 % less CPU per row.
        switch (width) {
            case 1 -> {
                for (int i = at, q = first; i < end; i++, q++) {
                    dst[i] = (base + (array[q] & 0xFF)) * factor;
                }
                return;
            }
            case 2 -> {
                for (int i = at, q = first, q1 = first + stride; i < end; i++, q++, q1++) {
                    dst[i] = (base + ((array[q] & 0xFF) | (array[q1] & 0xFF) << 8)) * factor;
                }
                return;
            }
            case 3 -> {
                for (int i = at, q = first, q1 = first + stride, q2 = q1 + stride; i < end; i++, q++, q1++, q2++) {
                    dst[i] = (base + ((array[q] & 0xFF) | (array[q1] & 0xFF) << 8 | (array[q2] & 0xFF) << 16)) * factor;
                }
                return;
            }
            default -> {}
        }
        for (int i = at, q = first; i < end; i++, q++) {
            dst[i] = array[q] & 0xFFL;
        }
        for (int plane = 1, q0 = first + stride; plane < width; plane++, q0 += stride) {
            int shift = plane << 3;
            for (int i = at, q = q0; i < end; i++, q++) {
                dst[i] |= (array[q] & 0xFFL) << shift;
            }
        }
        for (int i = at; i < end; i++) {
            dst[i] = (base + dst[i]) * factor;
        }
    }
}
