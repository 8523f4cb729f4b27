package dev.tickvault.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickvault.simulator.BinanceMarketKind;
import dev.tickvault.simulator.ExchangeSimulator;
import dev.tickvault.simulator.SimulatorConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@code tickvault record} process records the local Binance simulator into a directory; a real {@code
 * tickvault serve} process is started on the same directory (read-only, beside the writer's lock). Its {@code
 * /api/v1/trades} and {@code /api/v1/bars} keep growing as the recorder commits; the query commands and {@code verify}
 * work on the live directory; a second writer is refused with a clear message.
 */
class ServeBesideRecordTest {

    private static final Pattern SERVING = Pattern.compile("serving .* on (http://\\S+) ");

    @TempDir
    Path dir;

    @Test
    void serveAndQueriesSeeALiveRecordingGrow() throws Exception {
        Path data = dir.resolve("data");
        SimulatorConfig simulatorConfig =
                SimulatorConfig.defaults().withBinanceSpot(SimulatorConfig.BinanceSourceConfig.synthetic(2, 200, 5));
        Process recorder = null;
        Process server = null;
        try (ExchangeSimulator simulator = ExchangeSimulator.start(simulatorConfig)) {
            String symbol = simulator.binanceSymbols(BinanceMarketKind.SPOT).getFirst();
            List<String> recordArgs = List.of(
                    "record",
                    "--data",
                    data.toString(),
                    "--exchange",
                    "binance",
                    "--symbols",
                    symbol,
                    "--channels",
                    "trades",
                    "--ws-url",
                    simulator.binanceWebSocketBase(BinanceMarketKind.SPOT) + "/stream",
                    "--rest-url",
                    simulator.baseUri() + "/api/v3/depth");
            recorder = startCli(recordArgs, dir.resolve("record.out"), dir.resolve("record.err"));
            waitFor(() -> Files.isDirectory(data.resolve("wal")), "the recorder opened the store", recorder);

            server = startCli(
                    List.of("serve", "--data", data.toString(), "--port", "0"), null, dir.resolve("serve.err"));
            String base = serverAddress(server);
            HttpClient http = HttpClient.newHttpClient();
            String trades = base + "/api/v1/trades?exchange=binance&symbol=" + symbol + "&format=csv";
            String bars = base + "/api/v1/bars?exchange=binance&symbol=" + symbol + "&interval=1s&format=csv";

            List<Long> tradeCounts = new ArrayList<>();
            List<Long> barTradeCounts = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (tradeCounts.size() < 4 || distinctGrowth(tradeCounts) < 3) {
                assertThat(System.nanoTime())
                        .as("trades kept growing; recorder err: %s", read(dir.resolve("record.err")))
                        .isLessThan(deadline);
                tradeCounts.add(csvRows(get(http, trades)));
                barTradeCounts.add(sumOfLastColumn(get(http, bars)));
                Thread.sleep(700);
            }
            assertThat(tradeCounts).as("trades seen by serve over time").isSorted();
            assertThat(barTradeCounts)
                    .as("trades counted in the bars over time")
                    .isSorted();
            assertThat(barTradeCounts.getLast()).isGreaterThan(barTradeCounts.getFirst());

            // The query commands and verify, in this process, on the live directory.
            CliRun query = CliRun.run(
                    "query", "trades", "--data", data.toString(), "--exchange", "binance", "--symbol", symbol);
            assertThat(query.exitCode()).as(query.err()).isZero();
            assertThat(query.out().lines().count() - 1).isGreaterThanOrEqualTo(tradeCounts.getLast());
            CliRun barsRun = CliRun.run(
                    "bars", "--data", data.toString(), "--exchange", "binance", "--symbol", symbol, "--interval", "1s");
            assertThat(barsRun.exitCode()).as(barsRun.err()).isZero();
            assertThat(CliRun.run("stats", "--data", data.toString()).exitCode())
                    .isZero();
            for (int i = 0; i < 3; i++) {
                CliRun verify = CliRun.run("verify", "--data", data.toString());
                assertThat(verify.exitCode()).as(verify.out() + verify.err()).isZero();
            }
            // A second writer still gets the lock error.
            CliRun second = CliRun.run(recordArgs.toArray(String[]::new));
            assertThat(second.exitCode()).isNotZero();
            assertThat(second.err()).contains("already open in another process");

            assertThat(recorder.isAlive()).as("recorder still running").isTrue();
            assertThat(server.isAlive()).as("server still running").isTrue();
        } finally {
            stop(server);
            stop(recorder);
        }
    }

    private static long distinctGrowth(List<Long> counts) {
        long steps = 0;
        for (int i = 1; i < counts.size(); i++) {
            if (counts.get(i) > counts.get(i - 1) && counts.get(i - 1) > 0) {
                steps++;
            }
        }
        return steps;
    }

    private static String get(HttpClient http, String uri) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(uri))
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(uri + " → " + response.body()).isEqualTo(200);
        return response.body();
    }

    private static long csvRows(String csv) {
        return Math.max(0, csv.lines().filter(l -> !l.isBlank()).count() - 1);
    }

    /** Bars CSV: the last column is the bar's trade count. */
    private static long sumOfLastColumn(String csv) {
        List<String> lines = csv.lines().filter(l -> !l.isBlank()).toList();
        assertThat(lines.getFirst()).endsWith(",count");
        long sum = 0;
        for (String line : lines.subList(1, lines.size())) {
            sum += Long.parseLong(line.substring(line.lastIndexOf(',') + 1));
        }
        return sum;
    }

    private static Process startCli(List<String> args, Path stdout, Path stderr) throws IOException {
        String javaCommand = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(
                javaCommand,
                "--enable-native-access=ALL-UNNAMED",
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                TickvaultCommand.class.getName()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(stderr.toFile());
        if (stdout != null) {
            builder.redirectOutput(stdout.toFile());
        }
        return builder.start();
    }

    /** Reads the server's first line, {@code serving DIR on http://127.0.0.1:PORT (Ctrl-C stops)}. */
    private String serverAddress(Process server) throws Exception {
        BufferedReader lines =
                new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> {
            try {
                return lines.readLine();
            } catch (IOException e) {
                return null;
            }
        });
        String line = first.get(60, TimeUnit.SECONDS);
        assertThat(line)
                .as("serve started; its stderr: %s", read(dir.resolve("serve.err")))
                .isNotNull();
        Matcher matcher = SERVING.matcher(line);
        assertThat(matcher.find()).as(line).isTrue();
        return matcher.group(1);
    }

    private static void waitFor(java.util.function.BooleanSupplier condition, String what, Process process)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            assertThat(process.isAlive()).as(what + ": process exited").isTrue();
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private static void stop(Process process) throws InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return e.toString();
        }
    }
}
