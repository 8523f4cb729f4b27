package dev.tickvault.store;

import java.util.List;

/**
 * The store's tables and their physical columns. Every table's first long column is its time column (exchange
 * timestamp in ns, or a gap's start), by which rows are ordered. Ids are stored on disk: never renumber.
 *
 * <pre>
 * table   long columns                                         byte columns                      string columns
 * trades  ts, recv_ts, price, qty, trade_id                    price_scale, qty_scale, side      trade_id_text
 * book    ts, recv_ts, price, qty, first_update_id,            price_scale, qty_scale, side,     -
 *         last_update_id                                       flags
 * gaps    from_ts, to_ts                                       -                                 channel, reason
 * bars    ts, recv_ts, open, high, low, close, volume              open_scale, high_scale,           interval
 *                                                                  low_scale, close_scale,
 *                                                                  volume_scale
 * </pre>
 *
 * {@code bars} holds a vendor's OHLCV bars as published (Alpha Vantage), not bars computed from trades.
 */
public enum Table {
    TRADES(
            1,
            "trades",
            List.of("ts", "recv_ts", "price", "qty", "trade_id"),
            List.of("price_scale", "qty_scale", "side"),
            List.of("trade_id_text")),
    BOOK(
            2,
            "book",
            List.of("ts", "recv_ts", "price", "qty", "first_update_id", "last_update_id"),
            List.of("price_scale", "qty_scale", "side", "flags"),
            List.of()),
    GAPS(3, "gaps", List.of("from_ts", "to_ts"), List.of(), List.of("channel", "reason")),
    BARS(
            4,
            "bars",
            List.of("ts", "recv_ts", "open", "high", "low", "close", "volume"),
            List.of("open_scale", "high_scale", "low_scale", "close_scale", "volume_scale"),
            List.of("interval"));

    // Column indexes, shared by trades and book.
    public static final int TS = 0;
    public static final int RECV_TS = 1;
    public static final int PRICE = 2;
    public static final int QTY = 3;
    public static final int TRADE_ID = 4;
    public static final int FIRST_UPDATE_ID = 4;
    public static final int LAST_UPDATE_ID = 5;
    public static final int GAP_TO = 1;
    public static final int PRICE_SCALE = 0;
    public static final int QTY_SCALE = 1;
    public static final int SIDE = 2;
    public static final int FLAGS = 3;
    public static final int TRADE_ID_TEXT = 0;
    public static final int GAP_CHANNEL = 0;
    public static final int GAP_REASON = 1;
    /** Bars: long column of the open (then high, low, close, volume); its scale is byte column {@code i - BAR_OPEN}. */
    public static final int BAR_OPEN = 2;

    public static final int BAR_INTERVAL = 0;

    private final int id;
    private final String directoryName;
    private final List<String> longColumns;
    private final List<String> byteColumns;
    private final List<String> stringColumns;

    Table(int id, String directoryName, List<String> longs, List<String> bytes, List<String> strings) {
        this.id = id;
        this.directoryName = directoryName;
        this.longColumns = longs;
        this.byteColumns = bytes;
        this.stringColumns = strings;
    }

    public int id() {
        return id;
    }

    /** Name of the table's directory under the store root. */
    public String directoryName() {
        return directoryName;
    }

    public List<String> longColumns() {
        return longColumns;
    }

    public List<String> byteColumns() {
        return byteColumns;
    }

    public List<String> stringColumns() {
        return stringColumns;
    }

    public static Table ofId(int id) {
        for (Table t : values()) {
            if (t.id == id) {
                return t;
            }
        }
        throw new StorageException(StorageException.Kind.CORRUPT, "unknown table id " + id);
    }
}
