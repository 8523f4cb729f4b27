package dev.tickvault.store.engine;

import dev.tickvault.store.partition.RawSections;
import java.util.Arrays;

/**
 * One trade slot's rows of a commit encoded by the writer's thread ({@link TradePreEncoder}) as the column sections
 * of their chunk-file blocks, not yet compressed: the committer compresses them ({@link
 * CommitCodec#compressBlocks}) into the same bytes it would have encoded from the rows. Valid for exactly {@link
 * #rows()} rows, the slot's rows when they were encoded ({@link WriterBuffers#preEncoded} checks that none were
 * appended since).
 *
 * <p>Reused with its {@link WriterBuffers} set; memory: the raw sections (see {@link RawSections}) and four numbers
 * per block.
 */
final class PreEncodedTrades {

    final RawSections raw = new RawSections();
    private int rows = -1;
    private int blockCount;
    private int[] blockRows = new int[4];
    private long[] minTs = new long[4];
    private long[] maxTs = new long[4];

    /** Forgets the rows encoded (nothing is valid until the next {@link #start}). */
    void clear() {
        rows = -1;
        blockCount = 0;
        raw.reset();
    }

    /** Starts an encoding of {@code n} rows in {@code blocks} blocks. */
    void start(int n, int blocks) {
        raw.reset();
        rows = n;
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
