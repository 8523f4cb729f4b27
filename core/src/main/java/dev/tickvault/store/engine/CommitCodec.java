package dev.tickvault.store.engine;

import dev.tickvault.model.SeriesKey;
import dev.tickvault.store.StorageException;
import dev.tickvault.store.Table;
import dev.tickvault.store.codec.ByteColumnCodec;
import dev.tickvault.store.codec.ByteSink;
import dev.tickvault.store.codec.LongColumnCodec;
import dev.tickvault.store.codec.StringColumnCodec;
import dev.tickvault.store.memtable.ColumnData;
import dev.tickvault.store.memtable.EncodedBlocks;
import dev.tickvault.store.partition.ChunkFile;
import dev.tickvault.store.partition.ChunkLayout;
import dev.tickvault.store.partition.ColumnBlockCodec;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The payload of a commit record in the write-ahead log: every row of one commit, grouped by slot.
 *
 * <p>Record types 1, 2 and 8:
 *
 * <pre>
 * commit  := section count (u32), section*
 * section := table id (u8), exchange length (u8), exchange (ASCII), symbol length (u8), symbol (ASCII),
 *            row count (u32), column*  (long columns, then byte columns, then string columns, in table order)
 * column  := encoded length (u32), encoded bytes (LongColumnCodec / ByteColumnCodec / StringColumnCodec)
 * </pre>
 *
 * They differ in book sections only:
 *
 * <ul>
 *   <li>{@link #RECORD_COMMIT} (version 1, replayed, no longer written): one column per book column, as for every
 *       other table.
 *   <li>{@link #RECORD_COMMIT_V2} (replayed, no longer written): a book section holds a single {@code block length
 *       (u32) | book block}, the book block layout of chunk format 2 (per-event times and update ids, see {@code
 *       BookBlockCodec}) with every section stored RAW (no zstd).
 *   <li>{@link #RECORD_COMMIT_BOOK_FORMAT_3} (written by commits that log no section as blocks): as version 2, but
 *       the book block is the layout of chunk format 3 ({@code DictionaryBookBlockCodec}, prices as ticks, every
 *       section RAW). It encodes in ~25-30 CPU ns per level update where format 2 took ~36-42, at ~30 % more log
 *       bytes than format 2 (varints without zstd).
 * </ul>
 *
 * <p>Record type {@link #RECORD_COMMIT_BLOCKS} (9, written by commits that log at least one section as blocks):
 *
 * <pre>
 * commit  := section count (u32), section*
 * section := table id (u8), exchange length (u8), exchange (ASCII), symbol length (u8), symbol (ASCII),
 *            row count (u32), form (u8), body
 * form 0 (COLUMNS): body as the rest of a type-8 section (columns; a book section: block length (u32), chunk-format-3
 *            book block with RAW sections)
 * form 1 (BLOCKS, trades and book only): block count k (u32), k x (block row count (u32), block length (u32)),
 *            then the k blocks back to back: chunk-file blocks of chunk format 3 exactly as the store's ChunkWriter
 *            writes them (ColumnBlockCodec encodeTradeBlock / encodeBookBlock at the store's compression level),
 *            rows sorted by time, all in one UTC day, each block 1 to ChunkLayout.DEFAULT_ROWS_PER_BLOCK rows; the
 *            row counts add up to the section's
 * </pre>
 *
 * A codec made with blocks enabled writes a trade section of at least {@code tradeBlockMinRows} rows (a book section
 * of at least {@code bookBlockMinRows}) within one UTC day in form 1, split into the fewest blocks of at most {@link
 * ChunkLayout#DEFAULT_ROWS_PER_BLOCK} rows, of equal size (±1 row): bytes a flush would write for them, so the flush
 * copies them into the chunk file instead of encoding the rows a second time ({@link EncodedBlocks}). Other sections
 * use form 0. A commit with no form-1 section is written as type 8 (no form bytes). Types 3 to 7 were used by
 * unmerged branches (6: trade blocks without book sections of format 3) and are never written or read.
 *
 * <p>All integers little-endian. The record's CRC is the write-ahead log's; a section that does not parse is reported
 * as corruption. Not thread-safe: one per writer (used by one commit at a time).
 */
final class CommitCodec {

    /** Commit record, version 1: every table's section is one column per table column. */
    static final int RECORD_COMMIT = 1;
    /** Commit record, version 2: book sections hold one book block of chunk format 2. */
    static final int RECORD_COMMIT_V2 = 2;
    /**
     * Commit record whose book sections hold one book block of chunk format 3 (RAW sections). Type 8, not 3: types 3
     * to 7 are left to other record changes.
     */
    static final int RECORD_COMMIT_BOOK_FORMAT_3 = 8;
    /** Commit record whose sections carry a form byte: columns as in type 8, or final chunk-file blocks. */
    static final int RECORD_COMMIT_BLOCKS = 9;
    /** Section form of a type-9 record: as a type-8 section. */
    static final int FORM_COLUMNS = 0;
    /** Section form of a type-9 record: chunk-file blocks (trades or book). */
    static final int FORM_BLOCKS = 1;
    /**
     * Default fewest rows of a trade section logged as blocks: below this a block's fixed costs (nine section headers
     * and zstd frames, a 40-byte index entry) and zstd's shorter window start to show in the chunk files.
     */
    static final int DEFAULT_TRADE_BLOCK_MIN_ROWS = 512;
    /** Default fewest rows of a book section logged as blocks. */
    static final int DEFAULT_BOOK_BLOCK_MIN_ROWS = 4096;
    /** A minimum row count that turns blocks off for a table. */
    static final int NEVER = Integer.MAX_VALUE;

    /**
     * One section of a commit: its slot, its rows sorted by time (null when the codec kept no copy of them: then {@code
     * blocks} holds them, see {@link #encode(Map, boolean, boolean)}), and the blocks the record holds them in (or
     * null).
     */
    record Section(SlotKey key, ColumnData rows, EncodedBlocks blocks) {
        /** The section's row count. */
        int size() {
            return rows != null ? rows.size() : blocks.totalRows();
        }
    }

    /** Receives the sections of a decoded commit record. */
    @FunctionalInterface
    interface SectionSink {
        /** @param blocks the section's rows as stored chunk-file blocks, or null when the record has them as columns */
        void accept(SlotKey key, ColumnData rows, EncodedBlocks blocks);
    }

    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final ByteSink out = new ByteSink(1 << 16);
    private final LongColumnCodec longCodec = new LongColumnCodec();
    private final ByteColumnCodec byteCodec = new ByteColumnCodec();
    private final StringColumnCodec stringCodec = new StringColumnCodec();
    private final ColumnBlockCodec blockCodec = new ColumnBlockCodec(0);
    /** Encodes chunk-file blocks exactly as the flush's {@code ChunkWriter} does: the store's zstd level. */
    private final ColumnBlockCodec chunkBlockCodec;

    private final ByteSink blockOut = new ByteSink(1 << 16);
    private final List<Section> sections = new ArrayList<>();
    private final int columnRecordType;
    private final int tradeBlockMinRows;
    private final int bookBlockMinRows;
    private String[] nulls = new String[0];
    private int length;
    private int lastRecordType;

    /** A codec that writes {@link #RECORD_COMMIT_BOOK_FORMAT_3} records only (no blocks). */
    CommitCodec() {
        this(RECORD_COMMIT_BOOK_FORMAT_3);
    }

    /**
     * A codec that writes records of {@code recordType} only (no blocks): {@link #RECORD_COMMIT_BOOK_FORMAT_3}, or
     * {@link #RECORD_COMMIT_V2} (tests of replaying logs written before type 8).
     */
    CommitCodec(int recordType) {
        this(recordType, 0, NEVER, NEVER);
    }

    /**
     * A codec that logs large single-day sections as chunk-file blocks ({@link #RECORD_COMMIT_BLOCKS}) when {@link
     * #encode(Map, boolean)} is asked to.
     *
     * @param compressionLevel the store's zstd level (that of its chunk files)
     * @param tradeBlockMinRows the fewest rows of a trade section written as blocks ({@link #NEVER}: none)
     * @param bookBlockMinRows the fewest rows of a book section written as blocks ({@link #NEVER}: none)
     */
    CommitCodec(int compressionLevel, int tradeBlockMinRows, int bookBlockMinRows) {
        this(RECORD_COMMIT_BOOK_FORMAT_3, compressionLevel, tradeBlockMinRows, bookBlockMinRows);
    }

    private CommitCodec(int columnRecordType, int compressionLevel, int tradeBlockMinRows, int bookBlockMinRows) {
        if (columnRecordType != RECORD_COMMIT_BOOK_FORMAT_3 && columnRecordType != RECORD_COMMIT_V2) {
            throw new IllegalArgumentException("cannot write commit record type " + columnRecordType);
        }
        this.columnRecordType = columnRecordType;
        this.lastRecordType = columnRecordType;
        this.chunkBlockCodec = new ColumnBlockCodec(compressionLevel);
        this.tradeBlockMinRows = Math.max(1, tradeBlockMinRows);
        this.bookBlockMinRows = Math.max(1, bookBlockMinRows);
    }

    /** The record type the last {@link #encode} wrote: the type to log its payload under. */
    int recordType() {
        return lastRecordType;
    }

    /** True for every record type {@link #decode} reads. */
    static boolean isCommitRecord(int type) {
        return type == RECORD_COMMIT
                || type == RECORD_COMMIT_V2
                || type == RECORD_COMMIT_BOOK_FORMAT_3
                || type == RECORD_COMMIT_BLOCKS;
    }

    /** The chunk format of the book blocks in (form-0) book sections of record type {@code type}; 0 when none. */
    private static int bookBlockFormat(int type) {
        return switch (type) {
            case RECORD_COMMIT_V2 -> 2;
            case RECORD_COMMIT_BOOK_FORMAT_3, RECORD_COMMIT_BLOCKS -> 3;
            default -> 0;
        };
    }

    /** As {@link #encode(Map, boolean)} without blocks. */
    List<Section> encode(Map<SlotKey, ColumnData> buffers) {
        return encode(buffers, false);
    }

    /**
     * Sorts each non-empty buffer by time (a copy: the buffers are reused by the writer) and serialises them into a
     * payload in {@link #buffer()} ({@link #length()} bytes) of type {@link #recordType()}. With {@code blocks},
     * sections large enough within one UTC day are written as final chunk-file blocks (type 9); the sections returned
     * (in record order, valid until the next call) carry them.
     */
    List<Section> encode(Map<SlotKey, ColumnData> buffers, boolean blocks) {
        return encode(buffers, blocks, false);
    }

    /**
     * As {@link #encode(Map, boolean)}; with {@code blocksOnly} (and {@code blocks}), a section that the record holds as
     * blocks carries no copy of the rows ({@code rows} null): the blocks are the rows. A buffer already in time order
     * is encoded straight from the buffer (no copy of any column); one out of order is sorted into a scratch reused
     * by every commit ({@link #sortScratch}) and encoded from it (no copy allocated, none kept in memory until the
     * flush). The bytes written are the same.
     */
    List<Section> encode(Map<SlotKey, ColumnData> buffers, boolean blocks, boolean blocksOnly) {
        return encode(buffers, blocks, blocksOnly, null);
    }

    /**
     * As {@link #encode(Map, boolean, boolean)}, calling {@code prepare} (if not null) with each slot just before its
     * buffer is read: the writer fills a buffer's columns from its trade tiles there, so they are still in this
     * thread's caches when they are encoded.
     */
    List<Section> encode(
            Map<SlotKey, ColumnData> buffers,
            boolean blocks,
            boolean blocksOnly,
            java.util.function.Consumer<SlotKey> prepare) {
        return encode(buffers, blocks, blocksOnly, prepare, null);
    }

    /**
     * As {@link #encode(Map, boolean, boolean, java.util.function.Consumer)}; with {@code blocks} and {@code
     * blocksOnly}, a slot for which {@code preEncoded} (if not null) gives its rows' raw sections (encoded by a
     * {@link TradePreEncoder}, the writer's or the committer's: rows the codec would log as blocks only) is compressed from them ({@link
     * #compressBlocks}) instead of being prepared and encoded here; the bytes are the same.
     */
    List<Section> encode(
            Map<SlotKey, ColumnData> buffers,
            boolean blocks,
            boolean blocksOnly,
            java.util.function.Consumer<SlotKey> prepare,
            java.util.function.Function<SlotKey, PreEncodedTrades> preEncoded) {
        sections.clear();
        boolean anyBlocks = false;
        for (Map.Entry<SlotKey, ColumnData> e : buffers.entrySet()) {
            if (blocks && blocksOnly && preEncoded != null) {
                PreEncodedTrades pre = preEncoded.apply(e.getKey());
                if (pre != null) {
                    if (prepare != null && pre.sectionsPerBlock() < ColumnBlockCodec.TRADE_BLOCK_SECTIONS) {
                        prepare.accept(e.getKey()); // the columns the writer did not read for its sections
                    }
                    preEncodedSections++;
                    sections.add(new Section(e.getKey(), null, compressBlocks(pre, e.getValue())));
                    anyBlocks = true;
                    continue;
                }
            }
            if (prepare != null) {
                prepare.accept(e.getKey());
            }
            ColumnData rows = e.getValue();
            if (rows.size() > 0) {
                Table table = e.getKey().table();
                ColumnData ordered = null;
                if (blocks && blocksOnly && rows.size() >= blockMinRows(table)) {
                    // the buffer itself when in time order, else its rows sorted into a scratch that is not kept
                    ordered = rows.sortedByTime(sortScratch(table));
                    if (blockEncodable(table, ordered)) {
                        sections.add(new Section(e.getKey(), null, encodeBlocks(ordered)));
                        anyBlocks = true;
                        continue;
                    }
                }
                ColumnData sorted = (ordered != null ? ordered : rows).sortedCopy();
                EncodedBlocks encoded = blocks && wantsBlocks(table, sorted) ? encodeBlocks(sorted) : null;
                anyBlocks |= encoded != null;
                sections.add(new Section(e.getKey(), sorted, encoded));
            }
        }
        lastRecordType = anyBlocks ? RECORD_COMMIT_BLOCKS : columnRecordType;
        out.reset();
        out.putInt(sections.size());
        for (Section section : sections) {
            int n = section.size();
            Table table = section.key().table();
            SeriesKey series = section.key().series();
            out.putByte(table.id());
            putAscii(series.exchange());
            putAscii(series.symbol());
            out.putInt(n);
            EncodedBlocks encoded = section.blocks();
            if (encoded != null) {
                out.putByte(FORM_BLOCKS);
                out.putInt(encoded.blockCount());
                for (int b = 0; b < encoded.blockCount(); b++) {
                    out.putInt(encoded.blockRows(b));
                    out.putInt(encoded.blockLength(b));
                }
                out.putBytes(encoded.bytes());
                continue;
            }
            if (anyBlocks) {
                out.putByte(FORM_COLUMNS);
            }
            encodeColumns(table, section.rows());
        }
        length = out.position();
        return sections;
    }

    private boolean wantsBlocks(Table table, ColumnData sorted) {
        return sorted.size() >= blockMinRows(table) && blockEncodable(table, sorted);
    }

    /** The fewest rows of a section of {@code table} logged as blocks ({@link #NEVER} for tables without blocks). */
    private int blockMinRows(Table table) {
        return switch (table) {
            case TRADES -> tradeBlockMinRows;
            case BOOK -> bookBlockMinRows;
            default -> NEVER;
        };
    }

    /**
     * The scratch {@link #encode} sorts a section of {@code table} into when it logs the section as blocks only: one
     * per table, reused by every commit of this codec (one commit at a time), as large as the largest such section
     * out of time order so far — bounded by the writer's limit on uncommitted rows, which bounds every section.
     */
    private ColumnData sortScratch(Table table) {
        return sortScratch.computeIfAbsent(table, t -> new ColumnData(t, 16));
    }

    private final Map<Table, ColumnData> sortScratch = new EnumMap<>(Table.class);

    /** True when {@code sorted} may be stored as blocks: non-empty trades or book rows, all in one UTC day. */
    static boolean blockEncodable(Table table, ColumnData sorted) {
        int n = sorted.size();
        return (table == Table.TRADES || table == Table.BOOK)
                && n > 0
                && PartitionPaths.dayOf(sorted.ts(0)) == PartitionPaths.dayOf(sorted.ts(n - 1));
    }

    /**
     * Encodes time-sorted trade or book rows as chunk-file blocks of the current chunk format: the fewest blocks of at
     * most {@link ChunkLayout#DEFAULT_ROWS_PER_BLOCK} rows, sizes equal to within one row.
     */
    EncodedBlocks encodeBlocks(ColumnData sorted) {
        int n = sorted.size();
        int count = blockCount(n);
        int[] rows = new int[count];
        int[] offsets = new int[count];
        long[] minTs = new long[count];
        long[] maxTs = new long[count];
        boolean book = sorted.table() == Table.BOOK;
        blockOut.reset();
        int start = 0;
        for (int b = 0; b < count; b++) {
            int size = blockSize(n, count, b);
            offsets[b] = blockOut.position();
            if (book) {
                chunkBlockCodec.encodeBookBlock(ChunkLayout.FORMAT_VERSION, sorted, start, size, blockOut);
            } else {
                chunkBlockCodec.encodeTradeBlock(sorted, start, size, blockOut);
            }
            rows[b] = size;
            minTs[b] = sorted.ts(start);
            maxTs[b] = sorted.ts(start + size - 1);
            start += size;
        }
        return new EncodedBlocks(Arrays.copyOf(blockOut.array(), blockOut.position()), rows, offsets, minTs, maxTs);
    }

    private long preEncodedSections;

    /** Sections written from pre-encoded raw sections so far (for tests). */
    long preEncodedSections() {
        return preEncodedSections;
    }

    /** Blocks {@link #encodeBlocks} splits {@code n} rows into: the fewest of at most the chunk layout's rows. */
    static int blockCount(int n) {
        return (n + ChunkLayout.DEFAULT_ROWS_PER_BLOCK - 1) / ChunkLayout.DEFAULT_ROWS_PER_BLOCK;
    }

    /** Rows of block {@code b} of {@code count} holding {@code n} rows: sizes equal to within one row. */
    static int blockSize(int n, int count, int b) {
        return n / count + (b < n % count ? 1 : 0);
    }

    /**
     * The blocks {@link #encodeBlocks} would write for {@code rows}, given {@code pre}, the first raw sections of each
     * of their blocks: those compressed, the others encoded from {@code rows} and compressed, as the chunk writer
     * does (same bytes).
     */
    EncodedBlocks compressBlocks(PreEncodedTrades pre, ColumnData rows) {
        int count = pre.blockCount();
        int per = pre.sectionsPerBlock();
        int[] offsets = new int[count];
        blockOut.reset();
        int start = 0;
        for (int b = 0; b < count; b++) {
            offsets[b] = blockOut.position();
            int size = pre.blockRows(b);
            chunkBlockCodec.finishTradeBlock(pre.raw, b * per, (b + 1) * per, rows, start, size, blockOut);
            start += size;
        }
        if (count * per != pre.raw.count() || start != rows.size()) {
            throw new IllegalStateException("pre-encoded trades hold " + pre.raw.count() + " sections of " + start
                    + " rows, not " + count * per + " of " + rows.size());
        }
        return new EncodedBlocks(
                Arrays.copyOf(blockOut.array(), blockOut.position()),
                pre.blockRowsCopy(),
                offsets,
                pre.minTsCopy(),
                pre.maxTsCopy());
    }

    /** The length of the payload {@link #encode} wrote. */
    int length() {
        return length;
    }

    /** A type-8 (or type-2) section body after the row count. */
    private void encodeColumns(Table table, ColumnData rows) {
        int n = rows.size();
        if (table == Table.BOOK) {
            int at = startColumn();
            blockCodec.encodeBookBlock(bookBlockFormat(columnRecordType), rows, 0, n, out);
            endColumn(at);
            return;
        }
        for (int c = 0; c < table.longColumns().size(); c++) {
            int at = startColumn();
            longCodec.encodeFast(rows.longs(c), 0, n, out);
            endColumn(at);
        }
        for (int c = 0; c < table.byteColumns().size(); c++) {
            int at = startColumn();
            byteCodec.encode(rows.bytes(c), 0, n, out);
            endColumn(at);
        }
        for (int c = 0; c < table.stringColumns().size(); c++) {
            String[] values = rows.strings(c);
            if (values == null) {
                if (nulls.length < n) {
                    nulls = new String[n];
                }
                values = nulls;
            }
            int at = startColumn();
            stringCodec.encode(values, 0, n, out);
            endColumn(at);
        }
    }

    byte[] buffer() {
        return out.array();
    }

    private int startColumn() {
        int at = out.position();
        out.putInt(0);
        return at;
    }

    private void endColumn(int at) {
        int end = out.position();
        out.position(at);
        out.putInt(end - at - 4);
        out.position(end);
    }

    private void putAscii(String s) {
        out.putByte(s.length());
        for (int i = 0; i < s.length(); i++) {
            out.putByte(s.charAt(i));
        }
    }

    /** Parses a commit payload of record type {@code type}, handing each section's rows to {@code sink}. */
    static void decode(int type, MemorySegment payload, SectionSink sink) {
        if (!isCommitRecord(type)) {
            throw new StorageException(StorageException.Kind.CORRUPT, "unknown log record type " + type);
        }
        int bookFormat = bookBlockFormat(type);
        ColumnBlockCodec blockCodec = null;
        Reader in = new Reader(payload);
        int sections = in.readInt();
        LongColumnCodec longCodec = new LongColumnCodec();
        ByteColumnCodec byteCodec = new ByteColumnCodec();
        StringColumnCodec stringCodec = new StringColumnCodec();
        for (int s = 0; s < sections; s++) {
            Table table = Table.ofId(in.readByte());
            String exchange = in.readAscii();
            String symbol = in.readAscii();
            SeriesKey series;
            try {
                series = SeriesKey.of(exchange, symbol);
            } catch (IllegalArgumentException e) {
                throw new StorageException(
                        StorageException.Kind.CORRUPT, "commit record names an invalid series: " + e.getMessage());
            }
            int n = in.readInt();
            if (n < 0) {
                throw new StorageException(StorageException.Kind.CORRUPT, "commit record has a negative row count");
            }
            SlotKey key = new SlotKey(table, series);
            int form = type == RECORD_COMMIT_BLOCKS ? in.readByte() : FORM_COLUMNS;
            if (form == FORM_BLOCKS && (table == Table.TRADES || table == Table.BOOK) && n > 0) {
                if (blockCodec == null) {
                    blockCodec = new ColumnBlockCodec(0);
                }
                decodeBlocks(in, key, n, blockCodec, sink);
                continue;
            }
            if (form != FORM_COLUMNS) {
                throw new StorageException(
                        StorageException.Kind.CORRUPT, "commit record section of form " + form + " for " + table);
            }
            ColumnData rows = new ColumnData(table, n);
            rows.reserve(n);
            if (bookFormat != 0 && table == Table.BOOK && n > 0) {
                if (blockCodec == null) {
                    blockCodec = new ColumnBlockCodec(0);
                }
                MemorySegment block = in.column();
                in.expectConsumed(blockCodec.decodeBookBlock(bookFormat, block, n, rows, null), block);
                sink.accept(key, rows, null);
                continue;
            }
            for (int c = 0; c < table.longColumns().size(); c++) {
                MemorySegment column = in.column();
                in.expectConsumed(longCodec.decode(column, 0, n, rows.longs(c), 0), column);
            }
            for (int c = 0; c < table.byteColumns().size(); c++) {
                MemorySegment column = in.column();
                in.expectConsumed(byteCodec.decode(column, 0, n, rows.bytes(c), 0), column);
            }
            for (int c = 0; c < table.stringColumns().size(); c++) {
                MemorySegment column = in.column();
                String[] values = new String[n];
                in.expectConsumed(stringCodec.decode(column, 0, n, values, 0), column);
                for (int i = 0; i < n; i++) {
                    rows.setString(c, i, values[i]);
                }
            }
            sink.accept(key, rows, null);
        }
        if (in.position != payload.byteSize()) {
            throw new StorageException(StorageException.Kind.CORRUPT, "commit record has trailing bytes");
        }
    }

    /**
     * Reads a form-1 section's blocks: decodes them into columns (checked: every block consumed exactly, row counts
     * adding up, times sorted within one UTC day) and keeps a copy of their bytes for the flush.
     */
    private static void decodeBlocks(Reader in, SlotKey key, int n, ColumnBlockCodec codec, SectionSink sink) {
        Table table = key.table();
        int count = in.readInt();
        if (count < 1 || count > n) {
            throw new StorageException(
                    StorageException.Kind.CORRUPT, "commit record " + table + " section has " + count + " blocks");
        }
        int[] rowCounts = new int[count];
        int[] offsets = new int[count];
        long[] minTs = new long[count];
        long[] maxTs = new long[count];
        long totalRows = 0;
        long totalBytes = 0;
        for (int b = 0; b < count; b++) {
            rowCounts[b] = in.readInt();
            int blockLength = in.readInt();
            if (rowCounts[b] < 1 || rowCounts[b] > ChunkLayout.DEFAULT_ROWS_PER_BLOCK || blockLength < 0) {
                throw new StorageException(
                        StorageException.Kind.CORRUPT,
                        "commit record " + table + " block " + b + " of " + rowCounts[b] + " rows, " + blockLength
                                + " bytes");
            }
            offsets[b] = (int) totalBytes;
            totalRows += rowCounts[b];
            totalBytes += blockLength;
        }
        if (totalRows != n) {
            throw new StorageException(
                    StorageException.Kind.CORRUPT,
                    "commit record " + table + " blocks hold " + totalRows + " rows, the section " + n);
        }
        MemorySegment bytesSegment = in.slice(totalBytes);
        byte[] bytes = bytesSegment.toArray(ValueLayout.JAVA_BYTE);
        MemorySegment heap = MemorySegment.ofArray(bytes);
        ColumnData rows = new ColumnData(table, n);
        ColumnData block = new ColumnData(table, rowCounts[0]);
        for (int b = 0; b < count; b++) {
            long end = b + 1 < count ? offsets[b + 1] : bytes.length;
            MemorySegment data = heap.asSlice(offsets[b], end - offsets[b]);
            block.clear();
            block.reserve(rowCounts[b]);
            long consumed = ChunkFile.decodeBlockBytes(
                    table, ChunkLayout.FORMAT_VERSION, data, rowCounts[b], block, codec, null);
            in.expectConsumed(consumed, data);
            if (!block.isSortedByTime() || (rows.size() > 0 && block.ts(0) < rows.ts(rows.size() - 1))) {
                throw new StorageException(
                        StorageException.Kind.CORRUPT,
                        "commit record " + table + " block " + b + " is not in time order");
            }
            minTs[b] = block.ts(0);
            maxTs[b] = block.ts(block.size() - 1);
            rows.appendRange(block, 0, block.size());
        }
        if (PartitionPaths.dayOf(rows.ts(0)) != PartitionPaths.dayOf(rows.ts(n - 1))) {
            throw new StorageException(
                    StorageException.Kind.CORRUPT, "commit record " + table + " blocks span more than one UTC day");
        }
        sink.accept(key, rows, new EncodedBlocks(bytes, rowCounts, offsets, minTs, maxTs));
    }

    /** Bounds-checked little-endian reads from a payload. */
    private static final class Reader {
        private final MemorySegment payload;
        private long position;

        Reader(MemorySegment payload) {
            this.payload = payload;
        }

        private void need(long n) {
            if (n < 0 || position + n > payload.byteSize()) {
                throw new StorageException(
                        StorageException.Kind.CORRUPT,
                        "commit record truncated at byte " + position + " (needs " + n + ")");
            }
        }

        int readByte() {
            need(1);
            return payload.get(ValueLayout.JAVA_BYTE, position++) & 0xff;
        }

        int readInt() {
            need(4);
            int v = payload.get(INT, position);
            position += 4;
            return v;
        }

        String readAscii() {
            int n = readByte();
            need(n);
            byte[] bytes = payload.asSlice(position, n).toArray(ValueLayout.JAVA_BYTE);
            position += n;
            return new String(bytes, StandardCharsets.US_ASCII);
        }

        MemorySegment column() {
            return slice(readInt());
        }

        MemorySegment slice(long n) {
            need(n);
            MemorySegment slice = payload.asSlice(position, n);
            position += n;
            return slice;
        }

        void expectConsumed(long consumed, MemorySegment column) {
            if (consumed != column.byteSize()) {
                throw new StorageException(
                        StorageException.Kind.CORRUPT,
                        "commit record column decoded " + consumed + " of " + column.byteSize() + " bytes");
            }
        }
    }
}
