package dev.tickvault.store.engine;

import dev.tickvault.store.StorageException;
import dev.tickvault.store.io.DurableFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * {@code CHECKPOINT}: the log sequence number up to which every committed row is in chunk files, so recovery
 * replays the log only from the next record. Written atomically after each complete flush.
 *
 * <pre>
 *  0 magic "TVCP" (u32) | 4 format version (u32) | 8 checkpoint LSN (i64) | 16 CRC32C of bytes [0, 16) (u32)
 * </pre>
 *
 * Losing or damaging it costs only time: recovery then replays the whole log, and per-series flushed sequence numbers
 * (in chunk headers) still keep rows from being applied twice.
 */
final class CheckpointFile {

    static final String NAME = "CHECKPOINT";
    private static final int MAGIC = 0x50435654; // "TVCP"
    private static final int VERSION = 1;
    private static final int SIZE = 20;

    private CheckpointFile() {}

    static void write(Path root, long lsn) {
        ByteBuffer bytes = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
        bytes.putInt(MAGIC).putInt(VERSION).putLong(lsn);
        CRC32C crc = new CRC32C();
        crc.update(bytes.array(), 0, 16);
        bytes.putInt((int) crc.getValue());
        DurableFiles.writeAtomically(root.resolve(NAME), bytes.array());
    }

    /** The checkpoint LSN, empty when there is no checkpoint; a damaged file is reported by exception. */
    static Optional<Long> read(Path root) {
        Path file = root.resolve(NAME);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (IOException e) {
            throw StorageException.io("cannot read checkpoint", file, e);
        }
        ByteBuffer bytes = ByteBuffer.wrap(content).order(ByteOrder.LITTLE_ENDIAN);
        if (content.length != SIZE || bytes.getInt(0) != MAGIC || bytes.getInt(4) != VERSION) {
            throw StorageException.corrupt("not a version-1 checkpoint file", file, 0);
        }
        CRC32C crc = new CRC32C();
        crc.update(content, 0, 16);
        if ((int) crc.getValue() != bytes.getInt(16)) {
            throw StorageException.checksum(file, 16, Integer.toUnsignedLong(bytes.getInt(16)), crc.getValue());
        }
        return Optional.of(bytes.getLong(8));
    }
}
