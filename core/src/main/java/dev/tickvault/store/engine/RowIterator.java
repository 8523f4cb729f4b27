package dev.tickvault.store.engine;

import dev.tickvault.store.memtable.ColumnData;

/** Row-at-a-time iteration over a {@link MergingRowCursor}'s runs. */
final class RowIterator {

    private final MergingRowCursor runs;
    private ColumnData data;
    private int row;
    private int end;

    RowIterator(MergingRowCursor runs) {
        this.runs = runs;
    }

    boolean next() {
        if (++row < end) {
            return true;
        }
        int n = runs.nextRun();
        if (n == 0) {
            data = null;
            end = 0;
            return false;
        }
        data = runs.data();
        row = runs.row();
        end = row + n;
        return true;
    }

    ColumnData data() {
        return data;
    }

    int row() {
        return row;
    }

    /** Closes the runs (see {@link MergingRowCursor#close()}); {@link #next()} returns false from then on. */
    void close() {
        data = null;
        end = 0;
        runs.close();
    }
}
