package dev.tickvault.store.engine;

import dev.tickvault.model.BookUpdate;
import dev.tickvault.model.Decimal;
import dev.tickvault.model.GapMarker;
import dev.tickvault.model.SeriesKey;
import dev.tickvault.model.Side;
import dev.tickvault.model.Trade;
import dev.tickvault.model.VendorBar;
import dev.tickvault.store.CommitTicket;
import dev.tickvault.store.StorageException;
import dev.tickvault.store.StoreWriter;
import dev.tickvault.store.Table;
import dev.tickvault.store.io.LazyLog;
import dev.tickvault.store.memtable.ColumnData;
import dev.tickvault.store.partition.ColumnBlockCodec;

/**
 * A {@link StoreWriter} that buffers rows per slot in columnar arrays until a commit. Single thread (the writer's),
 * plus one committer thread of its own ({@code tickvault-commit-N}) once {@link #commitAsync()} is used.
 *
 * <p><b>Double buffering:</b> the writer appends into one {@link WriterBuffers} set while the other is committed by the
 * committer thread; {@link #commitAsync()} swaps them. Both sets are reused from commit to commit, each with its own
 * series-to-buffer caches. At most one commit is in flight: {@code commitAsync()} and {@link #commit()} first wait
 * for it (back-pressure by blocking the caller).
 *
 * <p>Trades are appended in tiles ({@link TradeAppender}: two write streams per series instead of eight) and copied
 * into their columns by the thread that commits them, series by series just before each is encoded (the committer
 * for {@link #commitAsync()}); book updates and the other tables are appended into their columns directly.
 *
 * <p><b>The writer's share of an asynchronous commit, set by the committer's pace:</b> {@link #commitAsync()} first
 * encodes, on the writer's thread, the first sections (by default all of them) of each block of the trade series the
 * commit will log as blocks only, uncompressed ({@link TradePreEncoder}; only the columns they read are copied out of
 * the tiles), series by series <em>while the committer is still busy with the previous commit</em>: before each
 * series it checks (one volatile read) whether that commit is done, and if so stops and hands the set over. The
 * committer then encodes the series the writer left, each just before its turn in the record, with its own encoder
 * (every section, from the handed set's tiles), compresses the raw sections (and encodes the sections the writer's
 * encoder did not), logs and publishes. So the encode goes to whichever thread has time: a committer that is waiting
 * gets the whole encode, a busy one gets none, and the writer never waits longer than before to hand over. Same bytes
 * whichever thread encoded which series. The raw sections of a set are reused staging counted in its memory from the
 * hand-over on (the uncompressed encodings of the rows' pre-encoded columns: a few bytes per row, at most ~9 per long
 * value plus section headers, against the tiles' 43); the committer's encoder keeps one series' staging columns and
 * raw sections, reused (like the columns a commit fills, outside the count: at most one series' rows).
 *
 * <p>Bounded: the memory of both sets together (the rows appended and the rows of the commit in flight; a trade counts
 * its tiles, ~43 bytes per row of capacity; the columns a commit fills from them are reused staging outside the count,
 * at most as many bytes again) is held under half the store's memory limit. When appending would grow past it, the
 * writer first waits for the commit in flight and lets go of the committed set's buffers; if the rows appended since
 * the last commit alone exceed it, the append fails with {@link StorageException.Kind#BACK_PRESSURE} (commit more
 * often); nothing already appended is lost.
 *
 * <p>A failed asynchronous commit fails the writer: every later call throws {@link StorageException.Kind#CLOSED}
 * naming the cause, except {@link #close()}. The store's {@code close()} waits for a commit in flight of a writer
 * still open and stops its thread.
 */
public final class BufferedStoreWriter implements StoreWriter {

    private static final LazyLog LOG = LazyLog.of(BufferedStoreWriter.class);

    /**
     * System property: the fewest rows of a trade section that an asynchronous commit logs as chunk-file blocks
     * (default {@value CommitCodec#DEFAULT_TRADE_BLOCK_MIN_ROWS}); {@code 2147483647} turns it off (for measurements).
     */
    static final String TRADE_BLOCK_MIN_ROWS_PROPERTY = "tickvault.commitBlockMinRows";
    /**
     * System property: as {@link #TRADE_BLOCK_MIN_ROWS_PROPERTY} for book sections (default {@value
     * CommitCodec#DEFAULT_BOOK_BLOCK_MIN_ROWS}).
     */
    static final String BOOK_BLOCK_MIN_ROWS_PROPERTY = "tickvault.commitBookBlockMinRows";
    /**
     * System property: {@code true} makes synchronous commits log blocks too (default false: a synchronous commit
     * encodes on the caller's thread, where the log's cheaper column encoding keeps the caller's wait short).
     */
    static final String SYNC_BLOCKS_PROPERTY = "tickvault.syncCommitBlocks";

    /**
     * System property: {@code false} (or 0) leaves the whole encode of an asynchronous commit to the committer thread;
     * a number 1 to 9 is the sections of each trade block the writer's thread encodes (default {@code true}: {@link
     * TradePreEncoder#DEFAULT_SECTIONS}); for measurements.
     */
    static final String PRE_ENCODE_PROPERTY = "tickvault.writerPreEncode";

    private final StoreEngine engine;
    /**
     * Encodes an asynchronous commit's trade blocks on the writer's thread, or null (off, or deduplication of trade
     * ids: those commits keep the rows).
     */
    private final TradePreEncoder preEncoder;
    /**
     * The committer thread's encoder for the trade series the writer left to it (every section), and the raw sections
     * it encodes one series into at a time; null when {@link #preEncoder} is.
     */
    private final TradePreEncoder committerEncoder;

    private final PreEncodedTrades committerScratch;
    /**
     * For tests: at or above 0, the writer pre-encodes exactly that many series of each asynchronous commit and the
     * committer the rest, whatever the committer is doing; -1 (always, outside tests): the writer stops when the
     * commit in flight is done.
     */
    private int preEncodeSplit = -1;
    /** {@link #stopPreEncode}, made once. */
    private final java.util.function.IntPredicate stopPreEncode = this::stopPreEncode;
    /** Used by one commit at a time: a synchronous commit first waits for the asynchronous one in flight. */
    private final CommitCodec codec;
    /** Whether synchronous commits log large sections as chunk-file blocks (asynchronous ones always may). */
    private final boolean syncBlocks;

    private final long pendingLimitBytes;
    /** The set rows are appended into. */
    private WriterBuffers active = new WriterBuffers();
    /** Rows appended into {@link #active} since it was last swapped in or cleared (a field here, not in the set, so the per-row count touches no other object). */
    private int activeRows;
    /**
     * The other set: the committer's while {@link #inFlight} has not completed, then empty and ready to be swapped in.
     * Null before the first asynchronous commit (and after memory pressure let go of it).
     */
    private WriterBuffers spare;
    /** Memory of {@link #spare}, measured when it was handed to the committer (its buffers do not grow after that). */
    private long spareSizeBytes;
    /** The last asynchronous commit (completed or not), or null. */
    private AsyncCommit inFlight;
    /** Created with the first asynchronous commit. */
    private WriterCommitter committer;
    /** The asynchronous commit that failed, which fails the writer; set by the committer thread. */
    private volatile AsyncCommit failedCommit;

    /**
     * The series of the last trade and its appender in {@link #active}: the next trade of the same series skips the
     * cache. Forgotten ({@link #forgetLastSeries}) whenever {@code active} is swapped or cleared.
     */
    private SeriesKey lastTradeSeries;

    private TradeAppender lastTradeAppender;
    /** The same for book updates. */
    private SeriesKey lastBookSeries;

    private BookAppender lastBookAppender;
    private boolean closed;

    BufferedStoreWriter(StoreEngine engine) {
        this(
                engine,
                rowsProperty(
                        TRADE_BLOCK_MIN_ROWS_PROPERTY,
                        System.getProperty(TRADE_BLOCK_MIN_ROWS_PROPERTY),
                        CommitCodec.DEFAULT_TRADE_BLOCK_MIN_ROWS),
                rowsProperty(
                        BOOK_BLOCK_MIN_ROWS_PROPERTY,
                        System.getProperty(BOOK_BLOCK_MIN_ROWS_PROPERTY),
                        CommitCodec.DEFAULT_BOOK_BLOCK_MIN_ROWS),
                booleanProperty(SYNC_BLOCKS_PROPERTY, System.getProperty(SYNC_BLOCKS_PROPERTY)));
    }

    /**
     * A row-count system property's value: {@code defaultRows} when unset, else a whole number ≥ 1; anything else is a
     * clear error naming the property (never silently the default).
     */
    static int rowsProperty(String name, String value, int defaultRows) {
        if (value == null) {
            return defaultRows;
        }
        try {
            int rows = Integer.parseInt(value.strip());
            if (rows >= 1) {
                return rows;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("system property " + name
                + " must be a whole number of rows >= 1 (2147483647: never), not '" + value + "'");
    }

    /** A boolean system property's value: false when unset, else {@code true} or {@code false}; anything else is an error. */
    static boolean booleanProperty(String name, String value) {
        if (value == null) {
            return false;
        }
        return switch (value.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default ->
                throw new IllegalArgumentException(
                        "system property " + name + " must be true or false, not '" + value + "'");
        };
    }

    /**
     * @param tradeBlockMinRows the fewest rows of a trade section that a commit logs as chunk-file blocks ({@link
     *     CommitCodec}); {@code Integer.MAX_VALUE} logs every trade section as columns (the flush then encodes)
     * @param bookBlockMinRows the same for book sections
     * @param syncBlocks whether synchronous commits log blocks too (asynchronous commits do)
     */
    BufferedStoreWriter(StoreEngine engine, int tradeBlockMinRows, int bookBlockMinRows, boolean syncBlocks) {
        this(engine, tradeBlockMinRows, bookBlockMinRows, syncBlocks, preEncodeProperty());
    }

    /**
     * {@link #PRE_ENCODE_PROPERTY}'s value as sections per block: unset or {@code true} the default ({@link
     * TradePreEncoder#DEFAULT_SECTIONS}), {@code false} 0, else a number of sections.
     */
    static int preEncodeProperty() {
        return preEncodeSections(System.getProperty(PRE_ENCODE_PROPERTY));
    }

    /** {@link #preEncodeProperty()} of the property's {@code value} (null: unset). */
    static int preEncodeSections(String value) {
        if (value == null) {
            return TradePreEncoder.DEFAULT_SECTIONS;
        }
        String v = value.strip().toLowerCase(java.util.Locale.ROOT);
        if (v.equals("true") || v.equals("false")) {
            return v.equals("true") ? TradePreEncoder.DEFAULT_SECTIONS : 0;
        }
        try {
            int sections = Integer.parseInt(v);
            if (sections >= 0 && sections <= ColumnBlockCodec.TRADE_BLOCK_SECTIONS) {
                return sections;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("system property " + PRE_ENCODE_PROPERTY + " must be true, false or 0 to "
                + ColumnBlockCodec.TRADE_BLOCK_SECTIONS + ", not '" + value + "'");
    }

    /**
     * As {@link #BufferedStoreWriter(StoreEngine, int, int, boolean)}; {@code preEncodeSections} 0 leaves the whole
     * encode of an asynchronous commit to the committer, else the writer's thread encodes the first that many
     * sections of each trade block ({@link #PRE_ENCODE_PROPERTY}).
     */
    BufferedStoreWriter(
            StoreEngine engine,
            int tradeBlockMinRows,
            int bookBlockMinRows,
            boolean syncBlocks,
            int preEncodeSections) {
        this.engine = engine;
        this.codec = new CommitCodec(engine.config().compressionLevel(), tradeBlockMinRows, bookBlockMinRows);
        boolean preEncode = preEncodeSections > 0 && !engine.config().deduplicateTradeIds();
        this.preEncoder = preEncode ? new TradePreEncoder(tradeBlockMinRows, preEncodeSections) : null;
        this.committerEncoder =
                preEncode ? new TradePreEncoder(tradeBlockMinRows, TradePreEncoder.DEFAULT_SECTIONS) : null;
        this.committerScratch = preEncode ? new PreEncodedTrades() : null;
        this.syncBlocks = syncBlocks;
        this.pendingLimitBytes = engine.config().memtableLimitBytes() / 2;
    }

    public static StoreWriter create(StoreEngine engine) {
        return new BufferedStoreWriter(engine);
    }

    @Override
    public void appendTrade(
            SeriesKey series,
            long tsNanos,
            long recvTsNanos,
            long priceMantissa,
            int priceScale,
            long quantityMantissa,
            int quantityScale,
            Side side,
            long tradeId) {
        // Validate before reserving the row, so a rejected row leaves nothing half-written behind.
        java.util.Objects.requireNonNull(series, "series");
        byte sideCode = (byte) side.code();
        byte priceScaleByte = checkScale(priceScale);
        byte quantityScaleByte = checkScale(quantityScale);
        ensureNotFailed();
        TradeAppender appender = series == lastTradeSeries ? lastTradeAppender : tradeAppender(series);
        if (appender.full()) {
            checkPendingLimit();
        }
        activeRows++;
        appender.append(
                tsNanos,
                recvTsNanos,
                priceMantissa,
                quantityMantissa,
                tradeId,
                priceScaleByte,
                quantityScaleByte,
                sideCode);
    }

    /** The appender of {@code series}' trades in the active set (created on first use); remembered as the last. */
    private TradeAppender tradeAppender(SeriesKey series) {
        SeriesBufferCache<TradeAppender> cache = active.tradeBuffers;
        TradeAppender appender = cache.get(series);
        if (appender == null) {
            ensureUsable();
            appender = active.tradeAppender(series);
            cache.put(series, appender);
        }
        lastTradeSeries = series;
        lastTradeAppender = appender;
        return appender;
    }

    @Override
    public void appendTrade(Trade trade) {
        appendTrade(
                trade.series(),
                trade.tsNanos(),
                trade.recvTsNanos(),
                trade.price().mantissa(),
                trade.price().scale(),
                trade.quantity().mantissa(),
                trade.quantity().scale(),
                trade.side(),
                trade.tradeId());
        if (trade.tradeIdText() != null) {
            lastTradeAppender.setStringOfLastRow(Table.TRADE_ID_TEXT, trade.tradeIdText()); // the row just appended
        }
    }

    @Override
    public void appendBookUpdate(BookUpdate update) {
        appendBookUpdate(
                update.series(),
                update.tsNanos(),
                update.recvTsNanos(),
                update.side(),
                update.price().mantissa(),
                update.price().scale(),
                update.quantity().mantissa(),
                update.quantity().scale(),
                update.firstUpdateId(),
                update.lastUpdateId(),
                update.flags());
    }

    @Override
    public void appendBookUpdate(
            SeriesKey series,
            long tsNanos,
            long recvTsNanos,
            Side side,
            long priceMantissa,
            int priceScale,
            long quantityMantissa,
            int quantityScale,
            long firstUpdateId,
            long lastUpdateId,
            int flags) {
        java.util.Objects.requireNonNull(series, "series");
        byte sideCode = (byte) side.code();
        byte priceScaleByte = checkScale(priceScale);
        byte quantityScaleByte = checkScale(quantityScale);
        if (flags < 0 || flags > 0xFF) {
            throw new IllegalArgumentException("book update flags must fit one byte: " + flags);
        }
        ensureNotFailed();
        BookAppender appender = series == lastBookSeries ? lastBookAppender : bookAppender(series);
        if (appender.full()) {
            checkPendingLimit();
        }
        activeRows++;
        appender.append(
                tsNanos,
                recvTsNanos,
                priceMantissa,
                quantityMantissa,
                firstUpdateId,
                lastUpdateId,
                priceScaleByte,
                quantityScaleByte,
                sideCode,
                (byte) flags);
    }

    /** As {@link #tradeAppender}, for book updates. */
    private BookAppender bookAppender(SeriesKey series) {
        SeriesBufferCache<BookAppender> cache = active.bookBuffers;
        BookAppender appender = cache.get(series);
        if (appender == null) {
            appender = new BookAppender(buffer(Table.BOOK, series));
            cache.put(series, appender);
        }
        lastBookSeries = series;
        lastBookAppender = appender;
        return appender;
    }

    @Override
    public void appendGap(GapMarker gap) {
        ColumnData rows = buffer(Table.GAPS, gap.series());
        int row = reserveRow(rows);
        rows.longs(0)[row] = gap.fromNanos();
        rows.longs(Table.GAP_TO)[row] = gap.toNanos();
        rows.setString(Table.GAP_CHANNEL, row, gap.channel());
        rows.setString(Table.GAP_REASON, row, gap.reason());
    }

    @Override
    public void appendVendorBar(VendorBar bar) {
        Decimal[] values = {bar.open(), bar.high(), bar.low(), bar.close(), bar.volume()};
        byte[] scales = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            scales[i] = checkScale(values[i].scale());
        }
        ColumnData rows = buffer(Table.BARS, bar.series());
        int row = reserveRow(rows);
        rows.longs(Table.TS)[row] = bar.tsNanos();
        rows.longs(Table.RECV_TS)[row] = bar.recvTsNanos();
        for (int i = 0; i < values.length; i++) {
            rows.longs(Table.BAR_OPEN + i)[row] = values[i].mantissa();
            rows.bytes(i)[row] = scales[i];
        }
        rows.setString(Table.BAR_INTERVAL, row, bar.interval());
    }

    private ColumnData buffer(Table table, SeriesKey series) {
        ensureUsable();
        return active.buffer(table, series);
    }

    private int reserveRow(ColumnData rows) {
        if (rows.size() == rows.capacity()) {
            checkPendingLimit();
        }
        activeRows++;
        return rows.reserve(1);
    }

    /** Called before a buffer grows: keeps both sets together under {@link #pendingLimitBytes}. */
    private void checkPendingLimit() {
        if (active.sizeBytes() + spareSizeBytes <= pendingLimitBytes) {
            return;
        }
        if (spare != null) {
            awaitInFlight(); // the committed set's buffers can go now
            spare = null;
            spareSizeBytes = 0;
        }
        if (active.sizeBytes() > pendingLimitBytes) {
            throw new StorageException(
                    StorageException.Kind.BACK_PRESSURE,
                    "uncommitted rows exceed " + pendingLimitBytes + " bytes: commit more often");
        }
    }

    private static byte checkScale(int scale) {
        if (scale < 0 || scale > dev.tickvault.model.Decimal.MAX_SCALE) {
            throw new IllegalArgumentException("decimal scale out of range: " + scale);
        }
        return (byte) scale;
    }

    /**
     * Sections the committer compressed from the writer's raw sections instead of encoding them (for tests; read after
     * the commits' tickets completed).
     */
    long preEncodedSections() {
        return codec.preEncodedSections();
    }

    /** The uncommitted rows of {@code table} of {@code series} (null if none were appended): for tests. */
    ColumnData pendingRows(Table table, SeriesKey series) {
        return active.materialized(table, series);
    }

    @Override
    public int pendingRows() {
        return activeRows;
    }

    @Override
    public void commit() {
        ensureUsable();
        awaitInFlight();
        if (activeRows == 0) {
            return;
        }
        engine.commit(active.pending, codec, syncBlocks, active::materialize);
        active.clear();
        activeRows = 0;
        forgetLastSeries();
    }

    @Override
    public CommitTicket commitAsync() {
        return commitAsync(null);
    }

    @Override
    public CommitTicket commitAsync(Runnable onCommitted) {
        ensureUsable();
        if (activeRows == 0) {
            return inFlight != null ? inFlight : CommitTicket.completed();
        }
        if (preEncoder != null) {
            // the writer's share of the commit: series by series while the committer is still busy with the previous
            // one
            active.preEncode(preEncoder, stopPreEncode);
        }
        awaitInFlight();
        if (committer == null) {
            committer = new WriterCommitter();
            engine.registerCommitter(committer);
        }
        WriterBuffers handed = active;
        active = spare != null ? spare : new WriterBuffers();
        activeRows = 0;
        spare = handed;
        spareSizeBytes = handed.sizeBytes();
        forgetLastSeries();
        AsyncCommit ticket = new AsyncCommit();
        inFlight = ticket;
        try {
            committer.submit(() -> runCommit(handed, ticket, onCommitted));
        } catch (RuntimeException e) {
            // the store is closed (or the committer refused the job): the commit fails, its ticket is never left open
            commitFailed(ticket, e);
        }
        return ticket;
    }

    /**
     * Whether the writer stops pre-encoding before its next series, having encoded {@code encoded}: when the commit in
     * flight (if any) is done, the committer is idle and takes the rest.
     */
    private boolean stopPreEncode(int encoded) {
        if (preEncodeSplit >= 0) {
            return encoded >= preEncodeSplit;
        }
        AsyncCommit previous = inFlight;
        return previous == null || previous.isDone();
    }

    /**
     * For tests: the writer pre-encodes exactly {@code series} trade series of each later asynchronous commit (in its
     * set's order) and leaves the rest to the committer; -1 restores the committer-paced split.
     */
    void splitPreEncodeAfter(int series) {
        preEncodeSplit = Math.max(-1, series);
    }

    /** The committer thread's part: log and publish {@code handed}, then empty it for reuse. */
    private void runCommit(WriterBuffers handed, AsyncCommit ticket, Runnable onCommitted) {
        try {
            // the series the writer did not pre-encode are encoded here, each just before its turn; other slots' trade
            // tiles go into their columns on this thread, just before they are encoded
            java.util.function.Function<SlotKey, PreEncodedTrades> preEncoded = committerEncoder == null
                    ? handed::preEncoded
                    : slot -> handed.preEncodedOrEncode(slot, committerEncoder, committerScratch);
            engine.commit(handed.pending, codec, true, handed::materialize, preEncoded);
            handed.clear();
            if (onCommitted != null) {
                try {
                    onCommitted.run();
                } catch (RuntimeException e) {
                    LOG.get().warn("the action after an asynchronous commit failed (the commit stands)", e);
                }
            }
            ticket.succeeded();
        } catch (RuntimeException e) {
            commitFailed(ticket, e);
        } catch (Error e) {
            commitFailed(ticket, new StorageException(StorageException.Kind.IO, "commit failed: " + e, null, e));
            throw e;
        }
    }

    private void commitFailed(AsyncCommit ticket, RuntimeException cause) {
        LOG.get()
                .error(
                        "asynchronous commit failed [dir={}]: its rows are lost and the writer refuses further work",
                        engine.root(),
                        cause);
        failedCommit = ticket;
        ticket.failed(cause);
    }

    /** Waits for the asynchronous commit in flight, if any; throws if it failed. */
    private void awaitInFlight() {
        AsyncCommit previous = inFlight;
        if (previous != null) {
            previous.awaitQuietly();
            inFlight = null;
            ensureNotFailed();
        }
    }

    @Override
    public void rollback() {
        ensureNotFailed();
        active.clear();
        activeRows = 0;
        forgetLastSeries();
    }

    /** Called whenever {@link #active} is swapped or cleared (clearing may drop its buffers and caches). */
    private void forgetLastSeries() {
        lastTradeSeries = null;
        lastTradeAppender = null;
        lastBookSeries = null;
        lastBookAppender = null;
    }

    private void ensureUsable() {
        if (closed) {
            throw new StorageException(StorageException.Kind.CLOSED, "writer is closed");
        }
        ensureNotFailed();
    }

    private void ensureNotFailed() {
        AsyncCommit failed = failedCommit;
        if (failed != null) {
            throw writerFailed(failed);
        }
    }

    private StorageException writerFailed(AsyncCommit failed) {
        failed.markFailureReported();
        RuntimeException cause = failed.failure();
        return new StorageException(
                StorageException.Kind.CLOSED,
                "writer failed: an asynchronous commit failed [dir=" + engine.root() + "]: " + cause.getMessage()
                        + "; its rows are lost, open a new writer",
                null,
                cause);
    }

    /**
     * Waits for the commit in flight, stops the committer thread, and rolls back the rows appended after it. Throws
     * the failure of an asynchronous commit that no call has reported yet (so that it is never silent).
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (inFlight != null) {
            inFlight.awaitQuietly();
            inFlight = null;
        }
        if (committer != null) {
            committer.shutdown();
            engine.unregisterCommitter(committer);
        }
        active.clear();
        activeRows = 0;
        spare = null;
        spareSizeBytes = 0;
        forgetLastSeries();
        AsyncCommit failed = failedCommit;
        if (failed != null && !failed.failureReported()) {
            throw writerFailed(failed);
        }
    }
}
