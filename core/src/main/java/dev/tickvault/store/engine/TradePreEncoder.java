package dev.tickvault.store.engine;

import dev.tickvault.store.Table;
import dev.tickvault.store.memtable.ColumnData;
import dev.tickvault.store.partition.ColumnBlockCodec;

/**
 * The writer thread's share of an asynchronous commit: encodes a trade slot's rows into the uncompressed column
 * sections of the chunk-file blocks the commit will log ({@link PreEncodedTrades}), so the committer thread only
 * compresses them, writes the record and publishes. Before it, the committer did the whole encode (~30 CPU ns/row)
 * and zstd (~27) while the writer appended for ~33 ns/row: the committer bounded the rate.
 *
 * <p>Encodes exactly the sections the committer would log as blocks only: a trade slot of at least the codec's
 * fewest block rows, in time order and within one UTC day, when the store keeps no trade-id deduplication (that
 * needs the rows); the blocks are split as {@link CommitCodec#encodeBlocks} splits them. Anything else is left to
 * the committer as before.
 *
 * <p>Not thread-safe: one per writer, used by the writer's thread.
 */
final class TradePreEncoder {

    private final ColumnBlockCodec codec;
    private final int minRows;

    /**
     * @param compressionLevel the store's zstd level (the raw sections do not depend on it; kept for symmetry)
     * @param minRows the fewest rows of a trade section logged as blocks (the commit codec's)
     */
    TradePreEncoder(int compressionLevel, int minRows) {
        this.codec = new ColumnBlockCodec(compressionLevel);
        this.minRows = Math.max(1, minRows);
    }

    /**
     * Encodes {@code rows} (a trade slot's rows of one commit) into {@code into} when the committer would log them as
     * blocks only; else clears {@code into}. Returns whether it encoded them.
     */
    boolean encode(ColumnData rows, PreEncodedTrades into) {
        int n = rows.size();
        if (n < minRows || !CommitCodec.blockEncodable(Table.TRADES, rows) || !rows.isSortedByTime()) {
            into.clear();
            return false;
        }
        int count = CommitCodec.blockCount(n);
        into.start(n, count);
        int start = 0;
        for (int b = 0; b < count; b++) {
            int size = CommitCodec.blockSize(n, count, b);
            codec.encodeTradeBlockRaw(rows, start, size, into.raw);
            into.addBlock(size, rows.ts(start), rows.ts(start + size - 1));
            start += size;
        }
        return true;
    }
}
