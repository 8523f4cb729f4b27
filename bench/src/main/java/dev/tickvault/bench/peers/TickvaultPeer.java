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
import dev.tickvault.store.TradeColumn;
import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
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

    /** Archives the store's closed book partitions before {@code before} ({@link TickStore#archive}). */
    dev.tickvault.store.ArchiveReport archive(java.time.LocalDate before) {
        return store.archive(before);
    }

    /** (d): the top {@code depth} levels of each side at {@code atNanos}, rebuilt from the nearest snapshot. */
    BookAtResult bookAt(SeriesKey series, long atNanos, int depth) {
        return new BookAtQuery(store, BookQueryConfig.defaults()).at(series, atNanos, depth);
    }

    /** The open store (after {@link #ingest}), for probes that time the read path's parts. */
    TickStore store() {
        return store;
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

    /** The columns (b) reads: the rest of each block (receive times, trade ids, scales, sides) is not decoded. */
    private static final Set<TradeColumn> BAR_COLUMNS =
            Collections.unmodifiableSet(EnumSet.of(TradeColumn.TS, TradeColumn.PRICE, TradeColumn.QUANTITY));

    /**
     * (b): 1-minute OHLCV of the day, in one pass over the time, price and quantity columns. Rows come in time order,
     * ties in commit order (the store's guarantee), so a minute's open is its first row and its close its last, as in
     * {@link GroundTruth}. Each batch is cut where minutes end (a binary search of the time column per minute, no
     * division per row); each piece is one tight loop of high, low and volume.
     */
    @Override
    public Map<Integer, GroundTruth.Bar> bars() {
        TreeMap<Integer, GroundTruth.Bar> result = new TreeMap<>();
        long dayFrom = SyntheticTrades.DAY_START_NANOS;
        MinuteBar bar = new MinuteBar();
        try (TradeBatchCursor b =
                store.tradeBatches(series[0], dayFrom, dayFrom + SyntheticTrades.NANOS_PER_DAY, BAR_COLUMNS)) {
            for (int n = b.next(); n > 0; n = b.next()) {
                long[] ts = b.tsNanos();
                long[] price = b.priceMantissas();
                long[] qty = b.quantityMantissas();
                for (int i = b.offset(), end = i + n; i < end; ) {
                    if (ts[i] >= bar.end) {
                        bar.emit(result);
                        bar.start((int) ((ts[i] - dayFrom) / GroundTruth.NANOS_PER_MINUTE), dayFrom, price[i]);
                    }
                    int stop = ts[end - 1] < bar.end ? end : lowerBound(ts, i, end, bar.end);
                    bar.add(price, qty, i, stop);
                    i = stop;
                }
            }
        }
        bar.emit(result);
        return result;
    }

    /** The first index in {@code [from, to)} of sorted {@code ts} with a time ≥ {@code limit}, or {@code to}. */
    private static int lowerBound(long[] ts, int from, int to, long limit) {
        int lo = from;
        int hi = to;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (ts[mid] < limit) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** The minute (b) is summing: its OHLCV so far, in mantissas (the series has one price and quantity scale). */
    static final class MinuteBar {
        int minute = -1;
        long end = Long.MIN_VALUE;
        long open;
        long high;
        long low;
        long close;
        long volume;

        void start(int minuteOfDay, long dayFrom, long firstPrice) {
            minute = minuteOfDay;
            end = dayFrom + (minuteOfDay + 1) * GroundTruth.NANOS_PER_MINUTE;
            open = high = low = firstPrice;
            volume = 0;
        }

        /**
         * Adds rows {@code [from, to)}, all of this minute. The volume is summed without an overflow check per row
         * (so the loop vectorizes) when the rows' quantities are non-negative and too narrow to overflow a long in so
         * many rows; otherwise with {@link Math#addExact}.
         */
        void add(long[] price, long[] qty, int from, int to) {
            long hi = high;
            long lo = low;
            long sum = 0;
            long bits = 0;
            for (int k = from; k < to; k++) {
                long p = price[k];
                hi = Math.max(hi, p);
                lo = Math.min(lo, p);
                sum += qty[k];
                bits |= qty[k];
            }
            int valueBits = 64 - Long.numberOfLeadingZeros(bits);
            int countBits = 64 - Long.numberOfLeadingZeros(to - from);
            if (bits < 0 || valueBits + countBits > 62) {
                sum = 0;
                for (int k = from; k < to; k++) {
                    sum = Math.addExact(sum, qty[k]);
                }
            }
            high = hi;
            low = lo;
            close = price[to - 1];
            volume = Math.addExact(volume, sum);
        }

        void emit(Map<Integer, GroundTruth.Bar> result) {
            if (minute >= 0) {
                result.put(minute, new GroundTruth.Bar(open, high, low, close, volume));
            }
        }
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
                + " (ts, price and quantity columns only); counts from block indexes (TickStore.countTrades)";
    }

    @Override
    public void close() {
        if (store != null) {
            store.close();
        }
    }
}
