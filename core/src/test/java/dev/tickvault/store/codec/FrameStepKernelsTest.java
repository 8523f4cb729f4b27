package dev.tickvault.store.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickvault.testing.RandomCases;
import java.util.random.RandomGenerator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link EncodeKernels#scaleFrameWithSteps} and {@link EncodeKernels#scaleFrameSteps} (session 17: a scale loop, a
 * differences loop and a min/max loop, each vectorisable) against the one-pass loop they replaced, which carried the
 * previous value from iteration to iteration: the same scaled values, steps, folded minimum and maximum and returned
 * last value, for frames of 0 to 130 values at any offsets, any exponent the column shares, and wrapping extremes.
 */
class FrameStepKernelsTest {

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("dev.tickvault.testing.RandomCases#manySeeds")
    void kernelsMatchTheOnePassLoop(long seed) {
        RandomGenerator random = RandomCases.random(seed);
        int exponent = random.nextInt(4) == 0 ? 0 : random.nextInt(1, DecimalScaling.MAX_EXPONENT + 1);
        long unit = DecimalScaling.pow10(exponent);
        int n = random.nextInt(131);
        int from = random.nextInt(1, 5);
        long[] src = new long[from + n + random.nextInt(3)];
        int shape = random.nextInt(3);
        long value = RandomCases.anyLong(random) / unit;
        for (int i = 0; i < src.length; i++) {
            value = switch (shape) {
                case 0 -> value + random.nextInt(4); // sorted small steps
                case 1 -> random.nextLong(-5_000, 5_000); // jitter
                default -> RandomCases.anyLong(random) / unit; // anything, extremes wrap when scaled back
            };
            src[i] = value * unit;
        }
        if (random.nextInt(8) == 0 && n > 0) {
            src[from + random.nextInt(n)] = random.nextBoolean() ? Long.MIN_VALUE / unit * unit : 0;
        }
        int at = random.nextInt(1, 6);
        long inverse = DecimalScaling.inversePow5(exponent);
        long previous = (src[from - 1] >> exponent) * inverse;
        long[] initial = {
            random.nextBoolean() ? previous : RandomCases.anyLong(random),
            random.nextBoolean() ? previous : RandomCases.anyLong(random),
            random.nextBoolean() ? Long.MAX_VALUE : RandomCases.anyLong(random),
            random.nextBoolean() ? Long.MIN_VALUE : RandomCases.anyLong(random)
        };
        for (boolean withValues : new boolean[] {true, false}) {
            long[] scaled = new long[at + n + 2];
            long[] deltas = new long[at + n + 2];
            long[] stats = initial.clone();
            scaled[at - 1] = previous;
            long last = withValues
                    ? EncodeKernels.scaleFrameWithSteps(
                            src, from, from + n, exponent, inverse, scaled, deltas, at, previous, stats)
                    : EncodeKernels.scaleFrameSteps(
                            src, from, from + n, exponent, inverse, scaled, deltas, at, previous, stats);
            long[] expectedScaled = new long[at + n + 2];
            long[] expectedDeltas = new long[at + n + 2];
            long[] expectedStats = initial.clone();
            expectedScaled[at - 1] = previous;
            long expectedLast = onePass(
                    src,
                    from,
                    from + n,
                    exponent,
                    inverse,
                    expectedScaled,
                    expectedDeltas,
                    at,
                    previous,
                    expectedStats);
            if (!withValues) {
                expectedStats[0] = initial[0];
                expectedStats[1] = initial[1];
            }
            String as =
                    String.format("seed %d, %d values, exponent %d, values folded %b", seed, n, exponent, withValues);
            assertThat(last).as(as).isEqualTo(expectedLast);
            assertThat(scaled).as(as).isEqualTo(expectedScaled);
            assertThat(deltas).as(as).isEqualTo(expectedDeltas);
            assertThat(stats).as(as).isEqualTo(expectedStats);
        }
    }

    /** The loop before session 17, one value at a time with the previous value carried. */
    private static long onePass(
            long[] src,
            int from,
            int to,
            int shift,
            long inverse,
            long[] scaled,
            long[] deltas,
            int at,
            long previous,
            long[] stats) {
        long min = stats[0];
        long max = stats[1];
        long stepMin = stats[2];
        long stepMax = stats[3];
        int shiftIndex = at - from;
        for (int i = from; i < to; i++) {
            long v = (src[i] >> shift) * inverse;
            long step = v - previous;
            scaled[i + shiftIndex] = v;
            deltas[i + shiftIndex - 1] = step;
            min = Math.min(min, v);
            max = Math.max(max, v);
            stepMin = Math.min(stepMin, step);
            stepMax = Math.max(stepMax, step);
            previous = v;
        }
        stats[0] = min;
        stats[1] = max;
        stats[2] = stepMin;
        stats[3] = stepMax;
        return previous;
    }
}
