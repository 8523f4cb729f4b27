package dev.tickvault.store.codec;

import java.lang.foreign.MemorySegment;

/** Test helper: places encoded bytes at an unaligned offset, the way a block sits inside a mapped file. */
final class Segments {
    /** Bytes of garbage before the encoding, so that decoders must honour the offset. */
    static final int OFFSET = 3;

    private Segments() {}

    /** A heap segment holding {@code OFFSET} bytes of 0x5A, then the sink's bytes, then 5 more bytes of 0x5A. */
    static MemorySegment at3(ByteSink sink) {
        byte[] bytes = new byte[OFFSET + sink.position() + 5];
        java.util.Arrays.fill(bytes, (byte) 0x5A);
        System.arraycopy(sink.array(), 0, bytes, OFFSET, sink.position());
        return MemorySegment.ofArray(bytes);
    }

    /** Exactly the first {@code length} bytes of the sink, at offset {@code OFFSET}, with nothing after them. */
    static MemorySegment prefixAt3(ByteSink sink, int length) {
        byte[] bytes = new byte[OFFSET + length];
        System.arraycopy(sink.array(), 0, bytes, OFFSET, length);
        return MemorySegment.ofArray(bytes);
    }
}
