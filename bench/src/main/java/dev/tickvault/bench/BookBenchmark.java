package dev.tickvault.bench;

import dev.tickvault.feed.FeedSink;
import dev.tickvault.feed.book.OrderBook;
import dev.tickvault.model.BookUpdate;
import dev.tickvault.model.GapMarker;
import dev.tickvault.model.SeriesKey;
import dev.tickvault.model.Side;
import dev.tickvault.store.Durability;
import dev.tickvault.store.StoreConfig;
import dev.tickvault.store.StoreStats;
import dev.tickvault.store.StoreWriter;
import dev.tickvault.store.TickStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Book-update ingest and bytes on disk on the real Binance depth recordings of the hftbacktest captures (spot
 * {@code @depth@100ms} → {@code binance:BTCUSDT}, USD-M {@code @depth@0ms} → {@code binance-futures:BTCUSDT}, REST
 * snapshots included; see {@link BinanceCaptureBook}). The two recordings are merged by receive time, as one recorder
 * would see them, and written through {@link StoreWriter#appendBookUpdate(SeriesKey, long, long, Side, long, int, long,
 * int, long, long, int)} by one writer that commits every 100,000 rows.
 *
 * <ol>
 *   <li>The recordings once: bytes on disk per level update (book partitions after the flush), per series.
 *   <li>The recordings repeated, each copy shifted in time by the recordings' span and in update ids by their range,
 *       until at least {@code --updates} level updates: level updates per second up to the last commit and including
 *       the final flush, and bytes per level update; {@code --runs} times, each into a fresh store.
 * </ol>
 *
 * <pre>
 * ./build package
 * java --enable-native-access=ALL-UNNAMED -Xmx6g -cp bench/target/tickvault-bench.jar dev.tickvault.bench.BookBenchmark \
 *     [--updates 10000000] [--runs 3] [--captures ../shared/captures/binance/hftbacktest] [--dir DIR] [--async]
 * </pre>
 *
 * {@code --async} commits with {@link StoreWriter#commitAsync()}: the next rows are appended while the previous commit
 * is encoded and logged on the writer's committer thread; the measured span still ends with every row committed.
 */
public final class BookBenchmark {

    public static final int COMMIT_ROWS = 100_000;
    private static final SeriesKey SPOT = SeriesKey.of("binance", "BTCUSDT");
    private static final SeriesKey USDM = SeriesKey.of("binance-futures", "BTCUSDT");

    private BookBenchmark() {}

    /**
     * The recordings merged by receive time; {@code series[i]} indexes {@link #SERIES}. Copy {@code c} of a row is
     * the row shifted by {@code c} spans in time and {@code c} id ranges in update ids, so copies never overlap.
     */
    public record Merged(BinanceCaptureBook rows, byte[] series, long spanNanos, long[] idRange) {
        public int size() {
            return rows.size;
        }

        public long tsNanos(int copy, int row) {
            return rows.tsNanos[row] + copy * spanNanos;
        }

        public long recvTsNanos(int copy, int row) {
            return rows.recvTsNanos[row] + copy * spanNanos;
        }

        public long firstUpdateId(int copy, int row) {
            return rows.firstUpdateId[row] + copy * idRange[series[row]];
        }

        public long lastUpdateId(int copy, int row) {
            return rows.lastUpdateId[row] + copy * idRange[series[row]];
        }
    }

    /** The two series of the recordings: Binance spot and USD-M BTCUSDT. */
    public static final SeriesKey[] SERIES = {SPOT, USDM};

    /**
     * The rows with checkpoints added the way {@code tickvault record} writes them: after an event, when {@code
     * intervalNanos} of exchange time passed since a series' last checkpoint, the whole book of that series as a
     * snapshot flagged {@link BookUpdate#CHECKPOINT}, stamped with the event's times and last update id, placed right
     * after the event. The book is replayed ({@link OrderBook}) in exchange-time order (stable), the order the store
     * keeps: the raw recordings hold diffs from before the REST snapshot, and the spot snapshot is stamped with the
     * local clock, so arrival order and time order disagree around it (a recorder drops those stale diffs).
     */
    public static Merged withCheckpoints(Merged merged, long intervalNanos) {
        BinanceCaptureBook in = merged.rows();
        // checkpoints[i]: the checkpoint rows to insert after merged row i
        BinanceCaptureBook[] checkpoints = new BinanceCaptureBook[in.size];
        for (int s = 0; s < SERIES.length; s++) {
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < in.size; i++) {
                if (merged.series()[i] == s) {
                    order.add(i);
                }
            }
            order.sort(Comparator.comparingLong(i -> in.tsNanos[i])); // stable
            OrderBook book = new OrderBook(SERIES[s], 100_000);
            long lastCheckpoint = 0;
            boolean first = true;
            for (int i : order) {
                if ((in.flags[i] & BookUpdate.SNAPSHOT_BEGIN) != 0) {
                    book.clear();
                }
                book.set(
                        in.side[i] == 1 ? Side.BUY : Side.SELL,
                        in.priceMantissa[i],
                        in.priceScale[i],
                        in.quantityMantissa[i],
                        in.quantityScale[i]);
                boolean eventEnd = (in.flags[i] & (BookUpdate.EVENT_END | BookUpdate.SNAPSHOT_END)) != 0;
                if (eventEnd && (first || in.tsNanos[i] - lastCheckpoint >= intervalNanos)) {
                    if (!first) {
                        BinanceCaptureBook rows = new BinanceCaptureBook();
                        book.writeSnapshot(
                                new CollectingSink(rows),
                                in.tsNanos[i],
                                in.recvTsNanos[i],
                                in.lastUpdateId[i],
                                in.lastUpdateId[i],
                                BookUpdate.CHECKPOINT);
                        checkpoints[i] = rows;
                    }
                    first = false;
                    lastCheckpoint = in.tsNanos[i];
                }
            }
        }
        BinanceCaptureBook out = new BinanceCaptureBook();
        byte[] series = new byte[in.size];
        for (int i = 0; i < in.size; i++) {
            series = grow(series, out.size);
            series[out.size] = merged.series()[i];
            copyRow(in, i, out);
            if (checkpoints[i] != null) {
                for (int k = 0; k < checkpoints[i].size; k++) {
                    series = grow(series, out.size);
                    series[out.size] = merged.series()[i];
                    copyRow(checkpoints[i], k, out);
                }
            }
        }
        return new Merged(out, Arrays.copyOf(series, out.size), merged.spanNanos(), merged.idRange());
    }

    /** Book levels written by {@link OrderBook#writeSnapshot} into column arrays. */
    private record CollectingSink(BinanceCaptureBook rows) implements FeedSink {
        @Override
        public void trade(
                SeriesKey series,
                long tsNanos,
                long recvTsNanos,
                long priceMantissa,
                int priceScale,
                long quantityMantissa,
                int quantityScale,
                Side side,
                long tradeId,
                String textTradeId) {
            throw new UnsupportedOperationException("book levels only");
        }

        @Override
        public void bookLevel(
                SeriesKey series,
                long tsNanos,
                long recvTsNanos,
                Side side,
                long priceMantissa,
                int priceScale,
                long quantityMantissa,
                int quantityScale,
                long firstUpdateId,
                long lastUpdateId,
                int flags) {
            int row = rows.reserveRow();
            rows.tsNanos[row] = tsNanos;
            rows.recvTsNanos[row] = recvTsNanos;
            rows.side[row] = (byte) (side == Side.BUY ? 1 : 2);
            rows.priceMantissa[row] = priceMantissa;
            rows.priceScale[row] = (byte) priceScale;
            rows.quantityMantissa[row] = quantityMantissa;
            rows.quantityScale[row] = (byte) quantityScale;
            rows.firstUpdateId[row] = firstUpdateId;
            rows.lastUpdateId[row] = lastUpdateId;
            rows.flags[row] = (byte) flags;
        }

        @Override
        public void gap(GapMarker gap) {
            throw new UnsupportedOperationException("book levels only");
        }
    }

    private static byte[] grow(byte[] array, int index) {
        return index < array.length ? array : Arrays.copyOf(array, array.length * 2);
    }

    /** Reads and merges the spot and USD-M depth recordings of an hftbacktest captures directory. */
    public static Merged load(Path captures) {
        return merge(
                BinanceCaptureBook.read(captures.resolve("spot_btcusdt_20240808.gz")),
                BinanceCaptureBook.read(captures.resolve("usdm_btcusdt_20240808.gz")));
    }

    public static void main(String[] args) throws IOException {
        long updates = 10_000_000;
        int runs = 3;
        Path captures = Path.of("../shared/captures/binance/hftbacktest");
        Path dir = null;
        boolean async = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--async" -> async = true;
                case "--updates" -> updates = Long.parseLong(args[++i].replace("_", ""));
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--captures" -> captures = Path.of(args[++i]);
                case "--dir" -> dir = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Path root = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("tickvault-book-bench-");
        try {
            run(captures, root, updates, runs, async);
        } finally {
            if (dir == null) {
                BenchEnvironment.deleteTree(root);
            }
        }
    }

    private static void run(Path captures, Path root, long updates, int runs, boolean async) {
        BinanceCaptureBook spot = BinanceCaptureBook.read(captures.resolve("spot_btcusdt_20240808.gz"));
        BinanceCaptureBook usdm = BinanceCaptureBook.read(captures.resolve("usdm_btcusdt_20240808.gz"));
        Merged merged = merge(spot, usdm);
        log("level updates: spot %,d, usdm %,d (REST snapshots included)", spot.size, usdm.size);
        StoreConfig config = StoreConfig.defaults().withDurability(Durability.OS);

        log("commits: %s every %,d rows", async ? "commitAsync" : "commit", COMMIT_ROWS);
        Result once = ingest(root.resolve("once"), config, merged, 1, async);
        log("recordings once: %s", once);
        int repeats = (int) ((updates + merged.rows().size - 1) / merged.rows().size);
        Result[] results = new Result[runs];
        for (int r = 0; r < runs; r++) {
            Path store = root.resolve("repeated-" + r);
            results[r] = ingest(store, config, merged, repeats, async);
            log("run %d: %s", r + 1, results[r]);
            BenchEnvironment.deleteTree(store);
        }
        StringBuilder out = new StringBuilder();
        out.append("\n| metric | measured | target |\n|---|---|---|\n");
        out.append(String.format(
                Locale.ROOT,
                "| real recordings once (%,d level updates), bytes on disk / level update | %.3f | ≤ 2 |%n",
                once.rows,
                once.bytesPerRow(null)));
        out.append(String.format(Locale.ROOT, "| … spot (%s) | %.3f | |%n", SPOT, once.bytesPerRow(SPOT)));
        out.append(String.format(Locale.ROOT, "| … USD-M (%s) | %.3f | |%n", USDM, once.bytesPerRow(USDM)));
        for (int r = 0; r < runs; r++) {
            Result result = results[r];
            out.append(String.format(
                    Locale.ROOT,
                    "| run %d: %,d level updates (%d copies), ingest incl. final flush | %.2fM/s | ≥ 10M/s |%n",
                    r + 1,
                    result.rows,
                    repeats,
                    result.rows * 1e3 / result.totalNanos));
            out.append(String.format(
                    Locale.ROOT,
                    "| run %d: ingest excl. final flush | %.2fM/s | |%n",
                    r + 1,
                    result.rows * 1e3 / result.appendCommitNanos));
            out.append(String.format(
                    Locale.ROOT,
                    "| run %d: CPU per level update, writer thread / whole process | %.0f ns / %.0f ns | |%n",
                    r + 1,
                    (double) result.writerCpuNanos / result.rows,
                    (double) result.processCpuNanos / result.rows));
            out.append(String.format(
                    Locale.ROOT,
                    "| run %d: bytes on disk / level update | %.3f | |%n",
                    r + 1,
                    result.bytesPerRow(null)));
        }
        out.append("\n- JVM: ").append(BenchEnvironment.jvm()).append('\n');
        out.append("- CPU: ").append(BenchEnvironment.cpuModel()).append("; load average at the end: ");
        out.append(BenchEnvironment.loadAverage()).append('\n');
        System.out.println(out);
    }

    /**
     * @param writerCpuNanos CPU time of the writing thread from the first append to the last commit
     * @param processCpuNanos CPU time of the whole process (writer, flusher, GC, JIT) from the first append to the end
     *     of the final flush: with other work on the machine, CPU time per row moves less than wall-clock rates
     */
    public record Result(
            long rows,
            long appendCommitNanos,
            long totalNanos,
            long writerCpuNanos,
            long processCpuNanos,
            StoreStats stats) {
        public double bytesPerRow(SeriesKey series) {
            long bytes = 0;
            long count = 0;
            for (StoreStats.PartitionStats p : stats.partitions()) {
                if (p.table().equals("book")
                        && (series == null
                                || (p.exchange().equals(series.exchange())
                                        && p.symbol().equals(series.symbol())))) {
                    bytes += p.bytesOnDisk();
                    count += p.rows();
                }
            }
            return (double) bytes / count;
        }

        @Override
        public String toString() {
            return String.format(
                    Locale.ROOT,
                    "%,d rows, append+commit %.2f s, with flush %.2f s, writer CPU %.1f ns/row, process CPU %.1f"
                            + " ns/row, %,d bytes on disk",
                    rows,
                    appendCommitNanos / 1e9,
                    totalNanos / 1e9,
                    (double) writerCpuNanos / rows,
                    (double) processCpuNanos / rows,
                    stats.totalBytesOnDisk());
        }
    }

    public static Result ingest(Path dir, StoreConfig config, Merged merged, int repeats) {
        return ingest(dir, config, merged, repeats, false);
    }

    /** Ingests {@code repeats} copies; with {@code async} every commit but the last is a {@code commitAsync}. */
    public static Result ingest(Path dir, StoreConfig config, Merged merged, int repeats, boolean async) {
        try (TickStore store = TickStore.open(dir, config)) {
            java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
            var os = (com.sun.management.OperatingSystemMXBean)
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean();
            long processCpuStart = os.getProcessCpuTime();
            long writerCpuStart = threads.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            long rows = 0;
            try (StoreWriter writer = store.newWriter()) {
                for (int r = 0; r < repeats; r++) {
                    rows += append(writer, merged, r, async);
                }
                writer.commit(); // waits for the commit in flight, then commits the rest
            }
            long committed = System.nanoTime();
            long writerCpu = threads.getCurrentThreadCpuTime() - writerCpuStart;
            store.flush();
            long flushed = System.nanoTime();
            long processCpu = os.getProcessCpuTime() - processCpuStart;
            return new Result(rows, committed - start, flushed - start, writerCpu, processCpu, store.stats());
        }
    }

    /** Appends copy {@code copy} of the rows, committing every {@value #COMMIT_ROWS} pending rows; returns the rows. */
    public static int append(StoreWriter writer, Merged merged, int copy) {
        return append(writer, merged, copy, false);
    }

    /** As {@link #append(StoreWriter, Merged, int)}, with {@link StoreWriter#commitAsync()} when {@code async}. */
    public static int append(StoreWriter writer, Merged merged, int copy, boolean async) {
        BinanceCaptureBook b = merged.rows();
        byte[] series = merged.series();
        for (int i = 0; i < b.size; i++) {
            writer.appendBookUpdate(
                    SERIES[series[i]],
                    merged.tsNanos(copy, i),
                    merged.recvTsNanos(copy, i),
                    b.side[i] == 1 ? Side.BUY : Side.SELL,
                    b.priceMantissa[i],
                    b.priceScale[i],
                    b.quantityMantissa[i],
                    b.quantityScale[i],
                    merged.firstUpdateId(copy, i),
                    merged.lastUpdateId(copy, i),
                    b.flags[i]);
            if (writer.pendingRows() >= COMMIT_ROWS) {
                if (async) {
                    writer.commitAsync();
                } else {
                    writer.commit();
                }
            }
        }
        return b.size;
    }

    /** Merges the two recordings by receive time (ties: spot first); events stay whole (their rows share it). */
    public static Merged merge(BinanceCaptureBook spot, BinanceCaptureBook usdm) {
        BinanceCaptureBook out = new BinanceCaptureBook();
        byte[] series = new byte[spot.size + usdm.size];
        int i = 0;
        int j = 0;
        long minTs = Long.MAX_VALUE;
        long maxTs = Long.MIN_VALUE;
        while (i < spot.size || j < usdm.size) {
            boolean takeSpot = j == usdm.size || (i < spot.size && spot.recvTsNanos[i] <= usdm.recvTsNanos[j]);
            BinanceCaptureBook from = takeSpot ? spot : usdm;
            int k = takeSpot ? i++ : j++;
            series[out.size] = (byte) (takeSpot ? 0 : 1);
            copyRow(from, k, out);
            minTs = Math.min(minTs, Math.min(from.tsNanos[k], from.recvTsNanos[k]));
            maxTs = Math.max(maxTs, Math.max(from.tsNanos[k], from.recvTsNanos[k]));
        }
        long minute = 60_000_000_000L;
        long span = ((maxTs - minTs) / minute + 2) * minute;
        return new Merged(out, series, span, new long[] {idRange(spot), idRange(usdm)});
    }

    private static long idRange(BinanceCaptureBook b) {
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int i = 0; i < b.size; i++) {
            min = Math.min(min, b.firstUpdateId[i]);
            max = Math.max(max, b.lastUpdateId[i]);
        }
        return max - min + 1;
    }

    private static void copyRow(BinanceCaptureBook from, int k, BinanceCaptureBook to) {
        int row = to.reserveRow();
        to.tsNanos[row] = from.tsNanos[k];
        to.recvTsNanos[row] = from.recvTsNanos[k];
        to.side[row] = from.side[k];
        to.priceMantissa[row] = from.priceMantissa[k];
        to.priceScale[row] = from.priceScale[k];
        to.quantityMantissa[row] = from.quantityMantissa[k];
        to.quantityScale[row] = from.quantityScale[k];
        to.firstUpdateId[row] = from.firstUpdateId[k];
        to.lastUpdateId[row] = from.lastUpdateId[k];
        to.flags[row] = from.flags[k];
    }

    private static void log(String format, Object... args) {
        System.out.println("[book-bench] " + String.format(Locale.ROOT, format, args));
    }
}
