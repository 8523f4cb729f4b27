package dev.tickvault.store.partition;

import dev.tickvault.store.StorageException;
import dev.tickvault.store.Table;
import dev.tickvault.store.codec.BlockCompressor;
import dev.tickvault.store.codec.ByteColumnCodec;
import dev.tickvault.store.codec.ByteSink;
import dev.tickvault.store.codec.LongColumnCodec;
import dev.tickvault.store.codec.StringColumnCodec;
import dev.tickvault.store.memtable.ColumnData;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * Encodes and decodes the column sections of a chunk block: each column is encoded by the column codecs (see
 * {@code docs/FORMAT.md}) and wrapped by {@link BlockCompressor} (zstd where it pays).
 *
 * <pre>
 * section := section length (u32) | BlockCompressor frame holding the column codec's bytes
 * </pre>
 *
 * Not thread-safe: holds scratch buffers; one instance per writer or reading cursor.
 */
public final class ColumnBlockCodec {

    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final LongColumnCodec longCodec = new LongColumnCodec();
    private final ByteColumnCodec byteCodec = new ByteColumnCodec();
    private final StringColumnCodec stringCodec = new StringColumnCodec();
    private final BlockCompressor compressor;
    private final ByteSink column = new ByteSink(1 << 10);
    private String[] strings = new String[0];
    /** Heap copies: codecs read heap segments far faster than mapped or native ones (no liveness checks). */
    private byte[] blockCopy = new byte[0];

    private byte[] rawCopy = new byte[0];

    /** Column 1 stored as {@code recv - ts}, one long encoding of the block's rows. */
    static final int RECEIVE_RELATIVE = 0;
    /** Column 1 stored as is, one long encoding of the block's rows. */
    static final int RECEIVE_ABSOLUTE = 1;
    /**
     * Column 1 split by the time column: first the long encoding of {@code recv[i] - recv[i-1]} for the rows
     * {@code i >= 1} whose time equals the previous row's (in row order), then the long encoding of
     * {@code recv[i] - ts[i]} for the other rows (row 0 and every row where the time changes).
     */
    static final int RECEIVE_SPLIT = 2;

    private BookBlockCodec book;

    /**
     * Appends rows {@code [start, start + count)} (count &gt;= 1) of book rows in the book block layout (see
     * {@link BookBlockCodec}), each section compressed as this codec's level says (0: RAW frames).
     */
    public void encodeBookBlock(ColumnData rows, int start, int count, ByteSink out) {
        book().encode(this, rows, start, count, out);
    }

    /**
     * Decodes {@code count} book rows written by {@link #encodeBookBlock} from the start of {@code block} into
     * {@code dst} (reserved for them); returns the bytes consumed. {@code file} names the source in errors.
     */
    public long decodeBookBlock(MemorySegment block, int count, ColumnData dst, Path file) {
        return book().decode(this, block, count, dst, file);
    }

    /**
     * As {@link #encodeBookBlock(ColumnData, int, int, ByteSink)} in the book block layout of chunk format {@code
     * version}: 2 ({@link BookBlockCodec}: chunk format 2, and commit records up to type 2), 3 ({@link
     * DictionaryBookBlockCodec}: chunk format 3, and commit records of type 8, RAW) or 4 ({@link
     * ContextMixingBookBlockCodec}: archived chunk files only).
     */
    public void encodeBookBlock(int version, ColumnData rows, int start, int count, ByteSink out) {
        if (version >= ChunkLayout.ARCHIVE_FORMAT_VERSION) {
            contextMixingBook().encode(rows, start, count, out);
        } else if (version >= 3) {
            dictionaryBook().encode(this, rows, start, count, out);
        } else {
            book().encode(this, rows, start, count, out);
        }
    }

    /** Decodes a book block of chunk format {@code version} (2, 3 or 4); see {@link #decodeBookBlock}. */
    public long decodeBookBlock(int version, MemorySegment block, int count, ColumnData dst, Path file) {
        if (version >= ChunkLayout.ARCHIVE_FORMAT_VERSION) {
            return contextMixingBook().decode(block, count, dst, file);
        }
        return version >= 3
                ? dictionaryBook().decode(this, block, count, dst, file)
                : book().decode(this, block, count, dst, file);
    }

    /** The book table's block codec (chunk format version 2), sharing this codec's scratch. */
    BookBlockCodec book() {
        if (book == null) {
            book = new BookBlockCodec();
        }
        return book;
    }

    private DictionaryBookBlockCodec dictionaryBook;
    private ContextMixingBookBlockCodec contextMixingBook;

    /** The book table's block codec of chunk format version 4 (book block version 6), created on first use. */
    private ContextMixingBookBlockCodec contextMixingBook() {
        if (contextMixingBook == null) {
            contextMixingBook = new ContextMixingBookBlockCodec();
        }
        return contextMixingBook;
    }

    private boolean bookPriceDictionary;

    /**
     * Whether book blocks of chunk format 3 written from now on store prices as positions in a per-block price
     * dictionary (a few % smaller on real Binance depth, but dearer to encode) instead of ticks against the group's
     * previous price (the default). Readers decode both.
     */
    public void bookPriceDictionary(boolean enabled) {
        if (enabled != bookPriceDictionary) {
            bookPriceDictionary = enabled;
            dictionaryBook = null;
        }
    }

    /** The book table's block codec of chunk format version 3. */
    DictionaryBookBlockCodec dictionaryBook() {
        if (dictionaryBook == null) {
            dictionaryBook = new DictionaryBookBlockCodec(bookPriceDictionary);
        }
        return dictionaryBook;
    }

    /** zstd levels of trade block sections: see {@link #tradeSectionLevel(int)} and {@link #tradeReceiveLevel(int)}. */
    private final int tradeSectionLevel;

    private final int tradeReceiveLevel;
    /** zstd levels of book block sections: see {@link #bookSectionLevel(int)} and {@link #bookQuantityLevel(int)}. */
    private final int bookSectionLevel;

    private final int bookQuantityLevel;
    private final ByteSink[] receiveCandidates = {new ByteSink(1 << 10), new ByteSink(1 << 10), new ByteSink(1 << 10)};
    private long[] receiveScratch = new long[0];
    private long[] receiveScratch2 = new long[0];

    /** @param compressionLevel zstd level for writing (0 = off); irrelevant for reading */
    public ColumnBlockCodec(int compressionLevel) {
        this.compressor = new BlockCompressor(compressionLevel);
        this.tradeSectionLevel = tradeSectionLevel(compressionLevel);
        this.tradeReceiveLevel = tradeReceiveLevel(compressionLevel);
        this.tradeSectionMinMatch = tradeSectionMinMatch(compressionLevel);
        this.tradeSectionHashLog = tradeSectionHashLog(tradeSectionLevel);
        this.tradeReceiveHashLog = tradeSectionHashLog(tradeReceiveLevel);
        this.bookSectionLevel = bookSectionLevel(compressionLevel);
        this.bookQuantityLevel = bookQuantityLevel(compressionLevel);
    }

    /**
     * Sizes the encoders' scratch now for blocks of up to {@link ChunkLayout#DEFAULT_ROWS_PER_BLOCK} rows
     * ({@link LongColumnCodec#reserveScratch()}): for a long-lived encoder made in a warm process.
     */
    public void reserveEncodeScratch() {
        longCodec.reserveScratch();
    }

    void encodeLongs(long[] values, int offset, int count, ByteSink out) {
        column.reset();
        longCodec.encode(values, offset, count, column);
        writeSection(out);
    }

    /**
     * Encodes long column 1 (receive time, or a gap's end) of rows {@code [offset, offset + count)} given column 0,
     * as whichever of {@link #RECEIVE_RELATIVE}, {@link #RECEIVE_ABSOLUTE} and {@link #RECEIVE_SPLIT} encodes
     * smallest before compression: a mode byte, then that form's long encodings.
     */
    void encodeReceiveTimes(long[] ts, long[] recv, int offset, int count, ByteSink out) {
        if (receiveScratch.length < count) {
            receiveScratch = new long[count];
            receiveScratch2 = new long[count];
        }
        long[] a = receiveScratch;
        long[] b = receiveScratch2;
        // Size the three forms without writing them, then write only the smallest (ties: the lower mode).
        for (int i = 0; i < count; i++) {
            a[i] = recv[offset + i] - ts[offset + i];
        }
        long relativeSize = longCodec.encodedSize(a, 0, count);
        long absoluteSize = longCodec.encodedSize(recv, offset, count);

        // Split: in-burst deltas to the front of b, burst-start relative values (already in a) compacted in place.
        int inBurst = 0;
        int starts = count == 0 ? 0 : 1;
        for (int i = 1; i < count; i++) {
            if (ts[offset + i] == ts[offset + i - 1]) {
                b[inBurst++] = recv[offset + i] - recv[offset + i - 1];
            } else {
                a[starts++] = a[i];
            }
        }
        long splitSize = (long) longCodec.encodedSize(b, 0, inBurst) + longCodec.encodedSize(a, 0, starts);

        int mode = RECEIVE_RELATIVE;
        long best = relativeSize;
        if (absoluteSize < best) {
            mode = RECEIVE_ABSOLUTE;
            best = absoluteSize;
        }
        if (splitSize < best) {
            mode = RECEIVE_SPLIT;
        }
        ByteSink chosen = candidate(mode);
        switch (mode) {
            case RECEIVE_RELATIVE -> {
                for (int i = 0; i < count; i++) {
                    a[i] = recv[offset + i] - ts[offset + i]; // the split pass compacted a
                }
                longCodec.encode(a, 0, count, chosen);
            }
            case RECEIVE_ABSOLUTE -> longCodec.encode(recv, offset, count, chosen);
            default -> {
                longCodec.encode(b, 0, inBurst, chosen);
                longCodec.encode(a, 0, starts, chosen);
            }
        }
        writeSection(chosen, out);
    }

    /**
     * Appends rows {@code [start, start + count)} (count &gt;= 1) of trade rows in the trade block layout of chunk
     * format version 3: the sections of version 1 in the same order, each column in a fixed form chosen for trade
     * data, so encoding plans little and walks each column once or twice:
     *
     * <pre>
     * ts        packed frames (encodeFast: FRAME_OF_REFERENCE or DELTA)
     * recv_ts   mode byte RECEIVE_SPLIT, in-burst steps as SCALED_VARINTS or packed frames (smaller raw size),
     *           burst starts' recv - ts as packed frames (LongColumnCodec.encodeFast)
     * price     DELTA_VARINTS (steps in ticks)
     * qty       BYTE_PLANES
     * trade_id  packed frames (encodeFast)
     * bytes, strings as in version 1
     * </pre>
     *
     * Every section is self-describing, so {@link ChunkFile} decodes it with the version-1 section decoders.
     *
     * <p>zstd runs at {@link #tradeSectionLevel}: on the times and prices finding no matches, the frames holding
     * Huffman-coded literals only ({@link #literalsOnly}); on the other sections with minimum match {@link
     * #tradeSectionMinMatch}, but on the receive times, which get {@link #tradeReceiveLevel} and zstd's default minimum
     * match: on these encodings lower levels compress as well and cost less (see there). The receive times are tried on a sample first
     * ({@link BlockCompressor#compressSectionSampled}): the synthetic day's, whose latency jitter is random, never
     * compress (zstd's output 98.5% of the input, so every section is stored RAW after a whole zstd pass); measured
     * (session 9, the synthetic day's commit-sized blocks): 1,496 of 2,332 receive-time sections, 84% of their bytes,
     * are stored RAW after compressing only their first eighth, and no section that zstd would have kept; on the real
     * Binance captures (blocks of 1,000 to 8,192 rows) no section is stored RAW by the sample, so their bytes are
     * unchanged and they pay an eighth more zstd work on that section.
     */
    public void encodeTradeBlock(ColumnData rows, int start, int count, ByteSink out) {
        long[] ts = rows.longs(Table.TS);
        encodeFastSection(ts, start, count, out);
        encodeSplitReceiveTimes(ts, rows.longs(Table.RECV_TS), start, count, out);
        column.reset();
        longCodec.encodeDeltaVarints(rows.longs(Table.PRICE), start, count, column);
        writeLiteralsSection(column, out);
        column.reset();
        longCodec.encodeBytePlanes(rows.longs(Table.QTY), start, count, column);
        writeTradeSection(column, out);
        column.reset();
        longCodec.encodeFast(rows.longs(Table.TRADE_ID), start, count, column);
        writeTradeSection(column, out);
        for (int c = 0; c < Table.TRADES.byteColumns().size(); c++) {
            column.reset();
            byteCodec.encode(rows.bytes(c), start, count, column);
            writeTradeSection(column, out);
        }
        for (int c = 0; c < Table.TRADES.stringColumns().size(); c++) {
            encodeTradeStrings(rows.strings(c), start, count, out);
        }
    }

    /**
     * The first half of {@link #encodeTradeBlock}: appends the block's first {@code sections} column sections to
     * {@code raw} uncompressed, in block order ({@code count} &gt;= 1, {@code sections} 1 to {@link
     * #TRADE_BLOCK_SECTIONS}). {@link #finishTradeBlock} of a codec at the same compression level then writes exactly
     * the bytes {@code encodeTradeBlock} writes. Lets the writer's thread encode some of the columns of a commit while
     * the committer compresses them and encodes the rest (see {@code TradePreEncoder}).
     */
    public void encodeTradeBlockRaw(ColumnData rows, int start, int count, RawSections raw, int sections) {
        if (count < 1) {
            throw new IllegalArgumentException("a trade block holds at least one row");
        }
        if (sections < 1 || sections > TRADE_BLOCK_SECTIONS) {
            throw new IllegalArgumentException("a trade block has 1 to " + TRADE_BLOCK_SECTIONS + " sections");
        }
        for (int s = 0; s < sections; s++) {
            fillTradeSection(s, rows, start, count);
            raw.add(column, s == 1 ? RawSections.RECEIVE : RawSections.TRADE);
        }
    }

    /** Section {@code s} of a trade block (see {@link #encodeTradeBlock}), uncompressed, into {@link #column}. */
    private void fillTradeSection(int s, ColumnData rows, int start, int count) {
        column.reset();
        switch (s) {
            case 0 -> longCodec.encodeFast(rows.longs(Table.TS), start, count, column);
            case 1 -> fillSplitReceiveTimes(rows.longs(Table.TS), rows.longs(Table.RECV_TS), start, count);
            case 2 -> longCodec.encodeDeltaVarints(rows.longs(Table.PRICE), start, count, column);
            case 3 -> longCodec.encodeBytePlanes(rows.longs(Table.QTY), start, count, column);
            case 4 -> longCodec.encodeFast(rows.longs(Table.TRADE_ID), start, count, column);
            case 5, 6, 7 -> byteCodec.encode(rows.bytes(s - 5), start, count, column);
            default -> fillStrings(rows.strings(s - 8), start, count);
        }
    }

    /** Sections of a trade block: the long, byte and string columns of the trades table, one each. */
    public static final int TRADE_BLOCK_SECTIONS = Table.TRADES.longColumns().size()
            + Table.TRADES.byteColumns().size()
            + Table.TRADES.stringColumns().size();

    /**
     * The second half of {@link #encodeTradeBlock}: compresses the block's first sections, {@code [from, to)} of
     * {@code raw} (filled by {@link #encodeTradeBlockRaw}), into {@code out}, then encodes and compresses its other
     * sections from rows {@code [start, start + count)} of {@code rows}: the bytes {@code encodeTradeBlock} writes.
     */
    public void finishTradeBlock(
            RawSections raw, int from, int to, ColumnData rows, int start, int count, ByteSink out) {
        byte[] bytes = raw.bytes.array();
        for (int s = from; s < to; s++) {
            int at = raw.start(s);
            int length = raw.end(s) - at;
            int section = s - from;
            if (raw.kind(s) == RawSections.RECEIVE) {
                compressor.compressSectionSampled(bytes, at, length, out, tradeReceiveLevel, 0, tradeReceiveHashLog);
            } else if (literalsOnly(section)) {
                compressor.compressSectionLiterals(bytes, at, length, out, tradeSectionLevel);
            } else {
                compressor.compressSection(
                        bytes, at, length, out, tradeSectionLevel, tradeSectionMinMatch, tradeSectionHashLog);
            }
        }
        for (int s = to - from; s < TRADE_BLOCK_SECTIONS; s++) {
            fillTradeSection(s, rows, start, count);
            if (s == 1) {
                compressor.compressSectionSampled(column, out, tradeReceiveLevel, 0, tradeReceiveHashLog);
            } else if (literalsOnly(s)) {
                writeLiteralsSection(column, out);
            } else {
                writeTradeSection(column, out);
            }
        }
    }

    /**
     * Whether section {@code s} of a trade block (see {@link #encodeTradeBlock}) is compressed as literals only
     * ({@link BlockCompressor#compressSectionLiterals}): the times and the prices, whose encodings (packed frames,
     * delta varints) repeat little beyond their byte frequencies, so zstd's level-1 matches on them cost more in
     * sequence codes than they save. Measured (session 14, the synthetic day's commit-sized blocks and the real
     * Binance captures' 8,192-row blocks, B/row and zstd CPU ns/row, level 1 with minimum match 7 and hash log 12
     * against literals only): times synthetic 0.704 / 0.653 (6.9 / 3.1 ns), spot 0.511 / 0.490, USD-M 0.375 / 0.366;
     * prices 0.346 / 0.291 (5.8 / 2.9 ns), 0.516 / 0.497, 0.326 / 0.298. The other sections keep zstd's matches: the
     * quantities' byte planes (literals only: 1.843 → 2.048 synthetic), the receive times (level 2; USD-M 1.385 →
     * 1.504), the trade ids' packed frames (real spot 0.006 → 0.011), the sides (real 0.074 → 0.076) and the strings.
     */
    static boolean literalsOnly(int s) {
        return s == 0 || s == 2;
    }

    /**
     * zstd's minimum match length for a trade block's sections other than the receive times: 7 (zstd's largest) when
     * they are compressed at level 1 or 2, else the level's default. Measured (session 8, every 8,192-row block of
     * the synthetic day's binance:BTCUSDT and of the real Binance spot and USD-M captures, level 1, default minimum
     * match 4 against 7, B/row): times 0.647 / 0.623, 0.515 / 0.509, 0.380 / 0.374; prices 0.437 / 0.417, 0.525 /
     * 0.517, 0.338 / 0.326; quantities 1.696 / 1.696, 1.361 / 1.360, 0.930 / 0.928; sides 0.082 / 0.080, 0.074 /
     * 0.072, 0.070 / 0.068. The packed frames and varints hold few long repeats, so short matches mostly cost
     * sequences that encode no smaller than literals; with 7 zstd also spends about 20-35% less CPU on the times
     * and prices. The receive times keep the default: their frames at 7 are 6% larger on USD-M (1.492 against 1.382).
     */
    static int tradeSectionMinMatch(int level) {
        int sectionLevel = tradeSectionLevel(level);
        return sectionLevel == 1 || sectionLevel == 2 ? 7 : 0;
    }

    private final int tradeSectionMinMatch;

    /** Writes a trade block's section at {@link #tradeSectionLevel} and {@link #tradeSectionMinMatch}. */
    private void writeTradeSection(ByteSink raw, ByteSink out) {
        compressor.compressSection(raw, out, tradeSectionLevel, tradeSectionMinMatch, tradeSectionHashLog);
    }

    /**
     * zstd's hash log for a trade block's sections when they are compressed at level 1 or 2 (else 0, the level's
     * default): a 16 KB table instead of the 64 KB one zstd picks for a section of a few KB. On the committer, which
     * encodes columns between sections, the larger table is mostly out of cache at each section. Measured (session 9,
     * every section of the synthetic day's commit-sized blocks and of the real Binance captures' 8,192-row blocks,
     * sections compressed in block order between the column encoders, default against 12): zstd CPU on the synthetic
     * day 48 → 38 ns/row (times 15.9 → 10.9, receive times 6.9 → 5.3, prices 9.8 → 8.6, quantities 10.4 → 8.4);
     * bytes synthetic 3.672 → 3.673 B/row, real spot 4.149 → 4.153, USD-M 3.081 → 3.086.
     */
    static final int TRADE_SECTION_HASH_LOG = 12;

    /** {@link #TRADE_SECTION_HASH_LOG} for a section compressed at zstd level {@code sectionLevel}, else 0. */
    static int tradeSectionHashLog(int sectionLevel) {
        return sectionLevel == 1 || sectionLevel == 2 ? TRADE_SECTION_HASH_LOG : 0;
    }

    private final int tradeSectionHashLog;
    private final int tradeReceiveHashLog;

    /**
     * The zstd level of a trade block's sections other than the receive times, for a codec at {@code level}: two
     * below it from level 3 up (the default 3 gives 1), else {@code level}. Measured on the real Binance captures and
     * the synthetic day (session 5, every section of every 8,192-row block compressed at levels 1, 2 and 3): packed
     * frames, delta varints and byte planes come out no larger at level 1 than at 3 (synthetic 3.668 against 3.673
     * B/row for all sections, real spot 4.166 against 4.174, USD-M 3.103 against 3.115, with the receive times at 2)
     * for about 30% less zstd time.
     */
    static int tradeSectionLevel(int level) {
        return level >= 3 ? level - 2 : level;
    }

    /**
     * The zstd level of a trade block's receive-time section for a codec at {@code level}: one below it from level 3
     * up (the default 3 gives 2), else {@code level}. Level 1 loses the 10% saving that zstd must reach on the real
     * spot receive times, level 2 keeps it at level 3's size.
     */
    static int tradeReceiveLevel(int level) {
        return level >= 3 ? level - 1 : level;
    }

    /** A trade block's times section ({@code LongColumnCodec.encodeFast}), literals only (see {@link #literalsOnly}). */
    private void encodeFastSection(long[] values, int offset, int count, ByteSink out) {
        column.reset();
        longCodec.encodeFast(values, offset, count, column);
        writeLiteralsSection(column, out);
    }

    /** Writes a trade block's section at {@link #tradeSectionLevel} as literals only (see {@link #literalsOnly}). */
    private void writeLiteralsSection(ByteSink raw, ByteSink out) {
        compressor.compressSectionLiterals(raw, out, tradeSectionLevel);
    }

    /**
     * Writes the receive-time section in the {@link #RECEIVE_SPLIT} form without sizing the other forms: one
     * branch-free pass splits the column; the form of the in-burst steps (scaled varints or packed frames, the smaller
     * raw size) is chosen on their first {@link #STEP_SAMPLE} values; the burst starts are written as packed frames.
     */
    void encodeSplitReceiveTimes(long[] ts, long[] recv, int offset, int count, ByteSink out) {
        if (count == 0) {
            encodeReceiveTimes(ts, recv, offset, count, out);
            return;
        }
        fillSplitReceiveTimes(ts, recv, offset, count);
        // Sampled first: receive times with random latency jitter (the synthetic day's) do not compress at all.
        compressor.compressSectionSampled(column, out, tradeReceiveLevel, 0, tradeReceiveHashLog);
    }

    /** The uncompressed section of {@link #encodeSplitReceiveTimes} ({@code count} &gt;= 1) into {@link #column}. */
    private void fillSplitReceiveTimes(long[] ts, long[] recv, int offset, int count) {
        if (receiveScratch.length < count) {
            receiveScratch = new long[count];
            receiveScratch2 = new long[count];
        }
        long[] starts = receiveScratch;
        long[] steps = receiveScratch2;
        starts[0] = recv[offset] - ts[offset];
        int inBurst = splitReceiveTimes(ts, recv, offset + 1, offset + count, steps, starts);
        int startCount = count - inBurst; // row offset and every row that does not continue a burst
        column.reset();
        column.putByte(RECEIVE_SPLIT);
        int sample = Math.min(inBurst, STEP_SAMPLE);
        // Frames proven at most a byte a step on the sample by the column's own plan (one plan, not one of the sample
        // and one of the column), tried only while the last section's steps took that few: otherwise the plan would
        // likely be wasted. The bytes are the same either way (see scaledStepsScale).
        if (!stepsInSmallFrames
                || longCodec.encodeFastIfSampleWithin(
                                steps, 0, inBurst, sample, LongColumnCodec.scaledVarintsMinSize(sample), column)
                        < 0) {
            int scale = scaledStepsScale(steps, sample);
            if (scale > 0) {
                longCodec.encodeScaledVarints(steps, 0, inBurst, scale, column);
            } else {
                longCodec.encodeFast(steps, 0, inBurst, column);
            }
        }
        longCodec.encodeFast(starts, 0, startCount, column);
    }

    /**
     * Whether the in-burst steps of the last receive-time section this codec sized took at most a byte a step as
     * packed frames on their sample: a guess about the next section that only decides which way its form is computed
     * (same bytes), so it may be carried from series to series.
     */
    private boolean stepsInSmallFrames = true;

    /**
     * The scale of the scaled varints the in-burst steps are written as, or 0 for packed frames: the scaled varints
     * when their raw size on the first {@code sample} steps is below the packed frames' ({@link
     * LongColumnCodec#encodedSizeFast}) at the scale most of the sample shares ({@link
     * LongColumnCodec#dominantExponent}, none: frames).
     *
     * <p>The frames are sized first: when they take no more than a byte a step ({@link
     * LongColumnCodec#scaledVarintsMinSize}), as on the synthetic day (~2 bits a step), no scaled varints can be
     * smaller, so neither the scale nor their size is computed (the same answer as computing both; session 17).
     */
    private int scaledStepsScale(long[] steps, int sample) {
        // No steps (a rare block without bursts) is decided here, not by the callees' own count checks: a branch first
        // taken after C2 compiled them deoptimises them.
        if (sample == 0) {
            return 0;
        }
        long framesSize = longCodec.encodedSizeFast(steps, 0, sample);
        stepsInSmallFrames = framesSize <= LongColumnCodec.scaledVarintsMinSize(sample);
        if (stepsInSmallFrames) {
            return 0;
        }
        int scale = LongColumnCodec.dominantExponent(steps, 0, sample);
        return scale > 0 && LongColumnCodec.scaledVarintsSmaller(steps, 0, sample, scale, framesSize) ? scale : 0;
    }

    /**
     * Splits rows {@code [from, to)} (from &gt;= 1): a row whose time equals the previous row's appends its receive
     * step to {@code steps}, any other row its {@code recv - ts} to {@code starts} after the one already there.
     * Returns the steps written. A loop of its own rather than inside {@link #encodeSplitReceiveTimes}, so that method
     * (called once per block) is never compiled by C2 around it; see {@code EncodeKernels}.
     */
    private static int splitReceiveTimes(long[] ts, long[] recv, int from, int to, long[] steps, long[] starts) {
        int inBurst = 0;
        int startCount = 1;
        // Branch-free: whether a row continues a burst is data, not a predictable branch. Both arrays hold count
        // slots and each pass writes at most count - 1 of them past the first, so the unused write stays in bounds.
        for (int i = from; i < to; i++) {
            int same = equalBit(ts[i], ts[i - 1]);
            steps[inBurst] = recv[i] - recv[i - 1];
            starts[startCount] = recv[i] - ts[i];
            inBurst += same;
            startCount += 1 - same;
        }
        return inBurst;
    }

    /** In-burst receive steps on which the trade layout chooses their form (a whole number of frames). */
    static final int STEP_SAMPLE = 8 * LongColumnCodec.FRAME_SIZE;

    private ByteSink candidate(int mode) {
        ByteSink sink = receiveCandidates[mode];
        sink.reset();
        sink.putByte(mode);
        return sink;
    }

    /**
     * Decodes the section written by {@link #encodeReceiveTimes}, given the already decoded {@code ts}; returns the
     * position after it.
     */
    long decodeReceiveTimes(MemorySegment block, long position, int count, long[] ts, long[] dst, Path file) {
        return decodeReceiveTimes(block, position, count, ts, dst, 0, count, file);
    }

    /**
     * As {@link #decodeReceiveTimes(MemorySegment, long, int, long[], long[], Path)} where only rows {@code [fromRow,
     * toRow)} must come out right (the other rows of {@code dst} then hold anything): in the split form, rows are
     * rebuilt from the last burst start at or before {@code fromRow} up to {@code toRow} only (both encodings are
     * still read whole). A range's first block is often needed from near its end.
     */
    long decodeReceiveTimes(
            MemorySegment block, long position, int count, long[] ts, long[] dst, int fromRow, int toRow, Path file) {
        MemorySegment raw = openSection(block, position, file);
        try {
            if (raw.byteSize() < 1) {
                throw StorageException.corrupt("receive-time section is empty", file, position);
            }
            int mode = firstByte(raw);
            long p = 1;
            switch (mode) {
                case RECEIVE_RELATIVE -> {
                    p += longCodec.decode(raw, p, count, dst, 0);
                    for (int i = 0; i < count; i++) {
                        dst[i] += ts[i];
                    }
                }
                case RECEIVE_ABSOLUTE -> p += longCodec.decode(raw, p, count, dst, 0);
                case RECEIVE_SPLIT -> {
                    // The first row rebuilt: a burst start (a row whose time differs from the previous one, or row
                    // 0), whose receive time needs no earlier row's.
                    int first = count == 0 ? 0 : burstStartAtOrBefore(ts, Math.min(fromRow, count - 1));
                    int inBurstBefore = countInBurstBefore(ts, first);
                    int inBurst = inBurstBefore;
                    for (int i = Math.max(1, first); i < count; i += MERGE_GROUP) {
                        inBurst += countInBurstGroup(ts, i, Math.min(count, i + MERGE_GROUP));
                    }
                    int starts = count - inBurst;
                    if (receiveScratch.length < count + 1) {
                        receiveScratch = new long[count + 1];
                        receiveScratch2 = new long[count + 1];
                    }
                    long[] deltas = receiveScratch2;
                    long[] relative = receiveScratch;
                    p += longCodec.decode(raw, p, inBurst, deltas, 0);
                    p += longCodec.decode(raw, p, starts, relative, 0);
                    if (count > 0) {
                        dst[first] = ts[first] + relative[first - inBurstBefore];
                    }
                    int d = inBurstBefore;
                    for (int i = first + 1; i < toRow; i += MERGE_GROUP) {
                        d = mergeReceiveTimesGroup(ts, deltas, relative, dst, i, Math.min(toRow, i + MERGE_GROUP), d);
                    }
                }
                default -> throw StorageException.corrupt("unknown receive-time mode " + mode, file, position);
            }
            check(p, raw, position, file);
        } catch (IndexOutOfBoundsException e) {
            throw StorageException.corrupt("receive-time column overruns its section", file, position);
        }
        return nextSection;
    }

    /**
     * Rows per call of the receive-time loops: kept short so that the JIT compiles them after a few hundred calls
     * (a loop inside one call per block is compiled only after ~60,000 iterations; see DecodeKernels).
     */
    private static final int MERGE_CHUNK = 32;

    /** Rows per call of the group methods that loop over the chunked ones (compiled after a few blocks). */
    private static final int MERGE_GROUP = 256;

    /** The last row at or before {@code row} whose time differs from the previous row's, or 0. */
    private static int burstStartAtOrBefore(long[] ts, int row) {
        int start = row;
        while (start > 0 && ts[start] == ts[start - 1]) {
            start--;
        }
        return start;
    }

    /** The rows {@code i} in {@code [1, to)} whose time equals the previous row's. */
    private static int countInBurstBefore(long[] ts, int to) {
        int inBurst = 0;
        for (int i = 1; i < to; i += MERGE_GROUP) {
            inBurst += countInBurstGroup(ts, i, Math.min(to, i + MERGE_GROUP));
        }
        return inBurst;
    }

    private static int countInBurstGroup(long[] ts, int from, int to) {
        int inBurst = 0;
        for (int i = from; i < to; i += MERGE_CHUNK) {
            inBurst += countInBurst(ts, i, Math.min(to, i + MERGE_CHUNK));
        }
        return inBurst;
    }

    private static int mergeReceiveTimesGroup(
            long[] ts, long[] deltas, long[] relative, long[] dst, int from, int to, int d) {
        for (int i = from; i < to; i += MERGE_CHUNK) {
            d = mergeReceiveTimes(ts, deltas, relative, dst, i, Math.min(to, i + MERGE_CHUNK), d);
        }
        return d;
    }

    /** The rows {@code i} in {@code [from, to)} (from &gt;= 1) whose time equals the previous row's. */
    private static int countInBurst(long[] ts, int from, int to) {
        int inBurst = 0;
        for (int i = from; i < to; i++) {
            inBurst += equalBit(ts[i], ts[i - 1]);
        }
        return inBurst;
    }

    /**
     * Rebuilds receive times of rows {@code [from, to)} (from &gt;= 1, row {@code from - 1} done) from the in-burst
     * steps and the burst starts' {@code recv - ts}; {@code d} in-burst steps were used before row {@code from}
     * (so {@code from - d} starts). Returns the steps used after row {@code to - 1}.
     */
    private static int mergeReceiveTimes(
            long[] ts, long[] deltas, long[] relative, long[] dst, int from, int to, int d) {
        // Branch-free: whether a row continues a burst is data, not a predictable branch. The scratch arrays have one
        // spare element, so reading one past the last used value is safe.
        long previous = dst[from - 1];
        long previousTs = ts[from - 1];
        for (int i = from; i < to; i++) {
            long t = ts[i];
            int same = equalBit(t, previousTs);
            long continued = previous + deltas[d];
            long started = t + relative[i - d];
            previous = started + ((continued - started) & -(long) same);
            dst[i] = previous;
            previousTs = t;
            d += same;
        }
        return d;
    }

    /** 1 when {@code a == b}, else 0, without a branch (equal times inside bursts are unpredictable). */
    private static int equalBit(long a, long b) {
        long difference = a ^ b;
        return (int) (((difference | -difference) >>> 63) ^ 1);
    }

    void encodeBytes(byte[] values, int offset, int count, ByteSink out) {
        column.reset();
        byteCodec.encode(values, offset, count, column);
        writeSection(out);
    }

    void encodeStrings(String[] values, int offset, int count, ByteSink out) {
        fillStrings(values, offset, count);
        writeSection(column, out, compressor.level());
    }

    /** A trade block's string section. */
    private void encodeTradeStrings(String[] values, int offset, int count, ByteSink out) {
        fillStrings(values, offset, count);
        writeTradeSection(column, out);
    }

    private void fillStrings(String[] values, int offset, int count) {
        column.reset();
        if (values == null) {
            stringCodec.encodeNulls(count, column);
        } else {
            stringCodec.encode(values, offset, count, column);
        }
    }

    private void writeSection(ByteSink out) {
        writeSection(column, out);
    }

    /**
     * Writes one section holding the long encodings of {@code first[0, firstCount)} and then
     * {@code second[secondOffset, secondOffset + secondCount)}, back to back in one compression frame.
     */
    void encodeLongPair(long[] first, int firstCount, long[] second, int secondOffset, int secondCount, ByteSink out) {
        encodeLongPair(first, firstCount, second, secondOffset, secondCount, false, out);
    }

    /** As {@link #encodeLongPair}, the second encoding as varints when {@code varints} (see LongColumnCodec). */
    void encodeLongPair(
            long[] first,
            int firstCount,
            long[] second,
            int secondOffset,
            int secondCount,
            boolean varints,
            ByteSink out) {
        column.reset();
        longCodec.encode(first, 0, firstCount, column);
        if (varints) {
            longCodec.encodeVarints(second, secondOffset, secondCount, column);
        } else {
            longCodec.encode(second, secondOffset, secondCount, column);
        }
        writeSection(out);
    }

    /** A long section of {@code LongColumnCodec.encodeVarints}. */
    void encodeLongVarints(long[] values, int offset, int count, ByteSink out) {
        column.reset();
        longCodec.encodeVarints(values, offset, count, column);
        writeSection(out);
    }

    /**
     * Opens the section at {@code position} for a caller that decodes its raw bytes itself (with
     * {@link #longCodec()}); the position after the section is then {@link #sectionEnd()}.
     */
    MemorySegment rawSection(MemorySegment block, long position, Path file) {
        return openSection(block, position, file);
    }

    /** The position after the section last opened. */
    long sectionEnd() {
        return nextSection;
    }

    LongColumnCodec longCodec() {
        return longCodec;
    }

    /** Throws CORRUPT unless {@code consumed} bytes are exactly the section's raw bytes. */
    static void checkConsumed(long consumed, MemorySegment raw, long position, Path file) {
        check(consumed, raw, position, file);
    }

    /**
     * Writes {@code raw}'s bytes as one section (length and compression frame) of a chunk-format-3 book block other
     * than its quantities, at zstd level {@link #bookSectionLevel}.
     */
    void writeBookSection(ByteSink raw, ByteSink out) {
        compressor.compressSection(raw, out, bookSectionLevel);
    }

    /** As {@link #writeBookSection} for the quantity section, at zstd level {@link #bookQuantityLevel}. */
    void writeBookQuantitySection(ByteSink raw, ByteSink out) {
        compressor.compressSection(raw, out, bookQuantityLevel);
    }

    /**
     * zstd level of a chunk-format-3 book block's sections other than the quantities for a codec at {@code level}:
     * as {@link #tradeSectionLevel} (two below it from level 3 up, so 1 at the default 3). Measured on the real
     * Binance depth recordings in time order, 8,192-row blocks (events / attributes / prices, B per update at levels
     * 3, 2, 1): 0.1427 / 0.1427 / 0.1427, 0.0482 / 0.0482 / 0.0480, 1.1034 / 1.1051 / 1.1017: level 1 is no larger
     * and its zstd time per update is about 40 % lower.
     */
    static int bookSectionLevel(int level) {
        return tradeSectionLevel(level);
    }

    /**
     * zstd level of a chunk-format-3 book block's quantity section for a codec at {@code level}: as {@link
     * #tradeReceiveLevel} (one below it from level 3 up, so 2 at the default 3). Quantities at levels 3, 2, 1: 1.1541,
     * 1.1543, 1.1568 B per update; level 2 keeps level 3's size (the whole block stays smaller than with every section
     * at level 3: 2.4467 against 2.4484 B) at about 2/3 of its zstd time.
     */
    static int bookQuantityLevel(int level) {
        return tradeReceiveLevel(level);
    }

    private void writeSection(ByteSink raw, ByteSink out) {
        writeSection(raw, out, compressor.level());
    }

    /**
     * Kept under C1's 35-byte inlining limit, so the encoders (C1 code) inline it and only {@code compressSection} is
     * hot: when this method held the length prefix itself, C2 compiled it with the compressor inlined (10.6 KB of code)
     * besides the compressor on its own (8.4 KB).
     */
    private void writeSection(ByteSink raw, ByteSink out, int level) {
        compressor.compressSection(raw, out, level);
    }

    /** Decodes a long section at {@code position} of {@code block}; returns the position after it. */
    long decodeLongs(MemorySegment block, long position, int count, long[] dst, Path file) {
        return decodeLongs(block, position, count, dst, 0, count, file);
    }

    /**
     * As {@link #decodeLongs(MemorySegment, long, int, long[], Path)} where only rows {@code [fromRow, toRow)} are
     * needed (see {@code LongColumnCodec.decodeRows}); the section's length is checked only when it was read whole.
     */
    long decodeLongs(MemorySegment block, long position, int count, long[] dst, int fromRow, int toRow, Path file) {
        MemorySegment raw = openSection(block, position, file);
        try {
            checkUnlessPartial(longCodec.decodeRows(raw, 0, count, dst, 0, fromRow, toRow), raw, position, file);
        } catch (IndexOutOfBoundsException e) {
            throw StorageException.corrupt("long column overruns its section", file, position);
        }
        return nextSection;
    }

    long decodeBytes(MemorySegment block, long position, int count, byte[] dst, Path file) {
        return decodeBytes(block, position, count, dst, 0, count, file);
    }

    /** As {@link #decodeLongs(MemorySegment, long, int, long[], int, int, Path)} for a byte column. */
    long decodeBytes(MemorySegment block, long position, int count, byte[] dst, int fromRow, int toRow, Path file) {
        MemorySegment raw = openSection(block, position, file);
        try {
            checkUnlessPartial(byteCodec.decodeRows(raw, 0, count, dst, 0, fromRow, toRow), raw, position, file);
        } catch (IndexOutOfBoundsException e) {
            throw StorageException.corrupt("byte column overruns its section", file, position);
        }
        return nextSection;
    }

    private static void checkUnlessPartial(long consumed, MemorySegment raw, long position, Path file) {
        if (consumed != LongColumnCodec.PARTIAL) {
            check(consumed, raw, position, file);
        }
    }

    /**
     * Decodes a string section into string column {@code column} of {@code dst}, whose rows are null so far (a
     * cleared block); returns the position after it.
     */
    long decodeStrings(MemorySegment block, long position, int count, ColumnData dst, int column, Path file) {
        MemorySegment raw = openSection(block, position, file);
        if (StringColumnCodec.isAllNull(raw)) {
            return nextSection; // nothing to set: the column's rows are null already
        }
        if (strings.length < count) {
            strings = new String[count];
        }
        try {
            check(stringCodec.decode(raw, 0, count, strings, 0), raw, position, file);
        } catch (IndexOutOfBoundsException e) {
            throw StorageException.corrupt("string column overruns its section", file, position);
        }
        for (int i = 0; i < count; i++) {
            if (strings[i] != null) {
                dst.setString(column, i, strings[i]);
                strings[i] = null;
            }
        }
        return nextSection;
    }

    private long nextSection;

    /** Byte 0 of {@code raw}, from the array behind it when it is a heap segment (see {@link #openSection}). */
    private static int firstByte(MemorySegment raw) {
        return raw.heapBase().orElse(null) instanceof byte[] array
                ? array[(int) raw.address()] & 0xFF
                : raw.get(ValueLayout.JAVA_BYTE, 0) & 0xFF;
    }

    /**
     * Skips the section at {@code position} of {@code block} without decompressing it (a reader that does not need
     * its column); returns the position after it. Its length must lie inside the block (CORRUPT otherwise).
     */
    long skipSection(MemorySegment block, long position, Path file) {
        return position + 4 + sectionLength(block, position, file);
    }

    private int sectionLength(MemorySegment block, long position, Path file) {
        if (position + 4 > block.byteSize()) {
            throw StorageException.corrupt("column section header beyond block end", file, position);
        }
        // The length from the heap copy's array when the block is the last heapCopy (always, for chunk files): a
        // MemorySegment read is a chain of method-handle calls that the interpreter runs ~100 times in a first query.
        int length = block == heapBlock ? littleEndianInt(blockCopy, (int) position) : block.get(INT, position);
        if (length < 0 || position + 4 + length > block.byteSize()) {
            throw StorageException.corrupt("column section length " + length + " beyond block end", file, position);
        }
        return length;
    }

    private MemorySegment openSection(MemorySegment block, long position, Path file) {
        int length = sectionLength(block, position, file);
        long read = compressor.decompress(block.asSlice(position + 4, length), 0);
        if (read != length) {
            throw StorageException.corrupt("column section has " + (length - read) + " trailing bytes", file, position);
        }
        nextSection = position + 4 + length;
        MemorySegment raw = compressor.result();
        if (!raw.isNative()) {
            return raw;
        }
        int size = (int) raw.byteSize();
        if (rawCopy.length < size) {
            rawCopy = new byte[Math.max(size, rawCopy.length * 2)];
        }
        MemorySegment heap = MemorySegment.ofArray(rawCopy).asSlice(0, size);
        MemorySegment.copy(raw, 0, heap, 0, size);
        return heap;
    }

    /** Copies a block's bytes to a reusable heap buffer (valid until the next call) and returns it as a segment. */
    MemorySegment heapCopy(MemorySegment block) {
        int size = (int) block.byteSize();
        if (blockCopy.length < size) {
            blockCopy = new byte[Math.max(size, blockCopy.length * 2)];
        }
        MemorySegment heap = MemorySegment.ofArray(blockCopy).asSlice(0, size);
        MemorySegment.copy(block, 0, heap, 0, size);
        heapBlock = heap;
        return heap;
    }

    /** The segment the last {@link #heapCopy} returned (over {@link #blockCopy}). */
    private MemorySegment heapBlock;

    private static int littleEndianInt(byte[] array, int at) {
        return (array[at] & 0xFF) | (array[at + 1] & 0xFF) << 8 | (array[at + 2] & 0xFF) << 16 | array[at + 3] << 24;
    }

    /** The heap array behind the last {@link #heapCopy}. */
    byte[] heapCopyArray() {
        return blockCopy;
    }

    private static void check(long consumed, MemorySegment raw, long position, Path file) {
        if (consumed != raw.byteSize()) {
            throw StorageException.corrupt(
                    "column decoded " + consumed + " of " + raw.byteSize() + " bytes", file, position);
        }
    }
}
