package dev.tickvault.store.engine;

import com.github.luben.zstd.ZstdDecompressCtx;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads zstd-jni's native library on a daemon thread, once per JVM, so that the first query of a freshly started
 * process does not pay for it: loading it (by default zstd-jni copies the library out of the jar into a temporary
 * file, which also initialises {@code SecureRandom}, then links it) took about 90 ms of CPU in a fresh JVM, the
 * largest single item of a {@code tickvault query} run's first read. Started when a store is opened read-only; the
 * store's open and queries never wait for it (a query that needs zstd before it is done waits on the library's own
 * lock for the rest of the load, never longer than loading it itself would take).
 *
 * <p>A failure is only logged at DEBUG: the query that needs zstd loads it again and reports the failure itself.
 */
final class ZstdPreload {

    private static final Logger LOG = LoggerFactory.getLogger(ZstdPreload.class);
    private static final AtomicBoolean STARTED = new AtomicBoolean();

    private ZstdPreload() {}

    static void startInBackground() {
        if (!STARTED.compareAndSet(false, true)) {
            return;
        }
        Thread.ofPlatform().daemon().name("tickvault-zstd-load").start(() -> {
            try (ZstdDecompressCtx context = new ZstdDecompressCtx()) {
                LOG.debug("zstd loaded in the background: {}", context);
            } catch (Throwable e) { // e.g. UnsatisfiedLinkError: the query that needs zstd reports it
                LOG.debug("zstd could not be loaded in the background", e);
            }
        });
    }
}
