package dev.tickvault.bench;

import dev.tickvault.store.codec.ByteSink;
import dev.tickvault.store.codec.LongColumnCodec;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
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
 * Encode and decode speed of {@link LongColumnCodec} on one 65,536-row block of a timestamp, price and quantity
 * column. Scores are values per second (one operation = one value). Decoding reads from a native segment, as from a
 * memory-mapped partition file.
 *
 * <pre>
 *   java --enable-native-access=ALL-UNNAMED -jar bench/target/tickvault-bench.jar ColumnCodec -f 1 -wi 2 -i 3 -w 1 -r 1
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class ColumnCodecBenchmark {
    private static final int ROWS = 65_536;

    /** Which column shape to encode. */
    @Param({"timestamp", "price", "quantity"})
    public String column;

    private final LongColumnCodec codec = new LongColumnCodec();
    private final ByteSink sink = new ByteSink(ROWS * 9);
    private final long[] decoded = new long[ROWS];
    private long[] values;
    private Arena arena;
    private MemorySegment encoded;

    @Setup(Level.Trial)
    public void setUp() {
        values = switch (column) {
            case "timestamp" -> timestamps();
            case "price" -> prices();
            case "quantity" -> quantities();
            default -> throw new IllegalArgumentException(column);
        };
        sink.reset();
        codec.encode(values, 0, ROWS, sink);
        arena = Arena.ofShared();
        encoded = arena.allocate(sink.position() + 3L);
        MemorySegment.copy(sink.array(), 0, encoded, ValueLayout.JAVA_BYTE, 3, sink.position());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    @Benchmark
    @OperationsPerInvocation(ROWS)
    public int encode() {
        sink.reset();
        return codec.encode(values, 0, ROWS, sink);
    }

    @Benchmark
    @OperationsPerInvocation(ROWS)
    public long[] decode() {
        codec.decode(encoded, 3, ROWS, decoded, 0);
        return decoded;
    }

    private static long[] timestamps() {
        Random random = new Random(1);
        long[] ts = new long[ROWS];
        long millis = 1_722_470_400_000L;
        for (int i = 0; i < ROWS; i++) {
            if (random.nextDouble() > 0.67) {
                millis += 1 + (long) (-Math.log(1 - random.nextDouble()) * 15);
            }
            ts[i] = millis * 1_000_000L;
        }
        return ts;
    }

    private static long[] prices() {
        Random random = new Random(2);
        long[] price = new long[ROWS];
        long ticks = 6_500_000;
        for (int i = 0; i < ROWS; i++) {
            ticks += random.nextInt(5) - 2;
            price[i] = ticks;
        }
        return price;
    }

    private static long[] quantities() {
        Random random = new Random(3);
        long[] qty = new long[ROWS];
        for (int i = 0; i < ROWS; i++) {
            double quantity = Math.exp(Math.log(0.01) + 1.5 * random.nextGaussian());
            qty[i] = Math.max(1, Math.round(quantity / 0.00001)) * 1000;
        }
        return qty;
    }
}
