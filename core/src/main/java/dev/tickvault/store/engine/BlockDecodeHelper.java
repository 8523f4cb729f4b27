package dev.tickvault.store.engine;

import dev.tickvault.store.memtable.ColumnData;
import dev.tickvault.store.partition.ChunkFile;
import dev.tickvault.store.partition.ColumnBlockCodec;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Decodes chunk blocks of a range query on a second core while the query's own thread decodes the others: a {@link
 * ChunkSource} whose range spans two or more blocks hands every other block here one block ahead ({@link #submit}) and
 * collects it when the reader reaches it ({@link Task#take}). A range of n blocks then costs about n/2 block decodes of
 * the reader's time when a core is free, both for a warm query and for the first one after open (whose decoding runs
 * in the interpreter and C1 at 10-30x the warm cost per block).
 *
 * <p>One daemon thread for the process ({@value #THREAD_NAME}), started on first use and ended after {@value
 * #IDLE_SECONDS} s without work: the spare core is a property of the machine, not of one store, and block decoding
 * takes no lock and shares nothing but the read-only mapped chunk file (each thread decodes with its own {@link
 * ColumnBlockCodec}, into the task's own {@link ColumnData}). Bounded: at most {@value #QUEUE_LIMIT} blocks wait; when
 * full, {@link #submit} returns null and the reader decodes that block itself. A block the helper has not started
 * when the reader needs it is taken back and decoded by the reader (a busy machine never makes a query wait for a
 * thread that is not running); one it has started is waited for. A reader that finds the helper late (its block
 * not started, or a wait longer than a quarter of the reader's own last block) twice stops using it, and so do new
 * readers for the next second ({@link #reportLate}): on a machine whose other core is busy the hand-over only adds
 * waiting. A failure (a checksum mismatch, a corrupt section) is
 * rethrown on the reader's thread when it collects the block, exactly as if it had decoded it itself.
 *
 * <p><b>Off by default</b>; on with {@code -Dtickvault.parallelDecode=true} (never on machines with one processor).
 * Measured on the 2-core benchmark machine (docs/BENCHMARKS.md, session 5) it did not make the one-hour query faster
 * warm, and the first query after open was slower with it (49-50 ms against 39-44 ms): there the second core is
 * busy with JIT compilation right then. Thread-safe.
 */
final class BlockDecodeHelper {

    static final String THREAD_NAME = "tickvault-block-decoder";
    static final int QUEUE_LIMIT = 64;
    static final int IDLE_SECONDS = 2;

    private static final BlockDecodeHelper SHARED = create();

    /** How long the helper stays unused after a reader found it late (its core busy with other work). */
    static final long LATE_BACKOFF_NANOS = 1_000_000_000L;

    private final ThreadPoolExecutor executor;
    /** {@link System#nanoTime()} before which readers decode alone: the helper was late recently. */
    private volatile long lateUntilNanos = System.nanoTime() - 1;

    private BlockDecodeHelper(ThreadPoolExecutor executor) {
        this.executor = executor;
    }

    /** The process's helper, or null when parallel decoding is off or there is only one processor. */
    static BlockDecodeHelper shared() {
        return SHARED;
    }

    private static BlockDecodeHelper create() {
        if (!Boolean.parseBoolean(System.getProperty("tickvault.parallelDecode", "false"))
                || Runtime.getRuntime().availableProcessors() < 2) {
            return null;
        }
        return newHelper();
    }

    /** A helper with its own thread, whatever the machine and the property say (for tests). */
    static BlockDecodeHelper newHelper() {
        ThreadPoolExecutor executor = new ThreadPoolExecutor(
                1,
                1,
                IDLE_SECONDS,
                TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(QUEUE_LIMIT),
                runnable -> Thread.ofPlatform().daemon().name(THREAD_NAME).unstarted(runnable),
                new ThreadPoolExecutor.AbortPolicy());
        executor.allowCoreThreadTimeOut(true);
        return new BlockDecodeHelper(executor);
    }

    /** False for {@value #LATE_BACKOFF_NANOS} ns after {@link #reportLate}: new ranges are then read by one thread. */
    boolean usable() {
        return System.nanoTime() - lateUntilNanos >= 0;
    }

    /**
     * A reader waited for the helper longer than decoding the block itself would have taken, or found its block not
     * started: on a machine whose other core is busy (other processes, the JIT) handing blocks over only adds waiting,
     * so readers stop using the helper for a while.
     */
    void reportLate() {
        lateUntilNanos = System.nanoTime() + LATE_BACKOFF_NANOS;
    }

    /**
     * Queues the decoding of {@code block} of {@code chunk} into {@code dst}; returns its task, or null if the queue
     * is full (the caller then decodes the block itself). {@code dst} must not be touched until the task is taken.
     */
    Task submit(ChunkFile chunk, int block, ColumnData dst, int sections) {
        Task task = new Task(chunk, block, dst, sections);
        try {
            executor.execute(task);
            return task;
        } catch (RejectedExecutionException e) {
            return null;
        }
    }

    /** One block to decode. */
    static final class Task implements Runnable {
        private static final int QUEUED = 0;
        private static final int RUNNING = 1;
        private static final int FINISHED = 2;
        private static final int TAKEN_BACK = 3;

        private final ChunkFile chunk;
        private final int block;
        private final ColumnData dst;
        /** The block sections to decode ({@link ChunkFile#ALL_SECTIONS} or a projection's). */
        private final int sections;

        private final AtomicInteger state = new AtomicInteger(QUEUED);
        private final CountDownLatch finished = new CountDownLatch(1);
        private Throwable failure;

        Task(ChunkFile chunk, int block, ColumnData dst, int sections) {
            this.chunk = chunk;
            this.block = block;
            this.dst = dst;
            this.sections = sections;
        }

        int block() {
            return block;
        }

        @Override
        public void run() {
            if (!state.compareAndSet(QUEUED, RUNNING)) {
                return; // taken back by the reader
            }
            try {
                chunk.decodeBlock(block, dst, StoreEngine.decoder(), sections);
            } catch (Throwable t) { // handed to the reader, which rethrows it
                failure = t;
            } finally {
                state.set(FINISHED);
                finished.countDown();
            }
        }

        /** True if the reader took the block back because the helper had not started it. */
        boolean takenBack() {
            return state.get() == TAKEN_BACK;
        }

        /**
         * The decoded block: decoded here with {@code codec} if the helper has not started it, else after waiting for
         * the helper. Rethrows the helper's failure.
         */
        ColumnData take(ColumnBlockCodec codec) {
            if (state.compareAndSet(QUEUED, TAKEN_BACK)) {
                chunk.decodeBlock(block, dst, codec, sections);
                return dst;
            }
            Uninterruptibly.await(finished::await);
            if (failure instanceof RuntimeException e) {
                throw e;
            }
            if (failure instanceof Error e) {
                throw e;
            }
            return dst;
        }
    }
}
