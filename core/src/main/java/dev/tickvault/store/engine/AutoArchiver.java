package dev.tickvault.store.engine;

import dev.tickvault.store.ArchiveReport;
import dev.tickvault.store.StoreConfig;
import dev.tickvault.store.io.LazyLog;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The automatic archive step ({@link StoreConfig#archiveAfterDays()}): one daemon thread of minimum priority that,
 * after each flush ({@link #nudge}) and at least every {@link #POLL_MILLIS}, archives the book partitions of UTC days
 * before today − N whose rows are all in partition files ({@link StoreEngine#archiveClosedDays}), one partition at a
 * time, without the flush lock: ingest, flushes and queries go on beside it.
 *
 * <p>{@link #stop} (the store's close) makes a pass in progress stop at its next block (the partition's old files
 * stay, its temp file is deleted) and waits for the thread. A failed pass is logged once (until a pass succeeds
 * again) and retried after {@link #POLL_MILLIS}, not at every flush.
 */
final class AutoArchiver {

    private static final LazyLog LOG = LazyLog.of(AutoArchiver.class);

    /** Longest wait between passes; also the wait after a failed pass. */
    static final long POLL_MILLIS = 60_000;

    private final StoreEngine engine;
    private final int afterDays;
    private final Thread thread;
    private final Object signal = new Object();
    /** Guarded by {@link #signal}: a flush happened since the last pass (true at start: a first pass at once). */
    private boolean nudged = true;

    private volatile boolean stopped;
    /** {@link System#nanoTime} before which a nudge does not start a pass (set after a failure). */
    private long quietUntil = System.nanoTime();

    private boolean failing;
    private final AtomicLong partitionsArchived = new AtomicLong();
    private final AtomicLong failedPasses = new AtomicLong();

    AutoArchiver(StoreEngine engine, int afterDays) {
        if (afterDays < 0) {
            throw new IllegalArgumentException("afterDays must be 0 or more: " + afterDays);
        }
        this.engine = engine;
        this.afterDays = afterDays;
        this.thread = Thread.ofPlatform()
                .daemon()
                .name("tickvault-archiver")
                .priority(Thread.MIN_PRIORITY)
                .unstarted(this::run);
    }

    void start() {
        LOG.get()
                .info(
                        "archiving book partitions of UTC days more than {} day(s) old automatically"
                                + " (archived book data reads ~30x slower)",
                        afterDays);
        thread.start();
    }

    /** Asks for a pass soon (called after each flush). */
    void nudge() {
        synchronized (signal) {
            nudged = true;
            signal.notifyAll();
        }
    }

    /**
     * Stops the thread: a pass in progress stops at its next block once the store is closing ({@link
     * StoreEngine#closing}, set before this is called). Waits for it.
     */
    void stop() {
        stopped = true;
        synchronized (signal) {
            signal.notifyAll();
        }
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Partitions archived by this thread so far. */
    long partitionsArchived() {
        return partitionsArchived.get();
    }

    /** Passes that failed so far. */
    long failedPasses() {
        return failedPasses.get();
    }

    private void run() {
        while (!stopped) {
            try {
                awaitTurn();
            } catch (InterruptedException e) {
                return;
            }
            if (stopped) {
                return;
            }
            pass();
        }
    }

    /** Waits for a nudge (unless within {@link #quietUntil}) or {@link #POLL_MILLIS}, whichever comes first. */
    private void awaitTurn() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(POLL_MILLIS);
        synchronized (signal) {
            while (!stopped) {
                long now = System.nanoTime();
                if (now - deadline >= 0 || (nudged && now - quietUntil >= 0)) {
                    break;
                }
                long until = nudged ? Math.min(deadline, quietUntil) : deadline;
                TimeUnit.NANOSECONDS.timedWait(signal, Math.max(1, until - now));
            }
            nudged = false;
        }
    }

    private void pass() {
        LocalDate before = LocalDate.now(ZoneOffset.UTC).minusDays(afterDays);
        try {
            ArchiveReport report = engine.archiveClosedDays(before);
            if (report != null) {
                partitionsArchived.addAndGet(report.partitions().size());
            }
            if (failing) {
                LOG.get().info("automatic archive step works again");
                failing = false;
            }
        } catch (RuntimeException e) {
            if (stopped || engine.closing()) {
                return; // the close stopped it between blocks: the partition's old files stay
            }
            failedPasses.incrementAndGet();
            quietUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(POLL_MILLIS);
            if (!failing) {
                failing = true;
                LOG.get()
                        .warn(
                                "automatic archive step failed; retried every {} s (logged once until it succeeds)",
                                POLL_MILLIS / 1000,
                                e);
            }
        }
    }
}
