package dev.tickvault.store.partition;

import dev.tickvault.store.StorageException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Encodes and decodes one column of one block. Interim plain encoding (raw little-endian values) until the
 * compressed column codecs land; the section framing (length prefix) stays the same.
 */
final class ColumnSectionCodec {

    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private ColumnSectionCodec() {}

    static void encodeLongs(long[] values, int offset, int count, GrowableBytes out) {
        int lengthAt = out.reserveInt();
        int start = out.position();
        out.ensureCapacity(count * 8);
        MemorySegment.copy(values, offset, out.segment(), LONG, out.position(), count);
        out.skip(count * 8);
        out.putIntAt(lengthAt, out.position() - start);
    }

    static void encodeBytes(byte[] values, int offset, int count, GrowableBytes out) {
        out.putInt(count);
        out.putBytes(values, offset, count);
    }

    static void encodeStrings(String[] values, int offset, int count, GrowableBytes out) {
        int lengthAt = out.reserveInt();
        int start = out.position();
        if (values == null) {
            out.putByte((byte) 0);
        } else {
            out.putByte((byte) 1);
            for (int i = 0; i < count; i++) {
                String v = values[offset + i];
                if (v == null) {
                    out.putInt(-1);
                } else {
                    byte[] utf8 = v.getBytes(StandardCharsets.UTF_8);
                    out.putInt(utf8.length);
                    out.putBytes(utf8, 0, utf8.length);
                }
            }
        }
        out.putIntAt(lengthAt, out.position() - start);
    }

    /** Decodes a long section at {@code position}; returns the position after it. */
    static long decodeLongs(MemorySegment block, long position, int count, long[] dst, Path file) {
        int length = sectionLength(block, position, file);
        if (length != count * 8) {
            throw StorageException.corrupt("long column length " + length + " != " + count * 8, file, position);
        }
        MemorySegment.copy(block, LONG, position + 4, dst, 0, count);
        return position + 4 + length;
    }

    static long decodeBytes(MemorySegment block, long position, int count, byte[] dst, Path file) {
        int length = sectionLength(block, position, file);
        if (length != count) {
            throw StorageException.corrupt("byte column length " + length + " != " + count, file, position);
        }
        MemorySegment.copy(block, ValueLayout.JAVA_BYTE, position + 4, dst, 0, count);
        return position + 4 + length;
    }

    /** Decodes a string section; returns null in {@code dst[0]}... via the sink; returns the position after it. */
    static long decodeStrings(MemorySegment block, long position, int count, StringSink sink, Path file) {
        int length = sectionLength(block, position, file);
        long p = position + 4;
        long end = p + length;
        byte present = block.get(ValueLayout.JAVA_BYTE, p++);
        if (present == 1) {
            for (int i = 0; i < count; i++) {
                if (p + 4 > end) {
                    throw StorageException.corrupt("string column truncated", file, p);
                }
                int n = block.get(INT, p);
                p += 4;
                if (n >= 0) {
                    if (p + n > end) {
                        throw StorageException.corrupt("string value overruns its column", file, p);
                    }
                    byte[] utf8 = block.asSlice(p, n).toArray(ValueLayout.JAVA_BYTE);
                    sink.accept(i, new String(utf8, StandardCharsets.UTF_8));
                    p += n;
                }
            }
        }
        return end;
    }

    private static int sectionLength(MemorySegment block, long position, Path file) {
        if (position + 4 > block.byteSize()) {
            throw StorageException.corrupt("column section header beyond block end", file, position);
        }
        int length = block.get(INT, position);
        if (length < 0 || position + 4 + length > block.byteSize()) {
            throw StorageException.corrupt("column section length " + length + " beyond block end", file, position);
        }
        return length;
    }

    /** Receives decoded non-null strings by row. */
    interface StringSink {
        void accept(int row, String value);
    }
}
