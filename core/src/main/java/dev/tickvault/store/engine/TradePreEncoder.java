package dev.tickvault.store.engine;

import dev.tickvault.store.Table;
import dev.tickvault.store.memtable.ColumnData;
import dev.tickvault.store.partition.ColumnBlockCodec;

/**
 * Encodes a trade slot's rows of an asynchronous commit into the first uncompressed column sections of each chunk-file
 * block the commit will log ({@link PreEncodedTrades}), so that the committer only compresses those, encodes and
 * compresses the others, writes the record and publishes. The writer's thread uses one for the series it encodes while
 * the previous commit is still running; the committer another (every section) for the series the writer left to it
 * ({@link BufferedStoreWriter}). Before session 13 the committer did the whole encode (~30 CPU ns/row) and zstd
 * (~27) while the writer appended for ~33 ns/row: the committer bounded the rate; then the writer did the whole
 * encode and bounded it (session 15 shares it by the committer's pace).
 *
 * <p>Encodes exactly the sections the committer would log as blocks only: a trade slot of at least the codec's
 * fewest block rows, in time order and within one UTC day, when the store keeps no trade-id deduplication (that
 * needs the rows); the blocks are split as {@link CommitCodec#encodeBlocks} splits them. Anything else is left to
 * the commit codec as before.
 *
 * <p>Not thread-safe: each is used by one thread.
 */
final class TradePreEncoder {

    /**
     * Default sections of each block encoded here: all of them, so the committer only compresses. Measured
     * (docs/BENCHMARKS.md, session 13, {@code StoreBenchmark --async}, thread CPU of warm runs, per-round medians,
     * shared machine): base writer 20-37 / committer 60-106 / process 94-172 ns/row; all nine sections here 58-72 /
     * 32-37 / 107-131; two sections (times, receive times) 42-70 / 48-80 / 126-187 — the most even threads, but both
     * then read the columns and the process spends ~12 ns/row more than the base, where with all nine the committer
     * reads only the raw sections and the process spends no more than the base.
     */
    static final int DEFAULT_SECTIONS = ColumnBlockCodec.TRADE_BLOCK_SECTIONS;

    private final ColumnBlockCodec codec;
    private final int minRows;
    private final int sections;
    /**
     * The columns every series' rows are copied into before they are encoded here, when this encodes every section
     * ({@link #staging()}); reused from series to series and commit to commit. Bounded: it grows to the most rows of
     * one series in one commit, which the writer's memory bound already limits (the series' tiles hold them).
     */
    private final ColumnData staging = new ColumnData(Table.TRADES, 1);

    /**
     * @param minRows the fewest rows of a trade section logged as blocks (the commit codec's)
     * @param sections the first sections of each block encoded here (1 to {@link
     *     ColumnBlockCodec#TRADE_BLOCK_SECTIONS}); the committer encodes the others
     */
    TradePreEncoder(int minRows, int sections) {
        if (sections < 1 || sections > ColumnBlockCodec.TRADE_BLOCK_SECTIONS) {
            throw new IllegalArgumentException(
                    "pre-encoded sections must be 1 to " + ColumnBlockCodec.TRADE_BLOCK_SECTIONS + ": " + sections);
        }
        this.codec = new ColumnBlockCodec(0); // raw sections only: they do not depend on the zstd level
        codec.reserveEncodeScratch(); // a new writer's encoder must not grow (and deoptimise) in compiled code
        this.minRows = Math.max(1, minRows);
        this.sections = sections;
    }

    /**
     * The columns ({@link TradeAppender#materialize(int)} parts) the sections encoded here read: the times always
     * (to check the order and the day), each long column of a section encoded here, the byte columns if theirs are.
     */
    int columnsRead() {
        int parts = TradeAppender.longColumnPart(Table.TS);
        for (int c = 1; c < Math.min(sections, 5); c++) { // sections 0-4 are long columns 0-4
            parts |= TradeAppender.longColumnPart(c);
        }
        return sections > 5 ? parts | TradeAppender.BYTE_COLUMNS_PART : parts;
    }

    /**
     * The staging columns to encode a series' rows from ({@link TradeAppender#copyInto}), or null when the committer
     * encodes some sections of each block: then it reads the series' own columns, and they must hold the rows.
     */
    ColumnData staging() {
        return sections == ColumnBlockCodec.TRADE_BLOCK_SECTIONS ? staging : null;
    }

    /**
     * Encodes {@code rows} (a trade slot's rows of one commit) into {@code into} when the committer would log them as
     * blocks only; else marks {@code into} refused for them ({@link PreEncodedTrades#refuse}). Returns whether it
     * encoded them.
     */
    boolean encode(ColumnData rows, PreEncodedTrades into) {
        int n = rows.size();
        if (n < minRows || !CommitCodec.blockEncodable(Table.TRADES, rows) || !rows.isSortedByTime()) {
            into.refuse(n);
            return false;
        }
        int count = CommitCodec.blockCount(n);
        into.start(n, count, sections);
        int start = 0;
        for (int b = 0; b < count; b++) {
            int size = CommitCodec.blockSize(n, count, b);
            codec.encodeTradeBlockRaw(rows, start, size, into.raw, sections);
            into.addBlock(size, rows.ts(start), rows.ts(start + size - 1));
            start += size;
        }
        return true;
    }
}
