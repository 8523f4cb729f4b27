package dev.tickvault.store.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickvault.testing.RandomCases;
import java.math.BigInteger;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link DecimalScaling#commonExponent} against a BigInteger oracle: the largest power of ten dividing every value. */
class DecimalScalingTest {

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("dev.tickvault.testing.RandomCases#seeds")
    void commonExponentIsTheLargestPowerOfTenDividingEveryValue(long seed) {
        RandomGenerator random = RandomCases.random(seed);
        int count = RandomCases.intBetween(random, 1, 300);
        long[] values = new long[count + 4];
        int scale = random.nextInt(DecimalScaling.MAX_EXPONENT + 1);
        long unit = DecimalScaling.pow10(scale);
        for (int i = 0; i < values.length; i++) {
            values[i] = switch (random.nextInt(10)) {
                case 0 -> 0;
                case 1 -> RandomCases.anyLong(random);
                case 2 -> Long.MIN_VALUE;
                case 3 -> -unit * random.nextLong(1, Math.max(2, Long.MAX_VALUE / unit));
                default -> unit * random.nextLong(0, Math.max(1, Math.min(1L << 20, Long.MAX_VALUE / unit)));
            };
        }
        int offset = random.nextInt(4);
        assertThat(DecimalScaling.commonExponent(values, offset, count))
                .as(
                        "values %s",
                        java.util.Arrays.toString(java.util.Arrays.copyOfRange(values, offset, offset + count)))
                .isEqualTo(oracle(values, offset, count));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("dev.tickvault.testing.RandomCases#seeds")
    void trailingDecimalZerosCountsLikeRepeatedDivision(long seed) {
        RandomGenerator random = RandomCases.random(seed);
        for (int n = 0; n < 200; n++) {
            long value =
                    switch (random.nextInt(5)) {
                        case 0 -> RandomCases.anyLong(random);
                        case 1 -> 0;
                        case 2 -> Long.MIN_VALUE + random.nextInt(3);
                        default ->
                            DecimalScaling.pow10(random.nextInt(19))
                                    * (random.nextBoolean() ? 1 : -1)
                                    * random.nextLong(1, 10);
                    };
            int max = random.nextInt(DecimalScaling.MAX_EXPONENT + 1);
            int zeros = 0;
            for (long v = value; zeros < max && v % 10 == 0; v /= 10) {
                zeros++;
            }
            assertThat(DecimalScaling.trailingDecimalZeros(value, max))
                    .as("%d, max %d", value, max)
                    .isEqualTo(zeros);
        }
    }

    @Test
    void edgeCases() {
        assertThat(DecimalScaling.commonExponent(new long[] {0, 0, 0}, 0, 3)).isZero();
        assertThat(DecimalScaling.commonExponent(new long[] {0, 1_000, 0, -20_000}, 0, 4))
                .isEqualTo(3);
        assertThat(DecimalScaling.commonExponent(new long[] {Long.MIN_VALUE}, 0, 1))
                .isZero();
        assertThat(DecimalScaling.commonExponent(new long[] {1L << 40}, 0, 1)).isZero();
        assertThat(DecimalScaling.commonExponent(new long[] {1_000_000_000_000_000_000L}, 0, 1))
                .isEqualTo(18);
        assertThat(DecimalScaling.commonExponent(new long[] {-1_000_000_000_000_000_000L, 0}, 0, 2))
                .isEqualTo(18);
        assertThat(DecimalScaling.commonExponent(new long[] {7, 100, 100}, 1, 2))
                .isEqualTo(2);
    }

    private static int oracle(long[] values, int offset, int count) {
        boolean allZero = true;
        for (int e = DecimalScaling.MAX_EXPONENT; e >= 1; e--) {
            BigInteger divisor = BigInteger.TEN.pow(e);
            boolean divides = true;
            for (int i = offset; i < offset + count; i++) {
                if (values[i] != 0) {
                    allZero = false;
                }
                if (BigInteger.valueOf(values[i]).mod(divisor).signum() != 0) {
                    divides = false;
                    break;
                }
            }
            if (divides) {
                return allZero ? 0 : e;
            }
        }
        return 0;
    }
}
