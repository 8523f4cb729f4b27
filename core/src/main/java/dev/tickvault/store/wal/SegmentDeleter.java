package dev.tickvault.store.wal;

import dev.tickvault.store.io.DurableFiles;
import dev.tickvault.store.io.LazyLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Deletes log segments that a checkpoint made redundant on a thread of its own ({@code tickvault-log-delete}), for
 * {@link WriteAheadLog#deleteSegmentsBefore(long, long, long, boolean)}: unlinking a segment of tens of MiB waits
 * ~9-13 ms on the disk (ext4 frees its blocks, with {@code discard} trims them), which a closing store then need not
 * wait for. Only files already out of the log's segment list are handed here, so nothing reads them any more.
 *
 * <p>Order: one thread, tasks in submission order, each task's files oldest first — so segments disappear oldest
 * first, as {@link WalFollower} expects. Each task fsyncs the directory once after its unlinks. A failure is logged,
 * not thrown: the file stays behind, holding only records at or below a checkpoint, which the next open does not read
 * ({@link WriteAheadLog#open(Path, WalConfig, long)}) and whose first flush deletes it. A crash or a process exit
 * before the unlink leaves the same. Memory: one queued task per call, each a list of paths removed from the log's
 * list (so each file is queued at most once by its log). The thread starts with the first task and ends when its
 * queue is empty after {@link #shutdown}.
 */
final class SegmentDeleter {

    private static final LazyLog LOG = LazyLog.of(SegmentDeleter.class);

    private final Path dir;
    private ExecutorService executor;
    private Future<?> last;

    SegmentDeleter(Path dir) {
        this.dir = dir;
    }

    /** Queues the unlink of {@code files} (oldest first) and one fsync of the directory after them. */
    synchronized void deleteLater(List<Path> files) {
        if (files.isEmpty()) {
            return;
        }
        if (executor == null) {
            executor = Executors.newSingleThreadExecutor(
                    Thread.ofPlatform().daemon().name("tickvault-log-delete").factory());
        }
        List<Path> copy = List.copyOf(files);
        last = executor.submit(() -> deleteNow(dir, copy));
    }

    /**
     * Deletes {@code files} (missing ones are skipped: another log of the same directory, closed meanwhile, may have
     * deleted them) and fsyncs {@code dir} once if any was deleted. Failures are logged (see the class comment).
     */
    static void deleteNow(Path dir, List<Path> files) {
        boolean any = false;
        for (Path file : files) {
            try {
                any |= Files.deleteIfExists(file);
            } catch (IOException e) {
                LOG.get()
                        .warn(
                                "cannot delete a redundant write-ahead-log segment; the next open skips it and a flush"
                                        + " deletes it [file={}]: {}",
                                file,
                                e.toString());
            }
        }
        if (any) {
            try {
                DurableFiles.fsyncDirectory(dir);
            } catch (RuntimeException e) {
                if (!(e.getCause() instanceof java.nio.file.NoSuchFileException)) { // else: the store was removed
                    LOG.get()
                            .warn(
                                    "cannot fsync the write-ahead-log directory after deleting segments [dir={}]",
                                    dir,
                                    e);
                }
            }
        }
    }

    /** Waits until every deletion queued so far is done (tests; a log closes without waiting). */
    void awaitQueued() {
        Future<?> pending;
        synchronized (this) {
            pending = last;
        }
        if (pending == null) {
            return;
        }
        try {
            pending.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("segment deletion failed", e.getCause());
        }
    }

    /** Lets the queued deletions finish, then ends the thread; does not wait for them. Idempotent. */
    synchronized void shutdown() {
        if (executor != null) {
            executor.shutdown();
        }
    }
}
