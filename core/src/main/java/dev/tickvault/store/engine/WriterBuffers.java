package dev.tickvault.store.engine;

import dev.tickvault.model.SeriesKey;
import dev.tickvault.store.Table;
import dev.tickvault.store.memtable.ColumnData;
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

    /**
     * Rows of a new buffer. Small, because a buffer is created for every series seen and only growth checks the
     * writer's memory bound (thousands of series seen once must not take 1024 rows each); busy series grow by half
     * again each time and keep their capacity from commit to commit, so this costs a few copies once per writer.
     */
    static final int INITIAL_ROWS = 64;

    private static final int MAX_IDLE_SLOTS = 10_000;

    /** Buffers per slot, in first-use order. */
    final Map<SlotKey, ColumnData> pending = new LinkedHashMap<>();
    /** Series (by identity) to the appender of its trade buffer, so the hot path skips the map. */
    final SeriesBufferCache<TradeAppender> tradeBuffers = new SeriesBufferCache<>(TradeAppender[]::new);
    /** The same for book buffers. */
    final SeriesBufferCache<BookAppender> bookBuffers = new SeriesBufferCache<>(BookAppender[]::new);

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
            tradeBuffers.clear();
            bookBuffers.clear();
        } else {
            pending.values().forEach(ColumnData::clear);
        }
    }
}
