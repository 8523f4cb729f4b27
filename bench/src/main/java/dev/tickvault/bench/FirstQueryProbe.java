package dev.tickvault.bench;

import dev.tickvault.model.SeriesKey;
import dev.tickvault.sample.SyntheticTrades;
import dev.tickvault.store.TickStore;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The first query of a fresh JVM, as {@code tickvault query} runs it: opens a store read-only, then reads the one-hour
 * {@code binance:BTCUSDT} range of {@link StoreBenchmark} through {@code TradeBatchCursor} (every column) once, then
 * a few more times. Prints wall and thread-CPU milliseconds of the open and of each run (CPU time is the measure that
 * the other processes of a shared machine do not inflate).
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp bench/target/tickvault-bench.jar dev.tickvault.bench.FirstQueryProbe \
 *     DIR/synthetic [runs] [pauseMillis]
 * </pre>
 *
 * {@code pauseMillis} (default 0) waits between the open and the first run, as a server's first request comes some
 * time after it opened the store.
 */
public final class FirstQueryProbe {

    private FirstQueryProbe() {}

    public static void main(String[] args) throws InterruptedException {
        Path dir = Path.of(args[0]);
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        long pauseMillis = args.length > 2 ? Long.parseLong(args[2]) : 0;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        SeriesKey series = SeriesKey.of("binance", "BTCUSDT");
        long from = StoreBenchmark.HOUR_FROM_NANOS;
        long to = from + SyntheticTrades.NANOS_PER_HOUR;
        long wall = System.nanoTime();
        long cpu = threads.getCurrentThreadCpuTime();
        try (TickStore store = TickStore.openReadOnly(dir)) {
            print("open", wall, cpu, threads, -1);
            Thread.sleep(pauseMillis);
            for (int run = 0; run < runs; run++) {
                wall = System.nanoTime();
                cpu = threads.getCurrentThreadCpuTime();
                long rows = StoreBenchmark.scan(store, series, from, to);
                print("run " + (run + 1), wall, cpu, threads, rows);
            }
        }
    }

    private static void print(String what, long wallStart, long cpuStart, ThreadMXBean threads, long rows) {
        double wallMillis = (System.nanoTime() - wallStart) / 1e6;
        double cpuMillis = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e6;
        int classes = ManagementFactory.getClassLoadingMXBean().getLoadedClassCount();
        long jitMillis = ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
        System.out.println(String.format(
                Locale.ROOT,
                "%-6s wall %8.2f ms  thread CPU %8.2f ms  (classes loaded so far %,d, JIT so far %,d ms)%s",
                what,
                wallMillis,
                cpuMillis,
                classes,
                jitMillis,
                rows >= 0 ? "  " + rows + " rows" : ""));
    }
}
