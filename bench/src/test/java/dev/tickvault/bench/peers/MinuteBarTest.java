package dev.tickvault.bench.peers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** (b)'s per-minute sums are exact whatever the quantities: wide or negative ones take the checked path. */
class MinuteBarTest {

    static LongStream seeds() {
        return new SplittableRandom(0x6261_7273L).longs(200);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void sumsAreExactOrRefused(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        // few rows of wide values now and then: sums at the edge of a long
        int rows = random.nextBoolean() ? 1 + random.nextInt(8) : 1 + random.nextInt(3000);
        int widthBits = random.nextBoolean() ? 58 + random.nextInt(6) : 1 + random.nextInt(63);
        boolean atTheTop = random.nextBoolean();
        long[] price = new long[rows];
        long[] qty = new long[rows];
        BigInteger exact = BigInteger.ZERO;
        boolean anyNegative = false;
        long high = Long.MIN_VALUE;
        long low = Long.MAX_VALUE;
        for (int i = 0; i < rows; i++) {
            price[i] = random.nextLong(1, 1L << 40);
            long magnitude = atTheTop
                    ? (1L << (widthBits - 1)) - 1 - random.nextLong(16)
                    : random.nextLong(1L << (widthBits - 1) | 1);
            qty[i] = random.nextInt(10) == 0 && random.nextBoolean() ? -Math.max(0, magnitude) : Math.max(0, magnitude);
            exact = exact.add(BigInteger.valueOf(qty[i]));
            anyNegative |= qty[i] < 0;
            high = Math.max(high, price[i]);
            low = Math.min(low, price[i]);
        }
        TickvaultPeer.MinuteBar bar = new TickvaultPeer.MinuteBar();
        bar.start(7, 0, price[0]);
        int cut = random.nextInt(rows + 1);
        boolean fits = exact.bitLength() < 64;
        TreeMap<Integer, GroundTruth.Bar> out = new TreeMap<>();
        try {
            if (cut > 0) {
                bar.add(price, qty, 0, cut);
            }
            if (cut < rows) {
                bar.add(price, qty, cut, rows);
            }
            bar.emit(out);
        } catch (ArithmeticException e) {
            // only when the total overflows, or a partial sum may have (negative quantities): never a wrong answer
            assertThat(!fits || anyNegative).as("refused a total that fits").isTrue();
            return;
        }
        assertThat(fits).as("an overflowing total must throw").isTrue();
        assertThat(out).containsOnlyKeys(7);
        assertThat(out.get(7))
                .isEqualTo(new GroundTruth.Bar(price[0], high, low, price[rows - 1], exact.longValueExact()));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void anOverflowIsRefused(long seed) {
        long[] price = {1, 2, 3};
        long wide = (1L << 62) - 1 - (seed & 0xFF); // 62 bits: three of them overflow a long
        long[] qty = {wide, wide, wide};
        TickvaultPeer.MinuteBar bar = new TickvaultPeer.MinuteBar();
        bar.start(0, 0, 1);
        assertThatThrownBy(() -> bar.add(price, qty, 0, 3)).isInstanceOf(ArithmeticException.class);
    }
}
