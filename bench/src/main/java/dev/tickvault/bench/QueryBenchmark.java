package dev.tickvault.bench;

import dev.tickvault.feed.book.BookSide;
import dev.tickvault.feed.book.OrderBook;
import dev.tickvault.model.BookUpdate;
import dev.tickvault.model.Decimal;
import dev.tickvault.model.SeriesKey;
import dev.tickvault.model.Side;
import dev.tickvault.query.BarCursor;
import dev.tickvault.query.BarInterval;
import dev.tickvault.query.BboCursor;
import dev.tickvault.query.BookAtQuery;
import dev.tickvault.query.BookAtResult;
import dev.tickvault.query.BookQueryConfig;
import dev.tickvault.query.MergedTradeCursor;
import dev.tickvault.query.TradeBboJoin;
import dev.tickvault.sample.SyntheticTrades;
import dev.tickvault.store.Durability;
import dev.tickvault.store.StoreConfig;
import dev.tickvault.store.StoreWriter;
import dev.tickvault.store.TickStore;
import dev.tickvault.store.TradeCursor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.LongSupplier;

/**
 * Query latencies on a store of one synthetic day: {@code N} trades over 20 instruments ({@link SyntheticTrades},
 * default 10M) plus, for the busiest instrument, a synthetic L2 book day (a 1,000-level snapshot at midnight, a
 * CHECKPOINT snapshot every 10 minutes, and 20 diff events a second of 1–3 levels each). The store is flushed, closed
 * and reopened, so every row comes from partition files. Each query is warmed up for two seconds, then timed
 * repeatedly; medians and p99s are printed as a Markdown table.
 *
 * <pre>
 * ./build bench &amp;&amp; java -Xmx4g --enable-native-access=ALL-UNNAMED -cp bench/target/tickvault-bench.jar \
 *     dev.tickvault.bench.QueryBenchmark [trades]
 * </pre>
 */
public final class QueryBenchmark {

    private static final long DAY = SyntheticTrades.DAY_START_NANOS;
    private static final long SECOND = 1_000_000_000L;
    private static final long HOUR = SyntheticTrades.NANOS_PER_HOUR;
    private static volatile long sink;

    private QueryBenchmark() {}

    public static void main(String[] args) throws IOException {
        long trades = args.length > 0 ? Long.parseLong(args[0]) : SyntheticTrades.DEFAULT_TRADES;
        Path base = Path.of(System.getProperty("tickvault.bench.dir", "bench-data"));
        Files.createDirectories(base);
        Path dir = Files.createTempDirectory(base, "query-");
        try {
            run(dir, trades);
        } finally {
            BenchEnvironment.deleteTree(dir);
        }
    }

    private static void run(Path dir, long tradeCount) {
        StoreConfig config = StoreConfig.defaults().withDurability(Durability.OS);
        SyntheticTrades generator = new SyntheticTrades(tradeCount, SyntheticTrades.DEFAULT_SEED);
        SeriesKey[] series = generator.seriesKeys();
        SeriesKey busiest = series[0];
        log("ingesting %,d trades ...", tradeCount);
        StoreBenchmark.ingest(dir, config, generator.all(), series);
        log("writing a synthetic book day for %s ...", busiest);
        long bookRows = writeBookDay(dir, config, busiest);
        List<String[]> table = new ArrayList<>();
        try (TickStore store = TickStore.open(dir, config)) {
            long dayTrades = store.countTrades(busiest, DAY, DAY + SyntheticTrades.NANOS_PER_DAY);
            log("%s: %,d trades, %,d book rows in the day", busiest, dayTrades, bookRows);
            table.add(time(
                    "baseline: scan one symbol, whole day (all columns)",
                    20,
                    () -> StoreBenchmark.scan(store, busiest, DAY, DAY + SyntheticTrades.NANOS_PER_DAY)));
            table.add(time(
                    "bars 1m, one symbol, whole day (" + String.format("%,d", dayTrades) + " trades)",
                    20,
                    () -> bars(store, busiest, DAY, DAY + SyntheticTrades.NANOS_PER_DAY, "1m", false)));
            table.add(time(
                    "bars 1s, one symbol, whole day",
                    10,
                    () -> bars(store, busiest, DAY, DAY + SyntheticTrades.NANOS_PER_DAY, "1s", false)));
            table.add(time(
                    "bars 1h, one symbol, whole day",
                    20,
                    () -> bars(store, busiest, DAY, DAY + SyntheticTrades.NANOS_PER_DAY, "1h", false)));
            table.add(time(
                    "bars 1m, all 20 symbols, whole day (" + String.format("%,d", tradeCount) + " trades)", 5, () -> {
                        long n = 0;
                        for (SeriesKey s : series) {
                            n += bars(store, s, DAY, DAY + SyntheticTrades.NANOS_PER_DAY, "1m", false);
                        }
                        return n;
                    }));
            table.add(time(
                    "bars 1m --fill, one symbol, one hour",
                    200,
                    () -> bars(store, busiest, DAY + 12 * HOUR, DAY + 13 * HOUR, "1m", true)));
            table.add(time(
                    "range scan, one symbol, one hour (all columns)",
                    200,
                    () -> StoreBenchmark.scan(store, busiest, DAY + 12 * HOUR, DAY + 13 * HOUR)));
            table.add(time("merged trades, all 20 symbols, one hour", 20, () -> merged(store, series)));
            BookAtQuery bookAt = new BookAtQuery(store, BookQueryConfig.defaults());
            Random random = new Random(42);
            table.add(time("book at random T, top 10 (≤10 min replay from a checkpoint)", 200, () -> {
                long t = DAY
                        + 60 * SECOND
                        + (long) (random.nextDouble() * (SyntheticTrades.NANOS_PER_DAY - 120 * SECOND));
                BookAtResult book = bookAt.at(busiest, t, 10);
                return book.bids().size() + book.asks().size();
            }));
            table.add(time("BBO series, one hour", 20, () -> {
                long n = 0;
                try (BboCursor bbo =
                        BboCursor.open(store, busiest, DAY + 12 * HOUR, DAY + 13 * HOUR, BookQueryConfig.defaults())) {
                    while (bbo.next()) {
                        n++;
                    }
                }
                return n;
            }));
            table.add(time("trades with BBO (as-of join), one symbol, one hour", 20, () -> {
                long n = 0;
                try (TradeBboJoin join = new TradeBboJoin(
                        store,
                        store.trades(busiest, DAY + 12 * HOUR, DAY + 13 * HOUR),
                        DAY + 12 * HOUR,
                        DAY + 13 * HOUR,
                        BookQueryConfig.defaults())) {
                    while (join.next()) {
                        n++;
                        sink += join.book().bids().size();
                    }
                }
                return n;
            }));
        }
        System.out.println();
        System.out.println("JVM: " + BenchEnvironment.jvm() + "; CPU: " + BenchEnvironment.cpuModel() + "; load: "
                + BenchEnvironment.loadAverage());
        System.out.println();
        System.out.println("| query | result rows | median | p99 | runs |");
        System.out.println("|---|---:|---:|---:|---:|");
        for (String[] row : table) {
            System.out.println("| " + String.join(" | ", row) + " |");
        }
    }

    private static long bars(TickStore store, SeriesKey series, long from, long to, String interval, boolean fill) {
        long n = 0;
        try (BarCursor bars = BarCursor.open(store, series, from, to, BarInterval.parse(interval), fill)) {
            while (bars.next()) {
                n++;
                sink += bars.bar().tradeCount();
            }
        }
        return n;
    }

    private static long merged(TickStore store, SeriesKey[] series) {
        long n = 0;
        try (TradeCursor cursor = MergedTradeCursor.open(store, List.of(series), DAY + 12 * HOUR, DAY + 13 * HOUR)) {
            while (cursor.next()) {
                sink += cursor.priceMantissa();
                n++;
            }
        }
        return n;
    }

    /** Writes the synthetic book day; returns the number of rows. */
    private static long writeBookDay(Path dir, StoreConfig config, SeriesKey series) {
        Random random = new Random(7);
        OrderBook book = new OrderBook(series, 100_000);
        long mid = 6_000_000; // 60000.00 at scale 2
        for (int i = 1; i <= 1000; i++) {
            book.set(Side.BUY, mid - i, 2, 1 + random.nextInt(100_000), 5);
            book.set(Side.SELL, mid + i, 2, 1 + random.nextInt(100_000), 5);
        }
        long rows = 0;
        try (TickStore store = TickStore.open(dir, config);
                StoreWriter writer = store.newWriter()) {
            rows += snapshot(writer, book, DAY, 0);
            long eventsPerDay = 20L * 86_400;
            long step = SyntheticTrades.NANOS_PER_DAY / eventsPerDay;
            long nextCheckpoint = DAY + 600 * SECOND;
            for (long e = 0; e < eventsPerDay; e++) {
                long ts = DAY + e * step + 1;
                if (random.nextInt(50) == 0) {
                    mid += random.nextInt(5) - 2;
                }
                int levels = 1 + random.nextInt(3);
                for (int l = 0; l < levels; l++) {
                    Side side = random.nextBoolean() ? Side.BUY : Side.SELL;
                    long price = side == Side.BUY ? mid - 1 - random.nextInt(200) : mid + 1 + random.nextInt(200);
                    long qty = random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(100_000);
                    book.set(side, price, 2, qty, 5);
                    writer.appendBookUpdate(new BookUpdate(
                            series,
                            ts,
                            ts,
                            side,
                            Decimal.of(price, 2),
                            Decimal.of(qty, 5),
                            e,
                            e,
                            l == levels - 1 ? BookUpdate.EVENT_END : 0));
                    rows++;
                }
                if (ts >= nextCheckpoint) {
                    rows += snapshot(writer, book, ts, BookUpdate.CHECKPOINT);
                    nextCheckpoint += 600 * SECOND;
                }
                if (e % 50_000 == 0) {
                    writer.commit();
                }
            }
            writer.commit();
            store.flush();
        }
        return rows;
    }

    private static int snapshot(StoreWriter writer, OrderBook book, long ts, int extraFlags) {
        int total = book.bids().size() + book.asks().size();
        int written = 0;
        for (int pass = 0; pass < 2; pass++) {
            BookSide side = pass == 0 ? book.bids() : book.asks();
            for (int i = 0; i < side.size(); i++) {
                int flags = extraFlags
                        | (written == 0 ? BookUpdate.SNAPSHOT_BEGIN : 0)
                        | (written == total - 1 ? BookUpdate.SNAPSHOT_END | BookUpdate.EVENT_END : 0);
                writer.appendBookUpdate(new BookUpdate(
                        book.series(),
                        ts,
                        ts,
                        pass == 0 ? Side.BUY : Side.SELL,
                        Decimal.of(side.priceMantissa(i), side.priceScale(i)),
                        Decimal.of(side.quantityMantissa(i), side.quantityScale(i)),
                        0,
                        0,
                        flags));
                written++;
            }
        }
        return written;
    }

    private static String[] time(String name, int runs, LongSupplier query) {
        log("%s ...", name);
        long until = System.nanoTime() + 2_000_000_000L;
        long rows = 0;
        while (System.nanoTime() < until) {
            rows = query.getAsLong();
        }
        long[] nanos = new long[runs];
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            rows = query.getAsLong();
            nanos[i] = System.nanoTime() - start;
        }
        Arrays.sort(nanos);
        double median = nanos[runs / 2] / 1e6;
        double p99 = nanos[Math.min(runs - 1, (int) Math.ceil(runs * 0.99) - 1)] / 1e6;
        return new String[] {name, String.format("%,d", rows), ms(median), ms(p99), Integer.toString(runs)};
    }

    private static String ms(double millis) {
        return millis < 10 ? String.format("%.2f ms", millis) : String.format("%.0f ms", millis);
    }

    private static void log(String format, Object... args) {
        System.err.printf(format + "%n", args);
    }
}
