package dev.tickvault.store.engine;

import dev.tickvault.store.CommitTicket;
import dev.tickvault.store.StorageException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The ticket of one asynchronous commit of a {@link BufferedStoreWriter}: completed once, by the writer's committer
 * thread, with success or a failure. Thread-safe; the completion happens-before every return from {@link #await()}.
 */
final class AsyncCommit implements CommitTicket {

    private final CountDownLatch done = new CountDownLatch(1);
    /** Written once before {@link #done} counts down, read after it: the latch orders it. */
    private RuntimeException failure;

    private volatile boolean failureReported;

    void succeeded() {
        done.countDown();
    }

    void failed(RuntimeException cause) {
        failure = cause;
        done.countDown();
    }

    @Override
    public void await() {
        awaitQuietly();
        throwIfFailed();
    }

    @Override
    public boolean await(Duration timeout) {
        long deadlineNanos = System.nanoTime() + timeout.toNanos();
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    if (!done.await(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                        return false;
                    }
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        throwIfFailed();
        return true;
    }

    @Override
    public boolean isDone() {
        return done.getCount() == 0;
    }

    /** Waits until the commit completed, through interrupts (kept); does not throw its failure. */
    void awaitQuietly() {
        Uninterruptibly.await(done::await);
    }

    /** The failure of a completed commit, or null. */
    RuntimeException failure() {
        return isDone() ? failure : null;
    }

    /** True once some caller was told of the failure (through the ticket or the writer). */
    boolean failureReported() {
        return failureReported;
    }

    void markFailureReported() {
        failureReported = true;
    }

    private void throwIfFailed() {
        RuntimeException cause = failure;
        if (cause != null) {
            failureReported = true;
            StorageException storage = cause instanceof StorageException e ? e : null;
            throw new StorageException(
                    storage != null ? storage.kind() : StorageException.Kind.IO,
                    "asynchronous commit failed: " + cause.getMessage(),
                    storage != null ? storage.file() : null,
                    cause);
        }
    }

    @Override
    public String toString() {
        return "CommitTicket[" + (!isDone() ? "in flight" : failure == null ? "committed" : "failed: " + failure) + "]";
    }
}
