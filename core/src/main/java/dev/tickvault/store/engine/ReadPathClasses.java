package dev.tickvault.store.engine;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Loads and initialises the classes a range read runs through, once per JVM, when a store is opened: a first query
 * otherwise loads a dozen classes of ours (cursor, sources, block decoding kernels) and the JDK's heap-segment classes
 * (block copies are read as heap segments) on its own time. Only class loading and initialisation, on the opening
 * thread, ~1-3 ms: nothing is decoded and no code is run to make the JIT compile it (a first query stays a cold first
 * query; compare {@link DecoderWarmUp}, off by default). Thread-safe.
 */
final class ReadPathClasses {

    private static final AtomicBoolean LOADED = new AtomicBoolean();

    /** Classes of a range read, in the order a first query loads them. */
    private static final String[] NAMES = {
        "dev.tickvault.store.engine.StoreTradeBatchCursor",
        "dev.tickvault.store.engine.StoreTradeCursor",
        "dev.tickvault.store.engine.RowIterator",
        "dev.tickvault.store.engine.RowSource",
        "dev.tickvault.store.engine.ChunkSource",
        "dev.tickvault.store.engine.RunSource",
        "dev.tickvault.store.engine.BlockDecodeHelper",
        "dev.tickvault.store.engine.SpareBlocks",
        "dev.tickvault.store.engine.MergingRowCursor",
        "dev.tickvault.store.partition.ColumnBlockCodec",
        "dev.tickvault.store.codec.LongColumnCodec",
        "dev.tickvault.store.codec.ByteColumnCodec",
        "dev.tickvault.store.codec.StringColumnCodec",
        "dev.tickvault.store.codec.BlockCompressor",
        "dev.tickvault.store.codec.ByteSource",
        "dev.tickvault.store.codec.DecimalScaling",
        "dev.tickvault.store.codec.ZigZag",
        "dev.tickvault.store.codec.DecodeKernels",
        "dev.tickvault.store.codec.BitPacking",
        "dev.tickvault.store.codec.VarintRuns",
    };

    private ReadPathClasses() {}

    static void load() {
        if (!LOADED.compareAndSet(false, true)) {
            return;
        }
        ClassLoader loader = ReadPathClasses.class.getClassLoader();
        for (String name : NAMES) {
            try {
                Class.forName(name, true, loader);
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("missing class of the read path: " + name, e);
            }
        }
        // The JDK's classes behind a heap copy of a block (ChunkFile copies each block to the heap before decoding).
        MemorySegment from = MemorySegment.ofArray(new byte[8]);
        MemorySegment.copy(from, 0, MemorySegment.ofArray(new byte[8]).asSlice(0, 4), 0, 4);
    }
}
