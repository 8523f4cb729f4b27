package dev.tickvault.bench;

import dev.tickvault.model.SeriesKey;
import dev.tickvault.sample.SyntheticTradeBatch;
import dev.tickvault.sample.SyntheticTrades;
import dev.tickvault.store.Durability;
import dev.tickvault.store.StoreConfig;
import dev.tickvault.store.StoreWriter;
import dev.tickvault.store.TickStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Single-writer ingest throughput (operations = trades): one invocation appends the next 100,000 pre-generated
 * {@code binance:BTCUSDT} trades and commits. A fresh store per trial ({@link Durability#OS}, default compression
 * unless {@code compressionLevel} says otherwise) in {@code bench-data/} (override with
 * {@code -Dtickvault.bench.dir=...}), deleted afterwards. The memtable flushes in the background as it fills, so the
 * figure includes flushing at the rate the writer produces. When the pre-generated trades run out they are replayed
 * one day later, so time keeps moving forward.
 *
 * <p>{@code async=true} commits with {@link StoreWriter#commitAsync()} and does not wait for it: the next invocation's
 * appends overlap the commit, which the next {@code commitAsync} waits for (at most one in flight), so the steady
 * rate counts every commit; the trial's last one completes in the tear-down.
 *
 * <pre>
 * ./build bench && java --enable-native-access=ALL-UNNAMED -jar bench/target/tickvault-bench.jar StoreIngestBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xmx3g", "--enable-native-access=ALL-UNNAMED"})
public class StoreIngestBenchmark {

    private static final int COMMIT_ROWS = StoreBenchmark.COMMIT_ROWS;

    /** Pre-generated trades (a multiple of 100,000), replayed in a loop. */
    @Param({"2000000"})
    public int trades;

    /** zstd level on top of the column encodings; 3 is the store's default. */
    @Param({"3"})
    public int compressionLevel;

    /** Commit with {@code commitAsync()} (pipelined) instead of {@code commit()}. */
    @Param({"false", "true"})
    public boolean async;

    private Path dir;
    private TickStore store;
    private StoreWriter writer;
    private SyntheticTradeBatch batch;
    private SeriesKey[] series;
    private int nextRow;

    @Setup(Level.Trial)
    public void open() throws IOException {
        if (trades % COMMIT_ROWS != 0) {
            throw new IllegalArgumentException("trades must be a multiple of " + COMMIT_ROWS);
        }
        SyntheticTrades generator =
                new SyntheticTrades(trades, SyntheticTrades.DEFAULT_SEED, List.of(SyntheticTrades.INSTRUMENTS.get(0)));
        series = generator.seriesKeys();
        batch = generator.all();
        Path base = Path.of(System.getProperty("tickvault.bench.dir", "bench-data"));
        Files.createDirectories(base);
        dir = Files.createTempDirectory(base, "ingest-");
        store = TickStore.open(
                dir, StoreConfig.defaults().withDurability(Durability.OS).withCompressionLevel(compressionLevel));
        writer = store.newWriter();
    }

    @TearDown(Level.Trial)
    public void close() {
        writer.close();
        store.close();
        BenchEnvironment.deleteTree(dir);
    }

    @Benchmark
    @OperationsPerInvocation(COMMIT_ROWS)
    public void append100kAndCommit() {
        if (nextRow == batch.size()) {
            nextRow = 0;
            shiftTimes(SyntheticTrades.NANOS_PER_DAY);
        }
        if (async) {
            batch.appendTo(writer, series, nextRow, nextRow + COMMIT_ROWS);
            writer.commitAsync();
        } else {
            StoreBenchmark.appendAll(writer, batch, series, nextRow, nextRow + COMMIT_ROWS);
        }
        nextRow += COMMIT_ROWS;
    }

    /** Moves every pre-generated trade {@code nanos} later (rare: once per pass over the trades). */
    private void shiftTimes(long nanos) {
        for (int i = 0; i < batch.size(); i++) {
            batch.tsNanos[i] += nanos;
            batch.recvTsNanos[i] += nanos;
        }
    }
}
