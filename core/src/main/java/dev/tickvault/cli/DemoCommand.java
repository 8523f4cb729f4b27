package dev.tickvault.cli;

import dev.tickvault.feed.binance.BinanceMarket;
import dev.tickvault.record.FeedPlan;
import dev.tickvault.record.FeedSpec;
import dev.tickvault.record.Recorder;
import dev.tickvault.record.VenuePlans;
import dev.tickvault.server.ServerConfig;
import dev.tickvault.simulator.BinanceMarketKind;
import dev.tickvault.simulator.ExchangeSimulator;
import dev.tickvault.simulator.SimulatorConfig;
import dev.tickvault.store.Durability;
import dev.tickvault.store.StoreConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tickvault demo}: everything at once, offline. A local exchange simulator speaks Binance's real protocol
 * (spot: a synthetic market, live; USD-M: the real recording in {@code ../shared/captures} when present); the real
 * recorder records both into a fresh store (WebSocket, REST snapshots, book sync, commits); the HTTP API and the web
 * dashboard serve it while it records.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Offline tour: start the exchange simulator, record it with the real recorder into a fresh store,",
            "and serve the dashboard and API while recording. Ctrl-C stops (everything received is committed).",
            ""
        })
final class DemoCommand implements Callable<Integer> {

    @Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--data",
            paramLabel = "DIR",
            defaultValue = "./demo-data",
            description = "Store directory, replaced if it holds an earlier demo (default: ${DEFAULT-VALUE}).")
    private Path directory;

    @Option(
            names = "--port",
            paramLabel = "PORT",
            defaultValue = "8080",
            description = "Dashboard/API port (default: ${DEFAULT-VALUE}; 0: any).")
    private int port;

    @Option(
            names = "--rate",
            paramLabel = "MSG/S",
            defaultValue = "400",
            description = "Synthetic Binance spot messages per second (default: ${DEFAULT-VALUE}).")
    private double rate;

    @Option(
            names = "--captures",
            paramLabel = "DIR",
            description = "Folder of the real recordings (default: $TICKVAULT_CAPTURES, else shared/captures beside the"
                    + " project if present).")
    private Path captures;

    @Option(
            names = "--duration",
            paramLabel = "DURATION",
            description = "Stop after this long, e.g. 60s (default: until Ctrl-C).")
    private String duration;

    @Override
    public Integer call() throws Exception {
        CommandLine commandLine = spec.commandLine();
        if (port < 0 || port > 65_535) {
            throw new CommandLine.ParameterException(commandLine, "--port must be between 0 and 65535: " + port);
        }
        if (!(rate > 0) || rate > 1_000_000) {
            throw new CommandLine.ParameterException(commandLine, "--rate must be between 0 and 1000000: " + rate);
        }
        Duration stopAfter = duration == null ? null : RecordCommand.parseDuration(commandLine, duration);
        PrintWriter out = commandLine.getOut();
        prepareDirectory();
        Path recordings = recordings();
        SimulatorConfig simulatorConfig =
                SimulatorConfig.defaults().withBinanceSpot(SimulatorConfig.BinanceSourceConfig.synthetic(3, rate, 1));
        Path usdmRecording =
                recordings == null ? null : recordings.resolve("binance/hftbacktest/usdm_btcusdt_20240808.gz");
        if (usdmRecording != null && Files.isRegularFile(usdmRecording)) {
            simulatorConfig =
                    simulatorConfig.withBinanceUsdm(SimulatorConfig.BinanceSourceConfig.recording(usdmRecording));
        } else {
            usdmRecording = null;
        }
        try (ExchangeSimulator simulator = ExchangeSimulator.start(simulatorConfig)) {
            out.println("exchange simulator on " + simulator.baseUri() + " (Binance spot: synthetic, "
                    + (usdmRecording != null ? "USD-M: replaying " + usdmRecording : "no USD-M recording found")
                    + ")");
            List<FeedPlan> plans = new ArrayList<>();
            List<String> spotSymbols = simulator.binanceSymbols(BinanceMarketKind.SPOT);
            plans.addAll(VenuePlans.binance(
                    new FeedSpec(
                            "binance",
                            spotSymbols,
                            List.of("trades", "book"),
                            simulator.binanceWebSocketBase(BinanceMarketKind.SPOT) + "/stream",
                            simulator.baseUri() + "/api/v3/depth"),
                    BinanceMarket.SPOT,
                    null));
            if (usdmRecording != null) {
                plans.addAll(VenuePlans.binance(
                        new FeedSpec(
                                "binance-futures",
                                simulator.binanceSymbols(BinanceMarketKind.USDM),
                                List.of("trades", "book"),
                                simulator.binanceWebSocketBase(BinanceMarketKind.USDM) + "/stream",
                                simulator.baseUri() + "/fapi/v1/depth"),
                        BinanceMarket.USDM_FUTURES,
                        "0ms"));
            }
            return RecordingRun.run(
                    new RecordingRun.Settings(
                            directory,
                            StoreConfig.defaults().withDurability(Durability.SYNC_INTERVAL),
                            plans,
                            java.util.List.of(),
                            Recorder.Options.defaults(),
                            ServerConfig.defaults().withPort(port),
                            stopAfter,
                            Duration.ofSeconds(5)),
                    out,
                    commandLine.getErr(),
                    (server, recorder) -> {
                        out.println();
                        out.println("  dashboard: " + server.baseUri() + "/dashboard/");
                        out.println("  API:       " + server.baseUri() + "/api/v1/symbols");
                        out.println("  try:       curl '" + server.baseUri() + "/api/v1/bars?exchange=binance&symbol="
                                + spotSymbols.get(0) + "&interval=1s&last=10&format=csv'");
                        out.println();
                        out.flush();
                    });
        }
    }

    private Path recordings() {
        if (captures != null) {
            if (!Files.isDirectory(captures)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--captures: no such folder " + captures);
            }
            return captures;
        }
        return dev.tickvault.feed.capture.SharedCaptures.locate().orElse(null);
    }

    private void prepareDirectory() throws IOException {
        if (Files.exists(directory)) {
            boolean empty;
            try (Stream<Path> entries = Files.list(directory)) {
                empty = entries.findAny().isEmpty();
            }
            if (!empty && !Files.exists(directory.resolve("LOCK"))) {
                throw new CliFailure(
                        directory + " exists and is not a tickvault store; pass --data with a new" + " directory");
            }
            try (Stream<Path> walk = Files.walk(directory)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
