package dev.tickvault.store.wal;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * On-disk layout of write-ahead-log segment files (format version 1). All integers are little-endian.
 *
 * <p>A segment file is named after the LSN of its first record, zero-padded to 20 digits so that names sort in LSN
 * order ({@code 00000000000000000001.wal}). It holds a fixed header followed by records, back to back, no padding:
 *
 * <pre>
 * Segment header (24 bytes)
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                  magic  0x4C575654 ("TVWL")                   |  0
 *  +---------------------------------------------------------------+
 *  |                     format version (1)                        |  4
 *  +---------------------------------------------------------------+
 *  |                                                               |  8
 *  +                first LSN of the segment (int64)               +
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                     reserved (0)                              | 16
 *  +---------------------------------------------------------------+
 *  |            header CRC32C over bytes [0, 20)                   | 20
 *  +---------------------------------------------------------------+
 *
 * Record (17 + length bytes), repeated until end of file
 *  +---------------------------------------------------------------+
 *  |                   payload length (int32, >= 0)                |  0
 *  +---------------------------------------------------------------+
 *  |       CRC32C over bytes [8, 17 + length): LSN, type, payload  |  4
 *  +---------------------------------------------------------------+
 *  |                                                               |  8
 *  +                          LSN (int64)                          +
 *  |                                                               |
 *  +---------------+-----------------------------------------------+
 *  |  type (uint8) |  payload (length bytes) ...                   | 16
 *  +---------------+-----------------------------------------------+
 * </pre>
 *
 * <p>LSNs start at 1 and grow by one per record, continuous across segments: the first record of a segment has the
 * LSN in its header and file name, and every following record the next one. There is no end marker; the end of the
 * file is the end of the segment.
 */
final class WalLayout {

    static final int MAGIC = 0x4C575654;
    static final int FORMAT_VERSION = 1;

    static final int HEADER_MAGIC_OFFSET = 0;
    static final int HEADER_VERSION_OFFSET = 4;
    static final int HEADER_FIRST_LSN_OFFSET = 8;
    static final int HEADER_CRC_OFFSET = 20;
    static final int SEGMENT_HEADER_BYTES = 24;

    static final int RECORD_LENGTH_OFFSET = 0;
    static final int RECORD_CRC_OFFSET = 4;
    static final int RECORD_LSN_OFFSET = 8;
    static final int RECORD_TYPE_OFFSET = 16;
    static final int RECORD_HEADER_BYTES = 17;

    /** Largest payload a record may carry; a length field above it is treated as damage. */
    static final int MAX_PAYLOAD_BYTES = 1 << 30;

    static final String SEGMENT_SUFFIX = ".wal";
    private static final int NAME_DIGITS = 20;

    static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private WalLayout() {}

    static String segmentName(long firstLsn) {
        String digits = Long.toString(firstLsn);
        return "0".repeat(NAME_DIGITS - digits.length()) + digits + SEGMENT_SUFFIX;
    }

    /** The first LSN encoded in a segment file name, or -1 if the name is not a segment name. */
    static long firstLsnFromName(Path file) {
        String name = file.getFileName().toString();
        if (name.length() != NAME_DIGITS + SEGMENT_SUFFIX.length() || !name.endsWith(SEGMENT_SUFFIX)) {
            return -1;
        }
        for (int i = 0; i < NAME_DIGITS; i++) {
            if (name.charAt(i) < '0' || name.charAt(i) > '9') {
                return -1;
            }
        }
        try {
            return Long.parseLong(name, 0, NAME_DIGITS, 10);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static byte[] segmentHeader(long firstLsn) {
        ByteBuffer header = ByteBuffer.allocate(SEGMENT_HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        header.putInt(HEADER_MAGIC_OFFSET, MAGIC);
        header.putInt(HEADER_VERSION_OFFSET, FORMAT_VERSION);
        header.putLong(HEADER_FIRST_LSN_OFFSET, firstLsn);
        CRC32C crc = new CRC32C();
        crc.update(header.array(), 0, HEADER_CRC_OFFSET);
        header.putInt(HEADER_CRC_OFFSET, (int) crc.getValue());
        return header.array();
    }

    static int headerCrc(MemorySegment file) {
        CRC32C crc = new CRC32C();
        crc.update(file.asSlice(0, HEADER_CRC_OFFSET).asByteBuffer());
        return (int) crc.getValue();
    }

    /** CRC32C of the record at {@code offset} whose payload is {@code length} bytes, as stored in its CRC field. */
    static int recordCrc(CRC32C crc, MemorySegment file, long offset, int length) {
        crc.reset();
        crc.update(file.asSlice(offset + RECORD_LSN_OFFSET, RECORD_HEADER_BYTES - RECORD_LSN_OFFSET + (long) length)
                .asByteBuffer());
        return (int) crc.getValue();
    }
}
