package dev.tickvault.bench;

import dev.tickvault.store.Durability;
import dev.tickvault.store.wal.WalConfig;
import dev.tickvault.store.wal.WriteAheadLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Append throughput of the write-ahead log: 1 and 4 appending threads, 1 KiB and 1 MiB payloads, fsync on every
 * commit (group commit) versus no explicit fsync. Writes into {@code bench-data/} under the working directory
 * (override with {@code -Dtickvault.bench.dir=...}); segments are deleted after every iteration.
 *
 * <pre>
 * ./build bench && java -jar bench/target/tickvault-bench.jar WalAppendBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
public class WalAppendBenchmark {

    @Param({"SYNC_EVERY_COMMIT", "OS"})
    public Durability durability;

    @Param({"1024", "1048576"})
    public int payloadBytes;

    private Path dir;
    private WriteAheadLog log;
    private byte[] payload;

    @Setup(Level.Trial)
    public void open() throws IOException {
        Path base = Path.of(System.getProperty("tickvault.bench.dir", "bench-data"));
        Files.createDirectories(base);
        dir = Files.createTempDirectory(base, "wal-");
        log = WriteAheadLog.open(dir, new WalConfig(durability, 100, 64L << 20));
        payload = new byte[payloadBytes];
        new java.util.Random(1).nextBytes(payload);
    }

    @TearDown(Level.Iteration)
    public void trim() {
        log.deleteSegmentsBefore(log.lastLsn() + 1);
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        log.close();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }

    @Benchmark
    @Threads(1)
    public long append1Thread() {
        return log.append(1, payload, 0, payload.length);
    }

    @Benchmark
    @Threads(4)
    public long append4Threads() {
        return log.append(1, payload, 0, payload.length);
    }
}
