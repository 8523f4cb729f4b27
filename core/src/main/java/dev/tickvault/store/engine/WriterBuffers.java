package dev.tickvault.store.engine;

import dev.tickvault.model.SeriesKey;
import dev.tickvault.store.Table;
import dev.tickvault.store.memtable.ColumnData;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One set of a {@link BufferedStoreWriter}'s buffers: per slot, the rows of one commit in columnar arrays, reused from
 * commit to commit (the store copies what it publishes), with identity caches from series to buffer for the hot path.
 * The caches belong to the set: they stay valid while the writer appends into another set, because only
 * {@link #clear()} drops buffers.
 *
 * <p>Not thread-safe; owned by one thread at a time: the writer's while it appends into the set, the committer's while
 * the set is being committed (the hand-over happens through the commit's ticket).
 */
final class WriterBuffers {

    static final int CACHE_SIZE = 256;
    private static final int INITIAL_ROWS = 1024;
    private static final int MAX_IDLE_SLOTS = 10_000;

    /** Buffers per slot, in first-use order. */
    final Map<SlotKey, ColumnData> pending = new LinkedHashMap<>();
    /** A direct-mapped cache from series (by identity) to its trade buffer, so the hot path skips the map. */
    final SeriesKey[] cachedSeries = new SeriesKey[CACHE_SIZE];

    final ColumnData[] cachedTrades = new ColumnData[CACHE_SIZE];
    /** The same cache for book buffers. */
    final SeriesKey[] cachedBookSeries = new SeriesKey[CACHE_SIZE];

    final ColumnData[] cachedBook = new ColumnData[CACHE_SIZE];
    /** Rows appended into this set since it was last cleared. */
    int rows;

    /** The buffer of {@code table} rows of {@code series}, created on first use. */
    ColumnData buffer(Table table, SeriesKey series) {
        return pending.computeIfAbsent(new SlotKey(table, series), k -> new ColumnData(table, INITIAL_ROWS));
    }

    /** Memory held by the buffers (their capacity, not only the rows in them). */
    long sizeBytes() {
        long total = 0;
        for (ColumnData buffer : pending.values()) {
            total += buffer.sizeBytes();
        }
        return total;
    }

    /** Empties every buffer, keeping them for reuse unless there are very many (series seen once). */
    void clear() {
        if (pending.size() > MAX_IDLE_SLOTS) {
            pending.clear(); // many series seen once: don't keep a buffer for each forever
            Arrays.fill(cachedSeries, null);
            Arrays.fill(cachedTrades, null);
            Arrays.fill(cachedBookSeries, null);
            Arrays.fill(cachedBook, null);
        } else {
            pending.values().forEach(ColumnData::clear);
        }
        rows = 0;
    }
}
