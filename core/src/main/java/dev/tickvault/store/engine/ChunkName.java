package dev.tickvault.store.engine;

import dev.tickvault.store.StorageException;
import dev.tickvault.store.partition.ChunkLayout;
import java.nio.file.Path;

/**
 * A chunk file's name, {@code <flush sequence>-<part>-<parts>.tvc}: one flush of one series writes one part per UTC
 * day it touches, so recovery can tell a complete flush from one cut short by a crash.
 */
record ChunkName(long sequence, int part, int parts) {

    static ChunkName parse(Path file) {
        String name = file.getFileName().toString();
        String stem = name.substring(0, name.length() - ChunkLayout.FILE_SUFFIX.length());
        String[] fields = stem.split("-");
        try {
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
