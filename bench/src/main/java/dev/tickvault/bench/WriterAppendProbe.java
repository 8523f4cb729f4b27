package dev.tickvault.bench;

import dev.tickvault.model.SeriesKey;
import dev.tickvault.model.Side;
import dev.tickvault.sample.SyntheticTradeBatch;
import dev.tickvault.sample.SyntheticTrades;
import dev.tickvault.store.Durability;
import dev.tickvault.store.StoreConfig;
import dev.tickvault.store.StoreWriter;
import dev.tickvault.store.TickStore;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The writer thread's CPU per row on its own: the synthetic trades appended through {@link StoreWriter#appendTrade}
 * in 100,000-row batches, and per batch:
 *
 * <ul>
 *   <li>{@code --mode rollback}: rolled back (the append alone, no commit work);
 *   <li>{@code --mode async}: committed with {@code commitAsync()} (the hand-over included; the committer's work is on
 *       its own thread);
 *   <li>{@code --mode async-wait}: committed with {@code commitAsync()} and waited for (the writer never runs beside
 *       its committer, but appends into buffers the committer read);
 *   <li>{@code --mode alternate}: two writers take turns, each batch rolled back (two buffer sets, no committer);
 *   <li>{@code --mode alternate-async}: two writers take turns, each batch committed with {@code commitAsync()};
 *   <li>{@code --mode scatter}: the same rows stored into plain per-instrument arrays (the floor);
 *   <li>{@code --mode scatter-tiled}: as scatter, each instrument's long columns in one array of 8-row tiles (a
 *       cache line per column per tile, the five side by side) and its byte columns in one array of 64-row tiles: two
 *       write streams per instrument instead of eight (an experiment: what fewer streams would save);
 *   <li>{@code --mode staged}: as scatter, each instrument's rows staged 16 at a time in a row-major block and copied
 *       into the columns in bursts (an experiment: slower than scatter).
 * </ul>
 *
 * <p>Prints, per pass over the trades, the writer thread's CPU and the bytes it allocated per row (thread CPU is the
 * figure to trust on a shared machine). {@code --modes rollback,async} takes the modes in turn, one per pass (a
 * comparison inside one JVM, under the same load); {@code --fresh-store} gives each pass an empty store (otherwise
 * every async pass after the first commits rows that overlap the earlier passes', which the committer merges).
 * {@code --batch-rows 1000 --one-series} keeps the buffer in the caches: what
 * is left is the work per row. Session 11 (branch {@code append11}) figures are in docs/BENCHMARKS.md.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -Xmx6g -cp bench/target/tickvault-bench.jar \
 *     dev.tickvault.bench.WriterAppendProbe [--trades 10000000] [--passes 8] \
 *     [--mode rollback|async|alternate|scatter|staged] [--modes MODE,MODE...] [--fresh-store] \
 *     [--batch-rows 100000] [--one-series]
 * </pre>
 */
public final class WriterAppendProbe {

    /** Rows per batch ({@code --batch-rows}); set once by {@link #main} before anything runs. */
    private static int batchRows = 100_000;

    private static long sink;

    private WriterAppendProbe() {}

    public static void main(String[] args) throws Exception {
        int trades = 10_000_000;
        int passes = 8;
        String modes = "rollback";
        boolean freshStore = false;
        boolean oneSeries = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--trades" -> trades = Integer.parseInt(args[++i]);
                case "--passes" -> passes = Integer.parseInt(args[++i]);
                case "--mode", "--modes" -> modes = args[++i];
                case "--fresh-store" -> freshStore = true;
                case "--batch-rows" -> batchRows = Integer.parseInt(args[++i]);
                case "--one-series" -> oneSeries = true;
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        SyntheticTrades generator = new SyntheticTrades(trades, SyntheticTrades.DEFAULT_SEED);
        SeriesKey[] series = generator.seriesKeys();
        if (oneSeries) {
            java.util.Arrays.fill(series, series[0]); // every row to one buffer: the per-row work without the misses
        }
        SyntheticTradeBatch batch = generator.all();
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        String[] cycle = modes.split(",");
        Path dir = Files.createTempDirectory("tickvault-append-probe-");
        TickStore store = TickStore.open(dir, StoreConfig.defaults().withDurability(Durability.OS));
        try {
            for (int pass = 1; pass <= passes; pass++) {
                String mode = cycle[(pass - 1) % cycle.length];
                if (freshStore && pass > 1) {
                    store.close();
                    BenchEnvironment.deleteTree(dir);
                    Files.createDirectories(dir);
                    store = TickStore.open(dir, StoreConfig.defaults().withDurability(Durability.OS));
                }
                long cpu = threads.getCurrentThreadCpuTime();
                long allocated = threads.getCurrentThreadAllocatedBytes();
                long start = System.nanoTime();
                switch (mode) {
                    case "rollback", "async", "async-wait" -> {
                        try (StoreWriter writer = store.newWriter()) {
                            for (int row = 0; row < batch.size(); row += batchRows) {
                                batch.appendTo(writer, series, row, Math.min(batch.size(), row + batchRows));
                                if (mode.equals("rollback")) {
                                    writer.rollback();
                                } else if (mode.equals("async-wait")) {
                                    writer.commitAsync().await();
                                } else {
                                    writer.commitAsync();
                                }
                            }
                            writer.commitAsync().await();
                        }
                    }
                    case "alternate-async" -> {
                        try (StoreWriter first = store.newWriter();
                                StoreWriter second = store.newWriter()) {
                            for (int row = 0, n = 0; row < batch.size(); row += batchRows, n++) {
                                StoreWriter writer = n % 2 == 0 ? first : second;
                                batch.appendTo(writer, series, row, Math.min(batch.size(), row + batchRows));
                                writer.commitAsync();
                            }
                            first.commitAsync().await();
                            second.commitAsync().await();
                        }
                    }
                    case "alternate" -> {
                        try (StoreWriter first = store.newWriter();
                                StoreWriter second = store.newWriter()) {
                            for (int row = 0, n = 0; row < batch.size(); row += batchRows, n++) {
                                StoreWriter writer = n % 2 == 0 ? first : second;
                                batch.appendTo(writer, series, row, Math.min(batch.size(), row + batchRows));
                                writer.rollback();
                            }
                        }
                    }
                    case "scatter" -> scatter(batch, series.length, oneSeries);
                    case "scatter-tiled" -> tiledScatter(batch, series.length);
                    case "staged" -> stagedScatter(batch, series.length);
                    default -> throw new IllegalArgumentException("unknown mode " + mode);
                }
                long wall = System.nanoTime() - start;
                double rows = batch.size();
                System.out.printf(
                        "pass %d (%s): writer thread %.1f ns/row CPU, %.1f bytes/row allocated, %.2fM rows/s%n",
                        pass,
                        mode,
                        (threads.getCurrentThreadCpuTime() - cpu) / rows,
                        (threads.getCurrentThreadAllocatedBytes() - allocated) / rows,
                        rows / wall * 1e3);
            }
        } finally {
            store.close();
            BenchEnvironment.deleteTree(dir);
        }
        System.out.println(sink == 42 ? "" : " ");
    }

    /** The floor: every row's eight values stored into its instrument's arrays (kept from batch to batch). */
    private static void scatter(SyntheticTradeBatch batch, int instruments, boolean oneSeries) {
        int capacity = batchRows;
        long[][] longs = new long[instruments * 5][capacity];
        byte[][] bytes = new byte[instruments * 3][capacity];
        int[] sizes = new int[instruments];
        for (int from = 0; from < batch.size(); from += batchRows) {
            int to = Math.min(batch.size(), from + batchRows);
            java.util.Arrays.fill(sizes, 0);
            for (int i = from; i < to; i++) {
                int s = oneSeries ? 0 : batch.instrument[i];
                int row = sizes[s]++;
                longs[s * 5][row] = batch.tsNanos[i];
                longs[s * 5 + 1][row] = batch.recvTsNanos[i];
                longs[s * 5 + 2][row] = batch.priceMantissa[i];
                longs[s * 5 + 3][row] = batch.quantityMantissa[i];
                longs[s * 5 + 4][row] = batch.tradeId[i];
                bytes[s * 3][row] = batch.priceScale[i];
                bytes[s * 3 + 1][row] = batch.quantityScale[i];
                bytes[s * 3 + 2][row] = (byte) Side.ofCode(batch.side[i]).code();
            }
            sink += sizes[0];
        }
    }

    /** As {@link #scatter} into tiled arrays: see {@code --mode scatter-tiled}. */
    private static void tiledScatter(SyntheticTradeBatch batch, int instruments) {
        int tiles = batchRows / 8 + 1;
        long[][] longs = new long[instruments][tiles * 40];
        byte[][] bytes = new byte[instruments][(batchRows / 64 + 1) * 192];
        int[] sizes = new int[instruments];
        for (int from = 0; from < batch.size(); from += batchRows) {
            int to = Math.min(batch.size(), from + batchRows);
            java.util.Arrays.fill(sizes, 0);
            for (int i = from; i < to; i++) {
                int s = batch.instrument[i];
                int row = sizes[s]++;
                long[] l = longs[s];
                int at = (row >>> 3) * 40 + (row & 7);
                l[at] = batch.tsNanos[i];
                l[at + 8] = batch.recvTsNanos[i];
                l[at + 16] = batch.priceMantissa[i];
                l[at + 24] = batch.quantityMantissa[i];
                l[at + 32] = batch.tradeId[i];
                byte[] b = bytes[s];
                int bat = (row >>> 6) * 192 + (row & 63);
                b[bat] = batch.priceScale[i];
                b[bat + 64] = batch.quantityScale[i];
                b[bat + 128] = (byte) Side.ofCode(batch.side[i]).code();
            }
            sink += sizes[0];
        }
    }

    /**
     * As {@link #scatter}, each instrument's rows first staged 16 at a time in a small row-major block and then copied
     * into the columns in bursts (an experiment: does writing each column line in one go beat interleaved stores?).
     */
    private static void stagedScatter(SyntheticTradeBatch batch, int instruments) {
        int capacity = batchRows;
        final int stage = 16;
        long[][] longs = new long[instruments * 5][capacity];
        byte[][] bytes = new byte[instruments * 3][capacity];
        long[][] staged = new long[instruments][stage * 5];
        byte[][] stagedBytes = new byte[instruments][stage * 3];
        int[] sizes = new int[instruments];
        int[] fill = new int[instruments];
        for (int from = 0; from < batch.size(); from += batchRows) {
            int to = Math.min(batch.size(), from + batchRows);
            java.util.Arrays.fill(sizes, 0);
            for (int i = from; i < to; i++) {
                int s = batch.instrument[i];
                int k = fill[s]++;
                long[] block = staged[s];
                block[k] = batch.tsNanos[i];
                block[stage + k] = batch.recvTsNanos[i];
                block[2 * stage + k] = batch.priceMantissa[i];
                block[3 * stage + k] = batch.quantityMantissa[i];
                block[4 * stage + k] = batch.tradeId[i];
                byte[] byteBlock = stagedBytes[s];
                byteBlock[k] = batch.priceScale[i];
                byteBlock[stage + k] = batch.quantityScale[i];
                byteBlock[2 * stage + k] = (byte) Side.ofCode(batch.side[i]).code();
                if (k == stage - 1) {
                    int row = sizes[s];
                    for (int c = 0; c < 5; c++) {
                        System.arraycopy(block, c * stage, longs[s * 5 + c], row, stage);
                    }
                    for (int c = 0; c < 3; c++) {
                        System.arraycopy(byteBlock, c * stage, bytes[s * 3 + c], row, stage);
                    }
                    sizes[s] = row + stage;
                    fill[s] = 0;
                }
            }
            sink += sizes[0];
            java.util.Arrays.fill(fill, 0);
        }
    }
}
