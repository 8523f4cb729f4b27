package dev.tickvault.store.memtable;

/**
 * Rows of one committed part already encoded as chunk-file blocks (trade or book blocks of chunk format 3), back to
 * back, as the commit wrote them into its log record: a flush whose rows all carry their blocks copies these bytes
 * into the chunk file instead of encoding the rows again. Immutable; the arrays must not be modified after
 * construction.
 *
 * <p>Block {@code b} holds {@link #blockRows(int)} rows, times {@link #blockMinTs(int)} to {@link #blockMaxTs(int)},
 * at bytes {@code [blockOffset(b), blockOffset(b) + blockLength(b))} of {@link #bytes()}; blocks are in time order and
 * together hold exactly the rows of the {@link ColumnData} part they sit beside.
 */
public final class EncodedBlocks {

    private final byte[] bytes;
    private final int[] rows;
    private final int[] offsets;
    private final long[] minTs;
    private final long[] maxTs;

    /**
     * @param bytes the blocks back to back (exactly their bytes)
     * @param rows rows per block (each ≥ 1)
     * @param offsets start of each block in {@code bytes}, ascending; block b ends where b + 1 starts (the last at
     *     {@code bytes.length})
     * @param minTs first (smallest) time of each block
     * @param maxTs last (largest) time of each block
     */
    public EncodedBlocks(byte[] bytes, int[] rows, int[] offsets, long[] minTs, long[] maxTs) {
        int n = rows.length;
        if (n == 0 || offsets.length != n || minTs.length != n || maxTs.length != n) {
            throw new IllegalArgumentException("encoded blocks need one row count, offset and time range per block");
        }
        for (int b = 0; b < n; b++) {
            int end = b + 1 < n ? offsets[b + 1] : bytes.length;
            if (rows[b] < 1 || offsets[b] < 0 || end < offsets[b] || minTs[b] > maxTs[b]) {
                throw new IllegalArgumentException("bad encoded block " + b);
            }
        }
        this.bytes = bytes;
        this.rows = rows;
        this.offsets = offsets;
        this.minTs = minTs;
        this.maxTs = maxTs;
    }

    public byte[] bytes() {
        return bytes;
    }

    public int blockCount() {
        return rows.length;
    }

    public int blockRows(int block) {
        return rows[block];
    }

    public int blockOffset(int block) {
        return offsets[block];
    }

    public int blockLength(int block) {
        return (block + 1 < rows.length ? offsets[block + 1] : bytes.length) - offsets[block];
    }

    public long blockMinTs(int block) {
        return minTs[block];
    }

    public long blockMaxTs(int block) {
        return maxTs[block];
    }

    /** Rows in all blocks. */
    public int totalRows() {
        int total = 0;
        for (int r : rows) {
            total += r;
        }
        return total;
    }

    /** Approximate heap bytes held, for the memory limit. */
    public long sizeBytes() {
        return 96L + bytes.length + 28L * rows.length;
    }

    @Override
    public String toString() {
        return "EncodedBlocks[blocks=" + rows.length + ", rows=" + totalRows() + ", bytes=" + bytes.length + "]";
    }
}
