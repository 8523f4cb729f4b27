package dev.tickvault.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickvault.feed.Captures;
import dev.tickvault.model.SeriesKey;
import dev.tickvault.store.StoreConfig;
import dev.tickvault.store.TickStore;
import dev.tickvault.store.TradeCursor;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tickvault replay} of the real recordings: every trade stored exactly once, decimals exactly as sent. */
class ReplayCommandTest {

    private static final Pattern TRADE =
            Pattern.compile("@trade\",\"data\":\\{.*\"t\":(\\d+),\"p\":\"([0-9.]+)\",\"q\":\"([0-9.]+)\"");

    @TempDir
    Path dir;

    @Test
    void binanceSpotRecordingStoresEveryTradeOnceEvenWhenReplayedTwice() throws IOException {
        Path recording = Captures.require(Captures.BINANCE_SPOT);
        String data = dir.resolve("store").toString();
        for (int round = 0; round < 2; round++) {
            CliRun replay = CliRun.run(
                    "replay", "--data", data, "--format", "hftbacktest", "--exchange", "binance", recording.toString());
            assertThat(replay.exitCode()).as(replay.err()).isZero();
            assertThat(replay.out()).contains("replayed 41,248 frames").contains("trades 9,757");
        }
        List<String> expected = new ArrayList<>();
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(new GZIPInputStream(Files.newInputStream(recording)), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                Matcher m = TRADE.matcher(line);
                if (m.find()) {
                    expected.add(m.group(1) + " " + m.group(2) + " " + m.group(3));
                }
            }
        }
        List<String> stored = new ArrayList<>();
        try (TickStore store = TickStore.open(Path.of(data), StoreConfig.defaults());
                TradeCursor cursor = store.trades(SeriesKey.of("binance", "BTCUSDT"), Long.MIN_VALUE, Long.MAX_VALUE)) {
            while (cursor.next()) {
                stored.add(cursor.tradeId() + " "
                        + dev.tickvault.model.DecimalFormat.toString(cursor.priceMantissa(), cursor.priceScale()) + " "
                        + dev.tickvault.model.DecimalFormat.toString(
                                cursor.quantityMantissa(), cursor.quantityScale()));
            }
        }
        assertThat(expected).hasSize(9_757);
        assertThat(stored).containsExactlyInAnyOrderElementsOf(expected);
        CliRun book = CliRun.run(
                "book",
                "--data",
                data,
                "--exchange",
                "binance",
                "--symbol",
                "BTCUSDT",
                "--at",
                "2024-08-08T23:59:00Z",
                "--depth",
                "3");
        assertThat(book.exitCode()).as(book.err()).isZero();
        assertThat(book.out().lines()).hasSize(7);
    }

    @Test
    void cryptofeedRecordingsOfTheOtherVenues() {
        String data = dir.resolve("store").toString();
        CliRun coinbase = CliRun.run(
                "replay",
                "--data",
                data,
                "--format",
                "cryptofeed",
                "--exchange",
                "coinbase",
                Captures.require(Captures.COINBASE_WS).toString());
        assertThat(coinbase.exitCode()).as(coinbase.err()).isZero();
        assertThat(coinbase.out()).contains("trades 34").contains("malformed frames skipped 0");
        CliRun kraken = CliRun.run(
                "replay",
                "--data",
                data,
                "--format",
                "cryptofeed",
                "--exchange",
                "kraken",
                Captures.require(Captures.KRAKEN_BOOK).toString(),
                Captures.require(Captures.KRAKEN_TRADES).toString());
        assertThat(kraken.exitCode()).as(kraken.err()).isZero();
        assertThat(kraken.out()).contains("gap markers 0").contains("malformed frames skipped 0");
        CliRun binance = CliRun.run(
                "replay",
                "--data",
                data,
                "--format",
                "cryptofeed",
                "--exchange",
                "binance",
                Captures.require(Captures.BINANCE_CRYPTOFEED_WS).toString(),
                Captures.require(Captures.BINANCE_CRYPTOFEED_REST).toString());
        assertThat(binance.exitCode()).as(binance.err()).isZero();
        assertThat(binance.out()).contains("NKNUSDT").contains("gap markers 0");
    }

    @Test
    void badInputIsAUsageError() {
        assertThat(CliRun.run("replay", "--format", "csv", "--exchange", "binance", "x")
                        .exitCode())
                .isEqualTo(2);
        assertThat(CliRun.run("replay", "--format", "hftbacktest", "--exchange", "nasdaq", "x")
                        .exitCode())
                .isEqualTo(2);
        assertThat(CliRun.run("replay", "--format", "hftbacktest", "--exchange", "binance", "/no/such/file")
                        .exitCode())
                .isEqualTo(2);
    }
}
