package dev.tickvault.store.codec;

/**
 * Finds the largest power of ten that divides every value of a column, and divides or multiplies by it. Quantities
 * with 8 decimals but a lot size of 0.00001 are all multiples of 1000; millisecond timestamps in nanoseconds are
 * multiples of 10^6. Dividing first shrinks every later bit width.
 *
 * <p>Divisibility by 10^e is tested without division: trailing binary zeros for 2^e, and for 5^e the
 * multiply-by-modular-inverse test (x divisible by d, d odd, iff x * inverse(d) mod 2^64 &lt;= (2^64 - 1) / d,
 * unsigned). Exact division by 10^e is a shift followed by the same multiplication.
 */
final class DecimalScaling {
    /** 10^18 is the largest power of ten that fits in a long. */
    static final int MAX_EXPONENT = 18;

    private static final long[] POW10 = new long[MAX_EXPONENT + 1];
    private static final long[] INVERSE_POW5 = new long[MAX_EXPONENT + 1];
    private static final long[] LIMIT_POW5 = new long[MAX_EXPONENT + 1];

    static {
        long pow10 = 1;
        long pow5 = 1;
        for (int e = 0; e <= MAX_EXPONENT; e++) {
            POW10[e] = pow10;
            INVERSE_POW5[e] = inverse(pow5);
            LIMIT_POW5[e] = Long.divideUnsigned(-1L, pow5);
            pow10 *= 10;
            pow5 *= 5;
        }
    }

    private DecimalScaling() {}

    static long pow10(int exponent) {
        return POW10[exponent];
    }

    /** Inverse of an odd number modulo 2^64 by Newton's iteration (each step doubles the correct low bits). */
    private static long inverse(long odd) {
        long x = odd; // correct to 3 bits for any odd number
        for (int i = 0; i < 5; i++) {
            x *= 2 - odd * x;
        }
        return x;
    }

    /** True if 10^exponent divides {@code value}. */
    static boolean divisible(long value, int exponent) {
        long magnitude = value < 0 ? -value : value; // Long.MIN_VALUE stays 2^63 as an unsigned number
        return Long.numberOfTrailingZeros(magnitude) >= exponent
                && Long.compareUnsigned(magnitude * INVERSE_POW5[exponent], LIMIT_POW5[exponent]) <= 0;
    }

    /**
     * The largest e in 0..18 with 10^e dividing every value of the range, or 0 if all values are zero (a constant
     * column needs no divisor).
     *
     * <p>Two passes: the OR of all values (a vectorised reduction) bounds e by its trailing binary zeros, the powers of
     * two every value shares (zeros add none); then each value lowers e until 5^e divides it, with the divisor's
     * inverse held in locals. Most columns keep one exponent throughout, so the second pass is one multiply and one
     * compare per value.
     */
    static int commonExponent(long[] values, int offset, int count) {
        long bits = EncodeKernels.orOf(values, offset, count);
        if (bits == 0) {
            return 0; // all zero
        }
        int exponent = Math.min(MAX_EXPONENT, Long.numberOfTrailingZeros(bits));
        return exponent == 0 ? 0 : commonPow5Exponent(values, offset, offset + count, exponent);
    }

    /**
     * The largest e in 0..{@code exponent} with 5^e dividing every value of {@code [from, to)}: one multiply-compare
     * per value while e holds (a loop of its own: see {@link EncodeKernels}).
     */
    private static int commonPow5Exponent(long[] values, int from, int to, int exponent) {
        long inverse = INVERSE_POW5[exponent];
        long limit = LIMIT_POW5[exponent];
        for (int i = from; i < to; i++) {
            long v = values[i];
            long magnitude = v < 0 ? -v : v; // Long.MIN_VALUE stays 2^63 as an unsigned number; zero passes
            while (Long.compareUnsigned(magnitude * inverse, limit) > 0) {
                exponent--;
                if (exponent == 0) {
                    return 0;
                }
                inverse = INVERSE_POW5[exponent];
                limit = LIMIT_POW5[exponent];
            }
        }
        return exponent;
    }

    /**
     * Whether at most {@code allowed} values of {@code [from, to)} are not multiples of 10^{@code exponent} (1..18):
     * counted {@link #CHECK_CHUNK} values at a time without a branch per value, stopping after the first chunk that
     * takes the count past {@code allowed}.
     */
    static boolean atMostNotDivisible(long[] values, int from, int to, int exponent, int allowed) {
        long twos = (1L << exponent) - 1;
        long inverse = INVERSE_POW5[exponent];
        long limit = LIMIT_POW5[exponent];
        int misses = 0;
        for (int i = from; i < to && misses <= allowed; i += CHECK_CHUNK) {
            misses += notDivisible(values, i, Math.min(to, i + CHECK_CHUNK), twos, inverse, limit);
        }
        return misses <= allowed;
    }

    /** Values {@link #atMostNotDivisible} checks between two looks at its count: one packed frame's worth. */
    private static final int CHECK_CHUNK = 128;

    /**
     * The values of {@code [from, to)} that are not multiples of {@code 2^e * 5^e}, given {@code twos = 2^e - 1} and
     * the inverse of {@code 5^e} with its limit ({@link #divisible}'s test, branch-free: the low e bits of a value
     * and of its magnitude are zero together).
     */
    private static int notDivisible(long[] values, int from, int to, long twos, long inverse, long limit) {
        int misses = 0;
        long biasedLimit = limit + Long.MIN_VALUE; // unsigned x <= limit as signed x + MIN <= limit + MIN
        for (int i = from; i < to; i++) {
            long v = values[i];
            long magnitude = Math.abs(v); // Long.MIN_VALUE stays 2^63 as an unsigned number
            boolean pow5 = magnitude * inverse + Long.MIN_VALUE <= biasedLimit;
            misses += ((v & twos) == 0) & pow5 ? 0 : 1;
        }
        return misses;
    }

    /**
     * The largest e in 0..{@code max} (max &lt;= 18) with 10^e dividing {@code value} ({@code max} for zero), without
     * a division: trailing binary zeros bound e, then 5^e is tested by multiplication.
     */
    static int trailingDecimalZeros(long value, int max) {
        int exponent = Math.min(max, Long.numberOfTrailingZeros(value));
        long magnitude = value < 0 ? -value : value; // Long.MIN_VALUE stays 2^63 as an unsigned number
        while (exponent > 0 && Long.compareUnsigned(magnitude * INVERSE_POW5[exponent], LIMIT_POW5[exponent]) > 0) {
            exponent--;
        }
        return exponent;
    }

    /** {@code dst[i] = src[offset + i] / 10^exponent}; every value must be a multiple of 10^exponent. */
    static void divideExact(long[] src, int offset, int count, int exponent, long[] dst) {
        EncodeKernels.scaleDown(src, offset, count, 0L, exponent, INVERSE_POW5[exponent], dst, 0);
    }

    /** The inverse of 5^exponent modulo 2^64 (1 for exponent 0): {@code (v >> e) * inversePow5(e)} divides exactly. */
    static long inversePow5(int exponent) {
        return INVERSE_POW5[exponent];
    }

    /**
     * {@code value / 10^exponent} for a multiple of 10^exponent (of either sign: the shift is exact and the inverse
     * of 5^exponent modulo 2^64 divides any exact multiple).
     */
    static long divideExact(long value, int exponent) {
        return (value >> exponent) * INVERSE_POW5[exponent];
    }

    /**
     * The largest e in 0..18 with 10^e dividing every {@code values[i] - base} of the range (all non-negative and
     * below 2^63), or 0 if they are all zero. Stops at the first offset that only 10^0 divides.
     */
    static int commonOffsetExponent(long[] values, int offset, int count, long base) {
        int exponent = -1;
        int end = offset + count;
        for (int i = offset; i < end; i++) {
            long v = values[i] - base;
            if (v == 0) {
                continue;
            }
            if (exponent < 0) {
                exponent = 0;
                while (exponent < MAX_EXPONENT && divisible(v, exponent + 1)) {
                    exponent++;
                }
            } else {
                while (exponent > 0 && !divisible(v, exponent)) {
                    exponent--;
                }
            }
            if (exponent == 0) {
                return 0;
            }
        }
        return Math.max(exponent, 0);
    }
}
