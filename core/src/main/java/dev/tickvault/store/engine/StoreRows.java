package dev.tickvault.store.engine;

import dev.tickvault.model.SeriesKey;
import dev.tickvault.store.Table;

/** Generic row access over one slot's merged rows, for tables without a dedicated cursor. */
public final class StoreRows {

    private final RowIterator rows;

    private StoreRows(MergingRowCursor rows) {
        this.rows = new RowIterator(rows);
    }

    public static StoreRows open(StoreEngine engine, Table table, SeriesKey series, long fromNanos, long toNanos) {
        return new StoreRows(engine.rows(table, series, fromNanos, toNanos));
    }

    public boolean next() {
        return rows.next();
    }

    public long longValue(int column) {
        return rows.data().longs(column)[rows.row()];
    }

    public int byteValue(int column) {
        return rows.data().bytes(column)[rows.row()];
    }

    public String stringValue(int column) {
        return rows.data().string(column, rows.row());
    }
}
