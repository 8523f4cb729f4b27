package dev.tickvault.store;

import java.util.List;
import java.util.Set;

/**
 * The columns of the trades table ({@link Table#TRADES}), for a read that asks for some of them only ({@link
 * TickStore#tradeBatches(dev.tickvault.model.SeriesKey, long, long, Set)}). Each column is its own section of a chunk
 * block (docs/FORMAT.md), so a column not asked for is neither decompressed nor decoded.
 */
public enum TradeColumn {
    TS("ts"),
    RECV_TS("recv_ts"),
    PRICE("price"),
    QUANTITY("qty"),
    TRADE_ID("trade_id"),
    PRICE_SCALE("price_scale"),
    QUANTITY_SCALE("qty_scale"),
    SIDE("side"),
    TRADE_ID_TEXT("trade_id_text");

    private final String columnName;
    /** The section of a trade block holding the column: long columns, then byte columns, then string columns. */
    private final int section;

    TradeColumn(String columnName) {
        this.columnName = columnName;
        this.section = sectionOf(columnName);
    }

    private static int sectionOf(String name) {
        List<String> longs = Table.TRADES.longColumns();
        List<String> bytes = Table.TRADES.byteColumns();
        List<String> strings = Table.TRADES.stringColumns();
        if (longs.contains(name)) {
            return longs.indexOf(name);
        }
        if (bytes.contains(name)) {
            return longs.size() + bytes.indexOf(name);
        }
        if (strings.contains(name)) {
            return longs.size() + bytes.size() + strings.indexOf(name);
        }
        throw new IllegalStateException("no trades column " + name);
    }

    /** The column's name in the trades table (docs/FORMAT.md). */
    public String columnName() {
        return columnName;
    }

    /**
     * Bit {@code i} set for every column of {@code columns} held in section {@code i} of a trade block: the sections a
     * read decodes (the {@code sections} argument of {@code ChunkFile.decodeBlock}).
     */
    public static int sections(Set<TradeColumn> columns) {
        int mask = 0;
        for (TradeColumn column : columns) {
            mask |= 1 << column.section;
        }
        return mask;
    }
}
