package dev.tickvault.model;

/**
 * An exact decimal number: {@code mantissa × 10^-scale}, with a 64-bit mantissa and a scale from 0 to
 * {@value #MAX_SCALE}.
 *
 * <p>The scale is kept as the venue sent it: {@code "0.10000000"} is mantissa 10000000 with scale 8 and prints back
 * as {@code "0.10000000"}, not {@code "0.1"}. Two decimals with the same value but different scales are therefore not
 * {@link #equals(Object) equal}; use {@link #compareTo(Decimal)} to compare values.
 *
 * <p>This record is for APIs and tests. Hot paths use {@link DecimalParser} and {@link DecimalFormat} on the raw
 * (mantissa, scale) pair, which allocate nothing.
 */
public record Decimal(long mantissa, int scale) implements Comparable<Decimal> {

    /** Largest scale accepted: 18 fractional digits. */
    public static final int MAX_SCALE = 18;

    public Decimal {
        if (scale < 0 || scale > MAX_SCALE) {
            throw new IllegalArgumentException("decimal scale out of range [0, " + MAX_SCALE + "]: " + scale);
        }
    }

    public static Decimal of(long mantissa, int scale) {
        return new Decimal(mantissa, scale);
    }

    /**
     * Parses a decimal string exactly ({@code "61837.63000000"}, {@code "-0.5"}, {@code "1.5e-3"}).
     *
     * @throws DecimalFormatException if the text is not a decimal or does not fit 64 bits at scale ≤ 18
     */
    public static Decimal parse(CharSequence text) {
        DecimalParser parser = new DecimalParser();
        long mantissa = parser.parse(text, 0, text.length());
        return new Decimal(mantissa, parser.scale());
    }

    /** Returns this value at a larger or equal scale (exact), or throws if it does not fit. */
    public Decimal withScale(int newScale) {
        if (newScale == scale) {
            return this;
        }
        if (newScale < scale) {
            long factor = DecimalParser.POWERS_OF_TEN[scale - newScale];
            if (mantissa % factor != 0) {
                throw new DecimalFormatException("cannot reduce scale of " + this + " to " + newScale + " exactly");
            }
            return new Decimal(mantissa / factor, newScale);
        }
        return new Decimal(Math.multiplyExact(mantissa, DecimalParser.POWERS_OF_TEN[newScale - scale]), newScale);
    }

    @Override
    public int compareTo(Decimal other) {
        return DecimalMath.compare(mantissa, scale, other.mantissa, other.scale);
    }

    @Override
    public String toString() {
        return DecimalFormat.toString(mantissa, scale);
    }
}
