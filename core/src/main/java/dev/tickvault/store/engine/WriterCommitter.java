package dev.tickvault.store.engine;

import dev.tickvault.store.StorageException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The thread that runs one {@link BufferedStoreWriter}'s asynchronous commits ({@code tickvault-commit-N}, a daemon),
 * started with the first commit and ended by {@link #shutdown()} — which the writer's {@code close()} calls, and the
 * store's {@code close()} too for writers still open.
 *
 * <p>Bounded: one job slot. The writer submits a commit only after the previous one has completed, so a second job
 * while one is queued or running is a bug and is refused. Thread-safe: {@link #submit} (the writer's thread) and
 * {@link #shutdown()} (the writer's or the store-closing thread) may race; a job submitted after shutdown is refused
 * with {@link StorageException.Kind#CLOSED}, a job submitted before it still runs.
 */
final class WriterCommitter {

    private static final AtomicInteger THREADS = new AtomicInteger();

    private Thread thread;
    /** The job queued and not yet taken by the thread, or null. */
    private Runnable job;

    private boolean shutDown;

    /** Runs {@code work} on the committer thread. */
    synchronized void submit(Runnable work) {
        if (shutDown) {
            throw new StorageException(StorageException.Kind.CLOSED, "the store is closed: no more commits");
        }
        if (job != null) {
            throw new IllegalStateException("a commit is already in flight");
        }
        job = work;
        if (thread == null) {
            thread = Thread.ofPlatform()
                    .daemon()
                    .name("tickvault-commit-" + THREADS.incrementAndGet())
                    .start(this::runJobs);
        }
        notifyAll();
    }

    private void runJobs() {
        while (true) {
            Runnable next;
            synchronized (this) {
                while (job == null && !shutDown) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        // nobody else owns this thread: keep serving until shutdown
                    }
                }
                if (job == null) {
                    return;
                }
                next = job;
                job = null; // taken: the job may complete its ticket, and the writer submit the next, while it runs
            }
            next.run();
        }
    }

    /**
     * Refuses further jobs and waits until the job queued or running (if any) has run and the thread has ended, through
     * interrupts (kept). Idempotent.
     */
    void shutdown() {
        Thread running;
        synchronized (this) {
            shutDown = true;
            notifyAll();
            running = thread;
        }
        if (running == null || running == Thread.currentThread()) {
            return;
        }
        Uninterruptibly.await(running::join);
    }
}
