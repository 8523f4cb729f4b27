package dev.tickvault.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickvault.model.BookUpdate;
import dev.tickvault.model.Decimal;
import dev.tickvault.model.GapMarker;
import dev.tickvault.model.SeriesKey;
import dev.tickvault.model.Side;
import dev.tickvault.model.Trade;
import dev.tickvault.model.VendorBar;
import dev.tickvault.store.StoreConfig;
import dev.tickvault.store.StoreWriter;
import dev.tickvault.store.TickStore;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bars}, {@code book}, {@code query bbo}, {@code query gaps}, {@code query trades --with-bbo} end to end. */
class QueryCommandsTest {

    private static final SeriesKey BTC = SeriesKey.of("binance", "BTCUSDT");
    private static final SeriesKey ETH = SeriesKey.of("binance", "ETHUSDT");
    private static final SeriesKey IBM = SeriesKey.of("alphavantage", "IBM");
    /** 2024-08-08T00:00:00Z. */
    private static final long DAY = 1_723_075_200_000_000_000L;

    private static final long SECOND = 1_000_000_000L;

    @TempDir
    Path directory;

    private String data;

    @BeforeEach
    void writeStore() {
        data = directory.resolve("data").toString();
        try (TickStore store = TickStore.open(Path.of(data), StoreConfig.defaults());
                StoreWriter w = store.newWriter()) {
            // Trades: two in 00:00 (buy, sell), none in 00:01, one unknown-side in 00:02; ETH at 00:00:30.
            trade(w, BTC, DAY + 10 * SECOND, "100.10", "0.5", Side.BUY, 1);
            trade(w, BTC, DAY + 20 * SECOND, "100.30", "1.50", Side.SELL, 2);
            trade(w, BTC, DAY + 130 * SECOND, "99.9", "2", Side.UNKNOWN, 3);
            trade(w, ETH, DAY + 15 * SECOND, "3000.00", "1", Side.BUY, 7);
            // Book: snapshot at 00:00:05, an event at 00:00:15 (new best bid), one at 00:00:25 (ask qty change).
            level(w, 5, Side.BUY, "100.00", "1.0", BookUpdate.SNAPSHOT_BEGIN);
            level(w, 5, Side.BUY, "99.90", "2.0", 0);
            level(w, 5, Side.SELL, "100.20", "3.0", 0);
            level(w, 5, Side.SELL, "100.30", "4.0", BookUpdate.SNAPSHOT_END | BookUpdate.EVENT_END);
            level(w, 15, Side.BUY, "100.05", "0.7", BookUpdate.EVENT_END);
            level(w, 25, Side.BUY, "99.00", "5.0", 0);
            level(w, 25, Side.SELL, "100.20", "2.5", BookUpdate.EVENT_END);
            w.appendGap(new GapMarker(BTC, "trades", DAY + 60 * SECOND, DAY + 90 * SECOND, "reconnect"));
            for (int minute = 1; minute >= 0; minute--) { // newest first: read back in time order
                long ts = DAY + minute * 60 * SECOND;
                w.appendVendorBar(new VendorBar(
                        IBM,
                        "1min",
                        ts,
                        ts + 75 * SECOND,
                        Decimal.parse("160.91" + minute + "0"),
                        Decimal.parse("161.0000"),
                        Decimal.parse("160.5000"),
                        Decimal.parse("160.7500"),
                        Decimal.parse(minute == 0 ? "1200" : "0")));
            }
            w.commit();
        }
    }

    private static void trade(StoreWriter w, SeriesKey s, long ts, String p, String q, Side side, long id) {
        w.appendTrade(new Trade(s, ts, ts, Decimal.parse(p), Decimal.parse(q), side, id));
    }

    private static void level(StoreWriter w, long second, Side side, String p, String q, int flags) {
        long ts = DAY + second * SECOND;
        w.appendBookUpdate(new BookUpdate(BTC, ts, ts, side, Decimal.parse(p), Decimal.parse(q), 1, 1, flags));
    }

    private CliRun run(String... args) {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--data";
        all[args.length + 1] = data;
        return CliRun.run(all);
    }

    @Test
    void barsCsvWithAndWithoutFill() {
        CliRun bars = run("bars", "--exchange", "binance", "--symbol", "BTCUSDT", "--interval", "1m");
        assertThat(bars.exitCode()).as(bars.err()).isZero();
        assertThat(bars.out()).isEqualTo("""
                ts,open,high,low,close,volume,buy_volume,sell_volume,vwap,count
                2024-08-08T00:00:00.000000000Z,100.10,100.30,100.10,100.30,2.00,0.50,1.50,100.25,2
                2024-08-08T00:02:00.000000000Z,99.9,99.9,99.9,99.9,2,0,0,99.9,1
                """);
        assertThat(bars.err()).contains("warning: gap in binance:BTCUSDT trades from 2024-08-08T00:01:00");
        CliRun filled = run(
                "bars",
                "--exchange",
                "binance",
                "--symbol",
                "BTCUSDT",
                "--interval",
                "1m",
                "--from",
                "2024-08-08",
                "--to",
                "2024-08-08T00:04:00Z",
                "--fill");
        assertThat(filled.exitCode()).as(filled.err()).isZero();
        assertThat(filled.out()).isEqualTo("""
                ts,open,high,low,close,volume,buy_volume,sell_volume,vwap,count
                2024-08-08T00:00:00.000000000Z,100.10,100.30,100.10,100.30,2.00,0.50,1.50,100.25,2
                2024-08-08T00:01:00.000000000Z,100.30,100.30,100.30,100.30,0.00,0.00,0.00,,0
                2024-08-08T00:02:00.000000000Z,99.9,99.9,99.9,99.9,2,0,0,99.9,1
                2024-08-08T00:03:00.000000000Z,99.9,99.9,99.9,99.9,0,0,0,,0
                """);
    }

    @Test
    void barsJsonIncludesGaps() {
        CliRun json =
                run("bars", "--exchange", "binance", "--symbol", "BTCUSDT", "--interval", "5m", "--format", "json");
        assertThat(json.exitCode()).as(json.err()).isZero();
        assertThat(json.out())
                .startsWith("{\"exchange\":\"binance\",\"symbol\":\"BTCUSDT\",\"interval\":\"5m\",\"gaps\":[\n{")
                .contains("\"channel\":\"trades\",\"from\":\"2024-08-08T00:01:00.000000000Z\"")
                .contains("\"reason\":\"reconnect\"")
                .contains("{\"ts\":\"2024-08-08T00:00:00.000000000Z\",\"open\":\"100.10\",\"high\":\"100.30\","
                        + "\"low\":\"99.9\",\"close\":\"99.9\",\"volume\":\"4.00\",\"buy_volume\":\"0.50\","
                        + "\"sell_volume\":\"1.50\",\"vwap\":\"100.075\",\"count\":3}")
                .endsWith("\"count\":3}\n]}\n");
    }

    @Test
    void badBarsInputIsAUsageError() {
        CliRun badInterval = run("bars", "--exchange", "binance", "--symbol", "BTCUSDT", "--interval", "7m");
        assertThat(badInterval.exitCode()).isEqualTo(2);
        assertThat(badInterval.err()).contains("--interval: invalid interval \"7m\": must divide a day evenly");
        CliRun garbage = run("bars", "--exchange", "binance", "--symbol", "BTCUSDT", "--interval", "1x");
        assertThat(garbage.exitCode()).isEqualTo(2);
        assertThat(garbage.err()).contains("invalid interval \"1x\"");
        CliRun tooLong = run("bars", "--exchange", "binance", "--symbol", "BTCUSDT", "--interval", "2d");
        assertThat(tooLong.exitCode()).isEqualTo(2);
        CliRun reversed = run(
                "bars", "--exchange", "binance", "--symbol", "BTCUSDT", "--from", "2024-08-09", "--to", "2024-08-08");
        assertThat(reversed.exitCode()).isEqualTo(2);
        assertThat(reversed.err()).contains("--from must be before --to");
        CliRun badTime = run("bars", "--exchange", "binance", "--symbol", "BTCUSDT", "--from", "yesterday");
        assertThat(badTime.exitCode()).isEqualTo(2);
        CliRun pathSymbol = run("bars", "--exchange", "binance", "--symbol", "../etc");
        assertThat(pathSymbol.exitCode()).isEqualTo(2);
        CliRun unknown = run("bars", "--exchange", "binance", "--symbol", "DOGEUSDT");
        assertThat(unknown.exitCode()).isZero();
        assertThat(unknown.err()).contains("no trades stored for binance:DOGEUSDT");
        assertThat(unknown.out()).isEqualTo(BarsCommand.CSV_HEADER + "\n");
    }

    @Test
    void bookAtInstants() {
        CliRun atSnapshot = run("book", "--exchange", "binance", "--symbol", "BTCUSDT", "--at", "2024-08-08T00:00:05Z");
        assertThat(atSnapshot.exitCode()).as(atSnapshot.err()).isZero();
        assertThat(atSnapshot.out()).isEqualTo("""
                side,level,price,qty
                bid,1,100.00,1.0
                bid,2,99.90,2.0
                ask,1,100.20,3.0
                ask,2,100.30,4.0
                """);
        CliRun later = run(
                "book", "--exchange", "binance", "--symbol", "BTCUSDT", "--at", "2024-08-08T00:00:25Z", "--depth", "2");
        assertThat(later.out()).isEqualTo("""
                side,level,price,qty
                bid,1,100.05,0.7
                bid,2,100.00,1.0
                ask,1,100.20,2.5
                ask,2,100.30,4.0
                """);
        CliRun json = run(
                "book",
                "--exchange",
                "binance",
                "--symbol",
                "BTCUSDT",
                "--at",
                "2024-08-08T00:00:24.999999999Z",
                "--depth",
                "1",
                "--format",
                "json");
        assertThat(json.out())
                .contains("\"snapshot_ts\":\"2024-08-08T00:00:05.000000000Z\"")
                .contains("\"last_event_ts\":\"2024-08-08T00:00:15.000000000Z\"")
                .contains("\"bids\":[\n{\"level\":1,\"price\":\"100.05\",\"qty\":\"0.7\"}\n]")
                .contains("\"asks\":[\n{\"level\":1,\"price\":\"100.20\",\"qty\":\"3.0\"}\n]");
    }

    @Test
    void badBookInput() {
        CliRun before = run("book", "--exchange", "binance", "--symbol", "BTCUSDT", "--at", "2024-08-08T00:00:04Z");
        assertThat(before.exitCode()).isEqualTo(1);
        assertThat(before.err()).contains("no book snapshot of binance:BTCUSDT at or before 2024-08-08T00:00:04");
        CliRun depthZero = run(
                "book", "--exchange", "binance", "--symbol", "BTCUSDT", "--at", "2024-08-08T00:00:05Z", "--depth", "0");
        assertThat(depthZero.exitCode()).isEqualTo(2);
        assertThat(depthZero.err()).contains("--depth must be at least 1");
        CliRun noAt = run("book", "--exchange", "binance", "--symbol", "BTCUSDT");
        assertThat(noAt.exitCode()).isEqualTo(2);
        assertThat(noAt.err()).contains("--at");
        CliRun unknown = run("book", "--exchange", "binance", "--symbol", "ETHUSDT", "--at", "2024-08-08T00:00:05Z");
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.err()).contains("no book updates stored for binance:ETHUSDT");
    }

    @Test
    void bboSeriesAndTradesWithBbo() {
        CliRun bbo = run("query", "bbo", "--exchange", "binance", "--symbol", "BTCUSDT");
        assertThat(bbo.exitCode()).as(bbo.err()).isZero();
        assertThat(bbo.out()).isEqualTo("""
                ts,bid_price,bid_qty,ask_price,ask_qty
                2024-08-08T00:00:05.000000000Z,100.00,1.0,100.20,3.0
                2024-08-08T00:00:15.000000000Z,100.05,0.7,100.20,3.0
                2024-08-08T00:00:25.000000000Z,100.05,0.7,100.20,2.5
                """);
        CliRun fromMiddle =
                run("query", "bbo", "--exchange", "binance", "--symbol", "BTCUSDT", "--from", "2024-08-08T00:00:20Z");
        assertThat(fromMiddle.out()).isEqualTo("""
                ts,bid_price,bid_qty,ask_price,ask_qty
                2024-08-08T00:00:25.000000000Z,100.05,0.7,100.20,2.5
                """);
        CliRun trades = run("query", "trades", "--exchange", "binance", "--symbol", "BTCUSDT", "--with-bbo");
        assertThat(trades.exitCode()).as(trades.err()).isZero();
        assertThat(trades.out()).isEqualTo("""
                exchange,symbol,ts,recv_ts,price,qty,side,trade_id,bid_price,bid_qty,ask_price,ask_qty
                binance,BTCUSDT,2024-08-08T00:00:10.000000000Z,2024-08-08T00:00:10.000000000Z,100.10,0.5,buy,1,100.00,1.0,100.20,3.0
                binance,BTCUSDT,2024-08-08T00:00:20.000000000Z,2024-08-08T00:00:20.000000000Z,100.30,1.50,sell,2,100.05,0.7,100.20,3.0
                binance,BTCUSDT,2024-08-08T00:02:10.000000000Z,2024-08-08T00:02:10.000000000Z,99.9,2,unknown,3,100.05,0.7,100.20,2.5
                """);
        CliRun json = run(
                "query",
                "trades",
                "--exchange",
                "binance",
                "--symbol",
                "BTCUSDT",
                "--with-bbo",
                "--format",
                "json",
                "--limit",
                "1");
        assertThat(json.exitCode()).as(json.err()).isZero();
        assertThat(json.out())
                .contains("\"trade_id\":\"1\",\"bid_price\":\"100.00\",\"bid_qty\":\"1.0\","
                        + "\"ask_price\":\"100.20\",\"ask_qty\":\"3.0\"}");
        CliRun beforeBook = run(
                "query", "trades", "--exchange", "binance", "--symbol", "ETHUSDT", "--with-bbo", "--format", "json");
        assertThat(beforeBook.out()).contains("\"bid_price\":null,\"bid_qty\":null,\"ask_price\":null");
        CliRun bad = run(
                "query",
                "bbo",
                "--exchange",
                "binance",
                "--symbol",
                "BTCUSDT",
                "--from",
                "2024-08-09",
                "--to",
                "2024-08-08");
        assertThat(bad.exitCode()).isEqualTo(2);
    }

    @Test
    void tradesOfSeveralSymbolsMergeInTimeOrder() {
        CliRun merged = run("query", "trades", "--exchange", "binance", "--symbol", "BTCUSDT", "--symbol", "ETHUSDT");
        assertThat(merged.exitCode()).as(merged.err()).isZero();
        assertThat(merged.out().lines().skip(1).map(l -> l.split(",")[1] + "@" + l.split(",")[2].substring(11, 19)))
                .containsExactly("BTCUSDT@00:00:10", "ETHUSDT@00:00:15", "BTCUSDT@00:00:20", "BTCUSDT@00:02:10");
    }

    @Test
    void gapsAreListed() {
        CliRun gaps = run("query", "gaps");
        assertThat(gaps.exitCode()).as(gaps.err()).isZero();
        assertThat(gaps.out()).isEqualTo("""
                exchange,symbol,channel,from,to,reason
                binance,BTCUSDT,trades,2024-08-08T00:01:00.000000000Z,2024-08-08T00:01:30.000000000Z,reconnect
                """);
        CliRun none = run("query", "gaps", "--symbol", "ETHUSDT");
        assertThat(none.out()).isEqualTo("exchange,symbol,channel,from,to,reason\n");
        CliRun outside = run("query", "gaps", "--from", "2024-08-08T00:02:00Z");
        assertThat(outside.out()).isEqualTo("exchange,symbol,channel,from,to,reason\n");
    }

    @Test
    void vendorBarsAreListedExactlyAsPublished() {
        CliRun csv = run("query", "vendor-bars", "--exchange", "alphavantage", "--symbol", "IBM");
        assertThat(csv.exitCode()).as(csv.err()).isZero();
        assertThat(csv.out()).isEqualTo("""
                ts,interval,open,high,low,close,volume,recv_ts
                2024-08-08T00:00:00.000000000Z,1min,160.9100,161.0000,160.5000,160.7500,1200,2024-08-08T00:01:15.000000000Z
                2024-08-08T00:01:00.000000000Z,1min,160.9110,161.0000,160.5000,160.7500,0,2024-08-08T00:02:15.000000000Z
                """);
        CliRun json = run(
                "query",
                "vendor-bars",
                "--exchange",
                "alphavantage",
                "--symbol",
                "IBM",
                "--from",
                "2024-08-08T00:01:00Z",
                "--format",
                "json");
        assertThat(json.exitCode()).as(json.err()).isZero();
        assertThat(json.out())
                .startsWith("{\"exchange\":\"alphavantage\",\"symbol\":\"IBM\",\"bars\":[\n")
                .contains("{\"ts\":\"2024-08-08T00:01:00.000000000Z\",\"interval\":\"1min\",\"open\":\"160.9110\","
                        + "\"high\":\"161.0000\",\"low\":\"160.5000\",\"close\":\"160.7500\",\"volume\":\"0\","
                        + "\"recv_ts\":\"2024-08-08T00:02:15.000000000Z\"}\n]}")
                .doesNotContain("160.9100");
        CliRun none = run("query", "vendor-bars", "--exchange", "alphavantage", "--symbol", "MSFT");
        assertThat(none.out()).isEqualTo("ts,interval,open,high,low,close,volume,recv_ts\n");
        CliRun bad = run("query", "vendor-bars", "--exchange", "alphavantage", "--symbol", "IBM", "--limit", "0");
        assertThat(bad.exitCode()).isNotZero();
        assertThat(bad.err()).contains("--limit");
    }
}
