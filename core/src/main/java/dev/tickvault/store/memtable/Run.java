package dev.tickvault.store.memtable;

import dev.tickvault.store.Table;
import dev.tickvault.store.partition.ChunkFile;
import dev.tickvault.store.partition.ChunkLayout;
import dev.tickvault.store.partition.ColumnBlockCodec;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Committed rows of one series held in memory, ordered by time: immutable once published.
 *
 * <p>A run is a sequence of parts, each sorted by time, where every part starts no earlier than the previous one
 * ends. In-order ingest therefore appends a commit as one more part without copying a row; of commits that overlap
 * earlier rows in time only the parts that overlap are merged (copied).
 *
 * <p>A part may carry its rows already encoded as chunk-file blocks ({@link EncodedBlocks}, written by the commit into
 * its log record): a flush whose parts all carry them copies the bytes instead of encoding the rows again. Appending
 * keeps them; a merge that copies rows drops them (the merged rows have no blocks).
 *
 * <p>A part with blocks may hold them only (no columns: an <em>encoded-only</em> part, see {@link #encodedOnly}): an
 * asynchronous commit whose rows were already in time order encodes them straight from the writer's buffers and keeps
 * no copy of the columns. Such a part's rows are decoded from its blocks whenever they are asked for ({@link
 * #part(int)}, {@link #parts()}, {@link #rows()}); its size, times and blocks are known without decoding.
 *
 * <p>Its size in memory (columns and encoded blocks) is computed once, when it is made: the store sums it on every
 * commit. Against the memory limit a run counts {@linkplain #chargedBytes() more}: an encoded-only part also counts
 * the columns its rows decode into, since a merge of out-of-order commits or a flush that cannot copy its blocks
 * decodes them, and those columns must fit within the limit as they did before the part was kept as blocks only.
 *
 * <p>Appending shares arrays: a run's parts are the first {@link #partCount()} entries of its arrays, which may be
 * longer. {@link #append} writes the newer run's parts into the free entries after them when no other run has claimed
 * those ({@link #claimed}), and the two runs then share the arrays; else it copies the parts into arrays of twice the
 * room. So a run that grows by one commit at a time costs amortised O(1) per commit instead of a copy of every part
 * (O(n²) over the n commits between flushes). Safe for readers: an entry is written once, by the run that claimed it,
 * before that run is made, and a run reads only its own entries. The spare room is at most one reference per part; an
 * older run still held (a reader's snapshot) keeps the parts appended after it reachable through the shared arrays
 * until it is dropped — no more than the memtable held before its flush.
 */
public final class Run {

    private final Table table;
    /** Per part, its rows, or null for an encoded-only part (then its {@link #encoded} entry is not null). */
    private final ColumnData[] parts;
    /** Per part, its rows as encoded blocks, or null; the array itself is null when no part has them. */
    private final EncodedBlocks[] encoded;
    /** Parts of this run: the first entries of {@link #parts} (and {@link #encoded}). */
    private final int count;
    /**
     * Entries of {@link #parts} (and {@link #encoded}) taken by the runs sharing these arrays: only the run with
     * {@code count == claimed} may append in place, and it claims the entries it writes first. Null for arrays given
     * to a constructor: they are full and never written by an append.
     */
    private final AtomicInteger claimed;

    private final long lsn;
    private final long sizeBytes;
    private final long chargedBytes;

    /**
     * @param parts the rows, each part non-empty and sorted by time (stable), parts in time order
     * @param lsn the highest write-ahead-log sequence number whose rows this run holds
     */
    public Run(ColumnData[] parts, long lsn) {
        this(parts, null, lsn);
    }

    /**
     * @param parts the rows, each part non-empty and sorted by time (stable), parts in time order
     * @param encoded null, or per part its rows encoded as blocks (null entries for parts without)
     * @param lsn the highest write-ahead-log sequence number whose rows this run holds
     */
    public Run(ColumnData[] parts, EncodedBlocks[] encoded, long lsn) {
        this(tableOf(parts), parts, encoded, lsn);
    }

    private Run(Table table, ColumnData[] parts, EncodedBlocks[] encoded, long lsn) {
        if (encoded != null && encoded.length != parts.length) {
            throw new IllegalArgumentException("one entry of encoded blocks per part");
        }
        long bytes = 0;
        long decodable = 0;
        for (int p = 0; p < parts.length; p++) {
            ColumnData part = parts[p];
            EncodedBlocks blocks = encoded == null ? null : encoded[p];
            if (part == null) {
                if (blocks == null) {
                    throw new IllegalArgumentException("a part without columns needs its encoded blocks");
                }
                decodable += ColumnData.columnBytes(table, blocks.totalRows());
            } else {
                if (part.size() == 0) {
                    throw new IllegalArgumentException("a run's parts must not be empty");
                }
                if (part.table() != table) {
                    throw new IllegalArgumentException("a run's parts must be of one table");
                }
                bytes += part.sizeBytes();
            }
            if (blocks != null) {
                if (part != null && blocks.totalRows() != part.size()) {
                    throw new IllegalArgumentException(
                            "encoded blocks hold " + blocks.totalRows() + " rows, their part " + part.size());
                }
                bytes += blocks.sizeBytes();
            }
        }
        this.table = table;
        this.parts = parts;
        this.encoded = encoded;
        this.count = parts.length;
        this.claimed = null;
        this.lsn = lsn;
        this.sizeBytes = bytes;
        this.chargedBytes = bytes + decodable;
    }

    public Run(ColumnData rows, long lsn) {
        this(new ColumnData[] {rows}, lsn);
    }

    /** One part, with its rows' encoded blocks (or null). */
    public Run(ColumnData rows, EncodedBlocks blocks, long lsn) {
        this(new ColumnData[] {rows}, blocks == null ? null : new EncodedBlocks[] {blocks}, lsn);
    }

    /**
     * One encoded-only part: trade or book rows held as the chunk-file blocks (chunk format {@link
     * ChunkLayout#FORMAT_VERSION}) a commit encoded and logged, without columns.
     */
    public static Run encodedOnly(Table table, EncodedBlocks blocks, long lsn) {
        if (table != Table.TRADES && table != Table.BOOK) {
            throw new IllegalArgumentException("only trade and book rows are held as blocks: " + table);
        }
        return new Run(table, new ColumnData[1], new EncodedBlocks[] {blocks}, lsn);
    }

    private static Table tableOf(ColumnData[] parts) {
        if (parts.length == 0 || parts[0] == null) {
            throw new IllegalArgumentException("a run needs a first part with columns");
        }
        return parts[0].table();
    }

    public Table table() {
        return table;
    }

    /** Part {@code part}'s rows as encoded blocks, or null when it has none. */
    public EncodedBlocks encoded(int part) {
        return encoded == null ? null : encoded[part];
    }

    public int partCount() {
        return count;
    }

    /** True when part {@code part} holds its blocks only (its rows are decoded when asked for). */
    public boolean encodedOnly(int part) {
        return parts[part] == null;
    }

    public int partSize(int part) {
        ColumnData data = parts[part];
        return data != null ? data.size() : encoded[part].totalRows();
    }

    public long partMinTs(int part) {
        ColumnData data = parts[part];
        return data != null ? data.ts(0) : encoded[part].blockMinTs(0);
    }

    public long partMaxTs(int part) {
        ColumnData data = parts[part];
        if (data != null) {
            return data.ts(data.size() - 1);
        }
        EncodedBlocks blocks = encoded[part];
        return blocks.blockMaxTs(blocks.blockCount() - 1);
    }

    /**
     * Part {@code part}'s rows: its columns, or for an encoded-only part a fresh decoding of its blocks (not kept;
     * callers must not modify either).
     */
    public ColumnData part(int part) {
        return part(part, ChunkFile.ALL_SECTIONS);
    }

    /**
     * As {@link #part(int)} for a reader of only the block sections set in {@code sections} ({@link
     * ChunkFile#ALL_SECTIONS}): an encoded-only part decodes only those (its other columns then hold anything); a part
     * with columns is returned whole.
     */
    public ColumnData part(int part, int sections) {
        ColumnData data = parts[part];
        return data != null ? data : decode(table, encoded[part], sections);
    }

    /**
     * Every part's rows (encoded-only parts decoded afresh, see {@link #part(int)}); callers must not modify the array
     * or the column data.
     */
    public ColumnData[] parts() {
        ColumnData[] all = parts.length == count ? parts : Arrays.copyOf(parts, count);
        for (int p = 0; p < count; p++) {
            if (all[p] == null) {
                if (all == parts) {
                    all = parts.clone();
                }
                all[p] = decode(table, encoded[p]);
            }
        }
        return all;
    }

    /**
     * A decoder per thread for {@link #decode}: a codec holds scratch buffers and, from its first zstd frame, a native
     * zstd context, too costly to make for every part a query reads.
     */
    private static final ThreadLocal<ColumnBlockCodec> DECODERS =
            ThreadLocal.withInitial(() -> new ColumnBlockCodec(0));

    /** Decodes the rows of {@code blocks} (chunk-file blocks of the current format, in time order). */
    static ColumnData decode(Table table, EncodedBlocks blocks) {
        return decode(table, blocks, ChunkFile.ALL_SECTIONS);
    }

    /** As {@link #decode(Table, EncodedBlocks)}, decoding only the block sections set in {@code sections}. */
    static ColumnData decode(Table table, EncodedBlocks blocks, int sections) {
        ColumnData rows = new ColumnData(table, blocks.totalRows());
        ColumnData block = new ColumnData(table, blocks.blockRows(0));
        ColumnBlockCodec codec = DECODERS.get();
        MemorySegment bytes = MemorySegment.ofArray(blocks.bytes());
        for (int b = 0; b < blocks.blockCount(); b++) {
            block.clear();
            block.reserve(blocks.blockRows(b));
            MemorySegment data = bytes.asSlice(blocks.blockOffset(b), blocks.blockLength(b));
            ChunkFile.decodeBlockBytes(
                    table, ChunkLayout.FORMAT_VERSION, data, blocks.blockRows(b), block, codec, null, sections);
            rows.appendRange(block, 0, block.size());
        }
        return rows;
    }

    /** The highest write-ahead-log sequence number whose rows this run holds. */
    public long lsn() {
        return lsn;
    }

    public int size() {
        int total = 0;
        for (int p = 0; p < count; p++) {
            total += partSize(p);
        }
        return total;
    }

    public long minTs() {
        return partMinTs(0);
    }

    public long maxTs() {
        return partMaxTs(count - 1);
    }

    /** Approximate heap bytes held: columns and encoded blocks. */
    public long sizeBytes() {
        return sizeBytes;
    }

    /**
     * Bytes counted against the memory limit: {@link #sizeBytes()} plus, for each encoded-only part, the columns its
     * rows decode into ({@link ColumnData#columnBytes}) — what a merge or a flush that decodes them allocates.
     */
    public long chargedBytes() {
        return chargedBytes;
    }

    /** True when {@code newer} can follow this run without reordering any row. */
    public boolean canAppend(Run newer) {
        return newer.minTs() >= maxTs();
    }

    /**
     * This run followed by {@code newer}, which must start no earlier than this run ends. Copies no rows; writes
     * {@code newer}'s parts into this run's arrays when their free entries are still unclaimed (see the class comment),
     * else copies the parts into new arrays with room for as many again.
     */
    public Run append(Run newer) {
        int total = Math.addExact(count, newer.count);
        boolean blocks = encoded != null || newer.encoded != null;
        ColumnData[] joined = parts;
        EncodedBlocks[] joinedBlocks = encoded;
        AtomicInteger joinedClaimed = claimed;
        boolean inPlace = total <= parts.length
                && (encoded != null || !blocks) // a run without blocks has no array to put newer's in
                && claimed != null
                && claimed.compareAndSet(count, total);
        if (!inPlace) {
            int capacity = Math.max(total, (int) Math.min(Integer.MAX_VALUE - 16, 2L * total));
            joined = new ColumnData[capacity];
            System.arraycopy(parts, 0, joined, 0, count); // entries after this run's may be another run's
            joinedBlocks = null;
            if (blocks) {
                joinedBlocks = new EncodedBlocks[capacity];
                if (encoded != null) {
                    System.arraycopy(encoded, 0, joinedBlocks, 0, count);
                }
            }
            joinedClaimed = new AtomicInteger(total);
        }
        System.arraycopy(newer.parts, 0, joined, count, newer.count);
        if (newer.encoded != null) {
            System.arraycopy(newer.encoded, 0, joinedBlocks, count, newer.count);
        }
        // both runs were checked when made: no second pass over every part (a run may hold hundreds of commits)
        return new Run(
                table,
                joined,
                joinedBlocks,
                total,
                joinedClaimed,
                Math.max(lsn, newer.lsn),
                sizeBytes + newer.sizeBytes,
                chargedBytes + newer.chargedBytes);
    }

    /**
     * A run of the first {@code count} entries of arrays already checked (by the runs they come from), of {@code
     * sizeBytes} in all.
     */
    private Run(
            Table table,
            ColumnData[] parts,
            EncodedBlocks[] encoded,
            int count,
            AtomicInteger claimed,
            long lsn,
            long sizeBytes,
            long chargedBytes) {
        this.table = table;
        this.parts = parts;
        this.encoded = encoded;
        this.count = count;
        this.claimed = claimed;
        this.lsn = lsn;
        this.sizeBytes = sizeBytes;
        this.chargedBytes = chargedBytes;
    }

    /** All rows in one column data (the only part, or a copy of all parts). */
    public ColumnData rows() {
        return rows(0, count);
    }

    /**
     * Merges two runs into one sorted run; on equal times rows of {@code older} come first. Only the rows whose
     * times overlap are copied: the parts of {@code older} that end no later than {@code newer} starts, and the parts
     * of {@code newer} that start no earlier than {@code older} ends, keep their place and form (columns or blocks
     * only, with their blocks); the rest become one merged part of columns, without blocks.
     */
    public static Run merge(Run older, Run newer) {
        if (older.canAppend(newer)) {
            return older.append(newer);
        }
        // newer.minTs() < older.maxTs(): older's last part and newer's first part are always in the overlap
        int olderKept = 0;
        while (older.partMaxTs(olderKept) <= newer.minTs()) {
            olderKept++;
        }
        int newerKeptFrom = newer.count;
        while (newer.partMinTs(newerKeptFrom - 1) >= older.maxTs()) {
            newerKeptFrom--;
        }
        ColumnData middle = mergeRows(older.rows(olderKept, older.count), newer.rows(0, newerKeptFrom));
        int tail = newer.count - newerKeptFrom;
        ColumnData[] parts = new ColumnData[olderKept + 1 + tail];
        System.arraycopy(older.parts, 0, parts, 0, olderKept);
        parts[olderKept] = middle;
        System.arraycopy(newer.parts, newerKeptFrom, parts, olderKept + 1, tail);
        EncodedBlocks[] encoded = null;
        if ((older.encoded != null && olderKept > 0) || (newer.encoded != null && tail > 0)) {
            encoded = new EncodedBlocks[parts.length];
            if (older.encoded != null) {
                System.arraycopy(older.encoded, 0, encoded, 0, olderKept);
            }
            if (newer.encoded != null) {
                System.arraycopy(newer.encoded, newerKeptFrom, encoded, olderKept + 1, tail);
            }
        }
        return new Run(older.table, parts, encoded, Math.max(older.lsn(), newer.lsn()));
    }

    /** The rows of parts {@code [from, to)} in one column data (the part itself when it is one, decoded if need be). */
    private ColumnData rows(int from, int to) {
        if (to - from == 1) {
            return part(from);
        }
        int rows = 0;
        for (int p = from; p < to; p++) {
            rows += partSize(p);
        }
        ColumnData all = new ColumnData(table, rows);
        for (int p = from; p < to; p++) {
            ColumnData part = part(p);
            all.appendRange(part, 0, part.size());
        }
        return all;
    }

    /** Two sorted column data merged stably: on equal times the rows of {@code a} first. */
    private static ColumnData mergeRows(ColumnData a, ColumnData b) {
        ColumnData merged = new ColumnData(a.table(), a.size() + b.size());
        int i = 0;
        int j = 0;
        while (i < a.size() && j < b.size()) {
            if (b.ts(j) < a.ts(i)) {
                int end = j + 1;
                long limit = a.ts(i);
                while (end < b.size() && b.ts(end) < limit) {
                    end++;
                }
                merged.appendRange(b, j, end);
                j = end;
            } else {
                int end = i + 1;
                long limit = b.ts(j);
                while (end < a.size() && a.ts(end) <= limit) {
                    end++;
                }
                merged.appendRange(a, i, end);
                i = end;
            }
        }
        merged.appendRange(a, i, a.size());
        merged.appendRange(b, j, b.size());
        return merged;
    }

    @Override
    public String toString() {
        return "Run[rows=" + size() + ", parts=" + count + ", lsn=" + lsn + "]";
    }
}
