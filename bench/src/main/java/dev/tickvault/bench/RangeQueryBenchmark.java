package dev.tickvault.bench;

import dev.tickvault.model.SeriesKey;
import dev.tickvault.sample.SyntheticTrades;
import dev.tickvault.store.Durability;
import dev.tickvault.store.StoreConfig;
import dev.tickvault.store.TickStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The one-hour, one-symbol range query (12:00-13:00 UTC, {@code binance:BTCUSDT}, ~66k of a 10M-trade day) reading
 * every column of every row, on a store prepared once per trial with {@link SyntheticTrades}, flushed, closed and
 * reopened so that every row comes from partition files. Also a full-day scan of the same symbol. The store lives
 * in {@code bench-data/} (override with {@code -Dtickvault.bench.dir=...}) and is deleted afterwards.
 *
 * <pre>
 * ./build bench && java --enable-native-access=ALL-UNNAMED -jar bench/target/tickvault-bench.jar RangeQueryBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xmx4g", "--enable-native-access=ALL-UNNAMED"})
public class RangeQueryBenchmark {

    /** Trades of the whole synthetic day (all instruments). */
    @Param({"10000000"})
    public long trades;

    private Path dir;
    private TickStore store;
    private SeriesKey busiest;

    @Setup(Level.Trial)
    public void prepare() throws IOException {
        Path base = Path.of(System.getProperty("tickvault.bench.dir", "bench-data"));
        Files.createDirectories(base);
        dir = Files.createTempDirectory(base, "range-");
        StoreConfig config = StoreConfig.defaults().withDurability(Durability.OS);
        SyntheticTrades generator = new SyntheticTrades(trades, SyntheticTrades.DEFAULT_SEED);
        SeriesKey[] series = generator.seriesKeys();
        busiest = series[0];
        StoreBenchmark.ingest(dir, config, generator.all(), series);
        store = TickStore.open(dir, config);
    }

    @TearDown(Level.Trial)
    public void close() {
        store.close();
        BenchEnvironment.deleteTree(dir);
    }

    @Benchmark
    public long oneHourOneSymbol() {
        return StoreBenchmark.scan(
                store,
                busiest,
                StoreBenchmark.HOUR_FROM_NANOS,
                StoreBenchmark.HOUR_FROM_NANOS + SyntheticTrades.NANOS_PER_HOUR);
    }

    @Benchmark
    public long oneHourOneSymbolRowCursor() {
        return StoreBenchmark.scanRows(
                store,
                busiest,
                StoreBenchmark.HOUR_FROM_NANOS,
                StoreBenchmark.HOUR_FROM_NANOS + SyntheticTrades.NANOS_PER_HOUR);
    }

    @Benchmark
    public long fullDayOneSymbol() {
        return StoreBenchmark.scan(
                store,
                busiest,
                SyntheticTrades.DAY_START_NANOS,
                SyntheticTrades.DAY_START_NANOS + SyntheticTrades.NANOS_PER_DAY);
    }
}
