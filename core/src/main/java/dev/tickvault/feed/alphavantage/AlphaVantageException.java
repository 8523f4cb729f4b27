package dev.tickvault.feed.alphavantage;

/** A request to Alpha Vantage that gave no data, classified so callers can react (wait, fix the call, give up). */
public final class AlphaVantageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why no data came back. */
    public enum Kind {
        /** {@code "Error Message"} in an HTTP 200 body: an invalid call (unknown symbol, bad parameter). */
        API_ERROR,
        /** {@code "Note"}, or {@code "Information"} about the request rate: the key's rate limit was reached. */
        RATE_LIMITED,
        /** Another {@code "Information"} message (premium-only parameter, the demo key, ...). */
        INFORMATION,
        /** The body is not the documented shape. */
        MALFORMED,
        /** An HTTP status other than 200. */
        HTTP,
        /** The request could not be sent or the response not read. */
        IO
    }

    private final Kind kind;

    public AlphaVantageException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public AlphaVantageException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
