package dev.tickvault.store.engine;

import dev.tickvault.store.memtable.ColumnData;
import dev.tickvault.store.partition.ChunkFile;
import dev.tickvault.store.partition.ColumnBlockCodec;

/** Rows of a chunk file with {@code from <= ts < to}, decoding only the blocks that overlap the range. */
final class ChunkSource implements RowSource {

    private final ChunkFile chunk;
    private final long fromNanos;
    private final long toNanos;
    private final ColumnData block;
    private int blockIndex;
    private int row;
    private int end;

    private final ColumnBlockCodec codec;

    ChunkSource(ChunkFile chunk, long fromNanos, long toNanos, ColumnBlockCodec codec) {
        this.codec = codec;
        this.chunk = chunk;
        this.fromNanos = fromNanos;
        this.toNanos = toNanos;
        this.block = new ColumnData(chunk.table(), 1024);
        this.blockIndex = chunk.firstBlockEndingAtOrAfter(fromNanos) - 1;
        this.row = 0;
        this.end = 0;
    }

    @Override
    public boolean advance() {
        if (++row < end) {
            return true;
        }
        while (++blockIndex < chunk.blockCount() && chunk.blockMinTs(blockIndex) < toNanos) {
            chunk.decodeBlock(blockIndex, block, codec);
            row = chunk.blockMinTs(blockIndex) >= fromNanos ? 0 : block.lowerBound(fromNanos);
            end = chunk.blockMaxTs(blockIndex) < toNanos ? block.size() : block.lowerBound(toNanos);
            if (row < end) {
                return true;
            }
        }
        blockIndex = chunk.blockCount();
        return false;
    }

    @Override
    public ColumnData data() {
        return block;
    }

    @Override
    public int row() {
        return row;
    }
}
