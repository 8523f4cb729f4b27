package dev.tickvault.store.wal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

/**
 * On-disk layout of a reader lease (docs/FORMAT.md, "Reader leases"): a file {@code wal/leases/<pid>-<16 hex
 * digits>.lease} of 36 bytes, little-endian, replaced whole by an atomic rename:
 *
 * <pre>
 *   0  magic 0x4C525654 ("TVRL")
 *   4  format version (1)
 *   8  owner's process id (int64)
 *  16  renewed at: wall-clock milliseconds since the epoch (int64)
 *  24  lowest log sequence number (LSN) the reader still needs (int64, >= 1)
 *  32  CRC32C over bytes [0, 32)
 * </pre>
 *
 * <p>Names are made of digits and hex digits only (no symbol or user text reaches them); any other name in the
 * directory is not a lease.
 */
final class LeaseLayout {

    static final String DIRECTORY = "leases";
    static final String SUFFIX = ".lease";
    static final int MAGIC = 0x4C525654;
    static final int FORMAT_VERSION = 1;
    static final int BYTES = 36;
    private static final int CRC_OFFSET = 32;
    private static final Pattern NAME = Pattern.compile("[0-9]{1,19}-[0-9a-f]{16}\\.lease");

    /** A decoded lease. */
    record Lease(long pid, long renewedAtMillis, long lsn) {}

    private LeaseLayout() {}

    static boolean isLeaseName(Path file) {
        return NAME.matcher(file.getFileName().toString()).matches();
    }

    static byte[] encode(long pid, long renewedAtMillis, long lsn) {
        ByteBuffer bytes = ByteBuffer.allocate(BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.putInt(0, MAGIC);
        bytes.putInt(4, FORMAT_VERSION);
        bytes.putLong(8, pid);
        bytes.putLong(16, renewedAtMillis);
        bytes.putLong(24, lsn);
        bytes.putInt(CRC_OFFSET, crc(bytes.array()));
        return bytes.array();
    }

    /** The lease in {@code bytes}, or empty when they are not a valid version-1 lease (wrong size, magic, CRC, LSN). */
    static Optional<Lease> decode(byte[] bytes) {
        if (bytes.length != BYTES) {
            return Optional.empty();
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (buffer.getInt(0) != MAGIC
                || buffer.getInt(4) != FORMAT_VERSION
                || buffer.getInt(CRC_OFFSET) != crc(bytes)
                || buffer.getLong(24) < 1) {
            return Optional.empty();
        }
        return Optional.of(new Lease(buffer.getLong(8), buffer.getLong(16), buffer.getLong(24)));
    }

    private static int crc(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, CRC_OFFSET);
        return (int) crc.getValue();
    }
}
