package dev.tickvault.bench.peers;

import dev.tickvault.bench.BenchEnvironment;
import dev.tickvault.bench.ProcessCpuClock;
import dev.tickvault.model.SeriesKey;
import dev.tickvault.sample.SyntheticTradeBatch;
import dev.tickvault.sample.SyntheticTrades;
import dev.tickvault.store.TickStore;
import dev.tickvault.store.TradeBatchCursor;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * The side-by-side benchmark's query (a) on tickvault, alone: ingests {@code --trades} synthetic trades as the child
 * does ({@code --ingest-runs} times, the last store kept), then runs {@link TickvaultPeer#hour} for {@code --seconds}
 * and prints the querying thread's CPU time per query: the first, then the median of each block of 50, so the modes
 * of the warm figure can be counted across fresh JVMs (and inside one). With {@code -Dprobe.reference=true} each block
 * also shows the {@link ReferenceKernel}'s CPU ({@code r}) and an 8 MB copy's ({@code m}) run after each query: the
 * query's CPU divided by {@code r} compares builds under load (session 13: the warm (a) moved 1.8–3.3 ms with the
 * machine, the ratio 1.84–2.07).
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -Xmx6g -cp bench/target/tickvault-bench.jar \
 *     dev.tickvault.bench.peers.HourQueryProbe [--trades 10000000] [--ingest-runs 5] [--seconds 20]
 * </pre>
 */
public final class HourQueryProbe {

    private HourQueryProbe() {}

    /** With {@code -Dprobe.uptime=true} each block's median is followed by {@code @} and the JVM's uptime in ms. */
    private static final boolean UPTIME = Boolean.getBoolean("probe.uptime");

    /**
     * With {@code -Dprobe.reference=true} each query is followed by the {@link ReferenceKernel} and a copy of 8 MB on
     * the same thread, whose thread CPU medians are printed as {@code r} and {@code m} before each block's query
     * median: if the references move with the query, the machine changed, not the query.
     */
    private static final boolean REFERENCE = Boolean.getBoolean("probe.reference");

    /** With {@code -Dprobe.others=true}: {@code o} and the CPU ms of every other thread of the process in the block. */
    private static final boolean OTHERS = Boolean.getBoolean("probe.others");

    /**
     * With {@code -Dprobe.trace=true} the first query is preceded by a line with the JVM's uptime (to line up with
     * {@code -XX:+PrintCompilation}'s timestamps) and followed by the querying thread's CPU of the cursor's opening and
     * of each {@code next()} with its rows' checksum; then the same for a second series' other hour (code warm, data
     * cold), before the timed loop.
     */
    private static final boolean TRACE = Boolean.getBoolean("probe.trace");

    /**
     * With {@code -Dprobe.wall=true} each query's figure is its wall time instead of the querying thread's CPU: the
     * figure to compare when other threads take part in a query (the block-decode helper).
     */
    private static final boolean WALL = Boolean.getBoolean("probe.wall");

    public static void main(String[] args) throws Exception {
        long tradeCount = 10_000_000;
        int ingestRuns = 5;
        double seconds = 20;
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--trades" -> tradeCount = Long.parseLong(args[i + 1]);
                case "--ingest-runs" -> ingestRuns = Integer.parseInt(args[i + 1]);
                case "--seconds" -> seconds = Double.parseDouble(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        SyntheticTrades generator = new SyntheticTrades(tradeCount, SyntheticTrades.DEFAULT_SEED);
        SeriesKey[] series = generator.seriesKeys();
        SyntheticTradeBatch trades = generator.all();
        long hourTo = PeerBenchmark.HOUR_FROM_NANOS + SyntheticTrades.NANOS_PER_HOUR;
        GroundTruth truth = new GroundTruth(trades, series.length, 0, PeerBenchmark.HOUR_FROM_NANOS, hourTo);
        PeerBenchmark.checkersSum = GroundTruth.compileCheckers();
        for (int run = 1; run < ingestRuns; run++) {
            Path dir = Files.createTempDirectory("tickvault-hour-probe-");
            try (TickvaultPeer peer = new TickvaultPeer(dir, series)) {
                peer.ingest(trades);
            } finally {
                BenchEnvironment.deleteTree(dir);
            }
        }
        Path dir = Files.createTempDirectory("tickvault-hour-probe-");
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        try (TickvaultPeer peer = new TickvaultPeer(dir, series)) {
            peer.ingest(trades);
            if (TRACE) {
                traced("first", peer.store(), series[0], PeerBenchmark.HOUR_FROM_NANOS, hourTo);
                traced(
                        "other",
                        peer.store(),
                        series[1],
                        PeerBenchmark.HOUR_FROM_NANOS + SyntheticTrades.NANOS_PER_HOUR,
                        hourTo + SyntheticTrades.NANOS_PER_HOUR);
            }
            long[] block = new long[50];
            long[] refBlock = new long[50];

            long[] memBlock = new long[50];
            long[] memFrom = new long[1 << 20];
            long[] memTo = new long[1 << 20];

            int filled = 0;
            int queries = 0;
            StringBuilder line = new StringBuilder();
            long until = System.nanoTime() + (long) (seconds * 1e9);
            long blockProcessCpu = ProcessCpuClock.nanos();
            long blockThreadCpu = threads.getCurrentThreadCpuTime();
            dev.tickvault.bench.ThreadCpuBreakdown threadsBefore = dev.tickvault.bench.ThreadCpuBreakdown.snapshot();
            while (System.nanoTime() < until) {
                long cpu = WALL ? System.nanoTime() : threads.getCurrentThreadCpuTime();
                GroundTruth.Hour answer = peer.hour(PeerBenchmark.HOUR_FROM_NANOS, hourTo);
                long spent = (WALL ? System.nanoTime() : threads.getCurrentThreadCpuTime()) - cpu;
                truth.checkHour("tickvault", answer);
                long refSpent = 0;
                long memSpent = 0;
                if (REFERENCE) {
                    refSpent = ReferenceKernel.cpuNanos();
                    long refCpu = threads.getCurrentThreadCpuTime();
                    System.arraycopy(memFrom, 0, memTo, 0, memFrom.length);
                    memSpent = threads.getCurrentThreadCpuTime() - refCpu;
                }
                if (queries++ == 0) {
                    line.append(String.format(Locale.ROOT, "first %.2f |", spent / 1e6));
                    continue;
                }
                refBlock[filled] = refSpent;
                memBlock[filled] = memSpent;
                block[filled++] = spent;
                if (filled == block.length) {
                    Arrays.sort(block);
                    Arrays.sort(refBlock);
                    Arrays.sort(memBlock);
                    if (OTHERS) {
                        long processCpu = ProcessCpuClock.nanos();
                        long threadCpu = threads.getCurrentThreadCpuTime();
                        line.append(String.format(
                                Locale.ROOT,
                                " o%.0f/",
                                ((processCpu - blockProcessCpu) - (threadCpu - blockThreadCpu)) / 1e6));
                        blockProcessCpu = processCpu;
                        blockThreadCpu = threadCpu;
                    }
                    if (REFERENCE) {
                        line.append(String.format(
                                Locale.ROOT,
                                " r%.2f/m%.2f/",
                                refBlock[refBlock.length / 2] / 1e6,
                                memBlock[memBlock.length / 2] / 1e6));
                    }
                    line.append(String.format(
                            Locale.ROOT,
                            " %.2f%s",
                            block[block.length / 2] / 1e6,
                            UPTIME ? "@" + ManagementFactory.getRuntimeMXBean().getUptime() : ""));
                    filled = 0;
                }
            }
            System.out.println("thread CPU per query while querying (ms): "
                    + dev.tickvault.bench.ThreadCpuBreakdown.snapshot()
                            .perRowSince(threadsBefore, 1_000_000L * queries));
            System.out.println(line.append(" | queries ").append(queries));
        } finally {
            BenchEnvironment.deleteTree(dir);
        }
    }

    /**
     * One query as {@link TickvaultPeer#hour} makes it, its parts timed on the thread's CPU clock (see TRACE). The
     * figures are kept in arrays and formatted after the query, so that no formatting runs between its parts; the
     * query's start and end on {@link System#nanoTime} (CLOCK_MONOTONIC) are printed for lining up with a profiler
     * recording on that clock ({@code perf record -k CLOCK_MONOTONIC}).
     */
    private static void traced(String label, TickStore store, SeriesKey key, long fromNanos, long toNanos) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        System.out.println(
                label + " starts @" + ManagementFactory.getRuntimeMXBean().getUptime());
        int maxBatches = 1024;
        int[] rows = new int[maxBatches];
        long[] decodeCpu = new long[maxBatches];
        long[] checkCpu = new long[maxBatches];
        int batches = 0;
        long openCpu;
        long sum = 0;
        long wallStart = System.nanoTime();
        long start = threads.getCurrentThreadCpuTime();
        long cpu = start;
        try (TradeBatchCursor b = store.tradeBatches(key, fromNanos, toNanos)) {
            long now = threads.getCurrentThreadCpuTime();
            openCpu = now - cpu;
            cpu = now;
            for (int n = b.next(); n > 0; n = b.next()) {
                long decoded = threads.getCurrentThreadCpuTime();
                for (int i = b.offset(), end = i + n; i < end; i += GroundTruth.CHECK_ROWS) {
                    sum += GroundTruth.rowsChecksum(
                            b.tsNanos(),
                            b.recvTsNanos(),
                            b.priceMantissas(),
                            b.priceScales(),
                            b.quantityMantissas(),
                            b.quantityScales(),
                            b.sides(),
                            b.tradeIds(),
                            i,
                            Math.min(end, i + GroundTruth.CHECK_ROWS));
                }
                now = threads.getCurrentThreadCpuTime();
                if (batches < maxBatches) {
                    rows[batches] = n;
                    decodeCpu[batches] = decoded - cpu;
                    checkCpu[batches] = now - decoded;
                    batches++;
                }
                cpu = now;
            }
        }
        long totalCpu = threads.getCurrentThreadCpuTime() - start;
        long wallEnd = System.nanoTime();
        StringBuilder line = new StringBuilder(label)
                .append(String.format(
                        Locale.ROOT, " (nanoTime %d-%d): open %.2f |", wallStart, wallEnd, openCpu / 1e6));
        for (int k = 0; k < batches; k++) {
            line.append(String.format(Locale.ROOT, " %d:%.2f+%.2f", rows[k], decodeCpu[k] / 1e6, checkCpu[k] / 1e6));
        }
        line.append(String.format(
                Locale.ROOT,
                " | total %.2f cpu, %.2f wall (sum %d)",
                totalCpu / 1e6,
                (wallEnd - wallStart) / 1e6,
                sum));
        System.out.println(line);
    }
}
