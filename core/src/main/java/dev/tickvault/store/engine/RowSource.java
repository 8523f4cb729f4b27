package dev.tickvault.store.engine;

import dev.tickvault.store.memtable.ColumnData;

/** A time-ordered stream of rows from one run or one chunk file, positioned on a current row. */
interface RowSource {

    /** Moves to the next row; false when exhausted. Must be called once before the first row. */
    boolean advance();

    /** Column data holding the current row. */
    ColumnData data();

    /** Index of the current row in {@link #data()}. */
    int row();
}
