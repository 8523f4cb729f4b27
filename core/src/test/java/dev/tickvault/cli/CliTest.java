package dev.tickvault.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Command-line parsing and validation; nothing here needs a working store. */
class CliTest {

    @TempDir
    Path directory;

    @ParameterizedTest
    @ValueSource(strings = {"", "import", "query", "query trades", "stats", "verify"})
    void everyCommandHasHelp(String command) {
        String[] args = (command.isEmpty() ? "--help" : command + " --help").split(" ");
        CliRun run = CliRun.run(args);
        assertThat(run.exitCode()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.out()).startsWith("Usage: tickvault" + (command.isEmpty() ? "" : " " + command));
        if (!command.isEmpty() && !command.equals("query")) {
            assertThat(run.out()).contains("--data=DIR").contains("default: ./data");
        }
    }

    @Test
    void topLevelHelpListsCommandsAndExitCodes() {
        CliRun run = CliRun.run("--help");
        assertThat(run.out())
                .contains("import", "query", "stats", "verify", "Exit codes:", "3   verify found problems");
    }

    @Test
    void queryHelpDocumentsTheJsonLayout() {
        assertThat(CliRun.run("query", "trades", "--help").out())
                .contains("one JSON array with one object per line")
                .contains("JSON strings");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "|tickvault: missing command",
                "query|tickvault query: missing command: trades",
                "bogus|Unmatched argument at index 0: 'bogus'",
                "stats --bogus|tickvault stats: Unknown option: '--bogus'",
                "verify extra|Unmatched argument",
                "import|Missing required parameter: 'FILE'",
                "import --format xml f.csv|Invalid value for option '--format'",
                "import --durability never f.csv|Invalid value for option '--durability'",
                "import --commit-every x f.csv|Invalid value for option '--commit-every'",
                "query trades --symbol BTCUSDT|Missing required option: '--exchange=NAME'",
                "query trades --exchange binance --symbol BTCUSDT --from yesterday|invalid time \"yesterday\"",
                "query trades --exchange binance --symbol BTCUSDT --to 2024-02-30|day 30 out of range",
                "query trades --exchange binance --symbol BTCUSDT --format xml|Invalid value for option '--format'",
                "query trades --exchange binance --symbol BTCUSDT --limit -1|--limit must not be negative",
                "query trades --exchange binance --symbol BTCUSDT --from 2024-08-09 --to 2024-08-08|"
                        + "--from must be before --to",
                "query trades --exchange Binance --symbol BTCUSDT|invalid exchange name \"Binance\"",
                "query trades --exchange ../x --symbol BTCUSDT|invalid exchange name \"../x\"",
                "query trades --exchange binance --symbol ../etc|invalid symbol \"../etc\": looks like a file path",
                "query trades --exchange binance --symbol /etc/passwd|looks like a file path",
                "query trades --exchange binance --symbol a..b/..|looks like a file path",
            })
    void usageErrorsExitTwoWithAClearMessage(String args, String expected) {
        CliRun run = CliRun.run(args == null ? new String[0] : args.split(" "));
        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.err()).contains(expected).contains("--help' for more information");
        assertThat(run.err()).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void symbolsWithSlashesThatAreNotPathsAreFine() {
        CliRun run = CliRun.run(
                "query",
                "trades",
                "--data",
                directory.resolve("none").toString(),
                "--exchange",
                "kraken",
                "--symbol",
                "XBT/USD");
        // Past validation: fails only because there is no store.
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("no store at");
    }

    @Test
    void importChecksFilesBeforeOpeningTheStore() throws IOException {
        Path data = directory.resolve("data");
        CliRun missing = CliRun.run(
                "import",
                "--data",
                data.toString(),
                directory.resolve("nope.csv").toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("cannot read file: ").contains("nope.csv");

        Path dump = Files.writeString(directory.resolve("trades.csv"), "1,1.0,1.0,1.0,1723161253123,true,true\n");
        CliRun noSymbol = CliRun.run("import", "--data", data.toString(), dump.toString());
        assertThat(noSymbol.exitCode()).isEqualTo(2);
        assertThat(noSymbol.err())
                .contains("cannot infer the symbol from the file name trades.csv")
                .contains("--symbol");

        Path csv = Files.writeString(
                directory.resolve("mine.csv"), "exchange,symbol,ts,recv_ts,price,qty,side,trade_id\n");
        CliRun csvWithSymbol = CliRun.run("import", "--data", data.toString(), "--symbol", "X", csv.toString());
        assertThat(csvWithSymbol.exitCode()).isEqualTo(2);
        assertThat(csvWithSymbol.err()).contains("--exchange and --symbol apply to binance dumps only");

        Path odd = Files.writeString(directory.resolve("odd.txt"), "hello\n");
        CliRun undetectable = CliRun.run("import", "--data", data.toString(), odd.toString());
        assertThat(undetectable.exitCode()).isEqualTo(2);
        assertThat(undetectable.err()).contains("pass --format csv or binance");

        CliRun badExchange = CliRun.run("import", "--data", data.toString(), "--exchange", "BINANCE", dump.toString());
        assertThat(badExchange.exitCode()).isEqualTo(2);
        assertThat(badExchange.err()).contains("invalid exchange name \"BINANCE\"");

        assertThat(data).doesNotExist();
    }

    @Test
    void readCommandsOnAMissingStoreFailWithExitOne() {
        String data = directory.resolve("absent").toString();
        for (String[] args : new String[][] {
            {"stats", "--data", data},
            {"verify", "--data", data},
            {"query", "trades", "--data", data, "--exchange", "binance", "--symbol", "BTCUSDT"}
        }) {
            CliRun run = CliRun.run(args);
            assertThat(run.exitCode()).as(String.join(" ", args)).isEqualTo(1);
            assertThat(run.err()).contains("error: no store at " + data).doesNotContain("\tat ");
        }
    }

    @Test
    void enumValuesAreCaseInsensitive() {
        CliRun run = CliRun.run(
                "query",
                "trades",
                "--data",
                directory.resolve("absent").toString(),
                "--exchange",
                "binance",
                "--symbol",
                "BTCUSDT",
                "--format",
                "JSON");
        assertThat(run.exitCode()).isEqualTo(1); // got past parsing
    }
}
