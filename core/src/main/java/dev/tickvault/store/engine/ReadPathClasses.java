package dev.tickvault.store.engine;

import dev.tickvault.store.io.LazyLog;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Loads and initialises the classes a range read runs through, once per JVM, when a store is opened: a first query
 * otherwise loads a dozen classes of ours (cursor, sources, block decoding kernels), zstd-jni's decompression classes
 * and the JDK's heap-segment and byte-buffer view classes (block copies are read as heap segments, packed frames
 * through a {@code long} view of a byte buffer) on its own time. Only class loading and initialisation, on the opening
 * thread, ~1-3 ms: nothing is decoded and no code is run to make the JIT compile it ({@link DecoderWarmUp} does that,
 * in the background, for writable stores). zstd-jni's classes are loaded but not initialised here:
 * initialising them loads the native library (up to ~90 ms in a fresh JVM), which {@link ZstdPreload} does on its
 * own thread.
 *
 * <p>A class that cannot be loaded (a jar repackaged without it, a zstd-jni of another version) is logged at DEBUG
 * and skipped: preloading only saves time, and the query that needs the class reports the problem itself. Thread-safe.
 */
final class ReadPathClasses {

    private static final LazyLog LOG = LazyLog.of(ReadPathClasses.class);
    private static final AtomicBoolean LOADED = new AtomicBoolean();

    /** Classes of a range read, in the order a first query loads them; loaded and initialised. */
    static final String[] NAMES = {
        "dev.tickvault.store.engine.StoreTradeBatchCursor",
        "dev.tickvault.store.engine.StoreTradeCursor",
        "dev.tickvault.store.engine.RowIterator",
        "dev.tickvault.store.engine.RowSource",
        "dev.tickvault.store.engine.ChunkSource",
        "dev.tickvault.store.engine.RunSource",
        "dev.tickvault.store.engine.BlockDecodeHelper",
        "dev.tickvault.store.engine.DecodeAhead",
        "dev.tickvault.store.engine.SpareBlocks",
        "dev.tickvault.store.engine.MergingRowCursor",
        "dev.tickvault.store.partition.ColumnBlockCodec",
        "dev.tickvault.store.codec.LongColumnCodec",
        "dev.tickvault.store.codec.LongColumnCodec$FramePlan",
        "dev.tickvault.store.codec.ByteColumnCodec",
        "dev.tickvault.store.codec.StringColumnCodec",
        "dev.tickvault.store.codec.BlockCompressor",
        "dev.tickvault.store.codec.ByteSink",
        "dev.tickvault.store.codec.ByteSource",
        "dev.tickvault.store.codec.DecimalScaling",
        "dev.tickvault.store.codec.ZigZag",
        "dev.tickvault.store.codec.DecodeKernels",
        "dev.tickvault.store.codec.FrameUnpackers",
        "dev.tickvault.store.codec.BitPacking",
        "dev.tickvault.store.codec.VarintRuns",
    };

    /** zstd-jni's classes a first zstd section loads: loaded only (see the class comment). */
    static final String[] LOAD_ONLY_NAMES = {
        "com.github.luben.zstd.ZstdCompressCtx",
        "com.github.luben.zstd.ZstdDecompressCtx",
        "com.github.luben.zstd.Zstd",
        "com.github.luben.zstd.ZstdIOException",
        "com.github.luben.zstd.Objects",
    };

    private ReadPathClasses() {}

    static void load() {
        if (!LOADED.compareAndSet(false, true)) {
            return;
        }
        ClassLoader loader = ReadPathClasses.class.getClassLoader();
        int missing = load(NAMES, true, loader) + load(LOAD_ONLY_NAMES, false, loader);
        // The JDK's classes behind a heap copy of a block (ChunkFile copies each block to the heap before decoding)
        // and behind DecodeKernels.loadWords (a little-endian long view of a byte buffer).
        MemorySegment from = MemorySegment.ofArray(new byte[8]);
        MemorySegment.copy(from, 0, MemorySegment.ofArray(new byte[8]).asSlice(0, 4), 0, 4);
        ByteBuffer.wrap(new byte[16], 0, 16)
                .slice()
                .order(ByteOrder.LITTLE_ENDIAN)
                .asLongBuffer()
                .get(new long[2], 0, 2);
        if (missing > 0) {
            LOG.get().debug("{} read-path class(es) not preloaded", missing);
        }
    }

    /** Loads {@code names} (initialising them if {@code initialize}); returns how many could not be loaded. */
    static int load(String[] names, boolean initialize, ClassLoader loader) {
        int missing = 0;
        for (String name : names) {
            try {
                Class.forName(name, initialize, loader);
            } catch (ClassNotFoundException | LinkageError e) {
                // ExceptionInInitializerError and NoClassDefFoundError are LinkageErrors: the query reports them
                missing++;
                LOG.get().debug("read-path class not preloaded: {}", name, e);
            }
        }
        return missing;
    }
}
