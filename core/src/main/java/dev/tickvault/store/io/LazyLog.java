package dev.tickvault.store.io;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A class's SLF4J logger, looked up when the class first logs instead of when the class is initialised. The store's
 * classes log only when something goes wrong or is repaired (a torn log tail, a leftover file, a failed flush), yet
 * looking a logger up starts the logging backend: in a fresh JVM, starting logback with its default configuration
 * took 50-110 ms of wall time on a loaded machine and ~25 ms of the opening thread's CPU with the startup cache
 * (measured in the side-by-side benchmark's child, session 14), paid inside the first {@code TickStore.open} of every
 * process that had not logged yet. With this the backend starts with the first message.
 *
 * <p>Thread-safe: two threads may both look the logger up once; SLF4J hands out the same one.
 */
public final class LazyLog {

    private final Class<?> owner;
    private volatile Logger logger;

    private LazyLog(Class<?> owner) {
        this.owner = owner;
    }

    /** The logger of {@code owner}, looked up on first use. */
    public static LazyLog of(Class<?> owner) {
        return new LazyLog(owner);
    }

    /** The logger (looks it up, and so may start the logging backend, on the first call). */
    public Logger get() {
        Logger l = logger;
        if (l == null) {
            l = LoggerFactory.getLogger(owner);
            logger = l;
        }
        return l;
    }
}
