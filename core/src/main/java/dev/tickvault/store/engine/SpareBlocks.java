package dev.tickvault.store.engine;

import dev.tickvault.store.Table;
import dev.tickvault.store.memtable.ColumnData;

/**
 * Block buffers of closed range reads, kept per thread for the next read on the same thread: a one-hour trade query
 * otherwise allocates (and the JVM zeroes) a fresh block of 8,192 rows of every column, ~340 KB, each time, about a
 * tenth of the query's warm cost. At most {@value #SPARES} buffers per thread, of at most {@value #MAX_ROWS} rows each
 * (larger ones are left to the garbage collector), so a thread keeps at most a few MB. Only the thread's own reads
 * touch its spares, so no locking; a buffer is handed out to one source at a time and given back when that source
 * closes ({@code TradeBatchCursor#close()}: its arrays must not be read after that).
 */
final class SpareBlocks {

    /** Buffers kept per thread. */
    static final int SPARES = DecodeAhead.RING + 2;

    /** Largest buffer kept, in rows. */
    static final int MAX_ROWS = 1 << 16;

    /** Not {@code ThreadLocal.withInitial}: its lambda would load classes on a fresh JVM's first query. */
    private static final ThreadLocal<ColumnData[]> SPARE = new ThreadLocal<>();

    private SpareBlocks() {}

    /** A cleared buffer for {@code table} of at least {@code rows} rows: a spare of this thread, or a new one. */
    static ColumnData take(Table table, int rows) {
        ColumnData[] spares = SPARE.get();
        if (spares != null) {
            for (int i = 0; i < spares.length; i++) {
                ColumnData spare = spares[i];
                if (spare != null && spare.table() == table && spare.capacity() >= rows) {
                    spares[i] = null;
                    spare.clear();
                    return spare;
                }
            }
        }
        return new ColumnData(table, rows);
    }

    /** Keeps {@code block} for this thread's next {@link #take} if there is room; the caller no longer uses it. */
    static void give(ColumnData block) {
        if (block.capacity() > MAX_ROWS) {
            return;
        }
        ColumnData[] spares = SPARE.get();
        if (spares == null) {
            spares = new ColumnData[SPARES];
            SPARE.set(spares);
        }
        for (int i = 0; i < spares.length; i++) {
            if (spares[i] == null) {
                spares[i] = block;
                return;
            }
        }
    }
}
