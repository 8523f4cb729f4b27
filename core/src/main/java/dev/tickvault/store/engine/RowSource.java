package dev.tickvault.store.engine;

import dev.tickvault.store.memtable.ColumnData;

/**
 * A time-ordered stream of rows from one run or one chunk file. It is positioned on a range of consecutive rows
 * {@code [row(), end())} of {@link #data()}; {@link #skip} consumes rows and moves to the next range when one is used
 * up.
 */
interface RowSource {

    /** Moves to the first range; false when the source is empty. Called once, before anything else. */
    boolean start();

    /** Column data holding the current range. */
    ColumnData data();

    /** First unconsumed row of the current range. */
    int row();

    /** End (exclusive) of the current range. */
    int end();

    /** Consumes {@code n ≤ end() - row()} rows; false when the source is exhausted. */
    boolean skip(int n);

    /** Releases what the source holds; it is not used afterwards. */
    default void close() {}
}
