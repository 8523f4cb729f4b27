package dev.tickvault.store.engine;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Threads that decode chunk blocks of range reads on the machine's other cores while each read's own thread decodes
 * and consumes: a {@link ChunkSource} whose range spans two or more blocks hands it a {@link DecodeAhead}, and a
 * helper thread claims and decodes blocks ahead of the reader while the range's ring has room. A range of n blocks
 * then costs the reader's thread about n/2 block decodes plus its own consumption when a core is free.
 *
 * <p>{@value #MAX_THREADS} threads at most, one less than the processors ({@value #THREAD_NAME}); one is started
 * when a store opens ({@link #prestart}: its thread and block decoder are ready before a first query), and each ends
 * after {@value #IDLE_SECONDS} s without work: the spare cores are a property of the machine, not of one
 * store, and block decoding takes no lock and shares nothing but the read-only mapped chunk file (each thread decodes
 * with its own {@code ColumnBlockCodec}). Bounded: at most {@value #QUEUE_LIMIT} ranges wait for a thread; when full,
 * {@link #submit} returns false and the reader decodes alone. A reader that takes blocks over from a late helper in a range (its
 * core busy with other work) stops using it, and new readers decode alone for the next second ({@link #reportLate}).
 *
 * <p>A source joins the helper only when its own first block decoded at warm speed ({@link #warm}).
 *
 * <p><b>On by default</b> on machines with two or more processors; off with {@code -Dtickvault.parallelDecode=false}.
 * Measured on the 2-core benchmark machine (docs/BENCHMARKS.md, session 20): the side-by-side benchmark's warm
 * one-hour read 0.92-0.96 ms of wall time against 1.51-1.54 alone, for 1.61-1.66 ms of CPU in all against 1.52-1.57;
 * its first read after a JVM start is read alone (its first block decodes cold), as before. Thread-safe.
 */
final class BlockDecodeHelper {

    static final String THREAD_NAME = "tickvault-block-decoder";
    static final int QUEUE_LIMIT = 64;
    static final int IDLE_SECONDS = 60;
    static final int MAX_THREADS = 4;

    /**
     * The wall time per row of the block above which a source's first block decode counts as cold: ~3x a warm decode
     * on the 2-core benchmark machine (17-25 ns a row), a fifth or less of a first query's (200-450).
     */
    static final long WARM_NANOS_PER_ROW = 60;

    private static final BlockDecodeHelper SHARED = create();

    /** How long the helper stays unused after a reader found it late (its core busy with other work). */
    static final long LATE_BACKOFF_NANOS = 1_000_000_000L;

    private final ThreadPoolExecutor executor;
    /** For tests: how long a helper thread sleeps before each block it decodes (a busy core). */
    private final long delayNanos;
    /** {@link System#nanoTime()} before which readers decode alone: the helper was late recently. */
    private volatile long lateUntilNanos = System.nanoTime() - 1;

    /** A source's first block decoded in more than this many ns a row is cold ({@link #warm}). */
    private final long warmNanosPerRow;

    private final AtomicLong rangesHelped = new AtomicLong();

    private BlockDecodeHelper(ThreadPoolExecutor executor, long delayNanos, long warmNanosPerRow) {
        this.executor = executor;
        this.delayNanos = delayNanos;
        this.warmNanosPerRow = warmNanosPerRow;
    }

    /**
     * Starts a thread of the process's helper, if there is one and none runs, and makes its block decoder (and zstd
     * context), so that a first query finds them ready. Called when a store opens.
     */
    static void prestart() {
        if (SHARED != null && SHARED.executor.getPoolSize() == 0) {
            SHARED.submitTask(StoreEngine::decoder);
        }
    }

    /** The process's helper, or null when parallel decoding is off or there is only one processor. */
    static BlockDecodeHelper shared() {
        return SHARED;
    }

    private static BlockDecodeHelper create() {
        int processors = Runtime.getRuntime().availableProcessors();
        if (!Boolean.parseBoolean(System.getProperty("tickvault.parallelDecode", "true")) || processors < 2) {
            return null;
        }
        return newHelper(Math.min(MAX_THREADS, processors - 1), 0, WARM_NANOS_PER_ROW);
    }

    /**
     * A helper with {@code threads} threads of its own, whatever the machine and the property say, that helps every
     * range however fast its first block decoded (for tests).
     */
    static BlockDecodeHelper newHelper(int threads) {
        return newHelper(threads, 0, Long.MAX_VALUE);
    }

    /**
     * As {@link #newHelper(int)}, its threads sleeping {@code delayNanos} before each block, helping a range only if
     * its first block decoded in at most {@code warmNanosPerRow} ns a row (for tests).
     */
    static BlockDecodeHelper newHelper(int threads, long delayNanos, long warmNanosPerRow) {
        ThreadPoolExecutor executor = new ThreadPoolExecutor(
                threads,
                threads,
                IDLE_SECONDS,
                TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(QUEUE_LIMIT),
                runnable -> Thread.ofPlatform().daemon().name(THREAD_NAME).unstarted(runnable),
                new ThreadPoolExecutor.AbortPolicy());
        executor.allowCoreThreadTimeOut(true);
        return new BlockDecodeHelper(executor, delayNanos, warmNanosPerRow);
    }

    /** False for {@value #LATE_BACKOFF_NANOS} ns after {@link #reportLate}: new ranges are then read by one thread. */
    boolean usable() {
        return System.nanoTime() - lateUntilNanos >= 0;
    }

    /**
     * A reader took blocks over from the helper {@value DecodeAhead#TAKE_OVERS_TO_LEAVE} times in one range: on a
     * machine whose other cores are busy (other processes, the JIT) handing blocks over only adds work, so readers
     * stop using the helper for a while.
     */
    void reportLate() {
        lateUntilNanos = System.nanoTime() + LATE_BACKOFF_NANOS;
    }

    /**
     * True if a source's first block, {@code rows} rows, decoded in {@code nanos} of wall time is warm: the read path
     * compiled and the reader's core not shared. Else the source reads alone: a fresh JVM's first reads run while the
     * JIT compiles the read path on the other core, where a helper thread only takes CPU from the reader and the
     * compiler.
     */
    boolean warm(long nanos, int rows) {
        return warmNanosPerRow == Long.MAX_VALUE || nanos <= warmNanosPerRow * rows;
    }

    /** Ranges handed to this helper so far ({@link DecodeAhead}s made with it). */
    long rangesHelped() {
        return rangesHelped.get();
    }

    /** Counts a range made with this helper ({@link #rangesHelped}). */
    void countRange() {
        rangesHelped.incrementAndGet();
    }

    /** Queues {@code range} for a helper thread; false if the queue is full (the reader then decodes alone). */
    boolean submit(DecodeAhead range) {
        return submitTask(range);
    }

    private boolean submitTask(Runnable task) {
        try {
            executor.execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    /** Called by a helper thread before each block it decodes: sleeps only in tests ({@link #newHelper(int, long, long)}). */
    void beforeDecode() {
        if (delayNanos > 0) {
            LockSupport.parkNanos(delayNanos);
        }
    }
}
