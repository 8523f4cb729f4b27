package dev.tickvault.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickvault.ingest.CsvTradeReader;
import dev.tickvault.ingest.MalformedLines;
import dev.tickvault.model.Decimal;
import dev.tickvault.model.SeriesKey;
import dev.tickvault.model.Side;
import dev.tickvault.model.Trade;
import dev.tickvault.output.CsvTradeOutput;
import dev.tickvault.output.JsonTradeOutput;
import dev.tickvault.output.TradeOutput;
import dev.tickvault.store.StoreStats;
import dev.tickvault.store.TradeCursor;
import dev.tickvault.store.VerifyReport;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The query output formats, stats table and verify report, on data that does not need the store. */
class OutputFormatsTest {

    private static final List<Trade> TRADES = List.of(
            new Trade(
                    SeriesKey.of("binance", "BTCUSDT"),
                    1_723_161_253_123_000_000L,
                    1_723_161_253_123_456_789L,
                    Decimal.of(6_183_763_000_000L, 8),
                    Decimal.of(162_000, 8),
                    Side.SELL,
                    3_733_012_211L),
            new Trade(
                    SeriesKey.of("kraken", "XBT,USD"),
                    -1,
                    0,
                    Decimal.of(-5, 1),
                    Decimal.of(100, 0),
                    Side.UNKNOWN,
                    Trade.NO_TRADE_ID,
                    "a\"b"),
            new Trade(
                    SeriesKey.of("kraken", "XBT/USD"),
                    0,
                    0,
                    Decimal.of(1, 18),
                    Decimal.of(0, 3),
                    Side.BUY,
                    Trade.NO_TRADE_ID));

    private static String write(TradeOutput output, StringWriter text, List<Trade> trades) throws IOException {
        output.begin();
        TradeCursor cursor = new ListTradeCursor(trades);
        while (cursor.next()) {
            output.row(cursor);
        }
        output.end();
        return text.toString();
    }

    @Test
    void csvPrintsExactDecimalsIsoTimesAndQuotesWhenNeeded() throws IOException {
        StringWriter text = new StringWriter();
        String csv = write(new CsvTradeOutput(text), text, TRADES);
        assertThat(csv).isEqualTo("""
                exchange,symbol,ts,recv_ts,price,qty,side,trade_id
                binance,BTCUSDT,2024-08-08T23:54:13.123000000Z,2024-08-08T23:54:13.123456789Z,61837.63000000,0.00162000,sell,3733012211
                kraken,"XBT,USD",1969-12-31T23:59:59.999999999Z,1970-01-01T00:00:00.000000000Z,-0.5,100,unknown,"a""b"
                kraken,XBT/USD,1970-01-01T00:00:00.000000000Z,1970-01-01T00:00:00.000000000Z,0.000000000000000001,0.000,buy,
                """);
    }

    @Test
    void csvOutputImportsBackToTheSameTrades() throws IOException {
        StringWriter text = new StringWriter();
        String csv = write(new CsvTradeOutput(text), text, TRADES);
        List<Trade> back = new ArrayList<>();
        MalformedLines malformed = new MalformedLines("out.csv", true);
        try (CsvTradeReader reader =
                new CsvTradeReader(new ByteArrayInputStream(csv.getBytes(StandardCharsets.US_ASCII)), "out.csv")) {
            reader.readAll(row -> back.add(row.toTrade()), malformed);
        }
        assertThat(back).isEqualTo(TRADES);
    }

    @Test
    void jsonIsOneArrayWithOneObjectPerLineAndStringDecimals() throws IOException {
        StringWriter text = new StringWriter();
        String json = write(new JsonTradeOutput(text), text, TRADES);
        assertThat(json).isEqualTo("""
                [
                {"exchange":"binance","symbol":"BTCUSDT","ts":"2024-08-08T23:54:13.123000000Z","recv_ts":"2024-08-08T23:54:13.123456789Z","price":"61837.63000000","qty":"0.00162000","side":"sell","trade_id":"3733012211"},
                {"exchange":"kraken","symbol":"XBT,USD","ts":"1969-12-31T23:59:59.999999999Z","recv_ts":"1970-01-01T00:00:00.000000000Z","price":"-0.5","qty":"100","side":"unknown","trade_id":"a\\"b"},
                {"exchange":"kraken","symbol":"XBT/USD","ts":"1970-01-01T00:00:00.000000000Z","recv_ts":"1970-01-01T00:00:00.000000000Z","price":"0.000000000000000001","qty":"0.000","side":"buy","trade_id":null}
                ]
                """);
    }

    @Test
    void emptyResults() throws IOException {
        StringWriter csv = new StringWriter();
        assertThat(write(new CsvTradeOutput(csv), csv, List.of())).isEqualTo(CsvTradeReader.HEADER + "\n");
        StringWriter json = new StringWriter();
        assertThat(write(new JsonTradeOutput(json), json, List.of())).isEqualTo("[]\n");
    }

    @Test
    void statsTableHasPartitionsTableTotalsAndGrandTotal() {
        StoreStats stats = new StoreStats(
                List.of(
                        new StoreStats.PartitionStats("trades", "binance", "BTCUSDT", "2024-08-08", 1000, 12_345, 3),
                        new StoreStats.PartitionStats("trades", "binance", "BTCUSDT", "2024-08-09", 10, 100, 3),
                        new StoreStats.PartitionStats("book", "binance", "BTCUSDT", "2024-08-08", 0, 0, 1)),
                4096,
                7);
        StringWriter text = new StringWriter();
        StatsCommand.print(stats, new PrintWriter(text));
        assertThat(text.toString()).isEqualTo("""
                TABLE   EXCHANGE  SYMBOL   DAY         ROWS  BYTES  BYTES/ROW  FILES
                trades  binance   BTCUSDT  2024-08-08  1000  12345      12.35      3
                trades  binance   BTCUSDT  2024-08-09    10    100      10.00      3
                book    binance   BTCUSDT  2024-08-08     0      0          -      1
                --------------------------------------------------------------------
                book    (all)     (all)    (total)        0      0          -      1
                trades  (all)     (all)    (total)     1010  12445      12.32      6
                (all)                      (total)     1010  12445      12.32      7

                write-ahead log: 4096 bytes; rows in memory not yet in partitions: 7
                """);
    }

    @Test
    void verifyPrintsASummaryOrOneLinePerBadFile() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int clean = VerifyCommand.print(
                new VerifyReport(12, 34_567, List.of()), new PrintWriter(out), new PrintWriter(err));
        assertThat(clean).isZero();
        assertThat(out.toString()).isEqualTo("verify: OK: 12 files, 34567 bytes checked, no problems\n");
        assertThat(err.toString()).isEmpty();

        out.getBuffer().setLength(0);
        int bad = VerifyCommand.print(
                new VerifyReport(
                        12,
                        34_567,
                        List.of(
                                new VerifyReport.Problem(Path.of("data/wal/000001.wal"), "checksum mismatch at 4096"),
                                new VerifyReport.Problem(Path.of("data/trades/x.col"), "truncated"))),
                new PrintWriter(out),
                new PrintWriter(err));
        assertThat(bad).isEqualTo(TickvaultCommand.EXIT_VERIFY_FAILED);
        assertThat(out.toString())
                .isEqualTo("BAD data/wal/000001.wal: checksum mismatch at 4096\nBAD data/trades/x.col: truncated\n");
        assertThat(err.toString()).isEqualTo("verify: FAILED: 2 problems; 12 files, 34567 bytes checked\n");
    }
}
