package dev.tickvault.query;

/** The book cannot be rebuilt at the requested instant: no snapshot at or before it within the lookback. */
public final class BookNotAvailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BookNotAvailableException(String message) {
        super(message);
    }
}
