package dev.tickvault.store.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickvault.testing.RandomCases;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The receive times' choice of form (scaled varints or packed frames, {@code ColumnBlockCodec}) asks {@link
 * LongColumnCodec#dominantExponent} and {@link LongColumnCodec#scaledVarintsSmaller}; both stop early now, and must
 * answer exactly as the full counts they replaced (so the bytes written stay the same): checked against those counts
 * on columns built to sit at the edges (the 1-in-16 bound, zero, the extremes of a long).
 */
class ScaledFormChoiceTest {

    /** The dominant exponent as it was counted before: each value's trailing decimal zeros, then from 9 down. */
    private static int referenceDominantExponent(long[] values, int offset, int count) {
        if (count == 0) {
            return 0;
        }
        int[] atLeast = new int[LongColumnCodec.MAX_SCALED_EXPONENT + 1];
        for (int i = offset; i < offset + count; i++) {
            atLeast[DecimalScaling.trailingDecimalZeros(values[i], LongColumnCodec.MAX_SCALED_EXPONENT)]++;
        }
        int needed = count - count / 16;
        int covered = 0;
        for (int e = LongColumnCodec.MAX_SCALED_EXPONENT; e >= 1; e--) {
            covered += atLeast[e];
            if (covered >= needed) {
                return e;
            }
        }
        return 0;
    }

    /**
     * Values mostly multiples of 10^e (a random e, 0 to 11) with about the tolerated share of others (at, just
     * under or just over one in 16), some zero, negative or extreme; placed at a random offset of a larger array.
     */
    private static long[] column(RandomGenerator random, int offset, int count) {
        long[] values = new long[offset + count + random.nextInt(3)];
        long unit = DecimalScaling.pow10(random.nextInt(12));
        long others = count / 16 + random.nextInt(-2, 3);
        for (int i = 0; i < values.length; i++) {
            long multiple = unit * random.nextLong(-1_000, 1_000) * (random.nextBoolean() ? 1 : random.nextInt(1, 10));
            values[i] = switch (random.nextInt(40)) {
                case 0 -> 0;
                case 1 -> Long.MIN_VALUE;
                case 2 -> Long.MAX_VALUE;
                case 3 -> RandomCases.anyLong(random);
                default -> multiple;
            };
        }
        for (long k = 0; k < others && count > 0; k++) {
            values[offset + random.nextInt(count)] = unit * random.nextLong(1, 1000) + random.nextLong(1, 10);
        }
        return values;
    }

    @ParameterizedTest
    @MethodSource("dev.tickvault.testing.RandomCases#manySeeds")
    void dominantExponentAnswersAsTheFullCount(long seed) {
        RandomGenerator random = RandomCases.random(seed);
        int offset = random.nextInt(4);
        int count = random.nextInt(8) == 0 ? random.nextInt(20) : random.nextInt(1, 3000);
        long[] values = column(random, offset, count);
        assertThat(LongColumnCodec.dominantExponent(values, offset, count))
                .as("seed %d, %d values", seed, count)
                .isEqualTo(referenceDominantExponent(values, offset, count));
    }

    @Test
    void dominantExponentAtTheOneInSixteenBound() {
        for (int count : new int[] {1, 15, 16, 17, 128, 129, 1024, 1025, 3000}) {
            for (int others = Math.max(0, count / 16 - 1); others <= count / 16 + 1 && others <= count; others++) {
                long[] values = new long[count];
                for (int i = 0; i < count; i++) {
                    values[i] = i < others ? 1_000 * i + 7 : 1_000L * (i + 1);
                }
                assertThat(LongColumnCodec.dominantExponent(values, 0, count))
                        .as("%d values, %d not multiples of 1000", count, others)
                        .isEqualTo(referenceDominantExponent(values, 0, count))
                        .isEqualTo(others <= count / 16 ? 3 : 0);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.tickvault.testing.RandomCases#manySeeds")
    void scaledVarintsSmallerAnswersAsTheFullSize(long seed) {
        RandomGenerator random = RandomCases.random(seed);
        int offset = random.nextInt(4);
        int count = random.nextInt(1, 1500);
        long[] values = column(random, offset, count);
        int scale = random.nextInt(1, DecimalScaling.MAX_EXPONENT + 1);
        long size = LongColumnCodec.scaledVarintsSize(values, offset, count, scale);
        long[] bounds = {0, 1, 2, size - 1, size, size + 1, random.nextLong(0, 2 * size + 2), Long.MAX_VALUE};
        for (long bound : bounds) {
            assertThat(LongColumnCodec.scaledVarintsSmaller(values, offset, count, scale, bound))
                    .as("seed %d, size %d, bound %d", seed, size, bound)
                    .isEqualTo(size < bound);
        }
    }
}
