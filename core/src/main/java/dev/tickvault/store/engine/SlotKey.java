package dev.tickvault.store.engine;

import dev.tickvault.model.SeriesKey;
import dev.tickvault.store.Table;

/** One table's rows of one series: the unit of in-memory runs and of partition directories. */
public record SlotKey(Table table, SeriesKey series) {

    /**
     * Written out rather than left to the record: the generated {@code equals} is bootstrapped through method handles
     * on its first call, the first read's slot lookup (~10 ms of class generation on a fresh JVM's first query).
     */
    @Override
    public boolean equals(Object o) {
        return this == o || (o instanceof SlotKey other && table == other.table && series.equals(other.series));
    }

    @Override
    public int hashCode() {
        return 31 * table.hashCode() + series.hashCode();
    }
}
