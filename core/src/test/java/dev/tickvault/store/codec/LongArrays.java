package dev.tickvault.store.codec;

import java.util.Random;

/** Test helper: long arrays of the shapes a column block can take, built from a seed. */
enum LongArrays {
    RANDOM_FULL_RANGE,
    MONOTONIC,
    CONSTANT,
    SMALL_DELTAS,
    BIG_JUMPS,
    MIN_MAX_MIX,
    TIMESTAMPS_MS_IN_NS,
    DECIMAL_TRAILING_ZEROS,
    OVERFLOWING_DELTAS;

    long[] build(int length, long seed) {
        Random random = new Random(seed);
        long[] values = new long[length];
        long v = random.nextLong();
        for (int i = 0; i < length; i++) {
            values[i] = switch (this) {
                case RANDOM_FULL_RANGE -> random.nextLong();
                case MONOTONIC -> v += random.nextInt(1000);
                case CONSTANT -> v;
                case SMALL_DELTAS -> v += random.nextInt(21) - 10;
                case BIG_JUMPS -> v += random.nextInt(50) == 0 ? random.nextLong() >> random.nextInt(64) : 1;
                case MIN_MAX_MIX ->
                    switch (random.nextInt(5)) {
                        case 0 -> Long.MIN_VALUE;
                        case 1 -> Long.MAX_VALUE;
                        case 2 -> 0;
                        case 3 -> Long.MIN_VALUE + random.nextInt(3);
                        default -> Long.MAX_VALUE - random.nextInt(3);
                    };
                case TIMESTAMPS_MS_IN_NS -> (1_700_000_000_000L + i / 3 + random.nextInt(2)) * 1_000_000L;
                case DECIMAL_TRAILING_ZEROS ->
                    (random.nextInt(100_000) - 50_000) * 1000L * (1 + random.nextInt(3) * 10);
                case OVERFLOWING_DELTAS ->
                    (i & 1) == 0 ? Long.MAX_VALUE - random.nextInt(10) : Long.MIN_VALUE + random.nextInt(10);
            };
        }
        return values;
    }
}
