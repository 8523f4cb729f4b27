package dev.tickvault.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Import → query → stats → verify through the real store. */
class CliEndToEndTest {

    private static final String CSV = """
            exchange,symbol,ts,recv_ts,price,qty,side,trade_id
            coinbase,BTC-USD,2024-08-08T23:54:13.123456789Z,2024-08-08T23:54:13.200000000Z,61837.63000000,0.00162000,buy,3733012211
            coinbase,BTC-USD,2024-08-08T23:54:14.000000000Z,,61837.62,1.5,sell,
            coinbase,BTC-USD,1723161255000000000,,0.10,2,unknown,4f6b-77aa
            kraken,"XBT,USD",2024-08-08T23:54:15Z,2024-08-08T23:54:15Z,1.0,2.0,buy,9
            """;

    private static final String DUMP = """
            3733012211,61837.63000000,0.00162000,100.17696060,1723161253123,True,True
            3733012212,61837.62000000,0.10000000,6183.76200000,1723161253124,False,True
            3733012213,61837.61000000,1.00000000,61837.61000000,1723161253124,False,True
            """;

    @TempDir
    Path directory;

    private String data() {
        return directory.resolve("data").toString();
    }

    private Path importFixtures() throws IOException {
        Path csv = Files.writeString(directory.resolve("trades.csv"), CSV);
        Path zip = directory.resolve("BTCUSDT-trades-2024-08-08.zip");
        try (OutputStream file = Files.newOutputStream(zip);
                ZipOutputStream out = new ZipOutputStream(file)) {
            out.putNextEntry(new ZipEntry("BTCUSDT-trades-2024-08-08.csv"));
            out.write(DUMP.getBytes(StandardCharsets.US_ASCII));
            out.closeEntry();
        }
        CliRun run = CliRun.run("import", "--data", data(), "--no-progress", csv.toString(), zip.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out())
                .contains("trades.csv: imported 4 rows")
                .contains("BTCUSDT-trades-2024-08-08.zip: imported 3 rows")
                .contains("total: imported 7 rows, skipped 0 malformed lines");
        return csv;
    }

    @Test
    void csvImportQueriesBackExactly() throws IOException {
        importFixtures();
        CliRun coinbase =
                CliRun.run("query", "trades", "--data", data(), "--exchange", "coinbase", "--symbol", "BTC-USD");
        assertThat(coinbase.exitCode()).as(coinbase.err()).isZero();
        assertThat(coinbase.out()).isEqualTo("""
                exchange,symbol,ts,recv_ts,price,qty,side,trade_id
                coinbase,BTC-USD,2024-08-08T23:54:13.123456789Z,2024-08-08T23:54:13.200000000Z,61837.63000000,0.00162000,buy,3733012211
                coinbase,BTC-USD,2024-08-08T23:54:14.000000000Z,2024-08-08T23:54:14.000000000Z,61837.62,1.5,sell,
                coinbase,BTC-USD,2024-08-08T23:54:15.000000000Z,2024-08-08T23:54:15.000000000Z,0.10,2,unknown,4f6b-77aa
                """);
        CliRun kraken = CliRun.run("query", "trades", "--data", data(), "--exchange", "kraken", "--symbol", "XBT,USD");
        assertThat(kraken.out())
                .endsWith(
                        "kraken,\"XBT,USD\",2024-08-08T23:54:15.000000000Z,2024-08-08T23:54:15.000000000Z,1.0,2.0,buy,9\n");
    }

    @Test
    void binanceZipQueriesBackAsCsvAndJson() throws IOException {
        importFixtures();
        CliRun csv = CliRun.run("query", "trades", "--data", data(), "--exchange", "binance", "--symbol", "BTCUSDT");
        assertThat(csv.exitCode()).as(csv.err()).isZero();
        assertThat(csv.out()).isEqualTo("""
                exchange,symbol,ts,recv_ts,price,qty,side,trade_id
                binance,BTCUSDT,2024-08-08T23:54:13.123000000Z,2024-08-08T23:54:13.123000000Z,61837.63000000,0.00162000,sell,3733012211
                binance,BTCUSDT,2024-08-08T23:54:13.124000000Z,2024-08-08T23:54:13.124000000Z,61837.62000000,0.10000000,buy,3733012212
                binance,BTCUSDT,2024-08-08T23:54:13.124000000Z,2024-08-08T23:54:13.124000000Z,61837.61000000,1.00000000,buy,3733012213
                """);

        CliRun json = CliRun.run(
                "query",
                "trades",
                "--data",
                data(),
                "--exchange",
                "binance",
                "--symbol",
                "BTCUSDT",
                "--format",
                "json",
                "--from",
                "2024-08-08T23:54:13.124Z",
                "--limit",
                "1");
        assertThat(json.exitCode()).as(json.err()).isZero();
        assertThat(json.out()).isEqualTo("""
                [
                {"exchange":"binance","symbol":"BTCUSDT","ts":"2024-08-08T23:54:13.124000000Z","recv_ts":"2024-08-08T23:54:13.124000000Z","price":"61837.62000000","qty":"0.10000000","side":"buy","trade_id":"3733012212"}
                ]
                """);

        CliRun range = CliRun.run(
                "query",
                "trades",
                "--data",
                data(),
                "--exchange",
                "binance",
                "--symbol",
                "BTCUSDT",
                "--from",
                "2024-08-08",
                "--to",
                "1723161253124000000");
        assertThat(range.out().lines()).hasSize(2); // header + the trade before the exclusive end
    }

    @Test
    void csvOutputReimportsIntoAnotherStoreIdentically() throws IOException {
        importFixtures();
        CliRun first = CliRun.run("query", "trades", "--data", data(), "--exchange", "binance", "--symbol", "BTCUSDT");
        Path exported = Files.writeString(directory.resolve("export.csv"), first.out());
        String other = directory.resolve("other").toString();
        assertThat(CliRun.run("import", "--data", other, "--no-progress", exported.toString())
                        .exitCode())
                .isZero();
        CliRun second = CliRun.run("query", "trades", "--data", other, "--exchange", "binance", "--symbol", "BTCUSDT");
        assertThat(second.out()).isEqualTo(first.out());
    }

    @Test
    void statsAndVerifyAfterImport() throws IOException {
        importFixtures();
        CliRun stats = CliRun.run("stats", "--data", data());
        assertThat(stats.exitCode()).as(stats.err()).isZero();
        assertThat(stats.out()).contains("TABLE", "BYTES/ROW", "BTCUSDT", "BTC-USD", "(total)");

        CliRun verify = CliRun.run("verify", "--data", data());
        assertThat(verify.exitCode()).as(verify.err()).isZero();
        assertThat(verify.out()).startsWith("verify: OK: ");
    }

    @Test
    void malformedLinesAreSkippedOrAbortWithStrict() throws IOException {
        Path csv = Files.writeString(directory.resolve("bad.csv"), CSV + "coinbase,BTC-USD,nope,,1,1,buy,1\n");
        CliRun lenient = CliRun.run("import", "--data", data(), "--no-progress", csv.toString());
        assertThat(lenient.exitCode()).isZero();
        assertThat(lenient.out()).contains("imported 4 rows, skipped 1 malformed lines");
        assertThat(lenient.err()).contains("bad.csv:6: ts: invalid time \"nope\"");

        CliRun strict = CliRun.run(
                "import",
                "--data",
                directory.resolve("strict").toString(),
                "--strict",
                "--no-progress",
                csv.toString());
        assertThat(strict.exitCode()).isEqualTo(1);
        assertThat(strict.err())
                .contains("bad.csv:6: ts: invalid time \"nope\"")
                .contains("stopped (--strict)");
    }
}
