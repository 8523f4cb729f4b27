package dev.tickvault.store.engine;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdDecompressCtx;
import dev.tickvault.store.codec.BlockCompressor;
import dev.tickvault.store.io.LazyLog;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Loads zstd-jni's native library and links its decompression calls on a daemon thread, once per JVM, so that the
 * first query of a process does not pay for them: loading the library (by default zstd-jni copies it out of the jar
 * into a temporary file, which also initialises {@code SecureRandom}, then links it) took about 90 ms of CPU in a
 * fresh JVM, the largest single item of a {@code tickvault query} run's first read; and even in a process whose writer
 * had loaded it already, a first query's first zstd section cost 1.6-2.4 ms more than later ones (loading {@code
 * ZstdDecompressCtx}, initialising {@code Zstd}, resolving the JNI methods of decompression). The thread compresses
 * and decompresses one 64-byte frame (microseconds once linked); it decodes no store data. Started when a store is
 * opened (read-only or writable); the store's open and queries never wait for it (a query that needs zstd before it is
 * done waits on the library's own lock for the rest of the load, never longer than loading it itself would take).
 *
 * <p>A failure is only logged at DEBUG: the query that needs zstd loads it again and reports the failure itself. Success
 * is not logged at all (a message would start the logging backend in a process that has not logged yet, see {@link
 * dev.tickvault.store.io.LazyLog}).
 */
final class ZstdPreload {

    private static final LazyLog LOG = LazyLog.of(ZstdPreload.class);
    private static final AtomicBoolean STARTED = new AtomicBoolean();
    static final String THREAD_NAME = "tickvault-zstd-load";
    /** Bytes of the frame compressed and decompressed to link the calls a query makes. */
    static final int SAMPLE_BYTES = 64;

    private ZstdPreload() {}

    static void startInBackground() {
        startInBackground(false);
    }

    /**
     * As {@link #startInBackground()}; with {@code compressing} (a store that writes zstd sections) the thread also
     * makes zstd's literals-only producer ({@code BlockCompressor.linkLiteralsOnly}: 60-100 ms of CPU in a fresh JVM,
     * which the committer's first trade block would otherwise wait for). Read-only stores never need it.
     */
    static void startInBackground(boolean compressing) {
        boolean decompression = STARTED.compareAndSet(false, true);
        boolean literals = compressing && LITERALS_STARTED.compareAndSet(false, true);
        if (decompression || literals) {
            // A named class, not a lambda: a JVM's first lambda spins classes through method handles (milliseconds).
            Thread.ofPlatform().daemon().name(THREAD_NAME).start(new Linker(decompression, literals));
        }
    }

    private static final AtomicBoolean LITERALS_STARTED = new AtomicBoolean();

    private static final class Linker implements Runnable {
        private final boolean decompression;
        private final boolean literals;

        Linker(boolean decompression, boolean literals) {
            this.decompression = decompression;
            this.literals = literals;
        }

        @Override
        public void run() {
            if (decompression) {
                linkDecompression();
            }
            if (literals) {
                linkLiteralsOnly();
            }
        }
    }

    /** Runs {@code BlockCompressor.linkLiteralsOnly}; returns true if it worked; never throws. */
    static boolean linkLiteralsOnly() {
        try {
            // No message when it works: a store with nothing to report never starts logging (see LazyLog).
            return BlockCompressor.linkLiteralsOnly();
        } catch (Throwable e) { // the committer's first trade block reports it
            LOG.get().debug("zstd literals-only producer could not be linked in the background", e);
            return false;
        }
    }

    /**
     * Loads the library and runs once each call {@code BlockCompressor} makes to read a zstd section (frame content
     * size, a decompression context, a byte-array decompression). Returns true if all worked; never throws.
     */
    static boolean linkDecompression() {
        try (ZstdDecompressCtx context = new ZstdDecompressCtx()) {
            byte[] raw = new byte[SAMPLE_BYTES];
            byte[] frame = Zstd.compress(raw, 1);
            long size = Zstd.getFrameContentSize(frame, 0, frame.length);
            int n = context.decompressByteArray(raw, 0, raw.length, frame, 0, frame.length);
            if (size != SAMPLE_BYTES || n != SAMPLE_BYTES) {
                LOG.get().debug("zstd sample frame decoded to {} bytes (content size {})", n, size);
                return false;
            }
            // Nothing is logged when it worked: a first message would start the logging backend (see LazyLog).
            return true;
        } catch (Throwable e) { // e.g. UnsatisfiedLinkError: the query that needs zstd reports it
            LOG.get().debug("zstd could not be loaded in the background", e);
            return false;
        }
    }
}
