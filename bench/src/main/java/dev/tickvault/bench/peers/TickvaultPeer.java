package dev.tickvault.bench.peers;

import dev.tickvault.bench.BookBenchmark;
import dev.tickvault.model.SeriesKey;
import dev.tickvault.query.BookAtQuery;
import dev.tickvault.query.BookAtResult;
import dev.tickvault.query.BookQueryConfig;
import dev.tickvault.sample.SyntheticTradeBatch;
import dev.tickvault.sample.SyntheticTrades;
import dev.tickvault.store.Durability;
import dev.tickvault.store.StoreConfig;
import dev.tickvault.store.StoreWriter;
import dev.tickvault.store.TickStore;
import dev.tickvault.store.TradeBatchCursor;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * tickvault: the store of {@code StoreBenchmark} (durability OS, default compression); queries in Java. Ingest commits
 * every 100,000 rows with {@link StoreWriter#commitAsync()} (the next rows are appended while the previous commit is
 * logged); the measured ingest still ends with every row committed, flushed, the store closed and reopened.
 */
final class TickvaultPeer implements Peer {

    private static final int COMMIT_ROWS = 100_000;

    private final Path dir;
    private final SeriesKey[] series;
    private final StoreConfig config = StoreConfig.defaults().withDurability(Durability.OS);
    private TickStore store;

    TickvaultPeer(Path dir, SeriesKey[] series) {
        this.dir = dir;
        this.series = series;
    }

    @Override
    public void ingest(SyntheticTradeBatch trades) {
        try (TickStore s = TickStore.open(dir, config)) {
            try (StoreWriter writer = s.newWriter()) {
                for (int row = 0, n = trades.size(); row < n; row += COMMIT_ROWS) {
                    int end = Math.min(n, row + COMMIT_ROWS);
                    trades.appendTo(writer, series, row, end);
                    if (end - row == COMMIT_ROWS) {
                        writer.commitAsync();
                    }
                }
                writer.commit(); // waits for the commit in flight, then commits the rest
            }
            s.flush();
        }
        store = TickStore.open(dir, config);
    }

    @Override
    public long bytesOnDisk() {
        return tableBytes("trades");
    }

    private long tableBytes(String table) {
        long bytes = 0;
        for (var partition : store.stats().partitions()) {
            if (partition.table().equals(table)) {
                bytes += partition.bytesOnDisk();
            }
        }
        return bytes;
    }

    @Override
    public void ingestBook(BookBenchmark.Merged book, int copies) {
        try (TickStore s = TickStore.open(dir, config)) {
            try (StoreWriter writer = s.newWriter()) {
                for (int copy = 0; copy < copies; copy++) {
                    BookBenchmark.append(writer, book, copy, true);
                }
                writer.commit(); // waits for the commit in flight, then commits the rest
            }
            s.flush();
        }
        store = TickStore.open(dir, config);
    }

    @Override
    public long bookBytesOnDisk() {
        return tableBytes("book");
    }

    @Override
    public long[] bookCounts() {
        long[] counts = new long[BookBenchmark.SERIES.length];
        for (var partition : store.stats().partitions()) {
            if (partition.table().equals("book")) {
                for (int i = 0; i < counts.length; i++) {
                    if (BookBenchmark.SERIES[i].exchange().equals(partition.exchange())
                            && BookBenchmark.SERIES[i].symbol().equals(partition.symbol())) {
                        counts[i] += partition.rows();
                    }
                }
            }
        }
        return counts;
    }

    /** (d): the top {@code depth} levels of each side at {@code atNanos}, rebuilt from the nearest snapshot. */
    BookAtResult bookAt(SeriesKey series, long atNanos, int depth) {
        return new BookAtQuery(store, BookQueryConfig.defaults()).at(series, atNanos, depth);
    }

    @Override
    public GroundTruth.Hour hour(long fromNanos, long toNanos) {
        long rows = 0;
        long sum = 0;
        try (TradeBatchCursor b = store.tradeBatches(series[0], fromNanos, toNanos)) {
            for (int n = b.next(); n > 0; n = b.next()) {
                long[] ts = b.tsNanos();
                long[] recv = b.recvTsNanos();
                long[] price = b.priceMantissas();
                byte[] priceScale = b.priceScales();
                long[] qty = b.quantityMantissas();
                byte[] qtyScale = b.quantityScales();
                byte[] side = b.sides();
                long[] id = b.tradeIds();
                for (int i = b.offset(), end = i + n; i < end; i += GroundTruth.CHECK_ROWS) {
                    sum += GroundTruth.rowsChecksum(
                            ts,
                            recv,
                            price,
                            priceScale,
                            qty,
                            qtyScale,
                            side,
                            id,
                            i,
                            Math.min(end, i + GroundTruth.CHECK_ROWS));
                }
                rows += n;
            }
        }
        return new GroundTruth.Hour(rows, sum);
    }

    @Override
    public Map<Integer, GroundTruth.Bar> bars() {
        // minute → {open, high, low, close, volume, open trade id, close trade id}
        TreeMap<Integer, long[]> minutes = new TreeMap<>();
        long dayFrom = SyntheticTrades.DAY_START_NANOS;
        int lastMinute = -1;
        long[] bar = null;
        try (TradeBatchCursor b = store.tradeBatches(series[0], dayFrom, dayFrom + SyntheticTrades.NANOS_PER_DAY)) {
            for (int n = b.next(); n > 0; n = b.next()) {
                long[] ts = b.tsNanos();
                long[] price = b.priceMantissas();
                long[] qty = b.quantityMantissas();
                long[] id = b.tradeIds();
                for (int i = b.offset(), end = i + n; i < end; i++) {
                    int minute = (int) ((ts[i] - dayFrom) / GroundTruth.NANOS_PER_MINUTE);
                    long p = price[i];
                    if (minute != lastMinute) {
                        bar = minutes.get(minute);
                        lastMinute = minute;
                        if (bar == null) {
                            bar = new long[] {p, p, p, p, 0, id[i], id[i]};
                            minutes.put(minute, bar);
                        }
                    }
                    if (p > bar[1]) {
                        bar[1] = p;
                    }
                    if (p < bar[2]) {
                        bar[2] = p;
                    }
                    // open and close by trade id: rows of one millisecond need not keep arrival order
                    if (id[i] < bar[5]) {
                        bar[0] = p;
                        bar[5] = id[i];
                    }
                    if (id[i] >= bar[6]) {
                        bar[3] = p;
                        bar[6] = id[i];
                    }
                    bar[4] = Math.addExact(bar[4], qty[i]);
                }
            }
        }
        TreeMap<Integer, GroundTruth.Bar> result = new TreeMap<>();
        minutes.forEach((m, v) -> result.put(m, new GroundTruth.Bar(v[0], v[1], v[2], v[3], v[4])));
        return result;
    }

    @Override
    public long[] counts() {
        Map<SeriesKey, Integer> index = new HashMap<>();
        for (int i = 0; i < series.length; i++) {
            index.put(series[i], i);
        }
        long[] counts = new long[series.length];
        for (SeriesKey key : store.tradeSeries()) {
            counts[index.get(key)] = store.countTrades(key, Long.MIN_VALUE, Long.MAX_VALUE);
        }
        return counts;
    }

    @Override
    public String layout() {
        return "tickvault store, durability OS, default compression; OHLCV computed in Java over TradeBatchCursor"
                + " (every block decoded); counts from block indexes (TickStore.countTrades)";
    }

    @Override
    public void close() {
        if (store != null) {
            store.close();
        }
    }
}
