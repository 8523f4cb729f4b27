package dev.tickvault.cli;

/** A runtime failure the user can act on: printed as one line on standard error, exit code 1, no stack trace. */
public final class CliFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CliFailure(String message) {
        super(message);
    }
}
