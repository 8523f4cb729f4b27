package dev.tickvault.store.engine;

import dev.tickvault.store.StorageException;

/**
 * Publishes commits in log-sequence order. Group commit may return log appends out of order; publishing in order
 * guarantees that whenever a row with sequence number L is visible (or flushed), every row with a smaller number is
 * too — recovery relies on that to skip what partition files already hold.
 */
final class CommitSequencer {

    private long published;
    private StorageException failure;

    CommitSequencer(long lastPublished) {
        this.published = lastPublished;
    }

    /** Blocks until every commit before {@code lsn} is published. */
    synchronized void awaitTurn(long lsn) {
        boolean interrupted = false;
        while (published != lsn - 1) {
            if (failure != null) {
                throw new StorageException(
                        StorageException.Kind.CLOSED, "an earlier commit failed: " + failure.getMessage());
            }
            if (published >= lsn) {
                throw new IllegalStateException("sequence " + lsn + " published twice");
            }
            try {
                wait();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    synchronized void published(long lsn) {
        published = lsn;
        notifyAll();
    }

    synchronized void fail(StorageException cause) {
        failure = cause;
        notifyAll();
    }

    synchronized long lastPublished() {
        return published;
    }
}
