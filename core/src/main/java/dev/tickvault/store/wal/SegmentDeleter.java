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
import java.util.concurrent.TimeUnit;

/**
 * Deletes log segments that a checkpoint made redundant on a thread of its own ({@code tickvault-log-delete}), for
 * {@link WriteAheadLog#open(Path, WalConfig, long)}: the segments a closing store left (it does not unlink them:
 * unlinking a segment of tens of MiB waits ~9-13 ms on the disk — ext4 frees its blocks, with {@code discard} trims
 * them — which a closing store need not wait for) or a crash left. They are not in the log's segment list, so nothing
 * reads them.
 *
 * <p>Order: one thread, tasks in submission order, each task's files oldest first, then one directory fsync. A failure
 * is logged, not thrown: the file stays behind, holding only records at or below a checkpoint, which the next open
 * does not read either. A crash or a process exit before the unlink leaves the same. Memory: one queued task per
 * call. The thread starts with the first task and ends with {@link #close}, which waits for the queued tasks so that
 * nothing touches the store's directory once its log is closed.
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

    /** Waits for the queued deletions, then ends the thread. Idempotent. */
    synchronized void close() {
        if (executor == null) {
            return;
        }
        executor.shutdown();
        boolean interrupted = false;
        try {
            while (!executor.awaitTermination(1, TimeUnit.MINUTES)) {
                LOG.get().warn("still deleting redundant write-ahead-log segments [dir={}]", dir);
            }
        } catch (InterruptedException e) {
            interrupted = true; // the thread goes on deleting: what it leaves, the next open deletes
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
