package dev.tickvault.model;

/**
 * Parses decimal text into a (mantissa, scale) pair without allocating: {@code parse} returns the mantissa and
 * {@link #scale()} the scale of the last value parsed.
 *
 * <p>Accepted: an optional sign, digits with an optional {@code '.'} (at least one digit in all), and an optional
 * exponent ({@code e}/{@code E}, optional sign, digits). The scale is the number of fractional digits written, minus
 * the exponent, floored at 0 ({@code "1.5e3"} → 1500, scale 0; {@code "1.5e-3"} → 15, scale 4). A value that needs
 * more than 64 bits or a scale above 18 is rejected, never rounded.
 *
 * <p>Not thread-safe: one instance per thread.
 */
public final class DecimalParser {

    static final long[] POWERS_OF_TEN = new long[19];

    static {
        long p = 1;
        for (int i = 0; i < POWERS_OF_TEN.length; i++) {
            POWERS_OF_TEN[i] = p;
            p *= 10;
        }
    }

    private int scale;
    private byte[] scratch = new byte[64];

    /** The scale of the value last returned by {@code parse}. */
    public int scale() {
        return scale;
    }

    /** Parses ASCII bytes {@code [offset, offset + length)}. */
    public long parse(byte[] text, int offset, int length) {
        int end = offset + length;
        int i = offset;
        if (length <= 0) {
            throw error(text, offset, length, "empty");
        }
        boolean negative = false;
        byte c = text[i];
        if (c == '-' || c == '+') {
            negative = c == '-';
            i++;
        }
        long mantissa = 0;
        int digits = 0;
        int fractionDigits = -1;
        int significant = 0;
        for (; i < end; i++) {
            c = text[i];
            if (c >= '0' && c <= '9') {
                int d = c - '0';
                if (significant > 0 || d != 0) {
                    significant++;
                }
                // Accumulate negatively: the negative range is one larger, so Long.MIN_VALUE parses.
                if (significant > 18) {
                    mantissa = accumulateChecked(mantissa, d, text, offset, length);
                } else {
                    mantissa = mantissa * 10 - d;
                }
                digits++;
                if (fractionDigits >= 0) {
                    fractionDigits++;
                }
            } else if (c == '.' && fractionDigits < 0) {
                fractionDigits = 0;
            } else {
                break;
            }
        }
        if (digits == 0) {
            throw error(text, offset, length, "no digits");
        }
        int exponent = 0;
        if (i < end) {
            c = text[i];
            if (c != 'e' && c != 'E') {
                throw error(text, offset, length, "unexpected character '" + (char) c + "'");
            }
            exponent = parseExponent(text, i + 1, end, offset, length);
        }
        return finish(negative, mantissa, Math.max(fractionDigits, 0), exponent, text, offset, length);
    }

    /** Parses characters {@code [offset, offset + length)} of {@code text} (no allocation once warmed up). */
    public long parse(CharSequence text, int offset, int length) {
        byte[] ascii = scratch(length);
        for (int k = 0; k < length; k++) {
            char ch = text.charAt(offset + k);
            ascii[k] = ch < 128 ? (byte) ch : (byte) '?';
        }
        return parse(ascii, 0, length);
    }

    /**
     * Parses characters {@code [offset, offset + length)} of {@code text}, as a streaming JSON parser hands them out
     * (Jackson's {@code getTextCharacters()}); no allocation once warmed up.
     */
    public long parse(char[] text, int offset, int length) {
        byte[] ascii = scratch(length);
        for (int k = 0; k < length; k++) {
            char ch = text[offset + k];
            ascii[k] = ch < 128 ? (byte) ch : (byte) '?';
        }
        return parse(ascii, 0, length);
    }

    private byte[] scratch(int length) {
        if (scratch.length < length) {
            scratch = new byte[Math.max(length, scratch.length * 2)];
        }
        return scratch;
    }

    /** {@code mantissa} holds the negated value (see the accumulation loop). */
    private long finish(
            boolean negative, long mantissa, int fractionDigits, int exponent, byte[] text, int offset, int length) {
        long newScale = (long) fractionDigits - exponent;
        if (newScale < 0) {
            long factor = newScale < -18 ? -1 : POWERS_OF_TEN[(int) -newScale];
            if (factor < 0 && mantissa != 0) {
                throw error(text, offset, length, "value exceeds 64-bit range");
            }
            try {
                mantissa = factor < 0 ? 0 : Math.multiplyExact(mantissa, factor);
            } catch (ArithmeticException e) {
                throw error(text, offset, length, "value exceeds 64-bit range");
            }
            newScale = 0;
        }
        if (newScale > Decimal.MAX_SCALE) {
            throw error(text, offset, length, "more than " + Decimal.MAX_SCALE + " fractional digits");
        }
        if (!negative && mantissa == Long.MIN_VALUE) {
            throw error(text, offset, length, "value exceeds 64-bit range");
        }
        scale = (int) newScale;
        return negative ? mantissa : -mantissa;
    }

    private static long accumulateChecked(long mantissa, int digit, byte[] text, int offset, int length) {
        try {
            return Math.subtractExact(Math.multiplyExact(mantissa, 10), digit);
        } catch (ArithmeticException e) {
            throw error(text, offset, length, "value exceeds 64-bit range");
        }
    }

    private static int parseExponent(byte[] text, int i, int end, int offset, int length) {
        boolean negative = false;
        if (i < end && (text[i] == '-' || text[i] == '+')) {
            negative = text[i] == '-';
            i++;
        }
        if (i >= end) {
            throw error(text, offset, length, "exponent has no digits");
        }
        int exponent = 0;
        for (; i < end; i++) {
            byte c = text[i];
            if (c < '0' || c > '9') {
                throw error(text, offset, length, "unexpected character '" + (char) c + "' in exponent");
            }
            exponent = exponent * 10 + (c - '0');
            if (exponent > 400) {
                throw error(text, offset, length, "exponent out of range");
            }
        }
        return negative ? -exponent : exponent;
    }

    private static DecimalFormatException error(byte[] text, int offset, int length, String why) {
        String shown =
                new String(text, offset, Math.max(0, Math.min(length, 64)), java.nio.charset.StandardCharsets.US_ASCII);
        return new DecimalFormatException("invalid decimal \"" + shown + "\": " + why);
    }
}
