package dev.tickvault.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tickvault.model.BookUpdate;
import dev.tickvault.model.Decimal;
import dev.tickvault.model.SeriesKey;
import dev.tickvault.model.Side;
import dev.tickvault.simulator.BinanceMarketKind;
import dev.tickvault.simulator.ExchangeSimulator;
import dev.tickvault.simulator.SimulatorConfig;
import dev.tickvault.store.StoreConfig;
import dev.tickvault.store.StoreWriter;
import dev.tickvault.store.TickStore;
import dev.tickvault.store.TradeCursor;
import dev.tickvault.testing.TestCertificates;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tickvault record}: bad flags and bad config files are usage errors (exit 2) with a clear message. */
class RecordCommandTest {

    @TempDir
    Path dir;

    @Test
    void badFlagsAreUsageErrors() {
        String data = dir.resolve("data").toString();
        expectUsageError("give --exchange and --symbols", "record", "--data", data);
        expectUsageError(
                "unknown exchange 'nasdaq'", "record", "--data", data, "--exchange", "nasdaq", "--symbols", "X");
        expectUsageError(
                "unknown channel 'candles'",
                "record",
                "--data",
                data,
                "--exchange",
                "binance",
                "--symbols",
                "btcusdt",
                "--channels",
                "candles");
        expectUsageError("invalid symbol", "record", "--data", data, "--exchange", "kraken", "--symbols", "XBT USD");
        expectUsageError(
                "--duration",
                "record",
                "--data",
                data,
                "--exchange",
                "binance",
                "--symbols",
                "btcusdt",
                "--duration",
                "10 years");
        expectUsageError(
                "no bars channel",
                "record",
                "--data",
                data,
                "--exchange",
                "binance",
                "--symbols",
                "btcusdt",
                "--channels",
                "bars");
        expectUsageError(
                "only the bars channel",
                "record",
                "--data",
                data,
                "--exchange",
                "alphavantage",
                "--symbols",
                "IBM",
                "--channels",
                "trades");
        if (System.getenv("ALPHAVANTAGE_API_KEY") == null) {
            expectUsageError(
                    "ALPHAVANTAGE_API_KEY", "record", "--data", data, "--exchange", "alphavantage", "--symbols", "IBM");
        }
        assertThat(Files.exists(dir.resolve("data")))
                .as("nothing written for a refused command")
                .isFalse();
    }

    @Test
    void badConfigFilesNameTheFileAndTheProblem() throws Exception {
        Path typo = dir.resolve("typo.json");
        Files.writeString(typo, "{\"feeds\": [{\"exchange\": \"binance\", \"symbol\": [\"BTCUSDT\"]}]}");
        expectUsageError("typo.json", "record", "--config", typo.toString());
        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "{\"feeds\": [");
        expectUsageError("broken.json", "record", "--config", broken.toString());
        Path empty = dir.resolve("empty.json");
        Files.writeString(empty, "{\"feeds\": []}");
        expectUsageError("names no feeds", "record", "--config", empty.toString());
        expectUsageError(
                "cannot read", "record", "--config", dir.resolve("missing.json").toString());
        Path ok = dir.resolve("ok.json");
        Files.writeString(ok, "{\"feeds\": [{\"exchange\": \"binance\", \"symbols\": [\"BTCUSDT\"]}]}");
        expectUsageError("don't combine", "record", "--config", ok.toString(), "--exchange", "binance");
    }

    @Test
    void symbolsThatAreNotNamesOnTheirVenueAreRefusedBeforeAnyConnection() throws Exception {
        String data = dir.resolve("data").toString();
        try (ServerSocket venue = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            venue.setSoTimeout(300);
            String url = "ws://127.0.0.1:" + venue.getLocalPort() + "/ws";
            String[][] refused = {
                {"binance", "../../etc"},
                {"binance", "BTC/USDT"},
                {"binance", "BTC USDT"},
                {"binance", "BTCUSDT\u0001"},
                {"binance", "BTC\tUSDT"},
                {"binance-futures", "ETHUSDT;DROP"},
                {"binance", "A_VERY_LONG_SYMBOL_NAME_X"},
                {"coinbase", "../../etc"},
                {"coinbase", "BTC/USD"},
                {"coinbase", "btc-usd"},
                {"coinbase-advanced", "BTC-"},
                {"kraken", "../../etc"},
                {"kraken", "BTCUSD"},
                {"kraken", "btc/usd"},
                {"kraken", "BTC/USD/EUR"},
                {"polygon", "../AAPL"},
                {"polygon", "AA PL"},
                {"polygon", "*"},
            };
            for (String[] c : refused) {
                CliRun run = CliRun.run(
                        "record",
                        "--data",
                        data,
                        "--exchange",
                        c[0],
                        "--symbols",
                        c[1],
                        "--ws-url",
                        url,
                        "--duration",
                        "1s");
                assertThat(run.exitCode())
                        .as(c[0] + " " + c[1] + ": " + run.err())
                        .isEqualTo(2);
                assertThat(run.err()).contains(c[0] + ": invalid symbol").contains("expected");
            }
            // An empty name in the list is refused too, not skipped.
            CliRun empty = CliRun.run(
                    "record",
                    "--data",
                    data,
                    "--exchange",
                    "kraken",
                    "--symbols",
                    "BTC/USD,,ETH/USD",
                    "--duration",
                    "1s");
            assertThat(empty.exitCode()).as(empty.err()).isEqualTo(2);
            assertThat(empty.err()).contains("empty symbol");
            assertThatThrownBy(venue::accept)
                    .as("no connection was attempted")
                    .isInstanceOf(SocketTimeoutException.class);
        }
        assertThat(Files.exists(dir.resolve("data"))).as("nothing written").isFalse();
    }

    @Test
    void caFileFlagTrustsAPrivateCertificateAndABadOneIsAUsageError() throws Exception {
        TestCertificates certificate = TestCertificates.create(Files.createDirectories(dir.resolve("certs")), "ca");
        Path data = dir.resolve("data");
        SimulatorConfig config = SimulatorConfig.defaults()
                .withBinanceSpot(SimulatorConfig.BinanceSourceConfig.synthetic(1, 300, 5))
                .withTls(certificate.serverTls());
        try (ExchangeSimulator simulator = ExchangeSimulator.start(config)) {
            String symbol = simulator.binanceSymbols(BinanceMarketKind.SPOT).getFirst();
            String ws = simulator.binanceWebSocketBase(BinanceMarketKind.SPOT) + "/stream";
            String rest = simulator.baseUri() + "/api/v3/depth";
            assertThat(ws).startsWith("wss://");

            // A missing or garbage CA file is refused before any connection, naming the file.
            Path missing = dir.resolve("no-such-ca.pem");
            Path garbage = Files.writeString(dir.resolve("garbage.pem"), "not a certificate\n");
            for (Path bad : List.of(missing, garbage)) {
                expectUsageError(
                        bad.toString(),
                        "record",
                        "--data",
                        data.toString(),
                        "--exchange",
                        "binance",
                        "--symbols",
                        symbol,
                        "--ws-url",
                        ws,
                        "--rest-url",
                        rest,
                        "--ca-file",
                        bad.toString(),
                        "--duration",
                        "1s");
            }
            assertThat(simulator.connections())
                    .as("no connection for a refused command")
                    .isEmpty();

            // With the simulator's certificate trusted, trades and books arrive over wss:// and https://.
            CliRun run = CliRun.run(
                    "record",
                    "--data",
                    data.toString(),
                    "--exchange",
                    "binance",
                    "--symbols",
                    symbol,
                    "--ws-url",
                    ws,
                    "--rest-url",
                    rest,
                    "--ca-file",
                    certificate.certificatePem().toString(),
                    "--durability",
                    "OS",
                    "--duration",
                    "3s");
            assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
            assertThat(simulator.stats().restRequests.sum())
                    .as("the depth snapshot came over https")
                    .isPositive();
            try (TickStore store = TickStore.open(data, StoreConfig.defaults());
                    TradeCursor trades =
                            store.trades(SeriesKey.of("binance", symbol), Long.MIN_VALUE, Long.MAX_VALUE)) {
                assertThat(trades.next()).as("trades recorded over wss://").isTrue();
            }
        }
    }

    /**
     * {@code --archive-after-days N}: a negative N is a usage error before anything is written; with N = 3 the book
     * partition of a day 10 days old, written before, is archived while recording (rows read back the same), and the
     * help names the cost.
     */
    @Test
    void archiveAfterDaysArchivesOldDaysWhileRecording() throws Exception {
        Path data = dir.resolve("data");
        expectUsageError(
                "--archive-after-days: expected 0 or more days, got -1",
                "record",
                "--data",
                data.toString(),
                "--exchange",
                "binance",
                "--symbols",
                "btcusdt",
                "--archive-after-days",
                "-1");
        assertThat(Files.exists(data))
                .as("nothing written for a refused command")
                .isFalse();
        assertThat(CliRun.run("record", "--help").out())
                .contains("--archive-after-days")
                .contains("30x slower");

        SeriesKey old = SeriesKey.of("binance", "OLDUSDT");
        long day =
                java.time.LocalDate.now(java.time.ZoneOffset.UTC).minusDays(10).toEpochDay();
        List<BookUpdate> written = new java.util.ArrayList<>();
        try (TickStore store = TickStore.open(data, StoreConfig.defaults());
                StoreWriter writer = store.newWriter()) {
            for (int i = 0; i < 2_000; i++) {
                long ts = day * 86_400_000_000_000L + i * 1_000_000_000L;
                BookUpdate update = new BookUpdate(
                        old,
                        ts,
                        ts + 7,
                        i % 2 == 0 ? Side.BUY : Side.SELL,
                        Decimal.of(600_000 + i % 37, 2),
                        Decimal.of(i % 5, 3),
                        i,
                        i,
                        i % 4 == 0 ? BookUpdate.EVENT_END : 0);
                writer.appendBookUpdate(update);
                written.add(update);
            }
            writer.commit();
        }
        SimulatorConfig config =
                SimulatorConfig.defaults().withBinanceSpot(SimulatorConfig.BinanceSourceConfig.synthetic(1, 300, 5));
        try (ExchangeSimulator simulator = ExchangeSimulator.start(config)) {
            CliRun run = CliRun.run(
                    "record",
                    "--data",
                    data.toString(),
                    "--exchange",
                    "binance",
                    "--symbols",
                    simulator.binanceSymbols(BinanceMarketKind.SPOT).getFirst(),
                    "--ws-url",
                    simulator.binanceWebSocketBase(BinanceMarketKind.SPOT) + "/stream",
                    "--rest-url",
                    simulator.baseUri() + "/api/v3/depth",
                    "--archive-after-days",
                    "3",
                    "--durability",
                    "OS",
                    "--duration",
                    "3s");
            assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        }
        try (java.util.stream.Stream<Path> files = Files.walk(data)) {
            assertThat(files.map(f -> f.getFileName().toString()))
                    .as("the old day's book partition was archived")
                    .anyMatch(name -> name.endsWith("-archive.tvc"));
        }
        try (TickStore store = TickStore.open(data, StoreConfig.defaults())) {
            List<BookUpdate> rows = new java.util.ArrayList<>();
            store.bookUpdates(old, Long.MIN_VALUE, Long.MAX_VALUE, rows::add);
            assertThat(rows).isEqualTo(written);
        }
    }

    private static void expectUsageError(String message, String... args) {
        CliRun run = CliRun.run(args);
        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(2);
        assertThat(run.err()).contains(message);
    }
}
