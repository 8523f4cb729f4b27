package dev.tickvault.store.codec;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Objects;

/**
 * Encodes one block of a {@code byte} column (price and quantity scales, side codes, flags) into a self-describing
 * byte string, choosing the smallest of CONSTANT, RUN_LENGTH and BIT_PACKED, and decodes it from a
 * {@link MemorySegment}.
 *
 * <pre>
 *   +-----+------------------------------------------------------------+
 *   | tag | body                                                       |
 *   +-----+------------------------------------------------------------+
 *    1 B
 *   tag 0 EMPTY        count == 0; no body
 *   tag 1 CONSTANT     +-------+
 *                      | value |  1 B, the value of every row
 *                      +-------+
 *   tag 2 RUN_LENGTH   +-------+--------------+-------+--------------+ ...  runs until count rows are covered
 *                      | value | length       | value | length       |      length: varint, 1..remaining rows
 *                      +-------+--------------+-------+--------------+
 *   tag 3 BIT_PACKED   +-------+------+--------------------------------------------+
 *                      | width | base | (unsigned value - base) at width bits each |
 *                      +-------+------+--------------------------------------------+
 *                        1 B     1 B    ceil(count * width / 8) bytes, see {@link BitPacking}; width 1..8,
 *                        base = smallest value read as unsigned (0..255)
 * </pre>
 *
 * <p>Not thread-safe: an instance keeps a scratch array grown to the largest block. Use one per thread.
 */
public final class ByteColumnCodec {
    static final int EMPTY = 0;
    static final int CONSTANT = 1;
    static final int RUN_LENGTH = 2;
    static final int BIT_PACKED = 3;

    private final ByteSource source = new ByteSource();
    private long[] scratch = new long[0];
    /** Packed bytes as little-endian words for {@link DecodeKernels#unpack}. */
    private long[] words = new long[0];

    /**
     * Appends the encoding of {@code values[offset, offset + count)} to {@code out}.
     *
     * @return the number of bytes written
     */
    public int encode(byte[] values, int offset, int count, ByteSink out) {
        Objects.checkFromIndexSize(offset, count, values.length);
        int start = out.position();
        if (count == 0) {
            out.putByte(EMPTY);
            return 1;
        }
        int end = offset + count;
        // Most byte columns of a block are constant (scales, often sides): the array compared with itself shifted by
        // one row (a vectorised intrinsic) finds that before any per-value loop.
        if (count == 1 || Arrays.mismatch(values, offset + 1, end, values, offset, end - 1) < 0) {
            out.putByte(CONSTANT);
            out.putByte(values[offset] & 0xFF);
            return 2;
        }
        // One branch-free pass for the range and the run count (at least two distinct values from here on); the exact
        // run-length size is computed only when the run count says it may win.
        long stats = EncodeKernels.unsignedByteStats(values, offset, end);
        int min = (int) (stats & 0xFF);
        int max = (int) ((stats >>> 8) & 0xFF);
        int runs = 1 + (int) (stats >>> 16);
        long runLengthSize = Long.MAX_VALUE;
        if (2L * runs < 2L + BitPacking.packedBytes(count, BitPacking.bitWidth(max - min))) {
            runLengthSize = runLengthSize(values, offset, count);
        }
        int width = BitPacking.bitWidth(max - min);
        long packedSize = 2L + BitPacking.packedBytes(count, width);
        if (runLengthSize < packedSize) {
            out.putByte(RUN_LENGTH);
            writeRuns(values, offset, count, out);
        } else {
            out.putByte(BIT_PACKED);
            out.putByte(width);
            out.putByte(min);
            int bytes = BitPacking.packedBytes(count, width);
            out.ensureRemaining(bytes + 8); // the final partial word is stored whole
            if (width == 1) { // two codes, such as a trade's side
                EncodeKernels.packUnsignedBits(values, offset, end, min, out.array(), out.position());
            } else {
                EncodeKernels.packUnsignedBytes(values, offset, end, min, width, out, out.position());
            }
            out.position(out.position() + bytes);
        }
        return out.position() - start;
    }

    /**
     * The bytes of the RUN_LENGTH body of {@code values[offset, offset + count)}: a method of its own, so that columns
     * where it is rarely needed don't recompile {@link #encode} when it is.
     */
    private static long runLengthSize(byte[] values, int offset, int count) {
        int end = offset + count;
        long size = 0;
        int runStart = offset;
        for (int i = offset + 1; i <= end; i++) {
            if (i == end || values[i] != values[runStart]) {
                size += 1 + ZigZag.varLongSize(i - runStart);
                runStart = i;
            }
        }
        return size;
    }

    private static void writeRuns(byte[] values, int offset, int count, ByteSink out) {
        int end = offset + count;
        int runStart = offset;
        for (int i = offset + 1; i <= end; i++) {
            if (i == end || values[i] != values[runStart]) {
                out.putByte(values[runStart]);
                out.putVarLong(i - runStart);
                runStart = i;
            }
        }
    }

    /**
     * Decodes {@code count} values encoded by {@link #encode} from {@code src} at {@code srcOffset} into
     * {@code dst[dstOffset, dstOffset + count)}.
     *
     * @return the number of bytes consumed
     * @throws dev.tickvault.store.StorageException CORRUPT if the bytes are not a valid encoding of {@code count}
     *     values within the segment
     */
    public long decode(MemorySegment src, long srcOffset, int count, byte[] dst, int dstOffset) {
        return decodeRows(src, srcOffset, count, dst, dstOffset, 0, count);
    }

    /**
     * As {@link #decode}, but only rows {@code [fromRow, toRow)} must come out right, at their own places {@code
     * dst[dstOffset + row]} (see {@code LongColumnCodec.decodeRows}): bit-packed values outside them are not
     * unpacked, runs after them not read.
     *
     * @return the number of bytes consumed when the whole encoding was read, else {@code LongColumnCodec.PARTIAL}
     */
    public long decodeRows(
            MemorySegment src, long srcOffset, int count, byte[] dst, int dstOffset, int fromRow, int toRow) {
        Objects.checkFromIndexSize(dstOffset, count, dst.length);
        Objects.checkFromToIndex(fromRow, toRow, count);
        ByteSource in = source.reset(src, srcOffset, "byte column");
        int tag = in.readUnsignedByte();
        if (count == 0) {
            if (tag != EMPTY) {
                throw in.corrupt("expected EMPTY tag for 0 values, found 0x" + Integer.toHexString(tag), srcOffset);
            }
            return 1;
        }
        switch (tag) {
            case CONSTANT -> DecodeKernels.fill(dst, dstOffset, dstOffset + count, (byte) in.readUnsignedByte());
            case RUN_LENGTH -> {
                if (!readRuns(in, count, dst, dstOffset, toRow)) {
                    return LongColumnCodec.PARTIAL;
                }
            }
            case BIT_PACKED -> {
                long widthAt = in.position();
                int width = in.readUnsignedByte();
                if (width < 1 || width > 8) {
                    throw in.corrupt("bit width " + width + " outside 1..8", widthAt);
                }
                int base = in.readUnsignedByte();
                long packedAt = in.skip(BitPacking.packedBytes(count, width), "bit-packed values");
                long overflow = 0;
                byte[] array = in.array();
                if (array != null && width == 1) {
                    // Two codes (a trade's side): bits read straight from the packed bytes, a few operations a row.
                    int at = in.arrayBase() + (int) packedAt;
                    int bits = 0;
                    for (int done = fromRow; done < toRow; done += DecodeKernels.GROUP) {
                        int n = Math.min(DecodeKernels.GROUP, toRow - done);
                        bits |= DecodeKernels.unpackBitsGroup(array, at, done, base, dst, dstOffset + done, n);
                    }
                    overflow = base == 0xFF ? bits : 0;
                } else if (array != null) {
                    // Chunked kernels over plain arrays: compiled early (see DecodeKernels).
                    int at = in.arrayBase() + (int) packedAt;
                    words = DecodeKernels.loadWords(array, at, at + BitPacking.packedBytes(count, width), words);
                    for (int done = fromRow; done < toRow; done += DecodeKernels.GROUP) {
                        int n = Math.min(DecodeKernels.GROUP, toRow - done);
                        overflow |= DecodeKernels.unpackBytesGroup(
                                words, (long) done * width, width, base, dst, dstOffset + done, n);
                    }
                } else {
                    if (scratch.length < count) {
                        scratch = new long[count];
                    }
                    BitPacking.unpackRelative(in.segment(), packedAt, count, width, base, scratch, 0);
                    overflow = DecodeKernels.toBytes(scratch, 0, dst, dstOffset, count);
                }
                if (overflow != 0) {
                    throw in.corrupt("bit-packed value plus base " + base + " exceeds 255", packedAt);
                }
            }
            default -> throw in.corrupt("unknown encoding tag 0x" + Integer.toHexString(tag), srcOffset);
        }
        return in.position() - srcOffset;
    }

    /** Runs decoded per call of {@link DecodeKernels#readRuns} (short calls are compiled early). */
    private static final int RUNS_PER_CALL = 16;

    /**
     * Reads runs until at least {@code toRow} rows are filled; returns whether all {@code count} were (the position
     * is then after the encoding).
     */
    private static boolean readRuns(ByteSource in, int count, byte[] dst, int dstOffset, int toRow) {
        int filled = 0;
        byte[] array = in.array();
        if (array != null) {
            int base = in.arrayBase();
            int p = base + (int) in.position();
            int end = p + (int) in.remaining();
            while (filled < toRow) {
                long next = DecodeKernels.readRuns(array, p, end, dst, dstOffset, filled, count, RUNS_PER_CALL);
                if (next < 0) {
                    break; // the checked loop below re-reads from here and reports the problem
                }
                p = (int) (next >>> 32);
                filled = (int) next;
            }
            in.position(p - base);
        }
        while (filled < toRow) {
            byte value = (byte) in.readUnsignedByte();
            long lengthAt = in.position();
            int length = in.readVarInt(count - filled, "run length");
            if (length == 0) {
                throw in.corrupt("run of length 0", lengthAt);
            }
            Arrays.fill(dst, dstOffset + filled, dstOffset + filled + length, value);
            filled += length;
        }
        return filled == count;
    }
}
