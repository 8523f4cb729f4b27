package dev.tickvault.model;

/**
 * Prints (mantissa, scale) pairs exactly, with exactly {@code scale} fractional digits: (6183763000000, 8) →
 * {@code "61837.63000000"}.
 */
public final class DecimalFormat {

    private DecimalFormat() {}

    public static String toString(long mantissa, int scale) {
        StringBuilder sb = new StringBuilder(24);
        append(sb, mantissa, scale);
        return sb.toString();
    }

    /** Appends the decimal to {@code out}. */
    public static void append(StringBuilder out, long mantissa, int scale) {
        if (scale == 0) {
            out.append(mantissa);
            return;
        }
        String digits = Long.toString(mantissa);
        boolean negative = mantissa < 0;
        int start = negative ? 1 : 0;
        int digitCount = digits.length() - start;
        if (negative) {
            out.append('-');
        }
        if (digitCount <= scale) {
            out.append("0.");
            for (int i = digitCount; i < scale; i++) {
                out.append('0');
            }
            out.append(digits, start, digits.length());
        } else {
            int point = digits.length() - scale;
            out.append(digits, start, point).append('.').append(digits, point, digits.length());
        }
    }

    /**
     * Writes the decimal as ASCII into {@code out} at {@code offset} and returns the number of bytes written. The
     * buffer must have room for 21 bytes.
     */
    public static int write(byte[] out, int offset, long mantissa, int scale) {
        // Digits are produced right to left; Long.MIN_VALUE is handled through unsigned division.
        boolean negative = mantissa < 0;
        byte[] tmp = new byte[21];
        int pos = tmp.length;
        long v = mantissa;
        int produced = 0;
        do {
            long q = negative ? -(v / 10) : v / 10;
            int d = (int) Math.abs(v % 10);
            tmp[--pos] = (byte) ('0' + d);
            produced++;
            if (produced == scale) {
                tmp[--pos] = '.';
            }
            v = negative ? -q : q;
        } while (v != 0);
        while (produced < scale) {
            tmp[--pos] = '0';
            produced++;
            if (produced == scale) {
                tmp[--pos] = '.';
            }
        }
        if (scale > 0 && tmp[pos] == '.') {
            tmp[--pos] = '0';
        }
        if (negative) {
            tmp[--pos] = '-';
        }
        int n = tmp.length - pos;
        System.arraycopy(tmp, pos, out, offset, n);
        return n;
    }
}
