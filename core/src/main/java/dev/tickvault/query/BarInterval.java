package dev.tickvault.query;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A bar length from one second to one day that divides a UTC day evenly ({@code 1s}, {@code 15s}, {@code 1m},
 * {@code 5m}, {@code 4h}, {@code 1d}, …), so bars are calendar-aligned: every UTC day starts a bar, and a bar's start
 * is {@code floor(ts / length) × length} in ns since the epoch (the epoch is a UTC midnight).
 */
public record BarInterval(long nanos) {

    public static final long NANOS_PER_SECOND = 1_000_000_000L;
    public static final long NANOS_PER_DAY = 86_400L * NANOS_PER_SECOND;
    private static final Pattern TEXT = Pattern.compile("([0-9]{1,6})([smhd])");

    public BarInterval {
        if (nanos < NANOS_PER_SECOND || nanos > NANOS_PER_DAY) {
            throw new IllegalArgumentException("a bar interval is from 1s to 1d: " + nanos + " ns");
        }
        if (nanos % NANOS_PER_SECOND != 0 || NANOS_PER_DAY % nanos != 0) {
            throw new IllegalArgumentException(
                    "a bar interval must divide a day evenly (bars are aligned to UTC midnight): " + nanos + " ns");
        }
    }

    /**
     * Parses {@code <n><unit>}, unit {@code s}, {@code m}, {@code h} or {@code d}: {@code 1m}, {@code 5m}, {@code 4h}.
     *
     * @throws IllegalArgumentException naming the text when it is not an interval of 1s…1d that divides a day
     */
    public static BarInterval parse(String text) {
        Matcher m = TEXT.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "invalid interval \"" + text + "\": expected a number and a unit s, m, h or d (e.g. 1m, 5m, 4h)");
        }
        long count = Long.parseLong(m.group(1));
        long unitNanos =
                switch (m.group(2)) {
                    case "s" -> NANOS_PER_SECOND;
                    case "m" -> 60 * NANOS_PER_SECOND;
                    case "h" -> 3600 * NANOS_PER_SECOND;
                    default -> NANOS_PER_DAY;
                };
        long nanos = count * unitNanos;
        if (count == 0 || nanos > NANOS_PER_DAY) {
            throw new IllegalArgumentException("invalid interval \"" + text + "\": must be from 1s to 1d");
        }
        if (NANOS_PER_DAY % nanos != 0) {
            throw new IllegalArgumentException("invalid interval \"" + text
                    + "\": must divide a day evenly so bars align to UTC midnight (e.g. 1m, 5m, 15m, 1h, 4h, 1d)");
        }
        return new BarInterval(nanos);
    }

    /** Start of the bar holding {@code tsNanos}. */
    public long startOf(long tsNanos) {
        return Math.floorDiv(tsNanos, nanos) * nanos;
    }

    /** Shortest text: {@code 90s} → {@code 90s}, {@code 300s} → {@code 5m}. */
    @Override
    public String toString() {
        long seconds = nanos / NANOS_PER_SECOND;
        if (seconds % 86_400 == 0) {
            return seconds / 86_400 + "d";
        }
        if (seconds % 3600 == 0) {
            return seconds / 3600 + "h";
        }
        if (seconds % 60 == 0) {
            return seconds / 60 + "m";
        }
        return seconds + "s";
    }
}
