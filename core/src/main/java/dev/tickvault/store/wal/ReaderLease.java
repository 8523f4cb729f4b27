package dev.tickvault.store.wal;

import dev.tickvault.store.io.LazyLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A read-only follower's lease on the log: one file in {@code wal/leases/} (layout in {@link LeaseLayout}) naming the
 * lowest log sequence number it still needs. A writer of this version keeps the segments holding that record and
 * later ones while the lease is live ({@link ReaderLeases}): renewed within the last {@link
 * ReaderLeases#STALE_AFTER_MILLIS} ms by a process that still runs, and within the writer's byte bound.
 *
 * <p>Best effort by design: a lease that cannot be written (a read-only mount, no permission) is logged once and
 * the follower carries on without one (its builds may then be retried, as before leases); nothing here throws. The
 * file is written to a temporary name and renamed over the lease, so a writer reads the old or the new lease whole,
 * never a mix; it is not fsynced (after a machine crash the lease is stale anyway). {@link #close} deletes it.
 *
 * <p>Not thread-safe (the follower's refresh lock guards it).
 */
public final class ReaderLease implements AutoCloseable {

    private static final LazyLog LOG = LazyLog.of(ReaderLease.class);
    /** A held lease is rewritten when it is this old, well inside {@link ReaderLeases#STALE_AFTER_MILLIS}. */
    static final long RENEW_AFTER_MILLIS = ReaderLeases.STALE_AFTER_MILLIS / 5;

    private final Path directory;
    private final Path file;
    private final long pid = ProcessHandle.current().pid();
    /** The LSN of the lease on disk; 0 while none is written. */
    private long heldLsn;

    private long writtenAtMillis;
    private boolean failed;

    private ReaderLease(Path walDir) {
        this.directory = walDir.resolve(LeaseLayout.DIRECTORY);
        this.file = directory.resolve(pid + "-"
                + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()) + LeaseLayout.SUFFIX);
    }

    /** A lease for the log in {@code walDir}; writes nothing until {@link #hold}. */
    public static ReaderLease forLog(Path walDir) {
        return new ReaderLease(walDir);
    }

    /**
     * Makes the lease name {@code lsn} (written now if it named another LSN or is due for renewal). Returns whether
     * the lease on disk names {@code lsn} now.
     */
    public boolean hold(long lsn) {
        if (lsn < 1) {
            throw new IllegalArgumentException("lsn must be at least 1: " + lsn);
        }
        if (lsn == heldLsn && System.currentTimeMillis() - writtenAtMillis < RENEW_AFTER_MILLIS) {
            return true;
        }
        return write(lsn);
    }

    /** Rewrites the held lease if it is due for renewal (nothing when none is held). */
    public void renew() {
        if (heldLsn > 0 && System.currentTimeMillis() - writtenAtMillis >= RENEW_AFTER_MILLIS) {
            write(heldLsn);
        }
    }

    /** The LSN the lease names on disk (0: none written). */
    public long heldLsn() {
        return heldLsn;
    }

    /** The lease file (written or not). */
    public Path file() {
        return file;
    }

    private boolean write(long lsn) {
        long now = System.currentTimeMillis();
        Path temp = directory.resolve(file.getFileName() + ".tmp");
        try {
            Files.createDirectories(directory);
            Files.write(temp, LeaseLayout.encode(pid, now, lsn));
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            heldLsn = lsn;
            writtenAtMillis = now;
            return true;
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            if (!failed) {
                LOG.get()
                        .warn(
                                "cannot write a reader lease on the log; snapshot builds may be retried when the writer"
                                        + " deletes log segments meanwhile [file={}]: {}",
                                file,
                                e.toString());
                failed = true;
            }
            heldLsn = 0;
            deleteQuietly(temp);
            return false;
        }
    }

    /** Deletes the lease file (the writer may delete the log it named from its next flush on). Idempotent. */
    @Override
    public void close() {
        if (heldLsn > 0) {
            deleteQuietly(file);
            heldLsn = 0;
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException | SecurityException e) {
            LOG.get().debug("cannot delete reader lease file [file={}]: {}", path, e.toString());
        }
    }
}
