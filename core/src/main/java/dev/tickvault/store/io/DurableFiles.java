package dev.tickvault.store.io;

import dev.tickvault.store.StorageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Crash-safe file replacement and directory fsync, shared by the write-ahead log and the store.
 *
 * <p>{@link #writeAtomically} follows the classic sequence: write {@code <target>.tmp-<random>}, fsync the file,
 * rename it over {@code target} with {@link StandardCopyOption#ATOMIC_MOVE}, fsync the parent directory. After a
 * crash a reader sees either the old file or the complete new one, never a mix; at worst a {@code *.tmp-*} file is
 * left behind, which {@link #deleteTempFiles} removes on the next open.
 *
 * <p>Every {@link IOException} is wrapped exactly once, here at the file boundary, into a {@link StorageException}
 * naming the file. Stateless and thread-safe.
 */
public final class DurableFiles {

    private static final LazyLog LOG = LazyLog.of(DurableFiles.class);

    /** Marker between a target file name and the random suffix of its temporary file. */
    public static final String TEMP_MARKER = ".tmp-";

    private static final boolean DIRECTORY_FSYNC_SUPPORTED = !System.getProperty("os.name", "")
            .toLowerCase(java.util.Locale.ROOT)
            .startsWith("windows");

    private DurableFiles() {}

    /** Writes the contents of a file through a channel positioned at 0; called once per {@link #writeAtomically}. */
    @FunctionalInterface
    public interface ChannelWriter {
        void writeTo(FileChannel channel) throws IOException;
    }

    /** Replaces (or creates) {@code target} with {@code bytes}, atomically and durably. */
    public static void writeAtomically(Path target, byte[] bytes) {
        writeAtomically(target, channel -> writeFully(channel, ByteBuffer.wrap(bytes)));
    }

    /** Replaces (or creates) {@code target} with what {@code writer} writes, atomically and durably. */
    public static void writeAtomically(Path target, ChannelWriter writer) {
        publishTemp(writeTemp(target, writer), target);
    }

    /**
     * The first step of {@link #writeAtomically}, for callers that publish later (e.g. on another thread, so that
     * several files' fsyncs wait on the disk together): writes what {@code writer} writes to a new {@code
     * <target>.tmp-<random>} file beside {@code target}, not yet fsynced, and returns its path. Finish with {@link
     * #publishTemp}, or delete the file.
     */
    public static Path writeTemp(Path target, ChannelWriter writer) {
        Path temp = tempPath(target);
        boolean written = false;
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            writer.writeTo(channel);
            written = true;
        } catch (IOException e) {
            throw io("cannot write file atomically", target, e);
        } finally {
            if (!written) {
                deleteQuietly(temp);
            }
        }
        return temp;
    }

    /**
     * A new name {@code <target>.tmp-<random>} beside {@code target} for its temporary file (not created): a file of
     * that name left by a crash is deleted by {@link #deleteTempFiles}.
     */
    public static Path tempPath(Path target) {
        Path absolute = target.toAbsolutePath();
        return absolute.getParent()
                .resolve(absolute.getFileName()
                        + TEMP_MARKER
                        + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()));
    }

    /**
     * The rest of {@link #writeAtomically} for a file {@link #writeTemp} wrote: fsyncs {@code temp}, renames it over
     * {@code target} atomically, and fsyncs the directory. On failure the temporary file is deleted.
     */
    public static void publishTemp(Path temp, Path target) {
        Path absolute = target.toAbsolutePath();
        boolean renamed = false;
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            renamed = true;
        } catch (IOException e) {
            throw io("cannot write file atomically", target, e);
        } finally {
            if (!renamed) {
                deleteQuietly(temp);
            }
        }
        fsyncDirectory(absolute.getParent());
    }

    /** Deletes {@code temp} if it exists; a failure is logged, not thrown (for cleanup after another failure). */
    public static void deleteQuietly(Path temp) {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException e) {
            LOG.get().warn("cannot delete temporary file [file={}]: {}", temp, e.toString());
        }
    }

    /**
     * Creates {@code directory} and any missing parents, fsyncing each new directory's parent so the new path
     * survives a crash.
     */
    public static void createDirectories(Path directory) {
        java.util.ArrayDeque<Path> created = new java.util.ArrayDeque<>();
        for (Path missing = directory.toAbsolutePath();
                missing != null && !Files.isDirectory(missing);
                missing = missing.getParent()) {
            created.push(missing);
        }
        if (created.isEmpty()) {
            return;
        }
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw io("cannot create directory", directory, e);
        }
        for (Path dir : created) {
            fsyncDirectory(dir.getParent());
        }
    }

    /**
     * Forces a directory's entries (creations, renames, deletions) to disk. A no-op on Windows, which cannot open a
     * directory for fsync.
     */
    public static void fsyncDirectory(Path dir) {
        if (!DIRECTORY_FSYNC_SUPPORTED) {
            return;
        }
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            throw io("cannot fsync directory", dir, e);
        }
    }

    /**
     * Deletes the {@code *.tmp-*} files that an interrupted {@link #writeAtomically} left in {@code dir} and fsyncs
     * the directory if anything was deleted. Returns how many were deleted; 0 if {@code dir} does not exist.
     */
    public static int deleteTempFiles(Path dir) {
        int deleted = 0;
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, "*" + TEMP_MARKER + "*")) {
            for (Path file : stream) {
                if (Files.isRegularFile(file)) {
                    Files.delete(file);
                    LOG.get().info("deleted leftover temporary file [file={}]", file);
                    deleted++;
                }
            }
        } catch (NoSuchFileException e) {
            return 0;
        } catch (IOException e) {
            throw io("cannot delete temporary files", dir, e);
        }
        if (deleted > 0) {
            fsyncDirectory(dir);
        }
        return deleted;
    }

    /** Writes all of {@code buffer} at the channel's position. */
    public static void writeFully(FileChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    /**
     * Wraps an {@link IOException} into a {@link StorageException} (kind IO, or NO_SPACE when the disk is full) that
     * names {@code file}. Call it once, where the I/O happened.
     */
    public static StorageException io(String what, Path file, IOException cause) {
        return StorageException.io(what, file, cause);
    }
}
