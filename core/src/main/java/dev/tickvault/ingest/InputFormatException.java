package dev.tickvault.ingest;

/** An input that is not in the expected format at all (wrong header, not a CSV, a zip with several entries). */
public final class InputFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InputFormatException(String message) {
        super(message);
    }
}
