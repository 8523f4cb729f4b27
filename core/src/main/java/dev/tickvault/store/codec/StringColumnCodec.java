package dev.tickvault.store.codec;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * Encodes one block of a nullable {@code String} column (the rare textual trade id, gap reasons) as UTF-8, and decodes
 * it from a {@link MemorySegment}. A column of nulls costs one byte.
 *
 * <pre>
 *   +-----+----------------------+---------------------------+--------------------------+
 *   | tag | presence bitmap      | lengths                   | UTF-8 bytes              |
 *   +-----+----------------------+---------------------------+--------------------------+
 *    1 B    ceil(count / 8) B,     one varint per non-null     the non-null values,
 *           only for tag 2         value: its UTF-8 length     concatenated in row order
 *
 *   tag 0 ALL_NULL     count == 0 or every row null; nothing follows the tag
 *   tag 1 ALL_PRESENT  no row is null; no bitmap
 *   tag 2 SOME_NULL    bitmap bit (i % 8) of byte (i / 8) is 1 when row i is non-null;
 *                      unused high bits of the last byte are 0
 * </pre>
 *
 * <p>Decoding rejects bytes that are not well-formed UTF-8 (CORRUPT). Textual columns are rare, so decoding allocates
 * the strings (and encoding their UTF-8 bytes); the scratch byte
 * array is reused. Not thread-safe: use one instance per thread.
 */
public final class StringColumnCodec {
    static final int ALL_NULL = 0;
    static final int ALL_PRESENT = 1;
    static final int SOME_NULL = 2;
    /** Longest value accepted when decoding, a guard against absurd lengths in corrupt input. */
    static final int MAX_VALUE_BYTES = 1 << 24;

    private final ByteSource source = new ByteSource();
    private byte[][] encoded = new byte[0][];
    private byte[] scratch = new byte[64];
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);

    /**
     * Appends the encoding of {@code count} nulls (what {@link #encode} writes for them): for a column that holds no
     * value at all, without an array of nulls to scan.
     *
     * @return the number of bytes written
     */
    public int encodeNulls(int count, ByteSink out) {
        if (count < 0) {
            throw new IllegalArgumentException("negative count " + count);
        }
        out.putByte(ALL_NULL);
        return 1;
    }

    /**
     * Appends the encoding of {@code values[offset, offset + count)} (nulls allowed) to {@code out}.
     *
     * @return the number of bytes written
     */
    public int encode(String[] values, int offset, int count, ByteSink out) {
        Objects.checkFromIndexSize(offset, count, values.length);
        int start = out.position();
        int present = EncodeKernels.countPresent(values, offset, offset + count);
        if (present == 0) {
            out.putByte(ALL_NULL);
            return 1;
        }
        if (present == count) {
            out.putByte(ALL_PRESENT);
        } else {
            out.putByte(SOME_NULL);
            int bitmapBytes = (count + 7) >>> 3;
            for (int b = 0; b < bitmapBytes; b++) {
                int bits = 0;
                for (int j = 0; j < 8 && b * 8 + j < count; j++) {
                    if (values[offset + b * 8 + j] != null) {
                        bits |= 1 << j;
                    }
                }
                out.putByte(bits);
            }
        }
        if (encoded.length < count) {
            encoded = new byte[EncodeKernels.scratchLength(count)][];
        }
        for (int i = 0; i < count; i++) {
            String value = values[offset + i];
            encoded[i] = value == null ? null : value.getBytes(StandardCharsets.UTF_8);
            if (value != null) {
                out.putVarLong(encoded[i].length);
            }
        }
        for (int i = 0; i < count; i++) {
            if (encoded[i] != null) {
                out.putBytes(encoded[i]);
                encoded[i] = null;
            }
        }
        return out.position() - start;
    }

    /**
     * True if {@code column} is exactly the encoding of a column without a value (the ALL_NULL tag alone), so that a
     * reader whose destination is already null can skip it without a pass over its rows.
     */
    public static boolean isAllNull(MemorySegment column) {
        if (column.byteSize() != 1) {
            return false;
        }
        // Read from the array behind a heap segment: a MemorySegment read is a method-handle chain in the interpreter.
        byte first = column.heapBase().orElse(null) instanceof byte[] array
                ? array[(int) column.address()]
                : column.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 0);
        return first == ALL_NULL;
    }

    /**
     * Decodes {@code count} values encoded by {@link #encode} from {@code src} at {@code srcOffset} into
     * {@code dst[dstOffset, dstOffset + count)}.
     *
     * @return the number of bytes consumed
     * @throws dev.tickvault.store.StorageException CORRUPT if the bytes are not a valid encoding of {@code count}
     *     values within the segment
     */
    public long decode(MemorySegment src, long srcOffset, int count, String[] dst, int dstOffset) {
        Objects.checkFromIndexSize(dstOffset, count, dst.length);
        ByteSource in = source.reset(src, srcOffset, "string column");
        int tag = in.readUnsignedByte();
        switch (tag) {
            case ALL_NULL -> {
                Arrays.fill(dst, dstOffset, dstOffset + count, null);
                return 1;
            }
            case ALL_PRESENT, SOME_NULL -> {
                if (count == 0) {
                    throw in.corrupt("tag 0x" + Integer.toHexString(tag) + " for an empty column", srcOffset);
                }
            }
            default -> throw in.corrupt("unknown encoding tag 0x" + Integer.toHexString(tag), srcOffset);
        }
        long bitmapAt = -1;
        if (tag == SOME_NULL) {
            bitmapAt = in.skip((count + 7) >>> 3, "presence bitmap");
        }
        // Lengths first (validated against what remains), then the bytes they describe.
        long lengthsAt = in.position();
        long totalBytes = 0;
        for (int i = 0; i < count; i++) {
            if (isPresent(in.segment(), bitmapAt, i)) {
                totalBytes += in.readVarInt(MAX_VALUE_BYTES, "string length");
            }
        }
        long bytesAt = in.skip(totalBytes, "string bytes");
        long end = in.position();
        in.reset(src, lengthsAt, "string column");
        long at = bytesAt;
        for (int i = 0; i < count; i++) {
            if (!isPresent(src, bitmapAt, i)) {
                dst[dstOffset + i] = null;
                continue;
            }
            int length = (int) in.readVarLong();
            if (scratch.length < length) {
                scratch = new byte[Math.max(length, scratch.length * 2)];
            }
            MemorySegment.copy(src, ValueLayout.JAVA_BYTE, at, scratch, 0, length);
            try {
                dst[dstOffset + i] =
                        utf8.decode(ByteBuffer.wrap(scratch, 0, length)).toString();
            } catch (CharacterCodingException e) {
                throw in.corrupt("row " + i + " is not valid UTF-8", at);
            }
            at += length;
        }
        return end - srcOffset;
    }

    private static boolean isPresent(MemorySegment src, long bitmapAt, int row) {
        if (bitmapAt < 0) {
            return true;
        }
        return (src.get(ValueLayout.JAVA_BYTE, bitmapAt + (row >>> 3)) & (1 << (row & 7))) != 0;
    }
}
