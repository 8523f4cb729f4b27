package dev.tickvault.store.engine;

import dev.tickvault.store.memtable.ColumnData;
import dev.tickvault.store.memtable.Run;

/** Rows of an in-memory run with {@code from <= ts < to}. */
final class RunSource implements RowSource {

    private final ColumnData data;
    private final int end;
    private int row;

    RunSource(Run run, long fromNanos, long toNanos) {
        this.data = run.rows();
        this.row = data.lowerBound(fromNanos) - 1;
        this.end = data.lowerBound(toNanos);
    }

    @Override
    public boolean advance() {
        return ++row < end;
    }

    @Override
    public ColumnData data() {
        return data;
    }

    @Override
    public int row() {
        return row;
    }
}
