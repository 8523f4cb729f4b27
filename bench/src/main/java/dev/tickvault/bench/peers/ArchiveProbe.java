package dev.tickvault.bench.peers;

import dev.tickvault.bench.BenchEnvironment;
import dev.tickvault.bench.BookBenchmark;
import dev.tickvault.query.BookAtResult;
import dev.tickvault.store.ArchiveReport;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The archive step on the real Binance depth recordings (571,611 level updates): (1) ingested once as the side-by-side
 * benchmark's "real level updates once" row does, then archived: bytes on disk per update before and after, the
 * archive's thread CPU per update and wall time; (2) ingested with a book checkpoint every minute of feed time (as
 * {@code tickvault record} stores books), the book at 20 random instants (top 10 levels, as the side-by-side (d))
 * before and after archiving: querying-thread CPU per call, median of {@code --repeats} rounds, answers equal.
 *
 * <p>Memory while archiving (session 15): the rise of the old generation's peak over its level before the step
 * (G1 allocates a big buffer, such as a whole archived file, directly there), the archiving thread's allocated
 * bytes, and the largest archived file. {@code --copies K} ingests the recordings K times one after another (K times
 * the rows, a few copies per UTC day), so that a partition holds a bigger day; {@code --archive-only} skips (2).
 *
 * <p>{@code java -cp tickvault-bench.jar dev.tickvault.bench.peers.ArchiveProbe [--captures DIR] [--repeats N]
 * [--copies K] [--archive-only]}
 */
public final class ArchiveProbe {

    private static final int INSTANTS = 20;
    private static final int DEPTH = 10;

    private ArchiveProbe() {}

    public static void main(String[] args) throws Exception {
        Path captures = Path.of("../shared/captures/binance/hftbacktest");
        int repeats = 5;
        int copies = 1;
        boolean archiveOnly = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--captures" -> captures = Path.of(args[++i]);
                case "--repeats" -> repeats = Integer.parseInt(args[++i]);
                case "--copies" -> copies = Integer.parseInt(args[++i]);
                case "--archive-only" -> archiveOnly = true;
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        BookBenchmark.Merged book = BookBenchmark.load(captures);
        Path dir = Files.createTempDirectory("tickvault-archive-probe-");
        try {
            try (TickvaultPeer peer = new TickvaultPeer(dir.resolve("once"), BookBenchmark.SERIES)) {
                peer.ingestBook(book, copies);
                long updates = (long) book.size() * copies;
                long before = peer.bookBytesOnDisk();
                HeapWatch heap = HeapWatch.start();
                long cpu = threads.getCurrentThreadCpuTime();
                long wall = System.nanoTime();
                ArchiveReport report = peer.archive(today);
                wall = System.nanoTime() - wall;
                cpu = threads.getCurrentThreadCpuTime() - cpu;
                long after = peer.bookBytesOnDisk();
                System.out.printf(
                        "real level updates x%d: %d updates, %d files %.4f B/update -> %d files %.4f B/update;"
                                + " archive %.2f s wall, thread CPU %.2f us/update (%.0f updates/s of CPU)%n",
                        copies,
                        updates,
                        report.filesMerged(),
                        (double) before / updates,
                        report.partitions().size(),
                        (double) after / updates,
                        wall / 1e9,
                        cpu / 1e3 / updates,
                        updates / (cpu / 1e9));
                long largest = report.partitions().stream()
                        .mapToLong(ArchiveReport.Partition::bytesAfter)
                        .max()
                        .orElse(0);
                System.out.printf(
                        "archive memory: old gen peak +%.1f MiB over before the step, archiving thread allocated"
                                + " %.1f B/update, largest archived file %.1f MiB (heap max %d MiB)%n",
                        heap.oldGenPeakRise() / 1048576.0,
                        (double) heap.allocated() / updates,
                        largest / 1048576.0,
                        Runtime.getRuntime().maxMemory() >> 20);
            }
            if (archiveOnly) {
                return;
            }
            BookBenchmark.Merged recorded = BookBenchmark.withCheckpoints(book, 60_000_000_000L);
            try (TickvaultPeer peer = new TickvaultPeer(dir.resolve("recorded"), BookBenchmark.SERIES)) {
                peer.ingestBook(recorded, 1);
                SplittableRandom random = new SplittableRandom(42);
                int[] seriesOf = new int[INSTANTS];
                long[] at = new long[INSTANTS];
                for (int k = 0; k < INSTANTS; k++) {
                    seriesOf[k] = k % BookBenchmark.SERIES.length;
                    long min = Long.MAX_VALUE;
                    long max = Long.MIN_VALUE;
                    for (int i = 0; i < recorded.size(); i++) {
                        if (recorded.series()[i] == seriesOf[k]) {
                            min = Math.min(min, recorded.tsNanos(0, i));
                            max = Math.max(max, recorded.tsNanos(0, i));
                        }
                    }
                    long span = max - min;
                    at[k] = min + span / 4 + random.nextLong(span * 9 / 10 - span / 4);
                }
                List<String> answers = new ArrayList<>();
                long[] unarchived = bookAt(peer, seriesOf, at, repeats, answers);
                ArchiveReport report = peer.archive(today);
                List<String> archivedAnswers = new ArrayList<>();
                long[] archived = bookAt(peer, seriesOf, at, repeats, archivedAnswers);
                if (!answers.equals(archivedAnswers)) {
                    throw new AssertionError("the book differs after archiving");
                }
                System.out.printf(
                        "book at an instant (top %d, %d instants, %d rounds, %d updates with checkpoints, %d"
                                + " files -> %d): querying-thread CPU per call, median of rounds %.3f ms"
                                + " (rounds %s) unarchived; %.3f ms (rounds %s) archived%n",
                        DEPTH,
                        INSTANTS,
                        repeats,
                        recorded.size(),
                        report.filesMerged(),
                        report.partitions().size(),
                        median(unarchived) / 1e6,
                        ms(unarchived),
                        median(archived) / 1e6,
                        ms(archived));
            }
        } finally {
            BenchEnvironment.deleteTree(dir);
        }
    }

    /**
     * The old generation's peak use over its use after a GC at {@link #start} (big arrays such as a whole file's
     * buffer go there directly under G1), and the calling thread's allocated bytes since.
     */
    private record HeapWatch(List<java.lang.management.MemoryPoolMXBean> oldGen, long oldGenBase, long allocatedBase) {
        static HeapWatch start() {
            System.gc();
            List<java.lang.management.MemoryPoolMXBean> old = ManagementFactory.getMemoryPoolMXBeans().stream()
                    .filter(p -> p.getType() == java.lang.management.MemoryType.HEAP)
                    .filter(p -> p.getName().contains("Old") || p.getName().contains("Tenured"))
                    .toList();
            long base = 0;
            for (var pool : old) {
                pool.resetPeakUsage();
                base += pool.getUsage().getUsed();
            }
            return new HeapWatch(old, base, allocatedBytes());
        }

        long oldGenPeakRise() {
            long peak = 0;
            for (var pool : oldGen) {
                peak += pool.getPeakUsage().getUsed();
            }
            return peak - oldGenBase;
        }

        long allocated() {
            return allocatedBytes() - allocatedBase;
        }

        private static long allocatedBytes() {
            return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
                    .getCurrentThreadAllocatedBytes();
        }
    }

    /** Per round, the querying thread's CPU per call (ns); the answers of the last round in {@code answers}. */
    private static long[] bookAt(TickvaultPeer peer, int[] seriesOf, long[] at, int repeats, List<String> answers) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long[] perCall = new long[repeats];
        for (int round = 0; round < repeats; round++) {
            answers.clear();
            long cpu = threads.getCurrentThreadCpuTime();
            for (int k = 0; k < at.length; k++) {
                BookAtResult result = peer.bookAt(BookBenchmark.SERIES[seriesOf[k]], at[k], DEPTH);
                answers.add(result.bids() + " " + result.asks());
            }
            perCall[round] = (threads.getCurrentThreadCpuTime() - cpu) / at.length;
        }
        return perCall;
    }

    private static double median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static String ms(long[] values) {
        StringBuilder s = new StringBuilder();
        for (long v : values) {
            s.append(s.isEmpty() ? "" : " ").append(String.format("%.3f", v / 1e6));
        }
        return s.toString();
    }
}
