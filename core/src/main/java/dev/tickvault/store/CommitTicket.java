package dev.tickvault.store;

import java.time.Duration;

/**
 * The outcome of one {@link StoreWriter#commitAsync()}: completes once the commit's rows are visible to readers and
 * durable as the store's {@link Durability} says (with {@link Durability#SYNC_EVERY_COMMIT}: once its log record is
 * forced to disk), or once the commit has failed.
 *
 * <p>Thread-safe: any thread may wait on a ticket, any number of times. A ticket that completed stays completed.
 */
public interface CommitTicket {

    /**
     * Blocks until the commit is visible and durable. Waits on through interrupts (a commit in flight finishes in the
     * time its log write and fsync take) and keeps the thread's interrupt status.
     *
     * @throws StorageException when the commit failed: the same {@link StorageException.Kind} as the failure, the
     *     failure as its cause; the commit's rows are then lost and its writer refuses further work
     */
    void await();

    /**
     * Waits at most {@code timeout} for the commit.
     *
     * @return true when the commit is visible and durable, false when the time ran out first
     * @throws StorageException when the commit failed (as {@link #await()})
     */
    boolean await(Duration timeout);

    /** True once the commit has succeeded or failed ({@link #await()} then returns or throws at once). */
    boolean isDone();

    /** A ticket for a commit that has already succeeded (or had nothing to commit). */
    static CommitTicket completed() {
        return CompletedCommitTicket.INSTANCE;
    }
}
