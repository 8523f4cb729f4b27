package dev.tickvault.ingest;

/** A timestamp that is not ISO-8601 UTC, a date, or integer epoch nanoseconds, or is out of range. */
public final class TimeFormatException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public TimeFormatException(String message) {
        super(message);
    }
}
