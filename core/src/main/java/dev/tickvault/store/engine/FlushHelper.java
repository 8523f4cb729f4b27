package dev.tickvault.store.engine;

import dev.tickvault.store.partition.ChunkWriter;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The flush's second thread ({@code tickvault-flusher-2}), with its own {@link ChunkWriter}: a flush hands it part of
 * the slots and writes the others itself, so encoding and compressing use both cores when the writer leaves one
 * idle. Each slot goes to exactly one thread, so a flush writes the same chunk files as with one thread.
 *
 * <p>Threading: {@link #submit} and {@link #syncLog} are called under the engine's flush lock, one flush at a time,
 * and the flush awaits its tasks before it returns, so at most one task of each is ever queued or running. Each
 * thread starts with its first task and ends on {@link #close}.
 */
final class FlushHelper implements AutoCloseable {

    private final ChunkWriter chunkWriter;
    private final ExecutorService executor;
    /** Fsyncs the write-ahead log beside a flush ({@code tickvault-log-sync}); started by its first task. */
    private final ExecutorService logSyncExecutor;

    FlushHelper(ChunkWriter chunkWriter) {
        this.chunkWriter = chunkWriter;
        this.executor = Executors.newSingleThreadExecutor(
                Thread.ofPlatform().daemon().name("tickvault-flusher-2").factory());
        this.logSyncExecutor = Executors.newSingleThreadExecutor(
                Thread.ofPlatform().daemon().name("tickvault-log-sync").factory());
    }

    /** The chunk writer the helper's tasks must use (chunk writers are not thread-safe). */
    ChunkWriter chunkWriter() {
        return chunkWriter;
    }

    /** Runs {@code work} on the helper thread. */
    Task submit(Runnable work) {
        return new Task(executor.submit(work));
    }

    /**
     * Runs {@code sync} (an fsync of the write-ahead log, which waits on the disk, not the CPU) on its own thread,
     * beside the slots the flush writes on this helper and on the flushing thread.
     */
    Task syncLog(Runnable sync) {
        return new Task(logSyncExecutor.submit(sync));
    }

    /** A submitted piece of a flush. */
    static final class Task {
        private final Future<?> future;

        private Task(Future<?> future) {
            this.future = future;
        }

        /**
         * Waits until the task has finished, even if interrupted (the flush must not go on while the helper still
         * changes slots; the interrupt is kept), and returns its failure, or null.
         */
        RuntimeException await() {
            boolean interrupted = false;
            try {
                while (true) {
                    try {
                        future.get();
                        return null;
                    } catch (InterruptedException e) {
                        interrupted = true;
                    } catch (ExecutionException e) {
                        Throwable cause = e.getCause();
                        if (cause instanceof RuntimeException runtime) {
                            return runtime;
                        }
                        if (cause instanceof Error error) {
                            throw error;
                        }
                        return new IllegalStateException("flush helper failed", cause);
                    }
                }
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** Stops the thread once its task (if any) is done. Idempotent. */
    @Override
    public void close() {
        executor.shutdown();
        logSyncExecutor.shutdown();
        try {
            executor.awaitTermination(1, TimeUnit.MINUTES);
            logSyncExecutor.awaitTermination(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
