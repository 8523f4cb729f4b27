package dev.tickvault.model;

import java.math.BigInteger;

/** Exact arithmetic helpers on (mantissa, scale) pairs. */
public final class DecimalMath {

    private DecimalMath() {}

    /** Compares two decimals by value, exactly, whatever their scales. */
    public static int compare(long m1, int s1, long m2, int s2) {
        if (s1 == s2) {
            return Long.compare(m1, m2);
        }
        if (Long.signum(m1) != Long.signum(m2)) {
            return Integer.compare(Long.signum(m1), Long.signum(m2));
        }
        int diff = Math.abs(s1 - s2);
        long factor = DecimalParser.POWERS_OF_TEN[diff];
        try {
            if (s1 < s2) {
                return Long.compare(Math.multiplyExact(m1, factor), m2);
            }
            return Long.compare(m1, Math.multiplyExact(m2, factor));
        } catch (ArithmeticException overflow) {
            BigInteger a = BigInteger.valueOf(m1);
            BigInteger b = BigInteger.valueOf(m2);
            BigInteger f = BigInteger.TEN.pow(diff);
            return s1 < s2 ? a.multiply(f).compareTo(b) : a.compareTo(b.multiply(f));
        }
    }
}
