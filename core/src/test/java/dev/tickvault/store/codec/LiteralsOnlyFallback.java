package dev.tickvault.store.codec;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.Random;

/**
 * Child JVM of {@link LiteralsOnlyFallbackTest}: with {@code unavailable}, marks the literals-only producer as
 * unavailable first (as a failed upcall would); then compresses a repeated pattern as a literals-only section, reads the
 * section back and prints {@code METHOD <n>} (the block's method byte) and {@code DONE} when the bytes match.
 */
final class LiteralsOnlyFallback {

    private LiteralsOnlyFallback() {}

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("unavailable")) {
            BlockCompressor.markLiteralsOnlyUnavailable(new UnsupportedOperationException("no linker in this test"));
        }
        // 20 copies of 1,000 uniformly random bytes: only matches can shrink them, literals cannot
        byte[] pattern = new byte[1000];
        new Random(7).nextBytes(pattern);
        byte[] raw = new byte[20 * pattern.length];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = pattern[i % pattern.length];
        }
        ByteSink out = new ByteSink(0);
        new BlockCompressor(3).compressSectionLiterals(raw, 0, raw.length, out, 1);
        BlockCompressor reader = new BlockCompressor(0);
        reader.decompress(MemorySegment.ofArray(Arrays.copyOf(out.array(), out.position())), Integer.BYTES);
        byte[] back = reader.result().toArray(ValueLayout.JAVA_BYTE);
        System.out.println("METHOD " + out.array()[Integer.BYTES]);
        if (Arrays.equals(raw, back)) {
            System.out.println("DONE");
        }
    }
}
