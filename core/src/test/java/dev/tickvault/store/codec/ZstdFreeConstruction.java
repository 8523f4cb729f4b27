package dev.tickvault.store.codec;

import dev.tickvault.store.partition.ChunkLayout;
import dev.tickvault.store.partition.ChunkWriter;

/**
 * Child JVM of {@link CompressorConstructionTest}: builds the compressors a store's open and a new writer build (level
 * 3), then, with the argument {@code compress}, compresses one block. Prints {@code DONE}.
 */
final class ZstdFreeConstruction {

    private ZstdFreeConstruction() {}

    public static void main(String[] args) {
        BlockCompressor compressor = new BlockCompressor(3);
        new ChunkWriter(ChunkLayout.DEFAULT_ROWS_PER_BLOCK, 3);
        if (args.length > 0 && args[0].equals("compress")) {
            byte[] raw = new byte[4096];
            compressor.compress(raw, 0, raw.length, new ByteSink(0));
        }
        System.out.println("DONE");
    }
}
