package dev.tickvault.store.engine;

import dev.tickvault.store.memtable.ColumnData;
import dev.tickvault.store.partition.ChunkFile;
import dev.tickvault.store.partition.ColumnBlockCodec;

/**
 * Rows of a chunk file with {@code from <= ts < to}, decoding only the blocks that overlap the range. When the range
 * spans three or more blocks and a {@link BlockDecodeHelper} is given, the blocks after the first are decoded by this
 * thread and a helper thread together ({@link DecodeAhead}), if this thread decoded the first block at warm speed
 * ({@link BlockDecodeHelper#warm}). A fresh JVM's first reads, whose code is still being compiled on the other core,
 * and a reader on a machine too busy to decode at speed read alone. The ring is taken once the reader moves past its
 * first block, so a query over many chunk files holds one only for the file being read. Not thread-safe (one reader),
 * like every {@link RowSource}.
 */
final class ChunkSource implements RowSource {

    private final ChunkFile chunk;
    private final long fromNanos;
    private final long toNanos;
    /** The block sections to decode ({@link ChunkFile#ALL_SECTIONS} or a projection's). */
    private final int sections;

    private final ColumnBlockCodec codec;
    /** Null without a helper, when the range has fewer than three blocks, or once the first decoded cold. */
    private BlockDecodeHelper helper;
    /** The last block of the range (inclusive). */
    private final int lastBlock;

    /** The block buffer of this thread's own decodes (null once a {@link DecodeAhead} decodes the blocks). */
    private ColumnData block;

    private DecodeAhead ahead;
    private ColumnData current;
    private int blockIndex;
    private int row;
    private int end;
    private boolean closed;

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
        this.blockIndex = chunk.firstBlockEndingAtOrAfter(fromNanos) - 1;
        int last = blockIndex;
        while (inRange(last + 1)) {
            last++;
        }
        this.lastBlock = last;
        this.helper = helper != null && lastBlock - blockIndex >= 3 && helper.usable() ? helper : null;
    }

    private boolean inRange(int index) {
        return index < chunk.blockCount() && chunk.blockMinTs(index) < toNanos;
    }

    @Override
    public boolean start() {
        block = SpareBlocks.take(chunk.table(), chunk.maxBlockRows());
        return nextBlock();
    }

    @Override
    public boolean skip(int n) {
        row += n;
        return row < end || nextBlock();
    }

    private boolean nextBlock() {
        while (++blockIndex <= lastBlock) {
            if (ahead == null && helper != null && current != null && blockIndex < lastBlock) {
                // The reader moved past this source's first block, decoded warm: decode the rest with the helper.
                SpareBlocks.give(block);
                block = null;
                ahead = new DecodeAhead(chunk, blockIndex, lastBlock, fromNanos, toNanos, sections, helper);
            }
            if (ahead != null) {
                current = ahead.take(blockIndex, codec);
            } else {
                long start = helper != null ? System.nanoTime() : 0;
                chunk.decodeBlock(blockIndex, block, codec, fromNanos, toNanos, sections);
                if (helper != null && !helper.warm(System.nanoTime() - start, block.size())) {
                    helper = null; // decoded cold: this range is read alone
                }
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
     * Hands this source's block buffers to the next source opened on this thread ({@link SpareBlocks}), except one a
     * helper is still decoding into ({@link DecodeAhead#close}); the source is not used afterwards.
     */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            current = null;
            if (ahead != null) {
                ahead.close();
            }
            if (block != null) {
                SpareBlocks.give(block);
            }
        }
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
