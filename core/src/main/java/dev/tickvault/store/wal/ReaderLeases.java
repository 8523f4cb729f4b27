package dev.tickvault.store.wal;

import dev.tickvault.store.io.LazyLog;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The writer's side of reader leases ({@link ReaderLease}): the lowest LSN that live leases in {@code wal/leases/}
 * name, read before the log's segments are deleted after a checkpoint.
 *
 * <p><b>Live, stale, bad.</b> A lease is live when it was renewed within {@link #STALE_AFTER_MILLIS} of now (and not
 * more than that ahead of now) and its owner process still runs ({@link ProcessHandle#of}: readers are assumed to run
 * on the writer's machine, as they map its chunk files). A stale lease (its reader crashed, or stopped refreshing) is
 * ignored and its file deleted. A file with a lease's name that does not decode (damaged, a later format version) or
 * cannot be read is logged once and ignored; it is deleted when its modification time is older than the staleness
 * bound, as are leftover temporary files of a lease write. At most {@link #MAX_LEASES} lease files are read per scan
 * (the others are ignored). Nothing here throws or waits on a reader: any failure means "no lease" and the writer
 * deletes as it did before leases.
 */
public final class ReaderLeases {

    private static final LazyLog LOG = LazyLog.of(ReaderLeases.class);
    /** A lease not renewed for this long is stale. */
    public static final long STALE_AFTER_MILLIS = 10_000;
    /** Lease files read per scan; more are ignored. */
    static final int MAX_LEASES = 64;

    /** File names already reported as bad (bounded: cleared when full). */
    private static final Set<String> REPORTED = new HashSet<>();

    private static final int MAX_REPORTED = 1024;

    private ReaderLeases() {}

    /**
     * The lowest LSN named by a live lease in {@code walDir}, or {@link Long#MAX_VALUE} when there is none (or the
     * directory cannot be read). Deletes stale leases on the way.
     */
    public static long lowestLeasedLsn(Path walDir, long nowMillis) {
        Path directory = walDir.resolve(LeaseLayout.DIRECTORY);
        if (!Files.isDirectory(directory)) {
            return Long.MAX_VALUE;
        }
        long lowest = Long.MAX_VALUE;
        int read = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path file : files) {
                if (!LeaseLayout.isLeaseName(file)) {
                    deleteIfOld(file, nowMillis);
                    continue;
                }
                if (read++ >= MAX_LEASES) {
                    report(file, "more than " + MAX_LEASES + " reader leases: this one is ignored");
                    continue;
                }
                lowest = Math.min(lowest, leasedLsn(file, nowMillis));
            }
        } catch (IOException | RuntimeException e) {
            report(directory, "cannot list reader leases; they are ignored: " + e);
            return Long.MAX_VALUE;
        }
        return lowest;
    }

    /** The LSN a live lease in {@code file} names, else {@link Long#MAX_VALUE} (stale ones are deleted). */
    private static long leasedLsn(Path file, long nowMillis) {
        byte[] bytes;
        try {
            if (Files.size(file) != LeaseLayout.BYTES) {
                return bad(file, nowMillis, "a reader lease of the wrong size is ignored");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Long.MAX_VALUE; // its reader closed it meanwhile
        } catch (IOException | RuntimeException e) {
            return bad(file, nowMillis, "an unreadable reader lease is ignored: " + e);
        }
        Optional<LeaseLayout.Lease> decoded = LeaseLayout.decode(bytes);
        if (decoded.isEmpty()) {
            return bad(file, nowMillis, "a damaged reader lease (or of a later format) is ignored");
        }
        LeaseLayout.Lease lease = decoded.get();
        long age = nowMillis - lease.renewedAtMillis();
        boolean stale = age > STALE_AFTER_MILLIS || age < -STALE_AFTER_MILLIS || !running(lease.pid());
        if (stale) {
            LOG.get()
                    .info(
                            "deleting a stale reader lease [file={}, lsn={}, pid={}, renewedMillisAgo={}]",
                            file,
                            lease.lsn(),
                            lease.pid(),
                            age);
            deleteQuietly(file);
            return Long.MAX_VALUE;
        }
        return lease.lsn();
    }

    private static boolean running(long pid) {
        try {
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        } catch (RuntimeException e) {
            return true; // cannot tell: the staleness bound still applies
        }
    }

    private static long bad(Path file, long nowMillis, String what) {
        report(file, what);
        deleteIfOld(file, nowMillis);
        return Long.MAX_VALUE;
    }

    /** Deletes a file of the lease directory that is not a live lease once it is older than the staleness bound. */
    private static void deleteIfOld(Path file, long nowMillis) {
        try {
            if (Files.isRegularFile(file)
                    && nowMillis - Files.getLastModifiedTime(file).toMillis() > STALE_AFTER_MILLIS) {
                deleteQuietly(file);
            }
        } catch (IOException | RuntimeException e) {
            // vanished or unreadable: left alone
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException | RuntimeException e) {
            report(file, "cannot delete a stale reader lease: " + e);
        }
    }

    private static void report(Path file, String what) {
        boolean first;
        synchronized (REPORTED) {
            if (REPORTED.size() >= MAX_REPORTED) {
                REPORTED.clear();
            }
            first = REPORTED.add(file.toString());
        }
        if (first) {
            LOG.get().warn("{} [file={}]", what, file);
        }
    }
}
