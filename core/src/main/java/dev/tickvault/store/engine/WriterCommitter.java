package dev.tickvault.store.engine;

import dev.tickvault.store.StorageException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The thread that runs one {@link BufferedStoreWriter}'s asynchronous commits ({@code tickvault-commit-N}, a daemon),
 * started with the first commit and ended by {@link #shutdown()} — which the writer's {@code close()} calls, and the
 * store's {@code close()} too for writers still open.
 *
 * <p>Bounded: the writer submits a commit only after the previous one has completed, so at most one job is ever
 * queued or running. Thread-safe: {@link #submit} (the writer's thread) and {@link #shutdown()} (the writer's or the
 * store-closing thread) may race; a job submitted after shutdown is refused with {@link StorageException.Kind#CLOSED}.
 */
final class WriterCommitter {

    private static final AtomicInteger THREADS = new AtomicInteger();

    private ExecutorService executor;
    private boolean shutDown;

    /** Runs {@code job} on the committer thread. */
    synchronized void submit(Runnable job) {
        if (shutDown) {
            throw new StorageException(StorageException.Kind.CLOSED, "the store is closed: no more commits");
        }
        if (executor == null) {
            executor = Executors.newSingleThreadExecutor(Thread.ofPlatform()
                    .daemon()
                    .name("tickvault-commit-" + THREADS.incrementAndGet())
                    .factory());
        }
        try {
            executor.execute(job);
        } catch (RejectedExecutionException e) {
            throw new StorageException(StorageException.Kind.CLOSED, "the store is closed: no more commits");
        }
    }

    /**
     * Refuses further jobs and waits until the job in flight (if any) has run and the thread has ended, through
     * interrupts (kept). Idempotent.
     */
    synchronized void shutdown() {
        shutDown = true;
        if (executor == null) {
            return;
        }
        executor.shutdown();
        boolean interrupted = false;
        while (true) {
            try {
                if (executor.awaitTermination(1, TimeUnit.MINUTES)) {
                    break;
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
