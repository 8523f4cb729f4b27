package dev.tickvault.bench;

import dev.tickvault.model.SeriesKey;
import dev.tickvault.sample.SyntheticTrades;
import dev.tickvault.store.Durability;
import dev.tickvault.store.StoreConfig;
import dev.tickvault.store.TickStore;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * The one-hour range read of {@link StoreBenchmark} measured by thread CPU (the figure that other processes on a shared
 * machine do not inflate): the first run of a fresh JVM, optionally after ingesting synthetic trades into a scratch
 * store first (as the side-by-side benchmark's child JVM does: the write path is compiled, the read path is not), then
 * warm runs of the column-batch and the row cursor <em>interleaved</em> (batch first in even rounds, rows first in odd
 * ones), so neither cursor profits from running later in the JVM's life.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp bench/target/tickvault-bench.jar dev.tickvault.bench.ReadPathProbe \
 *     DIR/synthetic [--ingest 1000000] [--rounds 200] [--first rows]
 * </pre>
 *
 * Without {@code --ingest} the store is opened read-only (as {@code tickvault query} does); with it, the scratch store
 * lives in a temporary directory deleted afterwards and {@code DIR} is opened writable (as the benchmark child does).
 * Prints one line per measure: the first run, then median / p10 / p90 thread CPU of the rounds' second half.
 */
public final class ReadPathProbe {

    private ReadPathProbe() {}

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        long ingest = 0;
        int rounds = 200;
        boolean firstRows = false;
        for (int i = 1; i < args.length; i += 2) {
            switch (args[i]) {
                case "--ingest" -> ingest = Long.parseLong(args[i + 1]);
                case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
                case "--first" -> firstRows = args[i + 1].equals("rows");
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        StoreConfig config = StoreConfig.defaults().withDurability(Durability.OS);
        if (ingest > 0) {
            Path scratch = Files.createTempDirectory("tickvault-readpath-probe-");
            try {
                SyntheticTrades generator = new SyntheticTrades(ingest, SyntheticTrades.DEFAULT_SEED);
                long cpu = threads.getCurrentThreadCpuTime();
                StoreBenchmark.ingest(scratch, config, generator.all(), generator.seriesKeys());
                System.out.printf(
                        Locale.ROOT,
                        "ingest %,d trades (scratch store): thread CPU %.1f ms%n",
                        ingest,
                        (threads.getCurrentThreadCpuTime() - cpu) / 1e6);
            } finally {
                BenchEnvironment.deleteTree(scratch);
            }
        }
        SeriesKey series = SeriesKey.of("binance", "BTCUSDT");
        long from = StoreBenchmark.HOUR_FROM_NANOS;
        long to = from + SyntheticTrades.NANOS_PER_HOUR;
        long openCpu = threads.getCurrentThreadCpuTime();
        try (TickStore store = ingest > 0 ? TickStore.open(dir, config) : TickStore.openReadOnly(dir)) {
            System.out.printf(
                    Locale.ROOT, "open: thread CPU %.1f ms%n", (threads.getCurrentThreadCpuTime() - openCpu) / 1e6);
            long wall = System.nanoTime();
            long cpu = threads.getCurrentThreadCpuTime();
            long rows = firstRows
                    ? StoreBenchmark.scanRows(store, series, from, to)
                    : StoreBenchmark.scan(store, series, from, to);
            long firstCpu = threads.getCurrentThreadCpuTime() - cpu;
            long firstWall = System.nanoTime() - wall;
            System.out.printf(
                    Locale.ROOT,
                    "first run (%s): thread CPU %.2f ms, wall %.2f ms, %,d rows%n",
                    firstRows ? "row cursor" : "column batches",
                    firstCpu / 1e6,
                    firstWall / 1e6,
                    rows);
            long[] batchCpu = new long[rounds];
            long[] rowCpu = new long[rounds];
            long[] batchWall = new long[rounds];
            long[] rowWall = new long[rounds];
            for (int r = 0; r < rounds; r++) {
                for (int k = 0; k < 2; k++) {
                    boolean batch = (k == 0) == (r % 2 == 0);
                    wall = System.nanoTime();
                    cpu = threads.getCurrentThreadCpuTime();
                    if (batch) {
                        StoreBenchmark.scan(store, series, from, to);
                        batchCpu[r] = threads.getCurrentThreadCpuTime() - cpu;
                        batchWall[r] = System.nanoTime() - wall;
                    } else {
                        StoreBenchmark.scanRows(store, series, from, to);
                        rowCpu[r] = threads.getCurrentThreadCpuTime() - cpu;
                        rowWall[r] = System.nanoTime() - wall;
                    }
                }
            }
            print("column batches", batchCpu, batchWall);
            print("row cursor", rowCpu, rowWall);
        }
    }

    private static void print(String what, long[] cpu, long[] wall) {
        if (cpu.length == 0) {
            return;
        }
        long[] c = Arrays.copyOfRange(cpu, cpu.length / 2, cpu.length);
        long[] w = Arrays.copyOfRange(wall, wall.length / 2, wall.length);
        Arrays.sort(c);
        Arrays.sort(w);
        System.out.printf(
                Locale.ROOT,
                "warm %-14s (rounds %d-%d): thread CPU median %.3f ms (p10 %.3f, p90 %.3f), wall median %.3f ms%n",
                what,
                cpu.length / 2 + 1,
                cpu.length,
                c[c.length / 2] / 1e6,
                c[c.length / 10] / 1e6,
                c[c.length * 9 / 10] / 1e6,
                w[w.length / 2] / 1e6);
    }
}
