package dev.tickvault.cli;

import dev.tickvault.server.FollowedStorePublisher;
import dev.tickvault.server.HttpApiServer;
import dev.tickvault.server.ServerConfig;
import dev.tickvault.store.TickStore;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code tickvault serve}: the HTTP API over a store until interrupted. */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = {
            "Serve the store over HTTP until Ctrl-C:",
            "  GET /api/v1/health, /api/v1/symbols,",
            "      /api/v1/trades?exchange=&symbol=&from=&to=&limit=&format=json|csv,",
            "      /api/v1/gaps?exchange=&symbol=&from=&to=, /api/v1/bars?...&interval=1m,",
            "      /api/v1/book?...&at=&depth=, /api/v1/feeds, /metrics (Prometheus);",
            "  WebSocket /api/v1/live?exchange=&symbol=&interval=1m: live trades + the forming bar;",
            "  the dashboard at /dashboard/.",
            "Opens the store read-only: it may run beside a `tickvault record` writing the same",
            "directory, and shows its commits within a fraction of a second.",
            "Binds 127.0.0.1 unless --bind says otherwise; with --token (or TICKVAULT_TOKEN)",
            "every request but /api/v1/health needs 'Authorization: Bearer TOKEN'.",
            ""
        })
final class ServeCommand implements Callable<Integer> {

    /** How often the store is refreshed from its writer for the live WebSocket. */
    static final long LIVE_REFRESH_MILLIS = 250;

    @Spec
    private CommandSpec spec;

    @Mixin
    private DataDirOption data;

    @Option(
            names = "--bind",
            paramLabel = "ADDRESS",
            defaultValue = "127.0.0.1",
            description = "Default: ${DEFAULT-VALUE}.")
    private String bind;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8080", description = "Default: ${DEFAULT-VALUE}.")
    private int port;

    @Option(
            names = "--token",
            paramLabel = "TOKEN",
            description = "Bearer token required on every request but health (default: $TICKVAULT_TOKEN if set).")
    private String token;

    @Option(
            names = "--max-rows",
            paramLabel = "N",
            defaultValue = "1000000",
            description = "Largest result a request may ask for (default: ${DEFAULT-VALUE}).")
    private long maxRows;

    @Option(
            names = "--query-timeout",
            paramLabel = "MILLIS",
            defaultValue = "30000",
            description = "Queries running longer are stopped (default: ${DEFAULT-VALUE} ms).")
    private long queryTimeoutMillis;

    @Override
    @SuppressWarnings("try") // the live publisher is only closed, never referenced
    public Integer call() throws InterruptedException {
        CommandLine commandLine = spec.commandLine();
        if (port < 0 || port > 65_535) {
            throw new ParameterException(commandLine, "--port must be between 0 and 65535: " + port);
        }
        if (maxRows < 1 || queryTimeoutMillis < 1) {
            throw new ParameterException(commandLine, "--max-rows and --query-timeout must be positive");
        }
        String bearer = token != null ? token : System.getenv("TICKVAULT_TOKEN");
        ServerConfig config;
        try {
            config = ServerConfig.defaults()
                    .withBindAddress(bind)
                    .withPort(port)
                    .withBearerToken(bearer == null || bearer.isBlank() ? null : bearer)
                    .withMaxResultRows(maxRows)
                    .withQueryTimeoutMillis(queryTimeoutMillis);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(commandLine, e.getMessage());
        }
        CountDownLatch stopped = new CountDownLatch(1);
        CountDownLatch closed = new CountDownLatch(1);
        // Read-only, whether or not a `tickvault record` process is writing the directory: see TickStore.openReadOnly.
        try (TickStore store = TickStore.openReadOnly(data.existingStore());
                HttpApiServer server = HttpApiServer.start(store, config);
                FollowedStorePublisher live =
                        FollowedStorePublisher.start(store, server.liveTrades(), LIVE_REFRESH_MILLIS)) {
            // On Ctrl-C / SIGTERM: let this thread close the server and the store before the JVM exits.
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(
                            () -> {
                                stopped.countDown();
                                try {
                                    closed.await(10, java.util.concurrent.TimeUnit.SECONDS);
                                } catch (InterruptedException e) {
                                    Thread.currentThread().interrupt();
                                }
                            },
                            "tickvault-serve-stop"));
            commandLine.getOut().println("serving " + data.directory() + " on " + server.baseUri() + " (Ctrl-C stops)");
            commandLine.getOut().flush();
            stopped.await();
        } finally {
            closed.countDown();
        }
        return CommandLine.ExitCode.OK;
    }
}
