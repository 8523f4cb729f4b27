package dev.tickvault.store.wal;

import static dev.tickvault.store.wal.WalLayout.INT;
import static dev.tickvault.store.wal.WalLayout.LONG;
import static dev.tickvault.store.wal.WalLayout.RECORD_CRC_OFFSET;
import static dev.tickvault.store.wal.WalLayout.RECORD_HEADER_BYTES;
import static dev.tickvault.store.wal.WalLayout.RECORD_LENGTH_OFFSET;
import static dev.tickvault.store.wal.WalLayout.RECORD_LSN_OFFSET;
import static dev.tickvault.store.wal.WalLayout.RECORD_TYPE_OFFSET;
import static dev.tickvault.store.wal.WalLayout.SEGMENT_HEADER_BYTES;

import dev.tickvault.store.StorageException;
import dev.tickvault.store.io.DurableFiles;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * Reads segment files (layout in {@link WalLayout}) through read-only memory maps: validates them for recovery and
 * {@code verify}, and walks their records for replay. Stateless; each call maps and unmaps the file in its own
 * confined arena.
 */
final class SegmentScanner {

    private static final long INCOMPLETE = -1;
    private static final long BAD_LENGTH = -2;
    private static final long BAD_CHECKSUM = -3;

    private SegmentScanner() {}

    /**
     * Outcome of checking one segment.
     *
     * @param firstLsn LSN in the header
     * @param records valid records before any damage
     * @param validEndOffset offset just past the last valid record
     * @param damageOffset offset of the first bad record, or -1 if the segment is clean
     * @param damage description of the damage, or {@code null}
     * @param tailOnly true if the damage is a tail: no valid record starts after it and the LSNs were continuous
     */
    record SegmentScan(
            Path file,
            long fileBytes,
            long firstLsn,
            long records,
            long validEndOffset,
            long damageOffset,
            String damage,
            boolean tailOnly) {

        boolean clean() {
            return damageOffset < 0;
        }

        /** LSN of the last valid record, {@code firstLsn - 1} if none. */
        long lastLsn() {
            return firstLsn + records - 1;
        }
    }

    /** Checks the header and every record of {@code file}. Throws FORMAT_VERSION or CORRUPT for a bad header. */
    static SegmentScan scan(Path file) {
        try (Arena arena = Arena.ofConfined();
                FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size < SEGMENT_HEADER_BYTES) {
                throw StorageException.corrupt(
                        "segment shorter than its header (" + size + " < " + SEGMENT_HEADER_BYTES + " bytes)", file, 0);
            }
            MemorySegment segment = channel.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            long firstLsn = checkHeader(file, segment);
            CRC32C crc = new CRC32C();
            long offset = SEGMENT_HEADER_BYTES;
            long expectedLsn = firstLsn;
            long records = 0;
            while (offset < size) {
                long recordBytes = validRecordBytes(segment, offset, size, crc);
                if (recordBytes < 0) {
                    String damage = describe(recordBytes, segment, offset, size, crc);
                    long later = findLaterRecord(segment, offset + 1, size, expectedLsn, crc);
                    if (later >= 0) {
                        damage += ", followed by a valid record at offset " + later;
                    }
                    return new SegmentScan(file, size, firstLsn, records, offset, offset, damage, later < 0);
                }
                long lsn = segment.get(LONG, offset + RECORD_LSN_OFFSET);
                if (lsn != expectedLsn) {
                    String damage = "LSN discontinuity: expected " + expectedLsn + ", found " + lsn;
                    return new SegmentScan(file, size, firstLsn, records, offset, offset, damage, false);
                }
                offset += recordBytes;
                expectedLsn++;
                records++;
            }
            return new SegmentScan(file, size, firstLsn, records, offset, -1, null, false);
        } catch (IOException e) {
            throw DurableFiles.io("cannot read write-ahead-log segment", file, e);
        }
    }

    /**
     * Calls {@code handler} for every record of {@code file} with {@code fromLsn <= lsn <= toLsn}, checking each
     * delivered record's checksum. Stops after {@code toLsn}, so bytes being appended beyond it are never read.
     */
    static void forEachRecord(Path file, long fromLsn, long toLsn, RecordHandler handler) {
        try (Arena arena = Arena.ofConfined();
                FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size < SEGMENT_HEADER_BYTES) {
                throw StorageException.corrupt("segment shorter than its header", file, 0);
            }
            MemorySegment segment = channel.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            long lsn = checkHeader(file, segment);
            long offset = SEGMENT_HEADER_BYTES;
            CRC32C crc = new CRC32C();
            while (lsn <= toLsn) {
                if (size - offset < RECORD_HEADER_BYTES) {
                    throw StorageException.corrupt("record " + lsn + " missing (end of segment)", file, offset);
                }
                int length = segment.get(INT, offset + RECORD_LENGTH_OFFSET);
                if (length < 0 || length > size - offset - RECORD_HEADER_BYTES) {
                    throw StorageException.corrupt("bad record length " + length, file, offset);
                }
                if (lsn >= fromLsn) {
                    int stored = segment.get(INT, offset + RECORD_CRC_OFFSET);
                    int actual = WalLayout.recordCrc(crc, segment, offset, length);
                    if (stored != actual) {
                        throw StorageException.checksum(file, offset, stored & 0xFFFF_FFFFL, actual & 0xFFFF_FFFFL);
                    }
                    long storedLsn = segment.get(LONG, offset + RECORD_LSN_OFFSET);
                    if (storedLsn != lsn) {
                        throw StorageException.corrupt(
                                "LSN discontinuity: expected " + lsn + ", found " + storedLsn, file, offset);
                    }
                    int type = Byte.toUnsignedInt(segment.get(ValueLayout.JAVA_BYTE, offset + RECORD_TYPE_OFFSET));
                    handler.onRecord(lsn, type, segment.asSlice(offset + RECORD_HEADER_BYTES, length));
                }
                offset += RECORD_HEADER_BYTES + (long) length;
                lsn++;
                if (offset >= size) {
                    break;
                }
            }
        } catch (IOException e) {
            throw DurableFiles.io("cannot read write-ahead-log segment", file, e);
        }
    }

    /** Validates the header (magic, CRC, version, name) and returns the segment's first LSN. */
    static long checkHeader(Path file, MemorySegment segment) {
        int magic = segment.get(INT, WalLayout.HEADER_MAGIC_OFFSET);
        if (magic != WalLayout.MAGIC) {
            throw new StorageException(
                    StorageException.Kind.FORMAT_VERSION,
                    "not a write-ahead-log segment: bad magic [file=" + file + ", offset=0, expected="
                            + Integer.toHexString(WalLayout.MAGIC) + ", actual=" + Integer.toHexString(magic) + "]",
                    file,
                    null);
        }
        int stored = segment.get(INT, WalLayout.HEADER_CRC_OFFSET);
        int actual = WalLayout.headerCrc(segment);
        if (stored != actual) {
            throw new StorageException(
                    StorageException.Kind.CORRUPT,
                    "segment header checksum mismatch [file=" + file + ", offset=" + WalLayout.HEADER_CRC_OFFSET
                            + ", expected=" + Integer.toHexString(stored) + ", actual=" + Integer.toHexString(actual)
                            + "]",
                    file,
                    null);
        }
        int version = segment.get(INT, WalLayout.HEADER_VERSION_OFFSET);
        if (version != WalLayout.FORMAT_VERSION) {
            throw new StorageException(
                    StorageException.Kind.FORMAT_VERSION,
                    "unsupported write-ahead-log format version " + version + " (this build reads "
                            + WalLayout.FORMAT_VERSION + ") [file=" + file + ", offset="
                            + WalLayout.HEADER_VERSION_OFFSET + "]",
                    file,
                    null);
        }
        long firstLsn = segment.get(LONG, WalLayout.HEADER_FIRST_LSN_OFFSET);
        long nameLsn = WalLayout.firstLsnFromName(file);
        if (firstLsn < 1 || firstLsn != nameLsn) {
            throw StorageException.corrupt(
                    "segment header first LSN " + firstLsn + " does not match file name",
                    file,
                    WalLayout.HEADER_FIRST_LSN_OFFSET);
        }
        return firstLsn;
    }

    /** Size of the well-formed, checksum-valid record at {@code offset}, or a negative code saying why not. */
    private static long validRecordBytes(MemorySegment segment, long offset, long end, CRC32C crc) {
        if (end - offset < RECORD_HEADER_BYTES) {
            return INCOMPLETE;
        }
        int length = segment.get(INT, offset + RECORD_LENGTH_OFFSET);
        if (length < 0 || length > WalLayout.MAX_PAYLOAD_BYTES) {
            return BAD_LENGTH;
        }
        if (length > end - offset - RECORD_HEADER_BYTES) {
            return INCOMPLETE;
        }
        if (segment.get(INT, offset + RECORD_CRC_OFFSET) != WalLayout.recordCrc(crc, segment, offset, length)) {
            return BAD_CHECKSUM;
        }
        return RECORD_HEADER_BYTES + (long) length;
    }

    private static String describe(long code, MemorySegment segment, long offset, long end, CRC32C crc) {
        if (code == INCOMPLETE) {
            return "incomplete record (" + (end - offset) + " bytes left in file)";
        }
        int length = segment.get(INT, offset + RECORD_LENGTH_OFFSET);
        if (code == BAD_LENGTH) {
            return "bad record length " + length;
        }
        int stored = segment.get(INT, offset + RECORD_CRC_OFFSET);
        int actual = WalLayout.recordCrc(crc, segment, offset, length);
        return "record checksum mismatch (expected=" + Integer.toHexString(stored) + ", actual="
                + Integer.toHexString(actual) + ")";
    }

    /**
     * First offset in {@code [from, end)} where a well-formed record with a valid checksum and an LSN of at least
     * {@code minLsn} starts, or -1. Tells a torn tail (-1) from damage in the middle of the log.
     */
    private static long findLaterRecord(MemorySegment segment, long from, long end, long minLsn, CRC32C crc) {
        for (long p = from; p <= end - RECORD_HEADER_BYTES; p++) {
            int length = segment.get(INT, p + RECORD_LENGTH_OFFSET);
            if (length < 0 || length > end - p - RECORD_HEADER_BYTES) {
                continue;
            }
            // A later record's LSN is at least minLsn and at most one per record header that fits before it: this
            // rejects almost every random offset before the (costly) checksum.
            long lsn = segment.get(LONG, p + RECORD_LSN_OFFSET);
            if (lsn < minLsn || lsn > minLsn + (p - from) / RECORD_HEADER_BYTES + 1) {
                continue;
            }
            if (segment.get(INT, p + RECORD_CRC_OFFSET) == WalLayout.recordCrc(crc, segment, p, length)) {
                return p;
            }
        }
        return -1;
    }
}
