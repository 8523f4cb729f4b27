package dev.tickvault.store.engine;

import dev.tickvault.store.StorageException;
import dev.tickvault.store.partition.ChunkLayout;
import java.nio.file.Path;

/**
 * A chunk file's name. A flush writes {@code <flush sequence>-<part>-<parts>.tvc}: one flush of one series writes one
 * part per UTC day it touches, so recovery can tell a complete flush from one cut short by a crash. The archive step
 * writes {@code <sequence>-archive.tvc} ({@link #archive()}): one file that supersedes every chunk file of its day
 * directory whose sequence is at most its own (see {@link PartitionLoader}).
 */
record ChunkName(long sequence, int part, int parts, boolean archive) {

    /** The name suffix (before {@link ChunkLayout#FILE_SUFFIX}) of an archive file. */
    static final String ARCHIVE_MARK = "-archive";

    /** A flush's part. */
    ChunkName(long sequence, int part, int parts) {
        this(sequence, part, parts, false);
    }

    /** Whether {@code file} is a complete (not temporary) chunk file, by its name. */
    static boolean isChunkFile(Path file) {
        String name = file.getFileName().toString();
        return !name.contains(".tmp-") && name.endsWith(ChunkLayout.FILE_SUFFIX);
    }

    static ChunkName parse(Path file) {
        String name = file.getFileName().toString();
        String stem = name.substring(0, name.length() - ChunkLayout.FILE_SUFFIX.length());
        try {
            if (stem.endsWith(ARCHIVE_MARK)) {
                String digits = stem.substring(0, stem.length() - ARCHIVE_MARK.length());
                if (digits.isEmpty() || !digits.chars().allMatch(Character::isDigit)) {
                    throw new NumberFormatException(name);
                }
                return new ChunkName(Long.parseLong(digits), 0, 1, true);
            }
            String[] fields = stem.split("-");
            ChunkName parsed =
                    new ChunkName(Long.parseLong(fields[0]), Integer.parseInt(fields[1]), Integer.parseInt(fields[2]));
            if (fields.length != 3 || parsed.part < 0 || parsed.parts < 1 || parsed.part >= parsed.parts) {
                throw new NumberFormatException(name);
            }
            return parsed;
        } catch (RuntimeException e) {
            throw new StorageException(
                    StorageException.Kind.CORRUPT, "unexpected chunk file name [file=" + file + "]", file, e);
        }
    }
}
