package dev.tickvault.server;

/** A request the server refuses because of what the client sent: answered with a 4xx and a JSON message. */
public final class BadRequestException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String parameter;

    /**
     * @param status the HTTP status (400 bad parameter, 404 no such series or route, ...)
     * @param parameter the offending query parameter, or {@code null}
     */
    public BadRequestException(int status, String parameter, String message) {
        super(message);
        if (status < 400 || status > 499) {
            throw new IllegalArgumentException("not a client error status: " + status);
        }
        this.status = status;
        this.parameter = parameter;
    }

    public static BadRequestException parameter(String parameter, String message) {
        return new BadRequestException(400, parameter, message);
    }

    public int status() {
        return status;
    }

    public String parameter() {
        return parameter;
    }
}
