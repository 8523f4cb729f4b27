package dev.tickvault.model;

import java.util.Objects;

/**
 * An OHLCV bar as a data vendor publishes it (Alpha Vantage's intraday series), stored as given: exact decimals with
 * the vendor's scale, the vendor's name for the interval, and the time the vendor labels the bar with.
 *
 * @param interval the vendor's name of the bar length ({@code 1min}, {@code 5min}, …), at most 16 printable ASCII
 *     characters
 * @param tsNanos the bar's time label (ns since the epoch, UTC), as the vendor gives it
 * @param recvTsNanos when tickvault received the response that carried the bar (ns since the epoch)
 */
public record VendorBar(
        SeriesKey series,
        String interval,
        long tsNanos,
        long recvTsNanos,
        Decimal open,
        Decimal high,
        Decimal low,
        Decimal close,
        Decimal volume) {

    public static final int MAX_INTERVAL_LENGTH = 16;

    public VendorBar {
        requireAll(series, interval, open, high, low, close, volume);
        if (interval.isEmpty()
                || interval.length() > MAX_INTERVAL_LENGTH
                || !interval.chars().allMatch(c -> c > 0x20 && c < 0x7F)) {
            throw new IllegalArgumentException("invalid bar interval \"" + interval + "\": 1 to " + MAX_INTERVAL_LENGTH
                    + " printable ASCII characters");
        }
    }

    /** The checks every OHLCV bar record makes (this one and the vendor's own, before conversion): nothing null. */
    public static void requireAll(
            SeriesKey series, String interval, Decimal open, Decimal high, Decimal low, Decimal close, Decimal volume) {
        Objects.requireNonNull(series, "series");
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(open, "open");
        Objects.requireNonNull(high, "high");
        Objects.requireNonNull(low, "low");
        Objects.requireNonNull(close, "close");
        Objects.requireNonNull(volume, "volume");
    }
}
