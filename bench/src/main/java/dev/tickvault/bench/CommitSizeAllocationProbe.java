package dev.tickvault.bench;

import dev.tickvault.model.SeriesKey;
import dev.tickvault.sample.SyntheticTradeBatch;
import dev.tickvault.sample.SyntheticTrades;
import dev.tickvault.store.Durability;
import dev.tickvault.store.StoreConfig;
import dev.tickvault.store.StoreWriter;
import dev.tickvault.store.TickStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Heap bytes allocated and CPU per row, by thread, of a synthetic trade ingest committed every {@code --commit-rows}
 * rows (asynchronously), e.g. a live recorder's small commits: what the memtable's per-commit work costs when a flush
 * holds thousands of commits. Usage: {@code --trades N --commit-rows R --runs K} (default 2,000,000, 1,000, 3).
 */
public final class CommitSizeAllocationProbe {

    private CommitSizeAllocationProbe() {}

    public static void main(String[] args) throws Exception {
        int trades = 2_000_000;
        int commitRows = 1_000;
        int runs = 3;
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 == args.length) {
                throw new IllegalArgumentException("option " + args[i] + " needs a value");
            }
            switch (args[i]) {
                case "--trades" -> trades = Integer.parseInt(args[i + 1]);
                case "--commit-rows" -> commitRows = Integer.parseInt(args[i + 1]);
                case "--runs" -> runs = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (trades <= 0 || commitRows <= 0 || runs <= 0) {
            throw new IllegalArgumentException("--trades, --commit-rows and --runs must be positive");
        }
        SyntheticTrades generator = new SyntheticTrades(trades, SyntheticTrades.DEFAULT_SEED);
        SeriesKey[] series = generator.seriesKeys();
        SyntheticTradeBatch batch = generator.all();
        StoreConfig config = StoreConfig.defaults().withDurability(Durability.OS);
        for (int run = 1; run <= runs; run++) {
            Path dir = Files.createTempDirectory("tickvault-commit-size-probe");
            try {
                ingest(dir, config, batch, series, commitRows, run);
            } finally {
                BenchEnvironment.deleteTree(dir);
            }
        }
    }

    private static void ingest(
            Path dir, StoreConfig config, SyntheticTradeBatch batch, SeriesKey[] series, int commitRows, int run) {
        try (TickStore store = TickStore.open(dir, config)) {
            ThreadCpuBreakdown cpuBefore = ThreadCpuBreakdown.snapshot();
            ThreadAllocationBreakdown allocatedBefore = ThreadAllocationBreakdown.snapshot();
            ThreadCpuBreakdown cpuBeforeClose;
            ThreadAllocationBreakdown allocatedBeforeClose;
            long start = System.nanoTime();
            try (StoreWriter writer = store.newWriter()) {
                for (int row = 0; row < batch.size(); row += commitRows) {
                    batch.appendTo(writer, series, row, Math.min(batch.size(), row + commitRows));
                    writer.commitAsync();
                }
                writer.commitAsync().await();
                cpuBeforeClose = ThreadCpuBreakdown.snapshot();
                allocatedBeforeClose = ThreadAllocationBreakdown.snapshot();
            }
            store.flush();
            long nanos = System.nanoTime() - start;
            System.out.printf(
                    Locale.ROOT,
                    "run %d: %,d rows, commits of %,d rows, %.2f s%n  CPU ns/row: %s%n  heap bytes/row: %s%n",
                    run,
                    batch.size(),
                    commitRows,
                    nanos / 1e9,
                    ThreadCpuBreakdown.snapshot()
                            .withEndedThreadsOf(cpuBeforeClose)
                            .perRowSince(cpuBefore, batch.size()),
                    ThreadAllocationBreakdown.snapshot()
                            .withEndedThreadsOf(allocatedBeforeClose)
                            .perRowSince(allocatedBefore, batch.size()));
        }
    }
}
