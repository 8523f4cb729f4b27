package dev.tickvault.query;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * An exact running sum of decimals ({@code mantissa × 10^-scale}) and of decimal products, kept as one mantissa at a
 * common scale (the largest scale added so far; the sum is rescaled exactly when a larger one arrives).
 *
 * <p>Three tiers, chosen by the value, never by a guess: the sum lives in one {@code long} while it fits (the hot
 * path: one add and one overflow test per value); when a long overflows it moves to a 128-bit two's complement pair
 * of longs; only if that overflows too (beyond ±1.7e38 at the common scale) does it fall back to {@link BigInteger}.
 * No path rounds. {@link #toBigDecimal()} allocates and is meant to be called once per result (per bar).
 *
 * <p>Not thread-safe.
 */
public final class ExactSum {

    private static final int TIER_LONG = 0;
    private static final int TIER_128 = 1;
    private static final int TIER_BIG = 2;
    private static final BigInteger MAX_128 = BigInteger.ONE.shiftLeft(127).subtract(BigInteger.ONE);
    private static final BigInteger MIN_128 = BigInteger.ONE.shiftLeft(127).negate();
    private static final long[] POWERS_OF_TEN = new long[19];

    static {
        POWERS_OF_TEN[0] = 1;
        for (int i = 1; i < POWERS_OF_TEN.length; i++) {
            POWERS_OF_TEN[i] = POWERS_OF_TEN[i - 1] * 10;
        }
    }

    private static final BigInteger UNSIGNED_64 = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    private int tier;
    private int scale;
    private long small;
    private long high;
    private long low;
    private BigInteger big;

    /** Resets to zero at scale 0. */
    public void reset() {
        tier = TIER_LONG;
        scale = 0;
        small = 0;
        high = 0;
        low = 0;
        big = null;
    }

    /** The common scale of the sum. */
    public int scale() {
        return scale;
    }

    /** Adds {@code mantissa × 10^-valueScale}. */
    public void add(long mantissa, int valueScale) {
        if (valueScale == scale && tier == TIER_LONG) {
            long sum = small + mantissa;
            if (((small ^ sum) & (mantissa ^ sum)) >= 0) {
                small = sum;
                return;
            }
        }
        addSlow(mantissa, 0L, valueScale, false);
    }

    /** Adds {@code a × b × 10^-productScale} (the product is exact: up to 128 bits). */
    public void addProduct(long a, long b, int productScale) {
        long productLow = a * b;
        long productHigh = Math.multiplyHigh(a, b);
        if (productScale == scale) {
            if (tier == TIER_128) {
                add128(productHigh, productLow);
                return;
            }
            if (tier == TIER_LONG && productHigh == (productLow >> 63)) {
                long sum = small + productLow;
                if (((small ^ sum) & (productLow ^ sum)) >= 0) {
                    small = sum;
                    return;
                }
            }
        }
        addSlow(productHigh, productLow, productScale, true);
    }

    /** Adds a value given as a 128-bit mantissa (when {@code wide}) or as a long in {@code highOrValue}. */
    private void addSlow(long highOrValue, long lowPart, int valueScale, boolean wide) {
        long valueHigh = wide ? highOrValue : highOrValue >> 63;
        long valueLow = wide ? lowPart : highOrValue;
        if (valueScale > scale) {
            rescale(valueScale);
        } else if (valueScale < scale) {
            BigInteger v = toBigInteger(valueHigh, valueLow).multiply(BigInteger.TEN.pow(scale - valueScale));
            if (v.compareTo(MAX_128) > 0 || v.compareTo(MIN_128) < 0) {
                addBig(v);
                return;
            }
            valueHigh = v.shiftRight(64).longValue();
            valueLow = v.longValue();
        }
        if (tier == TIER_LONG) {
            if (valueHigh == (valueLow >> 63)) {
                long sum = small + valueLow;
                if (((small ^ sum) & (valueLow ^ sum)) >= 0) {
                    small = sum;
                    return;
                }
            }
            tier = TIER_128;
            high = small >> 63;
            low = small;
        }
        if (tier == TIER_128) {
            add128(valueHigh, valueLow);
        } else {
            big = big.add(toBigInteger(valueHigh, valueLow));
        }
    }

    private void add128(long valueHigh, long valueLow) {
        long sumLow = low + valueLow;
        long carry = Long.compareUnsigned(sumLow, low) < 0 ? 1 : 0;
        long sumHigh = high + valueHigh + carry;
        if (((high ^ sumHigh) & (valueHigh ^ sumHigh)) < 0) {
            addBig(toBigInteger(valueHigh, valueLow)); // 128 bits overflow: exact from here on
            return;
        }
        high = sumHigh;
        low = sumLow;
    }

    private void addBig(BigInteger value) {
        BigInteger current = currentBigInteger();
        tier = TIER_BIG;
        big = current.add(value);
    }

    /** Multiplies the sum by {@code 10^(newScale - scale)}: exact. */
    private void rescale(int newScale) {
        int digits = newScale - scale;
        scale = newScale;
        if (tier == TIER_LONG && small == 0) {
            return;
        }
        if (tier == TIER_LONG && digits <= 18) {
            long factor = POWERS_OF_TEN[digits];
            long productLow = small * factor;
            long productHigh = Math.multiplyHigh(small, factor);
            if (productHigh == (productLow >> 63)) {
                small = productLow;
                return;
            }
        }
        setFrom(currentBigInteger().multiply(BigInteger.TEN.pow(digits)));
    }

    private void setFrom(BigInteger value) {
        if (value.bitLength() <= 63) {
            tier = TIER_LONG;
            small = value.longValue();
            big = null;
        } else if (value.bitLength() <= 127) {
            tier = TIER_128;
            high = value.shiftRight(64).longValue();
            low = value.longValue();
            big = null;
        } else {
            tier = TIER_BIG;
            big = value;
        }
    }

    private BigInteger currentBigInteger() {
        return switch (tier) {
            case TIER_LONG -> BigInteger.valueOf(small);
            case TIER_128 -> toBigInteger(high, low);
            default -> big;
        };
    }

    private static BigInteger toBigInteger(long highPart, long lowPart) {
        return BigInteger.valueOf(highPart)
                .shiftLeft(64)
                .or(BigInteger.valueOf(lowPart).and(UNSIGNED_64));
    }

    /** True while the sum fits one long (no overflow so far). */
    public boolean fitsLong() {
        return tier == TIER_LONG;
    }

    /** The sum's mantissa when {@link #fitsLong()}. */
    public long longMantissa() {
        if (tier != TIER_LONG) {
            throw new ArithmeticException("the sum does not fit a long");
        }
        return small;
    }

    /** True if the sum is zero. */
    public boolean isZero() {
        return switch (tier) {
            case TIER_LONG -> small == 0;
            case TIER_128 -> high == 0 && low == 0;
            default -> big.signum() == 0;
        };
    }

    /** The exact sum, at the common scale. */
    public BigDecimal toBigDecimal() {
        return tier == TIER_LONG ? BigDecimal.valueOf(small, scale) : new BigDecimal(currentBigInteger(), scale);
    }

    @Override
    public String toString() {
        return toBigDecimal().toPlainString();
    }
}
