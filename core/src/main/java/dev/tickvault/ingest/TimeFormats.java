package dev.tickvault.ingest;

import java.nio.charset.StandardCharsets;

/**
 * Parses and prints timestamps as nanoseconds since the Unix epoch (UTC), without {@code java.time} objects on the
 * hot path.
 *
 * <p>Accepted input:
 *
 * <ul>
 *   <li>ISO-8601 UTC: {@code 2024-08-08T23:54:13.123456789Z}, with 0 to 9 fractional digits and {@code Z} or
 *       {@code +00:00} (a space instead of {@code T} is accepted too);
 *   <li>a date alone, {@code 2024-08-08}, meaning midnight UTC;
 *   <li>an integer: nanoseconds since the epoch, optionally negative.
 * </ul>
 *
 * <p>Times before 1970 are supported. The representable range is that of a signed 64-bit count of nanoseconds:
 * {@value #MIN_ISO} to {@value #MAX_ISO}; anything outside it is rejected, never wrapped.
 *
 * <p>Output is always ISO-8601 UTC with exactly nine fractional digits: {@code 2024-08-08T23:54:13.123000000Z}.
 *
 * <p>Stateless and thread-safe.
 */
public final class TimeFormats {

    /** The earliest instant a {@code long} of nanoseconds can hold. */
    public static final String MIN_ISO = "1677-09-21T00:12:43.145224192Z";
    /** The latest instant a {@code long} of nanoseconds can hold. */
    public static final String MAX_ISO = "2262-04-11T23:47:16.854775807Z";

    static final long NANOS_PER_SECOND = 1_000_000_000L;
    static final long NANOS_PER_DAY = 86_400L * NANOS_PER_SECOND;
    private static final int[] DAYS_IN_MONTH = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    private static final long[] FRACTION_SCALE = {
        1_000_000_000L, 100_000_000L, 10_000_000L, 1_000_000L, 100_000L, 10_000L, 1_000L, 100L, 10L, 1L
    };

    private TimeFormats() {}

    /** Parses {@code text} (see the class comment for the accepted forms). */
    public static long parse(CharSequence text) {
        byte[] ascii = new byte[text.length()];
        for (int i = 0; i < ascii.length; i++) {
            char c = text.charAt(i);
            ascii[i] = c < 128 ? (byte) c : (byte) '?';
        }
        return parse(ascii, 0, ascii.length);
    }

    /** Parses ASCII bytes {@code [offset, offset + length)} without allocating (except to report an error). */
    public static long parse(byte[] text, int offset, int length) {
        if (length <= 0) {
            throw error(text, offset, length, "empty");
        }
        if (length >= 5 && text[offset + 4] == '-') {
            return parseIso(text, offset, length);
        }
        return parseEpochNanos(text, offset, length);
    }

    /**
     * Parses a {@code --from}/{@code --to} value given by a user: ISO-8601 UTC, a date, or epoch nanoseconds. Leading
     * and trailing blanks are ignored; the error message lists the accepted forms.
     */
    public static long parseUserTime(String text) {
        String trimmed = text.strip();
        try {
            return parse(trimmed);
        } catch (TimeFormatException e) {
            throw new TimeFormatException(e.getMessage()
                    + "; expected an ISO-8601 UTC time (2024-08-08T23:54:13.123Z), a date (2024-08-08)"
                    + " or nanoseconds since the epoch");
        }
    }

    /** Formats nanoseconds since the epoch as ISO-8601 UTC with nine fractional digits. */
    public static String format(long epochNanos) {
        StringBuilder sb = new StringBuilder(30);
        appendIso(sb, epochNanos);
        return sb.toString();
    }

    /** Appends {@link #format(long)} of {@code epochNanos} to {@code out} without other allocation. */
    public static void appendIso(StringBuilder out, long epochNanos) {
        long days = Math.floorDiv(epochNanos, NANOS_PER_DAY);
        long nanosOfDay = Math.floorMod(epochNanos, NANOS_PER_DAY);
        // Civil-from-days (H. Hinnant, "chrono-Compatible Low-Level Date Algorithms").
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long dayOfEra = z - era * 146_097;
        long yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        long shiftedMonth = (5 * dayOfYear + 2) / 153;
        int day = (int) (dayOfYear - (153 * shiftedMonth + 2) / 5 + 1);
        int month = (int) (shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9);
        long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);

        long secondOfDay = nanosOfDay / NANOS_PER_SECOND;
        appendPadded(out, year, 4);
        out.append('-');
        appendPadded(out, month, 2);
        out.append('-');
        appendPadded(out, day, 2);
        out.append('T');
        appendPadded(out, secondOfDay / 3600, 2);
        out.append(':');
        appendPadded(out, secondOfDay / 60 % 60, 2);
        out.append(':');
        appendPadded(out, secondOfDay % 60, 2);
        out.append('.');
        appendPadded(out, nanosOfDay % NANOS_PER_SECOND, 9);
        out.append('Z');
    }

    private static void appendPadded(StringBuilder out, long value, int width) {
        long limit = 1;
        for (int i = 1; i < width; i++) {
            limit *= 10;
        }
        while (limit > 1 && value < limit) {
            out.append('0');
            limit /= 10;
        }
        out.append(value);
    }

    private static long parseEpochNanos(byte[] text, int offset, int length) {
        int i = offset;
        int end = offset + length;
        boolean negative = text[i] == '-';
        if (negative) {
            i++;
        }
        if (i == end) {
            throw error(text, offset, length, "no digits");
        }
        long value = 0;
        for (; i < end; i++) {
            int digit = text[i] - '0';
            if (digit < 0 || digit > 9) {
                throw error(text, offset, length, "not an ISO-8601 UTC time, a date or an integer of nanoseconds");
            }
            // Accumulate negatively so that Long.MIN_VALUE parses.
            if (value < (Long.MIN_VALUE + digit) / 10) {
                throw error(text, offset, length, "outside the 64-bit nanosecond range");
            }
            value = value * 10 - digit;
        }
        if (!negative) {
            if (value == Long.MIN_VALUE) {
                throw error(text, offset, length, "outside the 64-bit nanosecond range");
            }
            value = -value;
        }
        return value;
    }

    private static long parseIso(byte[] text, int offset, int length) {
        int end = offset + length;
        int year = digits(text, offset, 4, end, "year", offset, length);
        expect(text, offset + 4, '-', end, offset, length);
        int month = digits(text, offset + 5, 2, end, "month", offset, length);
        expect(text, offset + 7, '-', end, offset, length);
        int day = digits(text, offset + 8, 2, end, "day", offset, length);
        if (month < 1 || month > 12) {
            throw error(text, offset, length, "month " + month + " out of range");
        }
        int monthLength = DAYS_IN_MONTH[month - 1] + (month == 2 && isLeapYear(year) ? 1 : 0);
        if (day < 1 || day > monthLength) {
            throw error(text, offset, length, "day " + day + " out of range for " + year + "-" + month);
        }
        long epochDay = epochDay(year, month, day);
        if (length == 10) {
            return toNanos(epochDay, 0, 0, text, offset, length);
        }
        byte separator = text[offset + 10];
        if (separator != 'T' && separator != 't' && separator != ' ') {
            throw error(text, offset, length, "expected 'T' after the date");
        }
        int hour = digits(text, offset + 11, 2, end, "hour", offset, length);
        expect(text, offset + 13, ':', end, offset, length);
        int minute = digits(text, offset + 14, 2, end, "minute", offset, length);
        expect(text, offset + 16, ':', end, offset, length);
        int second = digits(text, offset + 17, 2, end, "second", offset, length);
        if (hour > 23 || minute > 59 || second > 59) {
            throw error(text, offset, length, "time of day out of range (leap seconds are not supported)");
        }
        int i = offset + 19;
        long fraction = 0;
        if (i < end && text[i] == '.') {
            i++;
            int start = i;
            while (i < end && text[i] >= '0' && text[i] <= '9') {
                if (i - start == 9) {
                    throw error(text, offset, length, "more than 9 fractional digits");
                }
                fraction = fraction * 10 + (text[i] - '0');
                i++;
            }
            if (i == start) {
                throw error(text, offset, length, "no digits after '.'");
            }
            fraction *= FRACTION_SCALE[i - start];
        }
        if (!isUtcDesignator(text, i, end)) {
            throw error(text, offset, length, "expected 'Z' or '+00:00' (UTC) after the time");
        }
        long secondOfDay = hour * 3600L + minute * 60L + second;
        return toNanos(epochDay, secondOfDay, fraction, text, offset, length);
    }

    private static boolean isUtcDesignator(byte[] text, int i, int end) {
        int remaining = end - i;
        if (remaining == 1) {
            return text[i] == 'Z' || text[i] == 'z';
        }
        return remaining == 6
                && text[i] == '+'
                && text[i + 1] == '0'
                && text[i + 2] == '0'
                && text[i + 3] == ':'
                && text[i + 4] == '0'
                && text[i + 5] == '0';
    }

    private static long toNanos(long epochDay, long secondOfDay, long fraction, byte[] text, int offset, int length) {
        try {
            long seconds = Math.addExact(Math.multiplyExact(epochDay, 86_400L), secondOfDay);
            if (seconds < 0 && fraction > 0) {
                // Near Long.MIN_VALUE, seconds × 10^9 alone would overflow although the sum fits.
                return Math.addExact(Math.multiplyExact(seconds + 1, NANOS_PER_SECOND), fraction - NANOS_PER_SECOND);
            }
            return Math.addExact(Math.multiplyExact(seconds, NANOS_PER_SECOND), fraction);
        } catch (ArithmeticException e) {
            throw error(text, offset, length, "outside the 64-bit nanosecond range [" + MIN_ISO + ", " + MAX_ISO + "]");
        }
    }

    /** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days-from-civil). */
    static long epochDay(long year, int month, int day) {
        long y = month <= 2 ? year - 1 : year;
        long era = Math.floorDiv(y, 400);
        long yearOfEra = y - era * 400;
        long dayOfYear = (153L * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
        long dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        return era * 146_097 + dayOfEra - 719_468;
    }

    private static boolean isLeapYear(int year) {
        return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    }

    private static int digits(byte[] text, int at, int count, int end, String what, int offset, int length) {
        if (at + count > end) {
            throw error(text, offset, length, "too short: missing " + what);
        }
        int value = 0;
        for (int i = at; i < at + count; i++) {
            int digit = text[i] - '0';
            if (digit < 0 || digit > 9) {
                throw error(text, offset, length, "expected " + count + " digits of " + what);
            }
            value = value * 10 + digit;
        }
        return value;
    }

    private static void expect(byte[] text, int at, char expected, int end, int offset, int length) {
        if (at >= end || text[at] != expected) {
            throw error(text, offset, length, "expected '" + expected + "' at position " + (at - offset));
        }
    }

    private static TimeFormatException error(byte[] text, int offset, int length, String why) {
        String shown = new String(text, offset, Math.max(0, Math.min(length, 64)), StandardCharsets.ISO_8859_1);
        return new TimeFormatException("invalid time \"" + shown + "\": " + why);
    }
}
