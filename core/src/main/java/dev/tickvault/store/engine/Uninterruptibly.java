package dev.tickvault.store.engine;

/**
 * Waits that must complete even when the waiting thread is interrupted (a commit in flight, a committer thread ending,
 * a block being decoded): the wait is retried, and the thread's interrupt status is restored once it has completed.
 */
final class Uninterruptibly {

    /** A blocking wait that may be interrupted, such as {@code latch::await} or {@code thread::join}. */
    @FunctionalInterface
    interface Wait {
        void await() throws InterruptedException;
    }

    private Uninterruptibly() {}

    /** Runs {@code wait} until it returns without interruption; keeps the interrupt status. */
    static void await(Wait wait) {
        boolean interrupted = false;
        while (true) {
            try {
                wait.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
