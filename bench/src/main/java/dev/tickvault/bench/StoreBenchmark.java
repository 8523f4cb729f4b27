package dev.tickvault.bench;

import dev.tickvault.model.SeriesKey;
import dev.tickvault.sample.SyntheticTradeBatch;
import dev.tickvault.sample.SyntheticTrades;
import dev.tickvault.store.Durability;
import dev.tickvault.store.StoreConfig;
import dev.tickvault.store.StoreStats;
import dev.tickvault.store.StoreWriter;
import dev.tickvault.store.TickStore;
import dev.tickvault.store.TradeBatchCursor;
import dev.tickvault.store.TradeCursor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The store's end-to-end benchmark: single-writer ingest, bytes on disk per trade, the one-hour one-symbol range
 * query and a full-day scan on {@link SyntheticTrades}, then ingest and bytes per trade on the real Binance trades of
 * the hftbacktest captures. Prints a Markdown table and the machine it ran on.
 *
 * <pre>
 * ./build package
 * java --enable-native-access=ALL-UNNAMED -Xmx6g -cp bench/target/tickvault-bench.jar dev.tickvault.bench.StoreBenchmark \
 *     [--trades 10000000] [--repeats 50] [--dir DIR] [--seed 20240808] [--captures ../shared/captures/binance/hftbacktest] \
 *     [--async] [--ingest-runs 5]
 * </pre>
 *
 * The synthetic day is ingested into fresh, empty stores: the first run in a cold JVM (interpreter, JIT compilation),
 * then untimed warm-up runs for three seconds, then {@code --ingest-runs} − 1 timed runs with the code compiled, as a
 * recorder runs for days. The table gives the first run and the median of the timed ones; the last run's store is the
 * one queried.
 *
 * Stores are opened with {@link Durability#OS} and the default compression. Without {@code --dir} the stores go to a
 * temporary directory that is deleted afterwards; with it they are kept.
 */
public final class StoreBenchmark {

    static final int COMMIT_ROWS = 100_000;
    /** Untimed ingest runs after the first, for this long (as the peer benchmark warms up before timed repeats). */
    static final long INGEST_WARM_UP_NANOS = 3_000_000_000L;
    /** The one-hour range: 12:00 to 13:00 UTC. */
    static final long HOUR_FROM_NANOS = SyntheticTrades.DAY_START_NANOS + 12 * SyntheticTrades.NANOS_PER_HOUR;

    private static volatile long sink;

    private StoreBenchmark() {}

    /**
     * @param async commit with {@link StoreWriter#commitAsync()} (the next batch is appended while the previous one is
     *     committed) instead of {@link StoreWriter#commit()}
     */
    record Options(long trades, int repeats, Path dir, long seed, Path captures, boolean async, int ingestRuns) {}

    record IngestResult(long rows, long appendCommitNanos, long totalNanos, StoreStats stats) {
        double rowsPerSecondWithoutFlush() {
            return rows * 1e9 / appendCommitNanos;
        }

        double rowsPerSecond() {
            return rows * 1e9 / totalNanos;
        }

        double bytesPerRow() {
            return (double) stats.totalBytesOnDisk() / stats.totalRows();
        }

        @Override
        public String toString() {
            return String.format(
                    Locale.ROOT,
                    "%,d rows, append+commit %.2f s, with flush %.2f s, %,d bytes in %d partitions, wal %,d bytes",
                    rows,
                    appendCommitNanos / 1e9,
                    totalNanos / 1e9,
                    stats.totalBytesOnDisk(),
                    stats.partitions().size(),
                    stats.walBytes());
        }

        double bytesPerRow(SeriesKey series) {
            long bytes = 0;
            long rows = 0;
            for (StoreStats.PartitionStats p : stats.partitions()) {
                if (p.table().equals("trades")
                        && p.exchange().equals(series.exchange())
                        && p.symbol().equals(series.symbol())) {
                    bytes += p.bytesOnDisk();
                    rows += p.rows();
                }
            }
            return (double) bytes / rows;
        }
    }

    public static void main(String[] args) throws IOException {
        Options options = parse(args);
        Path root = options.dir() != null
                ? Files.createDirectories(options.dir())
                : Files.createTempDirectory("tickvault-store-bench-");
        try {
            run(options, root);
        } finally {
            if (options.dir() == null) {
                BenchEnvironment.deleteTree(root);
            }
        }
    }

    private static void run(Options options, Path root) {
        List<String[]> table = new ArrayList<>();
        StoreConfig config = StoreConfig.defaults().withDurability(Durability.OS);

        long generateStart = System.nanoTime();
        SyntheticTrades generator = new SyntheticTrades(options.trades(), options.seed());
        SeriesKey[] series = generator.seriesKeys();
        SyntheticTradeBatch trades = generator.all();
        log("generated %,d synthetic trades in %.1f s", trades.size(), (System.nanoTime() - generateStart) / 1e9);

        Path syntheticDir = root.resolve("synthetic");
        List<IngestResult> runs = new ArrayList<>();
        int runNumber = 0;
        long warmUntil = 0;
        while (runs.size() < options.ingestRuns() - 1) {
            Path runDir = root.resolve("synthetic-run-" + ++runNumber);
            boolean warmUp = runNumber > 1 && System.nanoTime() < warmUntil; // decided before the run, as the peers do
            IngestResult run = ingest(runDir, config, trades, series, options.async());
            BenchEnvironment.deleteTree(runDir);
            log("ingest run %d%s: %s", runNumber, warmUp ? " (warm-up, untimed)" : "", run);
            if (!warmUp) {
                runs.add(run);
            }
            if (runNumber == 1) {
                warmUntil = System.nanoTime() + INGEST_WARM_UP_NANOS;
            }
        }
        IngestResult ingest = ingest(syntheticDir, config, trades, series, options.async());
        runs.add(ingest);
        log("ingest run %d: %s", runNumber + 1, ingest);
        IngestResult first = runs.getFirst();
        String mode = "synthetic ingest, 1 writer, " + commitMode(options);
        if (runs.size() == 1) {
            table.add(row(
                    mode + ", incl. flush",
                    rate(first.rowsPerSecond()) + " trades/s",
                    "≥ 8M trades/s",
                    first.rowsPerSecond() >= 8e6));
            table.add(
                    row(mode + ", excl. final flush", rate(first.rowsPerSecondWithoutFlush()) + " trades/s", "", null));
        } else {
            List<IngestResult> later = runs.subList(1, runs.size());
            double median = median(later, IngestResult::rowsPerSecond);
            String laterRuns = "median of " + later.size() + " runs after 3 s of warm-up runs";
            table.add(row(
                    mode + ", first run in a fresh JVM, incl. flush",
                    rate(first.rowsPerSecond()) + " trades/s",
                    "",
                    null));
            table.add(row(
                    mode + ", " + laterRuns + ", incl. flush",
                    rate(median) + " trades/s",
                    "≥ 8M trades/s",
                    median >= 8e6));
            table.add(row(
                    mode + ", " + laterRuns + ", excl. final flush",
                    rate(median(later, IngestResult::rowsPerSecondWithoutFlush)) + " trades/s",
                    "",
                    null));
        }
        table.add(row(
                "synthetic bytes on disk / trade (all series, all columns)",
                String.format(Locale.ROOT, "%.2f", ingest.bytesPerRow()),
                "≤ 6",
                ingest.bytesPerRow() <= 6));
        table.add(row(
                "synthetic bytes / trade, " + series[0],
                String.format(Locale.ROOT, "%.2f", ingest.bytesPerRow(series[0])),
                "",
                null));

        queries(options, config, syntheticDir, series[0], table);

        Path spot = options.captures().resolve("spot_btcusdt_20240808.gz");
        Path usdm = options.captures().resolve("usdm_btcusdt_20240808.gz");
        if (Files.isReadable(spot) && Files.isReadable(usdm)) {
            real(root, config, spot, SeriesKey.of("binance", "BTCUSDT"), table, options.async());
            real(root, config, usdm, SeriesKey.of("binance-futures", "BTCUSDT"), table, options.async());
        } else {
            log("captures not found under %s: skipping the real Binance trades", options.captures());
        }
        printReport(options, table);
    }

    private static void queries(
            Options options, StoreConfig config, Path dir, SeriesKey busiest, List<String[]> table) {
        long from = HOUR_FROM_NANOS;
        long to = from + SyntheticTrades.NANOS_PER_HOUR;
        long openStart = System.nanoTime();
        try (TickStore store = TickStore.open(dir, config)) {
            long openNanos = System.nanoTime() - openStart;
            long firstStart = System.nanoTime();
            long rows = scan(store, busiest, from, to);
            long firstNanos = System.nanoTime() - firstStart;
            // Both cursors decode through the same code: each is warmed up, then they are timed alternately (batch
            // first in even repeats, rows first in odd ones), so neither profits from more JIT time than the other.
            // (Timed one after the other, the row cursor ran after two more seconds of compiling and often came out
            // faster than the batches it is built on.)
            warmUp(() -> scan(store, busiest, from, to) + scanRows(store, busiest, from, to));
            long[] warm = new long[options.repeats()];
            long[] warmRows = new long[options.repeats()];
            for (int r = 0; r < warm.length; r++) {
                for (int k = 0; k < 2; k++) {
                    boolean batches = (k == 0) == (r % 2 == 0);
                    long start = System.nanoTime();
                    if (batches) {
                        scan(store, busiest, from, to);
                        warm[r] = System.nanoTime() - start;
                    } else {
                        scanRows(store, busiest, from, to);
                        warmRows[r] = System.nanoTime() - start;
                    }
                }
            }
            Arrays.sort(warm);
            Arrays.sort(warmRows);
            double median = percentile(warm, 0.5) / 1e6;
            double p90 = percentile(warm, 0.9) / 1e6;
            table.add(row("store reopen (after close)", ms(openNanos / 1e6), "", null));
            table.add(row(
                    "1-hour " + busiest + " range, first run after reopen",
                    ms(firstNanos / 1e6) + " (" + String.format(Locale.ROOT, "%,d", rows) + " rows)",
                    "",
                    null));
            table.add(row(
                    "1-hour range (column batches), warm median over " + warm.length,
                    ms(median),
                    "≤ 3 ms",
                    median <= 3));
            table.add(row("1-hour range (column batches), warm p90", ms(p90), "", null));
            table.add(row(
                    "1-hour range (row cursor, timed alternately with the batches), warm median over "
                            + warmRows.length,
                    ms(percentile(warmRows, 0.5) / 1e6),
                    "",
                    null));

            long dayFrom = SyntheticTrades.DAY_START_NANOS;
            long dayTo = dayFrom + SyntheticTrades.NANOS_PER_DAY;
            int dayRepeats = Math.max(3, Math.min(10, options.repeats()));
            long[] day = new long[dayRepeats];
            long dayRows = 0;
            for (int r = 0; r < dayRepeats; r++) {
                long start = System.nanoTime();
                dayRows = scan(store, busiest, dayFrom, dayTo);
                day[r] = System.nanoTime() - start;
            }
            Arrays.sort(day);
            double dayMedianNanos = percentile(day, 0.5);
            table.add(row(
                    "full-day " + busiest + " scan (" + String.format(Locale.ROOT, "%,d", dayRows)
                            + " rows), median of " + dayRepeats,
                    rate(dayRows * 1e9 / dayMedianNanos) + " rows/s (" + ms(dayMedianNanos / 1e6) + ")",
                    "",
                    null));
        }
    }

    private static String commitMode(Options options) {
        return options.async() ? "commitAsync/100k" : "commit/100k";
    }

    private static void real(
            Path root, StoreConfig config, Path capture, SeriesKey series, List<String[]> table, boolean async) {
        SyntheticTradeBatch trades = BinanceCaptureTrades.read(capture);
        Path dir = root.resolve("real-" + series.exchange());
        IngestResult ingest = ingest(dir, config, trades, new SeriesKey[] {series}, async);
        log("%s: %s", capture.getFileName(), ingest);
        table.add(row(
                "real " + series + " (" + capture.getFileName() + ", "
                        + String.format(Locale.ROOT, "%,d", ingest.rows()) + " trades) bytes / trade, every column",
                String.format(Locale.ROOT, "%.2f", ingest.bytesPerRow()),
                "≤ 3.5",
                ingest.bytesPerRow() <= 3.5));
        table.add(row("real " + series + " ingest incl. flush", rate(ingest.rowsPerSecond()) + " trades/s", "", null));
    }

    /** As {@link #ingest(Path, StoreConfig, SyntheticTradeBatch, SeriesKey[], boolean)} with synchronous commits. */
    static IngestResult ingest(Path dir, StoreConfig config, SyntheticTradeBatch trades, SeriesKey[] series) {
        return ingest(dir, config, trades, series, false);
    }

    /**
     * Appends every trade with one writer, commits every {@value #COMMIT_ROWS} (asynchronously with {@code async}),
     * waits for the last commit, flushes, and closes the store.
     */
    static IngestResult ingest(
            Path dir, StoreConfig config, SyntheticTradeBatch trades, SeriesKey[] series, boolean async) {
        try (TickStore store = TickStore.open(dir, config)) {
            java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
            var os = (com.sun.management.OperatingSystemMXBean)
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean();
            ThreadCpuBreakdown threadsBefore = ThreadCpuBreakdown.snapshot();
            ThreadAllocationBreakdown allocatedBefore = ThreadAllocationBreakdown.snapshot();
            long processCpuStart = os.getProcessCpuTime();
            long writerCpuStart = threads.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            long appendCommitNanos;
            ThreadCpuBreakdown beforeWriterClose;
            ThreadAllocationBreakdown allocatedBeforeWriterClose;
            try (StoreWriter writer = store.newWriter()) {
                if (async) {
                    appendAllAsync(writer, trades, series, 0, trades.size());
                } else {
                    appendAll(writer, trades, series, 0, trades.size());
                }
                appendCommitNanos = System.nanoTime() - start;
                beforeWriterClose = ThreadCpuBreakdown.snapshot(); // the committer thread ends with the writer
                allocatedBeforeWriterClose = ThreadAllocationBreakdown.snapshot();
            }
            long writerCpu = threads.getCurrentThreadCpuTime() - writerCpuStart;
            store.flush();
            long totalNanos = System.nanoTime() - start;
            // CPU per row moves less than wall-clock rates when other work shares the machine.
            log(
                    "CPU per row: writer thread %.1f ns (append + %s), whole process %.1f ns (incl. flush)",
                    (double) writerCpu / trades.size(),
                    async ? "commitAsync hand-over" : "commit",
                    (double) (os.getProcessCpuTime() - processCpuStart) / trades.size());
            log(
                    "CPU per row by thread (ns, /proc, main includes the final flush): %s",
                    ThreadCpuBreakdown.snapshot()
                            .withEndedThreadsOf(beforeWriterClose)
                            .perRowSince(threadsBefore, trades.size()));
            log(
                    "heap bytes allocated per row by thread (main includes the final flush): %s",
                    ThreadAllocationBreakdown.snapshot()
                            .withEndedThreadsOf(allocatedBeforeWriterClose)
                            .perRowSince(allocatedBefore, trades.size()));
            return new IngestResult(trades.size(), appendCommitNanos, totalNanos, store.stats());
        }
    }

    /** Appends rows {@code [from, to)} of {@code trades}, committing every {@value #COMMIT_ROWS} rows and at the end. */
    static void appendAll(StoreWriter writer, SyntheticTradeBatch trades, SeriesKey[] series, int from, int to) {
        appendRows(writer, trades, series, from, to, false);
        writer.commit();
    }

    /**
     * As {@link #appendAll}, committing with {@link StoreWriter#commitAsync()}: each batch is appended while the one
     * before it is being committed; returns once the last commit is visible.
     */
    static void appendAllAsync(StoreWriter writer, SyntheticTradeBatch trades, SeriesKey[] series, int from, int to) {
        appendRows(writer, trades, series, from, to, true);
        writer.commitAsync().await();
    }

    /** The append loop of {@link #appendAll} and {@link #appendAllAsync}: commits every {@value #COMMIT_ROWS} rows. */
    private static void appendRows(
            StoreWriter writer, SyntheticTradeBatch trades, SeriesKey[] series, int from, int to, boolean async) {
        for (int row = from; row < to; row += COMMIT_ROWS) {
            int end = Math.min(to, row + COMMIT_ROWS);
            trades.appendTo(writer, series, row, end);
            if (end - row == COMMIT_ROWS) {
                if (async) {
                    writer.commitAsync();
                } else {
                    writer.commit();
                }
            }
        }
    }

    /** Reads every column of every row of the range (so no work can be skipped); returns the row count. */
    static long scan(TickStore store, SeriesKey series, long fromNanos, long toNanos) {
        long rows = 0;
        long sum = 0;
        try (TradeBatchCursor batches = store.tradeBatches(series, fromNanos, toNanos)) {
            for (int n = batches.next(); n > 0; n = batches.next()) {
                long[] ts = batches.tsNanos();
                long[] recv = batches.recvTsNanos();
                long[] price = batches.priceMantissas();
                byte[] priceScale = batches.priceScales();
                long[] qty = batches.quantityMantissas();
                byte[] qtyScale = batches.quantityScales();
                byte[] side = batches.sides();
                long[] id = batches.tradeIds();
                for (int i = batches.offset(), end = i + n; i < end; i++) {
                    sum += ts[i] + recv[i] + price[i] + priceScale[i] + qty[i] + qtyScale[i] + side[i] + id[i];
                }
                rows += n;
            }
        }
        sink += sum;
        return rows;
    }

    /** As {@link #scan}, one row at a time through {@link TradeCursor}. */
    static long scanRows(TickStore store, SeriesKey series, long fromNanos, long toNanos) {
        long rows = 0;
        long sum = 0;
        try (TradeCursor cursor = store.trades(series, fromNanos, toNanos)) {
            while (cursor.next()) {
                sum += cursor.tsNanos()
                        + cursor.recvTsNanos()
                        + cursor.priceMantissa()
                        + cursor.priceScale()
                        + cursor.quantityMantissa()
                        + cursor.quantityScale()
                        + cursor.side().code()
                        + cursor.tradeId();
                rows++;
            }
        }
        sink += sum;
        return rows;
    }

    /** Runs {@code query} for two seconds so the JIT has compiled it before anything is measured. */
    private static void warmUp(java.util.function.LongSupplier query) {
        long until = System.nanoTime() + 2_000_000_000L;
        while (System.nanoTime() < until) {
            sink += query.getAsLong();
        }
    }

    private static double percentile(long[] sorted, double fraction) {
        int index = (int) Math.ceil(fraction * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static String[] row(String metric, String value, String target, Boolean met) {
        return new String[] {metric, value, target, met == null ? "" : met ? "yes" : "**no**"};
    }

    private static String rate(double perSecond) {
        return perSecond >= 1e6
                ? String.format(Locale.ROOT, "%.2fM", perSecond / 1e6)
                : String.format(Locale.ROOT, "%.0fk", perSecond / 1e3);
    }

    private static String ms(double millis) {
        return String.format(Locale.ROOT, "%.2f ms", millis);
    }

    private static void printReport(Options options, List<String[]> table) {
        StringBuilder out = new StringBuilder();
        out.append("\n| metric | measured | target | met |\n|---|---|---|---|\n");
        for (String[] r : table) {
            out.append("| ").append(String.join(" | ", r)).append(" |\n");
        }
        String command = ProcessHandle.current().info().commandLine().orElse("?");
        out.append("\n- command: `").append(command).append("`\n");
        out.append("- JVM: ").append(BenchEnvironment.jvm()).append('\n');
        out.append("- CPU: ")
                .append(BenchEnvironment.cpuModel())
                .append(", ")
                .append(Runtime.getRuntime().availableProcessors())
                .append(" cores available; load average (1/5/15 min) at the end: ")
                .append(BenchEnvironment.loadAverage())
                .append('\n');
        out.append("- trades: ")
                .append(String.format(Locale.ROOT, "%,d", options.trades()))
                .append(", seed ")
                .append(options.seed())
                .append(", repeats ")
                .append(options.repeats())
                .append(", ingest runs ")
                .append(options.ingestRuns())
                .append(", durability OS, default compression, ")
                .append(options.async() ? "commitAsync" : "commit")
                .append('\n');
        System.out.print(out);
        if (sink == 42) {
            System.out.println();
        }
    }

    /** The median rate; of an even count the lower middle one (as the peer benchmark takes the slower middle time). */
    private static double median(List<IngestResult> runs, java.util.function.ToDoubleFunction<IngestResult> rate) {
        double[] rates = runs.stream().mapToDouble(rate).sorted().toArray();
        return rates[(rates.length - 1) / 2];
    }

    private static void log(String format, Object... args) {
        System.err.println("[bench] " + String.format(Locale.ROOT, format, args));
    }

    private static Options parse(String[] args) {
        long trades = SyntheticTrades.DEFAULT_TRADES;
        int repeats = 50;
        Path dir = null;
        long seed = SyntheticTrades.DEFAULT_SEED;
        Path captures = Path.of("../shared/captures/binance/hftbacktest");
        boolean async = false;
        int ingestRuns = 5;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--trades" -> trades = Long.parseLong(required(args[i], value));
                case "--repeats" -> repeats = Integer.parseInt(required(args[i], value));
                case "--dir" -> dir = Path.of(required(args[i], value));
                case "--seed" -> seed = Long.parseLong(required(args[i], value));
                case "--captures" -> captures = Path.of(required(args[i], value));
                case "--ingest-runs" -> ingestRuns = Integer.parseInt(required(args[i], value));
                case "--async" -> {
                    async = true;
                    continue; // no value
                }
                default ->
                    throw new IllegalArgumentException(
                            "unknown option " + args[i]
                                    + "; usage: StoreBenchmark [--trades N] [--repeats R] [--dir DIR] [--seed S] [--captures DIR] [--async] [--ingest-runs N]");
            }
            i++;
        }
        if (trades <= 0 || repeats <= 0 || ingestRuns <= 0) {
            throw new IllegalArgumentException("--trades, --repeats and --ingest-runs must be positive");
        }
        return new Options(trades, repeats, dir, seed, captures, async, ingestRuns);
    }

    private static String required(String option, String value) {
        if (value == null) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return value;
    }
}
