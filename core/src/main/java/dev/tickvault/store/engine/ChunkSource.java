package dev.tickvault.store.engine;

import dev.tickvault.store.memtable.ColumnData;
import dev.tickvault.store.partition.ChunkFile;
import dev.tickvault.store.partition.ColumnBlockCodec;

/**
 * Rows of a chunk file with {@code from <= ts < to}, decoding only the blocks that overlap the range. When the range
 * spans two or more blocks and a {@link BlockDecodeHelper} is given, every second block of the range is decoded by the
 * helper, one block ahead of the reader, into a second buffer: the reader decodes block k while the helper decodes
 * k + 1. Not thread-safe (one reader), like every {@link RowSource}.
 */
final class ChunkSource implements RowSource {

    private final ChunkFile chunk;
    private final long fromNanos;
    private final long toNanos;
    /** The block sections to decode ({@link ChunkFile#ALL_SECTIONS} or a projection's). */
    private final int sections;
    /** The blocks this thread decodes. */
    private final ColumnData block;
    /** The blocks the helper decodes (null without a helper). */
    private final ColumnData helperBlock;

    private final ColumnBlockCodec codec;
    private BlockDecodeHelper helper;
    /** Wall time of this thread's last block decode, to judge the helper's lateness against. */
    private long ownDecodeNanos;

    private int lateHelps;
    private BlockDecodeHelper.Task pending;
    private ColumnData current;
    private int blockIndex;
    private int row;
    private int end;

    ChunkSource(ChunkFile chunk, long fromNanos, long toNanos, ColumnBlockCodec codec, BlockDecodeHelper helper) {
        this(chunk, fromNanos, toNanos, ChunkFile.ALL_SECTIONS, codec, helper);
    }

    /** As above, decoding of each block only the sections set in {@code sections} (see {@link ChunkFile}). */
    ChunkSource(
            ChunkFile chunk,
            long fromNanos,
            long toNanos,
            int sections,
            ColumnBlockCodec codec,
            BlockDecodeHelper helper) {
        this.chunk = chunk;
        this.fromNanos = fromNanos;
        this.toNanos = toNanos;
        this.sections = sections;
        this.codec = codec;
        this.block = SpareBlocks.take(chunk.table(), chunk.blockRows(0));
        this.current = block;
        this.blockIndex = chunk.firstBlockEndingAtOrAfter(fromNanos) - 1;
        boolean severalBlocks = inRange(blockIndex + 2);
        this.helper = severalBlocks && helper != null && helper.usable() ? helper : null;
        this.helperBlock = this.helper == null ? null : new ColumnData(chunk.table(), chunk.blockRows(0));
    }

    private boolean inRange(int index) {
        return index < chunk.blockCount() && chunk.blockMinTs(index) < toNanos;
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
        while (inRange(++blockIndex)) {
            if (pending != null && pending.block() == blockIndex) {
                long waitStart = System.nanoTime();
                current = pending.take(codec);
                long waitedNanos = System.nanoTime() - waitStart;
                if (helper != null && (pending.takenBack() || waitedNanos > ownDecodeNanos / 4) && ++lateHelps >= 2) {
                    helper.reportLate();
                    helper = null;
                }
                pending = null;
            } else {
                // This thread's block: first hand the next one to the helper (its buffer is free: the reader has
                // moved past the block it held).
                if (helper != null && inRange(blockIndex + 1)) {
                    pending = helper.submit(chunk, blockIndex + 1, helperBlock, sections);
                }
                long decodeStart = System.nanoTime();
                chunk.decodeBlock(blockIndex, block, codec, fromNanos, toNanos, sections);
                ownDecodeNanos = System.nanoTime() - decodeStart;
                current = block;
            }
            row = chunk.blockMinTs(blockIndex) >= fromNanos ? 0 : current.lowerBound(fromNanos);
            end = chunk.blockMaxTs(blockIndex) < toNanos ? current.size() : current.lowerBound(toNanos);
            if (row < end) {
                return true;
            }
        }
        blockIndex = chunk.blockCount();
        return false;
    }

    @Override
    public ColumnData data() {
        return current;
    }

    /**
     * Hands this source's block buffer to the next source opened on this thread ({@link SpareBlocks}); the source is
     * not used afterwards. The helper's buffer is not handed on: a task may still be writing into it.
     */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            SpareBlocks.give(block);
        }
    }

    private boolean closed;

    @Override
    public int row() {
        return row;
    }

    @Override
    public int end() {
        return end;
    }
}
