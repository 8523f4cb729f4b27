package dev.tickvault.store.engine;

import dev.tickvault.store.partition.RawSections;
import java.util.Arrays;

/**
 * One trade slot's rows of a commit encoded by the writer's thread, or by the committer's for a series the writer left
 * to it ({@link TradePreEncoder}), as the first column
 * sections of each of their chunk-file blocks, not yet compressed: the committer compresses them and encodes the
 * block's other sections from the rows ({@link CommitCodec#compressBlocks}): the bytes it would have encoded. Valid for exactly {@link
 * #rows()} rows, the slot's rows when they were encoded ({@link WriterBuffers#preEncoded} checks that none were
 * appended since).
 *
 * <p>Reused with its {@link WriterBuffers} set (the committer reuses one of its own series by series); memory: the raw sections (see {@link RawSections}) and four numbers
 * per block.
 */
final class PreEncodedTrades {

    final RawSections raw = new RawSections();
    private int rows = -1;
    /** Rows found not encodable as blocks only ({@link #refuse}), or -1. */
    private int refusedRows = -1;

    private int blockCount;
    /** Sections of each block in {@link #raw}: the block's first ones; the committer encodes the others. */
    private int sectionsPerBlock;

    private int[] blockRows = new int[4];
    private long[] minTs = new long[4];
    private long[] maxTs = new long[4];

    /** Forgets the rows encoded (nothing is valid until the next {@link #start}). */
    void clear() {
        rows = -1;
        refusedRows = -1;
        blockCount = 0;
        raw.reset();
    }

    /**
     * Records that the {@code n} rows given cannot be pre-encoded (too few, out of time order, over midnight): nothing
     * is valid, and the committer does not try them again ({@link #refused}).
     */
    void refuse(int n) {
        clear();
        refusedRows = n;
    }

    /** Whether {@link #refuse} was called for exactly {@code n} rows since the last clear or encoding. */
    boolean refused(int n) {
        return refusedRows == n;
    }

    /** Starts an encoding of {@code n} rows in {@code blocks} blocks, the first {@code sections} of each block. */
    void start(int n, int blocks, int sections) {
        raw.reset();
        rows = n;
        refusedRows = -1;
        sectionsPerBlock = sections;
        blockCount = 0;
        if (blockRows.length < blocks) {
            blockRows = new int[blocks];
            minTs = new long[blocks];
            maxTs = new long[blocks];
        }
    }

    /** Records the next block's row count and time range (its sections are already in {@link #raw}). */
    void addBlock(int size, long min, long max) {
        blockRows[blockCount] = size;
        minTs[blockCount] = min;
        maxTs[blockCount] = max;
        blockCount++;
    }

    /** Rows encoded, or -1 when nothing is. */
    int rows() {
        return rows;
    }

    int blockCount() {
        return blockCount;
    }

    int sectionsPerBlock() {
        return sectionsPerBlock;
    }

    int blockRows(int block) {
        return blockRows[block];
    }

    /** Copies of the row counts and time ranges of the blocks, for an {@code EncodedBlocks}. */
    int[] blockRowsCopy() {
        return Arrays.copyOf(blockRows, blockCount);
    }

    long[] minTsCopy() {
        return Arrays.copyOf(minTs, blockCount);
    }

    long[] maxTsCopy() {
        return Arrays.copyOf(maxTs, blockCount);
    }

    /** Memory held, for the writer's bound. */
    long sizeBytes() {
        return raw.sizeBytes() + 20L * blockRows.length;
    }
}
