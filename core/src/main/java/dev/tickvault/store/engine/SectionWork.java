package dev.tickvault.store.engine;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The per-section work of one commit's encoding — sort a buffer (a copy) and, where wanted, encode it as chunk-file
 * blocks — shared out between the thread committing and any thread that offers to help while it waits for that
 * commit (the writer, blocked in {@code commitAsync()} behind the commit in flight, which would otherwise sit idle on
 * a core the commit could use).
 *
 * <p>Sections are claimed one at a time from a counter; whoever claims one writes its results into this object's
 * arrays at the section's index, so the record is the same whichever thread encoded what. The committing thread
 * claims until none are left, then {@link #awaitAll() waits} for sections other threads still hold. A failure in any
 * section is kept and rethrown to the committing thread, which fails the commit as before.
 */
final class SectionWork {

    /** What one section needs done, and by which encoder: the claiming thread's own. */
    @FunctionalInterface
    interface SectionTask {
        void run(int section, BlockEncoder encoder);
    }

    private final SectionTask task;
    private final int count;
    private final AtomicInteger next = new AtomicInteger();
    private final CountDownLatch done;
    private volatile Throwable failure;

    SectionWork(int count, SectionTask task) {
        this.count = count;
        this.task = task;
        this.done = new CountDownLatch(count);
    }

    /**
     * Claims and runs one section with {@code encoder}; false when none was left to claim. Never throws: a failure is
     * kept for the committing thread.
     */
    boolean runOne(BlockEncoder encoder) {
        int section = next.getAndIncrement();
        if (section >= count) {
            return false;
        }
        try {
            task.run(section, encoder);
        } catch (Throwable t) {
            failure = t;
        } finally {
            done.countDown();
        }
        return true;
    }

    /** Waits until every section ran (uninterruptibly), then rethrows the first failure seen, if any. */
    void awaitAll() {
        Uninterruptibly.await(done::await);
        Throwable t = failure;
        if (t instanceof RuntimeException e) {
            throw e;
        }
        if (t instanceof Error e) {
            throw e;
        }
        if (t != null) {
            throw new IllegalStateException(t);
        }
    }
}
