package dev.tickvault.server;

/** A query ran past the server's query timeout and was stopped. */
public final class QueryTimeoutException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public QueryTimeoutException(long timeoutMillis) {
        super("query stopped after the server's query timeout of " + timeoutMillis + " ms");
    }
}
