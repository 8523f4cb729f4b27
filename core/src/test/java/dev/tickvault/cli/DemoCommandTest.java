package dev.tickvault.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tickvault demo}: the real simulator, the real recorder over real sockets and the server, for a few seconds;
 * then the store it leaves is read by the other commands.
 */
class DemoCommandTest {

    @TempDir
    Path directory;

    @Test
    void demoRecordsFromTheSimulatorIntoAStoreTheOtherCommandsRead() {
        Path data = directory.resolve("demo");
        CliRun demo = CliRun.run("demo", "--data", data.toString(), "--port", "0", "--duration", "8s", "--rate", "300");
        assertThat(demo.exitCode()).as(demo.err()).isZero();
        assertThat(demo.out())
                .contains("recording binance")
                .contains("dashboard: http://127.0.0.1:")
                .containsPattern("stopped: [0-9,]+ rows committed");
        assertThat(demo.err()).contains("binance ").contains("msg/s");

        CliRun trades = CliRun.run(
                "query", "trades", "--data", data.toString(), "--exchange", "binance", "--symbol", "SYN0USDT");
        assertThat(trades.exitCode()).as(trades.err()).isZero();
        assertThat(trades.out().lines().skip(1)).hasSizeGreaterThan(10);

        CliRun bars = CliRun.run(
                "bars", "--data", data.toString(), "--exchange", "binance", "--symbol", "SYN0USDT", "--interval", "1s");
        assertThat(bars.exitCode()).as(bars.err()).isZero();
        assertThat(bars.out().lines().skip(1)).isNotEmpty();

        CliRun verify = CliRun.run("verify", "--data", data.toString());
        assertThat(verify.exitCode()).as(verify.out() + verify.err()).isZero();

        CliRun gaps = CliRun.run("query", "gaps", "--data", data.toString());
        assertThat(gaps.exitCode()).as(gaps.err()).isZero();
    }

    @Test
    void badFlagsAreUsageErrors() {
        assertThat(CliRun.run("demo", "--port", "70000").exitCode()).isEqualTo(2);
        assertThat(CliRun.run("demo", "--duration", "soon").exitCode()).isEqualTo(2);
        assertThat(CliRun.run("demo", "--rate", "-1").exitCode()).isEqualTo(2);
    }
}
