package dev.tickvault.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandTest {

    @TempDir
    Path directory;

    @Test
    void demoRecordsQueriesAndVerifiesAStoreThatTheOtherCommandsCanRead() {
        Path data = directory.resolve("demo");
        CliRun demo = CliRun.run("demo", "--data", data.toString(), "--trades", "50000");
        assertThat(demo.exitCode()).as(demo.err()).isZero();
        assertThat(demo.out())
                .contains("Stored 50,000 trades")
                .contains("binance:BTCUSDT trades from 2024-08-08T12:00:00.000000000Z")
                .contains("every checksum matches");

        CliRun query = CliRun.run(
                "query",
                "trades",
                "--data",
                data.toString(),
                "--exchange",
                "binance",
                "--symbol",
                "BTCUSDT",
                "--from",
                "2024-08-08T12:00:00Z",
                "--to",
                "2024-08-08T12:01:00Z");
        assertThat(query.exitCode()).as(query.err()).isZero();
        assertThat(query.out().lines().skip(1))
                .isNotEmpty()
                .allMatch(line -> line.startsWith("binance,BTCUSDT,2024-08-08T12:0"));

        CliRun again = CliRun.run("demo", "--data", data.toString(), "--trades", "1000");
        assertThat(again.exitCode()).as("an earlier demo store is replaced").isZero();
        assertThat(again.out()).contains("Stored 1,000 trades");
    }

    @Test
    void demoRefusesToReplaceADirectoryThatIsNotAStore() throws IOException {
        Files.writeString(directory.resolve("precious.txt"), "keep me");
        CliRun demo = CliRun.run("demo", "--data", directory.toString(), "--trades", "10");
        assertThat(demo.exitCode()).isEqualTo(1);
        assertThat(demo.err()).contains("is not a tickvault store");
        assertThat(directory.resolve("precious.txt")).exists();
    }

    @Test
    void badTradeCountIsAUsageError() {
        assertThat(CliRun.run("demo", "--trades", "0").exitCode()).isEqualTo(2);
        assertThat(CliRun.run("demo", "--trades", "lots").exitCode()).isEqualTo(2);
    }
}
