package dev.tickvault.store.codec;

import com.github.luben.zstd.SequenceProducer;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * A zstd sequence producer that finds no matches: registered on a compression context, it makes zstd store every
 * block as Huffman-coded literals and no sequences (an ordinary zstd frame that any decoder reads). For column
 * encodings whose bytes repeat little beyond their byte frequencies (packed frames of times, delta varints of
 * prices), zstd's level-1 matches cost more in sequence codes than they save, and finding them is most of zstd's
 * time: literals only give smaller frames for about half the CPU (see {@code ColumnBlockCodec.LITERALS_ONLY}).
 *
 * <p>The producer is a {@code java.lang.foreign} upcall, so zstd must call it from a thread that may enter Java:
 * compress through direct buffers (zstd-jni's byte-array calls hold the arrays in a JNI critical region, where Java
 * code must not run). The upcall neither allocates on the heap nor throws, and keeps no state (thread-safe).
 */
@SuppressWarnings("restricted") // Linker.upcallStub and MemorySegment.reinterpret: see the class comment
final class LiteralsOnly implements SequenceProducer {
    /** One ZSTD_Sequence: offset, literal length, match length, repeat code, each a u32. */
    private static final long SEQUENCE_BYTES = 16;

    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT;

    /** The upcall stub's address, made on first use and kept for the JVM's life (a few hundred bytes of code). */
    private static final class Stub {
        static final MemorySegment ADDRESS = create();

        private static MemorySegment create() {
            try {
                var handle = MethodHandles.lookup()
                        .findStatic(
                                LiteralsOnly.class,
                                "produce",
                                MethodType.methodType(
                                        long.class,
                                        MemorySegment.class,
                                        MemorySegment.class,
                                        long.class,
                                        MemorySegment.class,
                                        long.class,
                                        MemorySegment.class,
                                        long.class,
                                        int.class,
                                        long.class));
                var size = ValueLayout.JAVA_LONG;
                var pointer = ValueLayout.ADDRESS;
                // size_t (void* state, ZSTD_Sequence* out, size_t outCapacity, const void* src, size_t srcSize,
                //         const void* dict, size_t dictSize, int compressionLevel, size_t windowSize)
                var descriptor = FunctionDescriptor.of(
                        size, pointer, pointer, size, pointer, size, pointer, size, ValueLayout.JAVA_INT, size);
                return Linker.nativeLinker().upcallStub(handle, descriptor, Arena.global());
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("zstd literals-only producer: " + e.getMessage(), e);
            }
        }
    }

    static final LiteralsOnly INSTANCE = new LiteralsOnly();

    private LiteralsOnly() {}

    /**
     * Called by zstd for each block of up to 128 KB: writes one sequence, all {@code srcSize} bytes literals and no
     * match (a block delimiter), and returns 1, the number of sequences. zstd always offers room for at least one.
     */
    @SuppressWarnings("unused") // called by zstd through the upcall stub
    private static long produce(
            MemorySegment state,
            MemorySegment sequences,
            long capacity,
            MemorySegment src,
            long srcSize,
            MemorySegment dict,
            long dictSize,
            int level,
            long windowSize) {
        MemorySegment sequence = sequences.reinterpret(SEQUENCE_BYTES);
        sequence.set(U32, 0, 0);
        sequence.set(U32, 4, (int) srcSize);
        sequence.set(U32, 8, 0);
        sequence.set(U32, 12, 0);
        return 1;
    }

    @Override
    public long getFunctionPointer() {
        return Stub.ADDRESS.address();
    }

    @Override
    public long createState() {
        return 0;
    }

    @Override
    public void freeState(long state) {
        // stateless
    }
}
