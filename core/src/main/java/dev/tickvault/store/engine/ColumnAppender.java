package dev.tickvault.store.engine;

import dev.tickvault.store.Table;
import dev.tickvault.store.memtable.ColumnData;

/**
 * The writer's per-row path into one series' buffer of one {@link WriterBuffers} set (book updates; trades go through
 * the tiles of {@link TradeAppender}): a subclass holds the buffer's
 * column arrays as fields, so appending a row is one {@link #reserveRow} and plain array stores (no lookup of each
 * column through the buffer's array of arrays). The buffer's arrays are replaced only when it grows, which changes
 * its capacity ({@link ColumnData}'s grow); {@link #reserveRow} re-reads them then, so an appender stays right after
 * any growth, its own or not.
 *
 * <p>Not thread-safe: owned with its set (the writer's thread while rows are appended).
 */
abstract sealed class ColumnAppender permits BookAppender {

    /** The buffer appended to. */
    final ColumnData rows;
    /** {@link #rows}' capacity when the subclass last read its arrays. */
    private int capacity;

    ColumnAppender(ColumnData rows, Table table) {
        if (rows.table() != table) {
            throw new IllegalArgumentException("not a " + table + " buffer: " + rows.table());
        }
        this.rows = rows;
        capacity = rows.capacity();
    }

    /** Whether the next row makes the buffer grow (the writer checks its memory limit before that). */
    final boolean full() {
        return rows.size() == rows.capacity();
    }

    /** Reserves one row (growing the buffer when full) and returns its index, the arrays re-read if they changed. */
    final int reserveRow() {
        ColumnData rows = this.rows;
        int row = rows.reserve(1);
        if (rows.capacity() != capacity) {
            capacity = rows.capacity();
            readArrays();
        }
        return row;
    }

    /** Reads the buffer's column arrays into the subclass's fields. */
    abstract void readArrays();
}
