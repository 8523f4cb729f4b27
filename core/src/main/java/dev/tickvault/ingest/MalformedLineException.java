package dev.tickvault.ingest;

/** A malformed input line met in strict mode: the import stops there. */
public final class MalformedLineException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final long lineNumber;
    private final String reason;

    public MalformedLineException(String source, long lineNumber, String reason) {
        super(source + ":" + lineNumber + ": " + reason);
        this.source = source;
        this.lineNumber = lineNumber;
        this.reason = reason;
    }

    public String source() {
        return source;
    }

    public long lineNumber() {
        return lineNumber;
    }

    public String reason() {
        return reason;
    }
}
