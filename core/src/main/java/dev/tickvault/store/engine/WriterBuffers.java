package dev.tickvault.store.engine;

import dev.tickvault.model.SeriesKey;
import dev.tickvault.store.Table;
import dev.tickvault.store.memtable.ColumnData;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One set of a {@link BufferedStoreWriter}'s buffers: per slot, the rows of one commit in columnar arrays (trades first
 * in their appender's tiles, copied into the columns by {@link #materialize(SlotKey)}), reused from commit to commit
 * (the store copies what it publishes), with identity caches from series to buffer for the hot path.
 * The caches belong to the set: they stay valid while the writer appends into another set, because only
 * {@link #clear()} drops buffers.
 *
 * <p>Not thread-safe; owned by one thread at a time: the writer's while it appends into the set, the committer's while
 * the set is being committed (the hand-over happens through the commit's ticket).
 */
final class WriterBuffers {

    /**
     * Rows of a new buffer. Small, because a buffer is created for every series seen and only growth checks the
     * writer's memory bound (thousands of series seen once must not take 1024 rows each); busy series grow by half
     * again each time and keep their capacity from commit to commit, so this costs a few copies once per writer.
     */
    static final int INITIAL_ROWS = 64;

    private static final int MAX_IDLE_SLOTS = 10_000;

    /** Buffers per slot, in first-use order. */
    final Map<SlotKey, ColumnData> pending = new LinkedHashMap<>();
    /**
     * The appender of each series' trades: it holds the rows appended (in tiles) until {@link
     * #materialize(SlotKey)} copies them into the series' buffer in {@link #pending}. One per series for the set's
     * life (the cache below may forget entries, this map does not), so no rows are ever split over two appenders.
     */
    private final Map<SeriesKey, TradeAppender> tradeAppenders = new HashMap<>();
    /**
     * The raw block sections the writer's thread encoded for each trade series of this set's commit ({@link
     * #preEncode}); one per series for the set's life, like the appenders, reused from commit to commit.
     */
    private final Map<SeriesKey, PreEncodedTrades> preEncodedTrades = new HashMap<>();
    /** Series (by identity) to the appender of its trade buffer, so the hot path skips the map. */
    final SeriesBufferCache<TradeAppender> tradeBuffers = new SeriesBufferCache<>(TradeAppender[]::new);
    /** The same for book buffers. */
    final SeriesBufferCache<BookAppender> bookBuffers = new SeriesBufferCache<>(BookAppender[]::new);

    /** The buffer of {@code table} rows of {@code series}, created on first use. */
    ColumnData buffer(Table table, SeriesKey series) {
        return pending.computeIfAbsent(new SlotKey(table, series), k -> new ColumnData(table, INITIAL_ROWS));
    }

    /** The appender of {@code series}' trades, created (with its buffer in {@link #pending}) on first use. */
    TradeAppender tradeAppender(SeriesKey series) {
        TradeAppender appender = tradeAppenders.get(series);
        if (appender == null) {
            appender = new TradeAppender(buffer(Table.TRADES, series));
            tradeAppenders.put(series, appender);
        }
        return appender;
    }

    /** The buffer of {@code table} rows of {@code series} with every row appended in it, or null: for tests. */
    ColumnData materialized(Table table, SeriesKey series) {
        SlotKey slot = new SlotKey(table, series);
        materialize(slot);
        return pending.get(slot);
    }

    /**
     * Copies the trades appended for {@code slot} (if a trade slot) into its buffer in {@link #pending}: called for
     * each slot before its buffer is committed or read.
     */
    void materialize(SlotKey slot) {
        if (slot.table() == Table.TRADES) {
            TradeAppender appender = tradeAppenders.get(slot.series());
            if (appender != null) {
                appender.materialize();
            }
        }
    }

    /**
     * On the writer's thread, before the set is handed to the committer: encodes the trade series the commit will log
     * as blocks only into raw sections ({@link TradePreEncoder}), so the committer only compresses them, series by
     * series until {@code stop} says to hand the rest over (it is asked before each series with the number encoded so
     * far); the committer encodes the others ({@link #preEncodedOrEncode}). See {@link #encodeSeries} for the columns.
     */
    void preEncode(TradePreEncoder encoder, java.util.function.IntPredicate stop) {
        int encoded = 0;
        boolean stopped = false;
        for (Map.Entry<SeriesKey, TradeAppender> e : tradeAppenders.entrySet()) {
            TradeAppender appender = e.getValue();
            if (appender.size() == 0) {
                PreEncodedTrades stale = preEncodedTrades.get(e.getKey());
                if (stale != null) {
                    stale.clear();
                }
                continue;
            }
            PreEncodedTrades into = preEncodedTrades.computeIfAbsent(e.getKey(), k -> new PreEncodedTrades());
            stopped = stopped || stop.test(encoded);
            if (stopped) {
                into.clear(); // left to the committer
            } else {
                encodeSeries(appender, encoder, into);
                encoded++;
            }
        }
    }

    /** As {@link #preEncode(TradePreEncoder, java.util.function.IntPredicate)}, every series (for tests). */
    void preEncode(TradePreEncoder encoder) {
        preEncode(encoder, encoded -> false);
    }

    /**
     * Encodes one series' rows with {@code encoder} into {@code into} (or refuses them). When it encodes every section
     * (the default) the tiles are copied into the encoder's staging columns, one set for all series that stays in this
     * thread's caches, and the series' own columns are left unfilled (filled only for rows that cannot be logged as
     * blocks); else only the columns the encoder's sections read are copied into the series' columns, and the
     * committer's {@link #materialize} copies the others.
     */
    private static boolean encodeSeries(TradeAppender appender, TradePreEncoder encoder, PreEncodedTrades into) {
        ColumnData staging = encoder.staging();
        if (staging != null && !appender.hasStrings()) {
            appender.copyInto(staging);
            return encoder.encode(staging, into);
        }
        appender.materialize(encoder.columnsRead()); // the committer copies the other columns
        return encoder.encode(appender.rows, into);
    }

    /**
     * On the committer's thread: the raw sections of {@code slot}'s rows — the writer's ({@link #preEncoded}), or, for
     * a trade series the writer left to the committer, encoded now by {@code encoder} (the committer's own, every
     * section) into {@code scratch} (reused series by series: valid until the next call) — or null when the rows
     * cannot be pre-encoded (not trades, too few, out of order, over midnight) and the codec encodes them itself.
     */
    PreEncodedTrades preEncodedOrEncode(SlotKey slot, TradePreEncoder encoder, PreEncodedTrades scratch) {
        PreEncodedTrades pre = preEncoded(slot);
        if (pre != null || slot.table() != Table.TRADES) {
            return pre;
        }
        TradeAppender appender = tradeAppenders.get(slot.series());
        if (appender == null || appender.size() == 0) {
            return null;
        }
        PreEncodedTrades writers = preEncodedTrades.get(slot.series());
        if (writers != null && writers.refused(appender.size())) {
            return null; // the writer found them not encodable as blocks only
        }
        return encodeSeries(appender, encoder, scratch) ? scratch : null;
    }

    /**
     * The raw sections {@link #preEncode} made of {@code slot}'s rows, or null when it made none or rows were appended
     * since (then the committer encodes the rows itself).
     */
    PreEncodedTrades preEncoded(SlotKey slot) {
        if (slot.table() != Table.TRADES) {
            return null;
        }
        PreEncodedTrades pre = preEncodedTrades.get(slot.series());
        if (pre == null || pre.rows() < 0) {
            return null;
        }
        TradeAppender appender = tradeAppenders.get(slot.series());
        return appender != null && appender.size() == pre.rows() ? pre : null;
    }

    /**
     * Memory held by the buffers (their capacity, not only the rows in them); trades count their tiles and texts, not
     * the columns a commit fills from them ({@link TradeAppender#sizeBytes()}).
     */
    long sizeBytes() {
        long total = 0;
        for (Map.Entry<SlotKey, ColumnData> e : pending.entrySet()) {
            if (e.getKey().table() != Table.TRADES) { // trades count their tiles (below)
                total += e.getValue().sizeBytes();
            }
        }
        for (TradeAppender appender : tradeAppenders.values()) {
            total += appender.sizeBytes();
        }
        for (PreEncodedTrades pre : preEncodedTrades.values()) {
            total += pre.sizeBytes();
        }
        return total;
    }

    /** Empties every buffer, keeping them for reuse unless there are very many (series seen once). */
    void clear() {
        if (pending.size() > MAX_IDLE_SLOTS) {
            pending.clear(); // many series seen once: don't keep a buffer for each forever
            tradeAppenders.clear();
            preEncodedTrades.clear();
            tradeBuffers.clear();
            bookBuffers.clear();
        } else {
            pending.values().forEach(ColumnData::clear);
            tradeAppenders.values().forEach(TradeAppender::clear);
            preEncodedTrades.values().forEach(PreEncodedTrades::clear);
        }
    }
}
