package dev.tickvault.store.engine;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
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
 * <p>The process's helper stays out of the way while the JIT compiles ({@link #usable}).
 *
 * <p><b>Off by default</b>; on with {@code -Dtickvault.parallelDecode=true} (never on machines with one processor).
 * Measured on the 2-core benchmark machine (docs/BENCHMARKS.md, session 20): a warm one-hour read takes 0.8-1.3 ms of
 * wall time with it against ~1.5 alone, but a fresh JVM's first one took 7-17 ms of wall for 5.5-8.4 ms of the
 * reader's CPU (alone: wall = CPU, 5.2-7.4 ms), and the JIT gate below did not keep the helper out of it. Thread-safe.
 */
final class BlockDecodeHelper {

    static final String THREAD_NAME = "tickvault-block-decoder";
    static final int QUEUE_LIMIT = 64;
    static final int IDLE_SECONDS = 60;
    static final int MAX_THREADS = 4;

    private static final BlockDecodeHelper SHARED = create();

    /** How long the helper stays unused after a reader found it late (its core busy with other work). */
    static final long LATE_BACKOFF_NANOS = 1_000_000_000L;

    /** The JIT's compile time is sampled over windows of at least this long. */
    static final long JIT_WINDOW_NANOS = 20_000_000L;

    /** A sample older than this is stale: the next window decides ({@link #jitBusy}). */
    static final long STALE_WINDOW_NANOS = 200_000_000L;

    /** The share of a window's wall time the JIT may have spent compiling for the helper to be used. */
    static final double JIT_BUSY_SHARE = 0.25;

    private final ThreadPoolExecutor executor;
    /** For tests: how long a helper thread sleeps before each block it decodes (a busy core). */
    private final long delayNanos;
    /** The JIT's compilation time counter, watched by the process's helper; null: not watched. */
    private final CompilationMXBean jit;
    /** {@link System#nanoTime()} before which readers decode alone: the helper was late recently. */
    private volatile long lateUntilNanos = System.nanoTime() - 1;

    // The last window's sample of the JIT (read and written racily by readers: a stale value only shifts a window).
    private volatile long jitSampleNanos = System.nanoTime();
    private volatile long jitSampleMillis = -1;
    private volatile boolean jitBusy = true;

    private BlockDecodeHelper(ThreadPoolExecutor executor, long delayNanos, CompilationMXBean jit) {
        this.executor = executor;
        this.delayNanos = delayNanos;
        this.jit = jit;
    }

    /**
     * Starts a thread of the process's helper, if there is one and none runs, and makes its block decoder (and zstd
     * context), so that a first query finds them ready. Called when a store opens.
     */
    static void prestart() {
        if (SHARED != null) {
            SHARED.usable(); // the JIT's first sample
        }
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
        if (!Boolean.parseBoolean(System.getProperty("tickvault.parallelDecode", "false")) || processors < 2) {
            return null;
        }
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        if (jit != null && !jit.isCompilationTimeMonitoringSupported()) {
            jit = null;
        }
        return newHelper(Math.min(MAX_THREADS, processors - 1), 0, jit);
    }

    /** A helper with {@code threads} threads of its own, whatever the machine and the property say (for tests). */
    static BlockDecodeHelper newHelper(int threads) {
        return newHelper(threads, 0);
    }

    /** As {@link #newHelper(int)}, its threads sleeping {@code delayNanos} before each block (for tests). */
    static BlockDecodeHelper newHelper(int threads, long delayNanos) {
        return newHelper(threads, delayNanos, null);
    }

    private static BlockDecodeHelper newHelper(int threads, long delayNanos, CompilationMXBean jit) {
        ThreadPoolExecutor executor = new ThreadPoolExecutor(
                threads,
                threads,
                IDLE_SECONDS,
                TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(QUEUE_LIMIT),
                runnable -> Thread.ofPlatform().daemon().name(THREAD_NAME).unstarted(runnable),
                new ThreadPoolExecutor.AbortPolicy());
        executor.allowCoreThreadTimeOut(true);
        return new BlockDecodeHelper(executor, delayNanos, jit);
    }

    /**
     * False for {@value #LATE_BACKOFF_NANOS} ns after {@link #reportLate}, and while the JIT is busy compiling ({@link
     * #jitBusy}): ranges are then read by one thread. A JVM's first
     * queries run while the JIT compiles the read path on the other core; a helper thread there only takes CPU from
     * the reader and the compiler (measured: the first one-hour read 5.3-7.4 ms of the reader's CPU but 10.7-14 ms of
     * wall with the helper, against 5.4-9.7 ms alone).
     */
    boolean usable() {
        long now = System.nanoTime();
        return now - lateUntilNanos >= 0 && !jitBusy(now);
    }

    /**
     * True while the JIT spent more than {@value #JIT_BUSY_SHARE} of the last window's wall time compiling (its
     * counter is the compile threads' elapsed milliseconds), and for the first window after a pause of more than
     * {@value #STALE_WINDOW_NANOS} ns without a read; a new window is sampled when the last one is {@value
     * #JIT_WINDOW_NANOS} ns old.
     */
    private boolean jitBusy(long now) {
        if (jit == null) {
            return false;
        }
        long elapsed = now - jitSampleNanos;
        if (elapsed >= JIT_WINDOW_NANOS) {
            long millis = jit.getTotalCompilationTime();
            long before = jitSampleMillis;
            jitSampleMillis = millis;
            jitSampleNanos = now;
            // A window much longer than one says nothing of the JIT now (a first query after a pause starts its
            // compiles right then): busy until the next window.
            jitBusy = before < 0 || elapsed > STALE_WINDOW_NANOS || (millis - before) * 1e6 > JIT_BUSY_SHARE * elapsed;
        }
        return jitBusy;
    }

    /**
     * A reader took blocks over from the helper {@value DecodeAhead#TAKE_OVERS_TO_LEAVE} times in one range: on a
     * machine whose other cores are busy (other processes, the JIT) handing blocks over only adds work, so readers
     * stop using the helper for a while.
     */
    void reportLate() {
        lateUntilNanos = System.nanoTime() + LATE_BACKOFF_NANOS;
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

    /** Called by a helper thread before each block it decodes: sleeps only in tests ({@link #newHelper(int, long)}). */
    void beforeDecode() {
        if (delayNanos > 0) {
            LockSupport.parkNanos(delayNanos);
        }
    }
}
