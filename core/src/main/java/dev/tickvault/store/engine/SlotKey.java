package dev.tickvault.store.engine;

import dev.tickvault.model.SeriesKey;
import dev.tickvault.store.Table;

/** One table's rows of one series: the unit of in-memory runs and of partition directories. */
public record SlotKey(Table table, SeriesKey series) {}
