package dev.tickvault.server;

/**
 * Settings of {@link HttpApiServer}.
 *
 * @param bindAddress interface to listen on; loopback unless told otherwise
 * @param port TCP port, 0 for any free one
 * @param bearerToken if set, every request but {@code /api/v1/health} must carry {@code Authorization: Bearer <token>}
 * @param maxResultRows the largest {@code limit} a request may ask for, and the default
 * @param queryTimeoutMillis a query running longer is stopped (the response is cut off)
 * @param queryThreads queries run on this many threads, never on the network threads
 * @param maxQueuedQueries queries waiting beyond this are answered 503 at once
 */
public record ServerConfig(
        String bindAddress,
        int port,
        String bearerToken,
        long maxResultRows,
        long queryTimeoutMillis,
        int queryThreads,
        int maxQueuedQueries) {

    public ServerConfig {
        java.util.Objects.requireNonNull(bindAddress, "bindAddress");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (bearerToken != null && bearerToken.isBlank()) {
            throw new IllegalArgumentException("the bearer token must not be blank");
        }
        if (maxResultRows < 1 || queryTimeoutMillis < 1 || queryThreads < 1 || maxQueuedQueries < 0) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }

    public static ServerConfig defaults() {
        return new ServerConfig("127.0.0.1", 8080, null, 1_000_000, 30_000, 4, 64);
    }

    public ServerConfig withBindAddress(String value) {
        return new ServerConfig(
                value, port, bearerToken, maxResultRows, queryTimeoutMillis, queryThreads, maxQueuedQueries);
    }

    public ServerConfig withPort(int value) {
        return new ServerConfig(
                bindAddress, value, bearerToken, maxResultRows, queryTimeoutMillis, queryThreads, maxQueuedQueries);
    }

    public ServerConfig withBearerToken(String value) {
        return new ServerConfig(
                bindAddress, port, value, maxResultRows, queryTimeoutMillis, queryThreads, maxQueuedQueries);
    }

    public ServerConfig withMaxResultRows(long value) {
        return new ServerConfig(
                bindAddress, port, bearerToken, value, queryTimeoutMillis, queryThreads, maxQueuedQueries);
    }

    public ServerConfig withQueryTimeoutMillis(long value) {
        return new ServerConfig(bindAddress, port, bearerToken, maxResultRows, value, queryThreads, maxQueuedQueries);
    }
}
