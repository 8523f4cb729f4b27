package dev.tickvault.store.engine;

import dev.tickvault.store.Table;
import dev.tickvault.store.codec.ByteSink;
import dev.tickvault.store.memtable.ColumnData;
import dev.tickvault.store.memtable.EncodedBlocks;
import dev.tickvault.store.partition.ChunkLayout;
import dev.tickvault.store.partition.ColumnBlockCodec;
import java.util.Arrays;

/**
 * Encodes time-sorted trade or book rows as the chunk-file blocks a flush would write (the store's zstd level, the
 * current chunk format): what a commit logs as record type 9. Holds a codec and a scratch buffer, so one per thread
 * that encodes; the bytes depend only on the rows and the level, not on which encoder made them.
 */
final class BlockEncoder {

    private final ColumnBlockCodec codec;
    private final ByteSink out = new ByteSink(1 << 16);

    BlockEncoder(int compressionLevel) {
        this.codec = new ColumnBlockCodec(compressionLevel);
    }

    /** The fewest blocks of at most {@link ChunkLayout#DEFAULT_ROWS_PER_BLOCK} rows, sizes equal to within one row. */
    EncodedBlocks encode(ColumnData sorted) {
        int n = sorted.size();
        int count = (n + ChunkLayout.DEFAULT_ROWS_PER_BLOCK - 1) / ChunkLayout.DEFAULT_ROWS_PER_BLOCK;
        int[] rows = new int[count];
        int[] offsets = new int[count];
        long[] minTs = new long[count];
        long[] maxTs = new long[count];
        boolean book = sorted.table() == Table.BOOK;
        out.reset();
        int start = 0;
        for (int b = 0; b < count; b++) {
            int size = n / count + (b < n % count ? 1 : 0);
            offsets[b] = out.position();
            if (book) {
                codec.encodeBookBlock(ChunkLayout.FORMAT_VERSION, sorted, start, size, out);
            } else {
                codec.encodeTradeBlock(sorted, start, size, out);
            }
            rows[b] = size;
            minTs[b] = sorted.ts(start);
            maxTs[b] = sorted.ts(start + size - 1);
            start += size;
        }
        return new EncodedBlocks(Arrays.copyOf(out.array(), out.position()), rows, offsets, minTs, maxTs);
    }
}
