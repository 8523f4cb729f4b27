package dev.tickvault.feed.json;

/**
 * Exact conversions of the timestamp spellings venues use into nanoseconds since the epoch, without {@code double}
 * and without allocating. Digits beyond nanosecond precision are truncated (no venue sends them today).
 */
public final class FeedTimestamps {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    /** How the message of a decimal-seconds time beyond the year 2255 ends. */
    public static final String SECONDS_OUT_OF_RANGE = "seconds out of range";

    /** The last whole second {@link #decimalSecondsToNanos} takes (in the year 2255; ns stay below 2^63). */
    private static final long MAX_WHOLE_SECONDS = 9_000_000_000L;

    private FeedTimestamps() {}

    /**
     * Decimal epoch seconds as Kraken v1 writes them ({@code "1618678133.383209"}) → ns.
     *
     * @throws IllegalArgumentException if the text is not digits with at most one '.'
     */
    public static long decimalSecondsToNanos(char[] text, int offset, int length) {
        long whole = 0;
        long fraction = 0;
        int fractionDigits = 0;
        boolean inFraction = false;
        int digits = 0;
        for (int i = offset; i < offset + length; i++) {
            char c = text[i];
            if (c == '.' && !inFraction) {
                inFraction = true;
            } else if (c >= '0' && c <= '9') {
                digits++;
                if (inFraction) {
                    if (fractionDigits < 9) {
                        fraction = fraction * 10 + (c - '0');
                        fractionDigits++;
                    }
                } else {
                    if (whole > MAX_WHOLE_SECONDS) {
                        throw bad(text, offset, length, SECONDS_OUT_OF_RANGE);
                    }
                    whole = whole * 10 + (c - '0');
                }
            } else {
                throw bad(text, offset, length, "not decimal seconds");
            }
        }
        if (digits == 0) {
            throw bad(text, offset, length, "no digits");
        }
        if (whole > MAX_WHOLE_SECONDS) { // the loop's guard only keeps `whole` itself from overflowing
            throw bad(text, offset, length, SECONDS_OUT_OF_RANGE);
        }
        for (int k = fractionDigits; k < 9; k++) {
            fraction *= 10;
        }
        return whole * NANOS_PER_SECOND + fraction;
    }

    /** See {@link #decimalSecondsToNanos(char[], int, int)}. */
    public static long decimalSecondsToNanos(CharSequence text) {
        char[] chars = text.toString().toCharArray();
        return decimalSecondsToNanos(chars, 0, chars.length);
    }

    /**
     * RFC 3339 / ISO-8601 UTC time ({@code "2023-10-06T17:35:55.440295Z"}, fraction of 0-9 digits optional, {@code Z}
     * or a {@code ±hh:mm} offset; a space may stand for the {@code T}) → ns since the epoch.
     *
     * @throws IllegalArgumentException if the text is not of that form
     */
    public static long rfc3339ToNanos(char[] text, int offset, int length) {
        int end = offset + length;
        if (length < 20) {
            throw bad(text, offset, length, "too short for an RFC 3339 time");
        }
        int i = offset;
        long year = digits(text, i, 4, offset, length);
        expect(text, i + 4, '-', offset, length);
        int month = (int) digits(text, i + 5, 2, offset, length);
        expect(text, i + 7, '-', offset, length);
        int day = (int) digits(text, i + 8, 2, offset, length);
        char t = text[i + 10];
        if (t != 'T' && t != 't' && t != ' ') {
            throw bad(text, offset, length, "expected 'T'");
        }
        int hour = (int) digits(text, i + 11, 2, offset, length);
        expect(text, i + 13, ':', offset, length);
        int minute = (int) digits(text, i + 14, 2, offset, length);
        expect(text, i + 16, ':', offset, length);
        int second = (int) digits(text, i + 17, 2, offset, length);
        if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) {
            throw bad(text, offset, length, "field out of range");
        }
        i += 19;
        long fraction = 0;
        if (i < end && text[i] == '.') {
            i++;
            int fractionDigits = 0;
            while (i < end && text[i] >= '0' && text[i] <= '9') {
                if (fractionDigits < 9) {
                    fraction = fraction * 10 + (text[i] - '0');
                }
                fractionDigits++;
                i++;
            }
            if (fractionDigits == 0) {
                throw bad(text, offset, length, "empty fraction");
            }
            for (int k = fractionDigits; k < 9; k++) {
                fraction *= 10;
            }
        }
        long offsetSeconds;
        if (i < end && (text[i] == 'Z' || text[i] == 'z')) {
            offsetSeconds = 0;
            i++;
        } else if (i + 6 <= end && (text[i] == '+' || text[i] == '-')) {
            long hours = digits(text, i + 1, 2, offset, length);
            expect(text, i + 3, ':', offset, length);
            long minutes = digits(text, i + 4, 2, offset, length);
            offsetSeconds = (hours * 3600 + minutes * 60) * (text[i] == '-' ? -1 : 1);
            i += 6;
        } else {
            throw bad(text, offset, length, "expected 'Z' or an offset");
        }
        if (i != end) {
            throw bad(text, offset, length, "trailing characters");
        }
        long epochSeconds =
                daysFromCivil(year, month, day) * 86_400L + hour * 3600L + minute * 60L + second - offsetSeconds;
        return epochSeconds * NANOS_PER_SECOND + fraction;
    }

    /** See {@link #rfc3339ToNanos(char[], int, int)}. */
    public static long rfc3339ToNanos(CharSequence text) {
        char[] chars = text.toString().toCharArray();
        return rfc3339ToNanos(chars, 0, chars.length);
    }

    /** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
    static long daysFromCivil(long year, int month, int day) {
        long y = month <= 2 ? year - 1 : year;
        long era = Math.floorDiv(y, 400);
        long yearOfEra = y - era * 400;
        long dayOfYear = (153L * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
        long dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        return era * 146_097 + dayOfEra - 719_468;
    }

    private static long digits(char[] text, int at, int count, int offset, int length) {
        if (at + count > offset + length) {
            throw bad(text, offset, length, "truncated");
        }
        long v = 0;
        for (int k = at; k < at + count; k++) {
            char c = text[k];
            if (c < '0' || c > '9') {
                throw bad(text, offset, length, "expected a digit at " + (k - offset));
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static void expect(char[] text, int at, char c, int offset, int length) {
        if (at >= offset + length || text[at] != c) {
            throw bad(text, offset, length, "expected '" + c + "' at " + (at - offset));
        }
    }

    private static IllegalArgumentException bad(char[] text, int offset, int length, String why) {
        return new IllegalArgumentException(
                "invalid time \"" + new String(text, offset, Math.min(length, 64)) + "\": " + why);
    }
}
