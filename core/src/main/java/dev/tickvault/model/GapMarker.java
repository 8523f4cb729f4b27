package dev.tickvault.model;

/**
 * A span during which data of one channel of one series may be missing: written as data, so no gap is silent.
 *
 * @param channel {@code trades} or {@code book} (or a venue channel name)
 * @param fromNanos start of the span (inclusive), ns since the epoch
 * @param toNanos end of the span (exclusive), ns since the epoch
 * @param reason why: {@code reconnect}, {@code sequence-gap}, {@code checksum-mismatch}, ...
 */
public record GapMarker(SeriesKey series, String channel, long fromNanos, long toNanos, String reason) {

    public GapMarker {
        java.util.Objects.requireNonNull(series, "series");
        java.util.Objects.requireNonNull(channel, "channel");
        java.util.Objects.requireNonNull(reason, "reason");
        if (toNanos < fromNanos) {
            throw new IllegalArgumentException("gap ends before it starts: " + fromNanos + " > " + toNanos);
        }
    }
}
