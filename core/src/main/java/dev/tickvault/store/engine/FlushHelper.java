package dev.tickvault.store.engine;

import dev.tickvault.store.partition.ChunkWriter;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The flush's second thread ({@code tickvault-flusher-2}), with its own {@link ChunkWriter}: a flush hands it part of
 * the slots and writes the others itself, so encoding and compressing use both cores when the writer leaves one
 * idle. Each slot goes to exactly one thread, so a flush writes the same chunk files as with one thread.
 *
 * <p>Threading: {@link #submit}, {@link #syncLog} and {@link #publish} are called under the engine's flush lock (the
 * last by both flush threads), one flush at a time, and the flush awaits its tasks before it returns, so at most one
 * task of the first two and one per slot of the last is ever queued or running. Each thread starts with its first
 * task and ends on {@link #close}.
 */
final class FlushHelper implements AutoCloseable {

    private final ChunkWriter chunkWriter;
    private final ExecutorService executor;
    /** Fsyncs and rolls the write-ahead log beside a flush ({@code tickvault-log-sync}); started by its first task. */
    private final ExecutorService logSyncExecutor;
    /**
     * Publishes chunk files ({@code tickvault-chunk-sync}, {@value #PUBLISH_THREADS} threads, started by their first
     * tasks): fsync, rename, directory fsync. The threads wait on the disk, not the CPU; fsyncs issued together share
     * the file system's journal commits, so a flush of many series waits for fewer of them one after the other.
     */
    private final ExecutorService publisher;

    /** Threads publishing chunk files: a flush has at most this many chunk files' fsyncs in flight. */
    static final int PUBLISH_THREADS = 4;

    FlushHelper(ChunkWriter chunkWriter) {
        this.chunkWriter = chunkWriter;
        this.executor = Executors.newSingleThreadExecutor(
                Thread.ofPlatform().daemon().name("tickvault-flusher-2").factory());
        this.logSyncExecutor = Executors.newSingleThreadExecutor(
                Thread.ofPlatform().daemon().name("tickvault-log-sync").factory());
        this.publisher = Executors.newFixedThreadPool(
                PUBLISH_THREADS,
                Thread.ofPlatform().daemon().name("tickvault-chunk-sync-", 1).factory());
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
     * Runs {@code sync} (an fsync of the write-ahead log and its roll, which wait on the disk, not the CPU) on its own thread,
     * beside the slots the flush writes on this helper and on the flushing thread.
     */
    Task syncLog(Runnable sync) {
        return new Task(logSyncExecutor.submit(sync));
    }

    /**
     * Runs {@code publish} (a slot's chunk files made durable and swapped in) on a publishing thread. Both flush
     * threads submit here; the flush awaits every task before its checkpoint, so at most one task per slot is queued.
     */
    Task publish(Runnable publish) {
        return new Task(publisher.submit(publish));
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

    /**
     * Lets the threads end once their tasks are done, without waiting for them to end: every flush awaits its tasks
     * before it returns, so when the store closes (after its closing flush) they are idle, and a thread's exit is
     * nothing to wait for (it cost a closing store 0.4-1 ms). Idempotent.
     */
    @Override
    public void close() {
        executor.shutdown();
        logSyncExecutor.shutdown();
        publisher.shutdown();
    }
}
