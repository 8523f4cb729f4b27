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
    private final ColumnBlockCodec codec;
    private int blockIndex;
    private int row;
    private int end;

    ChunkSource(ChunkFile chunk, long fromNanos, long toNanos, ColumnBlockCodec codec) {
        this.chunk = chunk;
        this.fromNanos = fromNanos;
        this.toNanos = toNanos;
        this.codec = codec;
        this.block = new ColumnData(chunk.table(), chunk.blockRows(0));
        this.blockIndex = chunk.firstBlockEndingAtOrAfter(fromNanos) - 1;
    }

    @Override
    public boolean start() {
        return nextBlock();
    }

    @Override
    public boolean skip(int n) {
        row += n;
        return row < end || nextBlock();
    }

    private boolean nextBlock() {
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

    @Override
    public int end() {
        return end;
    }
}
