package dev.tickvault.query;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickvault.model.Decimal;
import dev.tickvault.model.DecimalFormat;
import dev.tickvault.model.SeriesKey;
import dev.tickvault.model.Side;
import dev.tickvault.store.Durability;
import dev.tickvault.store.StoreConfig;
import dev.tickvault.store.StoreWriter;
import dev.tickvault.store.TickStore;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random trades — mixed price and quantity scales, huge mantissas that overflow a long and 128 bits, equal times,
 * unknown sides, times around UTC midnight — give bars equal to an independent BigDecimal oracle, with and without
 * fill, over random ranges and intervals; and {@link ExactSum} equals BigDecimal arithmetic. (Named *Test so that
 * surefire's default includes run it in the default suite: *Properties classes are not picked up.)
 */
class BarsPropertyTest {

    private static final long SECOND = 1_000_000_000L;
    /** 2024-08-09T00:00:00Z: trades fall on both sides of this UTC midnight. */
    private static final long MIDNIGHT = 1_723_161_600_000_000_000L;

    private static final long[] INTERVALS = {
        SECOND, 15 * SECOND, 60 * SECOND, 300 * SECOND, 3600 * SECOND, 86_400 * SECOND
    };

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("dev.tickvault.testing.RandomCases#fewSeeds")
    void barsEqualTheOracle(long seed) throws IOException {
        Random random = new Random(seed);
        SeriesKey series = SeriesKey.of("test", "X");
        long spread = random.nextBoolean() ? 600 * SECOND : 3 * 3600 * SECOND;
        List<BarOracle.OracleTrade> trades = new ArrayList<>();
        int count = random.nextInt(4) == 0 ? random.nextInt(5) : random.nextInt(3000);
        boolean huge = random.nextInt(4) == 0;
        for (int i = 0; i < count; i++) {
            long ts = MIDNIGHT - spread / 2 + (long) (random.nextDouble() * spread);
            if (i > 0 && random.nextInt(8) == 0) {
                ts = trades.get(random.nextInt(i)).tsNanos(); // equal times
            }
            int priceScale = random.nextInt(9);
            int quantityScale = random.nextInt(9);
            long price = huge ? Long.MAX_VALUE / 2 - random.nextInt(1000) : 1 + random.nextInt(10_000_000);
            long quantity = huge ? Long.MAX_VALUE / 3 - random.nextInt(1000) : random.nextInt(1_000_000);
            trades.add(new BarOracle.OracleTrade(
                    ts,
                    DecimalFormat.toString(price, priceScale),
                    DecimalFormat.toString(quantity, quantityScale),
                    random.nextInt(3)));
        }
        Path dir = Files.createTempDirectory("tickvault-bars");
        try (TickStore store = TickStore.open(dir, StoreConfig.defaults().withDurability(Durability.OS))) {
            try (StoreWriter writer = store.newWriter()) {
                for (int i = 0; i < trades.size(); i++) {
                    BarOracle.OracleTrade t = trades.get(i);
                    Decimal p = Decimal.parse(t.price());
                    Decimal q = Decimal.parse(t.quantity());
                    writer.appendTrade(
                            series,
                            t.tsNanos(),
                            t.tsNanos(),
                            p.mantissa(),
                            p.scale(),
                            q.mantissa(),
                            q.scale(),
                            Side.ofCode(t.side()),
                            i);
                    if (random.nextInt(500) == 0) {
                        writer.commit();
                    }
                }
                writer.commit();
            }
            if (random.nextBoolean()) {
                store.flush();
            }
            List<BarOracle.OracleTrade> ordered = new ArrayList<>(trades);
            ordered.sort(Comparator.comparingLong(BarOracle.OracleTrade::tsNanos)); // stable: ties keep commit order
            for (int q = 0; q < 4; q++) {
                long interval = INTERVALS[random.nextInt(INTERVALS.length)];
                long from = random.nextBoolean()
                        ? Long.MIN_VALUE
                        : MIDNIGHT - spread / 2 + (long) (random.nextDouble() * spread / 2);
                long to = random.nextBoolean()
                        ? Long.MAX_VALUE
                        : from == Long.MIN_VALUE
                                ? MIDNIGHT + (long) (random.nextDouble() * spread / 2)
                                : from + 1 + (long) (random.nextDouble() * spread);
                boolean fill = random.nextBoolean();
                List<BarOracle.OracleBar> expected = expected(ordered, interval, from, to, fill);
                List<BarOracle.OracleBar> actual = new ArrayList<>();
                try (BarCursor cursor = BarCursor.open(store, series, from, to, new BarInterval(interval), fill)) {
                    while (cursor.next()) {
                        Bar bar = cursor.bar();
                        assertThat(bar.startNanos() % interval).isZero(); // aligned to UTC (epoch multiples)
                        actual.add(BarOracle.of(bar));
                    }
                }
                assertThat(actual)
                        .as("seed %d, interval %d s, [%d, %d), fill %s", seed, interval / SECOND, from, to, fill)
                        .isEqualTo(expected);
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** The oracle, with fill: every interval from from's bar (or the first trade) to to (or the last trade). */
    private static List<BarOracle.OracleBar> expected(
            List<BarOracle.OracleTrade> ordered, long interval, long from, long to, boolean fill) {
        List<BarOracle.OracleBar> traded = BarOracle.bars(ordered, interval, from, to);
        if (!fill) {
            return traded;
        }
        BarOracle.OracleTrade before = null;
        for (BarOracle.OracleTrade t : ordered) {
            if (from != Long.MIN_VALUE && t.tsNanos() < from) {
                before = t;
            }
        }
        List<BarOracle.OracleBar> out = new ArrayList<>();
        String close = before == null ? null : before.price();
        String zero = before == null ? null : zero(before.quantity());
        long cursor = from == Long.MIN_VALUE ? Long.MAX_VALUE : Math.floorDiv(from, interval) * interval;
        for (BarOracle.OracleBar bar : traded) {
            for (; close != null && cursor < bar.startNanos(); cursor += interval) {
                out.add(new BarOracle.OracleBar(cursor, close, close, close, close, zero, zero, zero, "", 0));
            }
            out.add(bar);
            close = bar.close();
            zero = zero(bar.volume());
            cursor = bar.startNanos() + interval;
        }
        if (to != Long.MAX_VALUE) {
            for (; close != null && cursor < to; cursor += interval) {
                out.add(new BarOracle.OracleBar(cursor, close, close, close, close, zero, zero, zero, "", 0));
            }
        }
        return out;
    }

    private static String zero(String quantity) {
        return BigDecimal.ZERO.setScale(new BigDecimal(quantity).scale()).toPlainString();
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("dev.tickvault.testing.RandomCases#seeds")
    void exactSumEqualsBigDecimal(long seed) {
        Random random = new Random(seed);
        ExactSum sum = new ExactSum();
        ExactSum products = new ExactSum();
        sum.reset();
        products.reset();
        BigDecimal expectedSum = BigDecimal.ZERO;
        BigDecimal expectedProducts = BigDecimal.ZERO;
        int n = random.nextInt(200);
        for (int i = 0; i < n; i++) {
            long a =
                    switch (random.nextInt(4)) {
                        case 0 -> random.nextLong();
                        case 1 -> random.nextBoolean() ? Long.MAX_VALUE : Long.MIN_VALUE;
                        default -> random.nextInt(1_000_000) - 500_000;
                    };
            long b = random.nextInt(3) == 0 ? random.nextLong() : random.nextInt(1000);
            int scale = random.nextInt(19);
            sum.add(a, scale);
            expectedSum = expectedSum.add(BigDecimal.valueOf(a, scale));
            int productScale = random.nextInt(37);
            products.addProduct(a, b, productScale);
            expectedProducts = expectedProducts.add(new BigDecimal(
                    java.math.BigInteger.valueOf(a).multiply(java.math.BigInteger.valueOf(b)), productScale));
        }
        assertThat(sum.toBigDecimal().compareTo(expectedSum))
                .as("sum, seed %d", seed)
                .isZero();
        assertThat(products.toBigDecimal().compareTo(expectedProducts))
                .as("products, seed %d", seed)
                .isZero();
    }
}
