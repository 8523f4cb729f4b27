package dev.tickvault.feed.coinbase;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickvault.feed.json.CollectingSink;
import dev.tickvault.feed.json.FeedTimestamps;
import dev.tickvault.feed.json.Replay;
import dev.tickvault.feed.json.SentFrames;
import dev.tickvault.model.BookUpdate;
import dev.tickvault.model.Decimal;
import dev.tickvault.model.GapMarker;
import dev.tickvault.model.SeriesKey;
import dev.tickvault.model.Side;
import dev.tickvault.model.Trade;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Messages built following Coinbase's Advanced Trade WebSocket documentation (no recording exists). */
class CoinbaseAdvancedTradeFeedHandlerTest {

    private static final SeriesKey BTC = SeriesKey.of("coinbase", "BTC-USD");
    private static final SeriesKey ETH = SeriesKey.of("coinbase", "ETH-USD");

    private static String frame(String channel, long sequence, String timestamp, String events) {
        return "{\"channel\":\"" + channel + "\",\"client_id\":\"\",\"timestamp\":\"" + timestamp
                + "\",\"sequence_num\":" + sequence + ",\"events\":" + events + "}";
    }

    private static String update(String side, String time, String price, String qty) {
        return "{\"side\":\"" + side + "\",\"event_time\":\"" + time + "\",\"price_level\":\"" + price
                + "\",\"new_quantity\":\"" + qty + "\"}";
    }

    private static String l2(String type, String product, String... updates) {
        return "{\"type\":\"" + type + "\",\"product_id\":\"" + product + "\",\"updates\":[" + String.join(",", updates)
                + "]}";
    }

    private static String trade(String id, String product, String price, String size, String side, String time) {
        return "{\"trade_id\":\"" + id + "\",\"product_id\":\"" + product + "\",\"price\":\"" + price + "\",\"size\":\""
                + size + "\",\"side\":\"" + side + "\",\"time\":\"" + time + "\"}";
    }

    private static long ns(String time) {
        return FeedTimestamps.rfc3339ToNanos(time);
    }

    @Test
    void snapshotsUpdatesTradesAndASequenceGap() {
        CollectingSink sink = new CollectingSink();
        SentFrames connection = new SentFrames("coinbase-advanced#1");
        AtomicInteger jwts = new AtomicInteger();
        CoinbaseAdvancedTradeFeedHandler handler = new CoinbaseAdvancedTradeFeedHandler(
                CoinbaseAdvancedTradeConfig.defaults(List.of("BTC-USD", "ETH-USD"))
                        .withJwt(() -> "jwt-" + jwts.incrementAndGet()),
                sink);
        handler.onOpen(connection, 0);
        assertThat(connection.sent)
                .containsExactly(
                        "{\"type\":\"subscribe\",\"product_ids\":[\"BTC-USD\",\"ETH-USD\"],\"channel\":\"level2\","
                                + "\"jwt\":\"jwt-1\"}",
                        "{\"type\":\"subscribe\",\"product_ids\":[\"BTC-USD\",\"ETH-USD\"],\"channel\":"
                                + "\"market_trades\",\"jwt\":\"jwt-2\"}",
                        "{\"type\":\"subscribe\",\"product_ids\":[\"BTC-USD\",\"ETH-USD\"],\"channel\":\"heartbeats\","
                                + "\"jwt\":\"jwt-3\"}");

        Replay.frame(
                handler,
                connection,
                frame(
                        "subscriptions",
                        0,
                        "2023-02-09T20:32:50.714964855Z",
                        "[{\"subscriptions\":{\"level2\":[\"BTC-USD\",\"ETH-USD\"],\"market_trades\":[\"BTC-USD\","
                                + "\"ETH-USD\"]}}]"),
                1);
        // Snapshots: the documentation shows event_time 1970-01-01 on snapshot levels; the message time is used.
        Replay.frame(
                handler,
                connection,
                frame(
                        "l2_data",
                        1,
                        "2023-02-09T20:32:50.714964855Z",
                        "["
                                + l2(
                                        "snapshot",
                                        "BTC-USD",
                                        update("bid", "1970-01-01T00:00:00Z", "21921.73", "0.06317902"),
                                        update("bid", "1970-01-01T00:00:00Z", "21921.3", "0.002"),
                                        update("offer", "1970-01-01T00:00:00Z", "21921.74", "1.50000000"),
                                        update("offer", "1970-01-01T00:00:00Z", "21925.00", "0.5"))
                                + "]"),
                2);
        Replay.frame(
                handler,
                connection,
                frame(
                        "l2_data",
                        2,
                        "2023-02-09T20:32:50.800000Z",
                        "["
                                + l2(
                                        "snapshot",
                                        "ETH-USD",
                                        update("bid", "1970-01-01T00:00:00Z", "1500.10", "3.0"),
                                        update("offer", "1970-01-01T00:00:00Z", "1500.20", "4.0"))
                                + "]"),
                3);
        assertThat(sink.levels(BTC)).hasSize(4);
        assertThat(sink.levels(BTC).getFirst())
                .isEqualTo(new BookUpdate(
                        BTC,
                        ns("2023-02-09T20:32:50.714964855Z"),
                        2,
                        Side.BUY,
                        Decimal.parse("21921.73"),
                        Decimal.parse("0.06317902"),
                        0,
                        0,
                        BookUpdate.SNAPSHOT_BEGIN));
        assertThat(sink.levels(BTC).get(2).quantity().toString()).isEqualTo("1.50000000");

        // An update with two levels, one deleting.
        Replay.frame(
                handler,
                connection,
                frame(
                        "l2_data",
                        3,
                        "2023-02-09T20:32:51.000000Z",
                        "["
                                + l2(
                                        "update",
                                        "BTC-USD",
                                        update("bid", "2023-02-09T20:32:50.900001Z", "21921.73", "2.00000000"),
                                        update("offer", "2023-02-09T20:32:50.900002Z", "21925.00", "0.00000000"))
                                + "]"),
                4);
        List<BookUpdate> btc = sink.levels(BTC);
        assertThat(btc.subList(4, 6))
                .extracting(u -> u.side() + " " + u.price() + " " + u.quantity() + " " + u.flags() + " " + u.tsNanos())
                .containsExactly(
                        "BUY 21921.73 2.00000000 0 " + ns("2023-02-09T20:32:50.900002Z"),
                        "SELL 21925.00 0.00000000 4 " + ns("2023-02-09T20:32:50.900002Z"));
        assertThat(handler.book("BTC-USD").asks().size()).isEqualTo(1);

        // Trades: the subscription snapshot lists the newest first; trades come out in id order, the side inverted
        // (treated as the maker's side by default).
        Replay.frame(
                handler,
                connection,
                frame(
                        "market_trades",
                        4,
                        "2023-02-09T20:32:52Z",
                        "[{\"type\":\"snapshot\",\"trades\":["
                                + trade("101", "BTC-USD", "21921.74", "0.01", "BUY", "2023-02-09T20:32:49.2Z") + ","
                                + trade("100", "BTC-USD", "21921.73", "0.02", "SELL", "2023-02-09T20:32:49.1Z") + ","
                                + trade("7000", "ETH-USD", "1500.20", "1.5", "BUY", "2023-02-09T20:32:49.3Z")
                                + "]}]"),
                5);
        assertThat(sink.trades)
                .containsExactly(
                        new Trade(
                                BTC,
                                ns("2023-02-09T20:32:49.1Z"),
                                5,
                                Decimal.parse("21921.73"),
                                Decimal.parse("0.02"),
                                Side.BUY,
                                100),
                        new Trade(
                                BTC,
                                ns("2023-02-09T20:32:49.2Z"),
                                5,
                                Decimal.parse("21921.74"),
                                Decimal.parse("0.01"),
                                Side.SELL,
                                101),
                        new Trade(
                                ETH,
                                ns("2023-02-09T20:32:49.3Z"),
                                5,
                                Decimal.parse("1500.20"),
                                Decimal.parse("1.5"),
                                Side.SELL,
                                7000));
        // An update repeating trade 101 and adding 102.
        Replay.frame(
                handler,
                connection,
                frame(
                        "market_trades",
                        5,
                        "2023-02-09T20:32:53Z",
                        "[{\"type\":\"update\",\"trades\":["
                                + trade("102", "BTC-USD", "21921.80", "0.5", "SELL", "2023-02-09T20:32:52.9Z") + ","
                                + trade("101", "BTC-USD", "21921.74", "0.01", "BUY", "2023-02-09T20:32:49.2Z")
                                + "]}]"),
                6);
        assertThat(sink.trades).hasSize(4);
        assertThat(sink.trades.getLast().tradeId()).isEqualTo(102);
        assertThat(handler.stats().duplicatesSkipped.sum()).isEqualTo(1);
        Replay.frame(
                handler,
                connection,
                frame(
                        "heartbeats",
                        6,
                        "2023-02-09T20:32:54Z",
                        "[{\"current_time\":\"2023-02-09 20:32:54.121961769 +0000 UTC m=+91717.525857105\","
                                + "\"heartbeat_counter\":\"3049\"}]"),
                7);
        assertThat(sink.gaps).isEmpty();
        assertThat(handler.stats().malformed.sum()).isZero();

        // sequence_num 7 is lost: both products get a trades gap between the two messages and their books are
        // resubscribed (the message that was lost could have concerned either).
        Replay.frame(
                handler,
                connection,
                frame(
                        "l2_data",
                        8,
                        "2023-02-09T20:32:56Z",
                        "[" + l2("update", "ETH-USD", update("bid", "2023-02-09T20:32:55.5Z", "1500.15", "1.0")) + "]"),
                8);
        assertThat(handler.sequenceGaps()).isEqualTo(1);
        assertThat(sink.gaps)
                .containsExactly(
                        new GapMarker(
                                BTC, "trades", ns("2023-02-09T20:32:54Z"), ns("2023-02-09T20:32:56Z"), "sequence-gap"),
                        new GapMarker(
                                ETH, "trades", ns("2023-02-09T20:32:54Z"), ns("2023-02-09T20:32:56Z"), "sequence-gap"));
        assertThat(connection.sent.subList(3, connection.sent.size()))
                .containsExactly(
                        "{\"type\":\"unsubscribe\",\"product_ids\":[\"BTC-USD\",\"ETH-USD\"],\"channel\":\"level2\","
                                + "\"jwt\":\"jwt-4\"}",
                        "{\"type\":\"subscribe\",\"product_ids\":[\"BTC-USD\",\"ETH-USD\"],\"channel\":\"level2\","
                                + "\"jwt\":\"jwt-5\"}");
        assertThat(handler.isSynced("BTC-USD")).isFalse();
        assertThat(handler.isSynced("ETH-USD")).isFalse();
        assertThat(sink.levels(ETH)).hasSize(2); // the update after the jump is not applied
        // A repeated sequence number is dropped.
        Replay.frame(
                handler,
                connection,
                frame(
                        "market_trades",
                        8,
                        "2023-02-09T20:32:56Z",
                        "[{\"type\":\"update\",\"trades\":["
                                + trade("103", "BTC-USD", "1", "1", "SELL", "2023-02-09T20:32:55Z") + "]}]"),
                9);
        assertThat(sink.trades).hasSize(4);
        assertThat(handler.stats().duplicatesSkipped.sum()).isEqualTo(2);

        // The resubscription's snapshot writes the book gap.
        Replay.frame(
                handler,
                connection,
                frame(
                        "l2_data",
                        9,
                        "2023-02-09T20:32:57Z",
                        "["
                                + l2(
                                        "snapshot",
                                        "BTC-USD",
                                        update("bid", "1970-01-01T00:00:00Z", "21921.73", "1.0"),
                                        update("offer", "1970-01-01T00:00:00Z", "21921.74", "1.0"))
                                + "]"),
                10);
        assertThat(sink.gaps.getLast())
                .isEqualTo(new GapMarker(
                        BTC, "book", ns("2023-02-09T20:32:50.900002Z"), ns("2023-02-09T20:32:57Z"), "sequence-gap"));
        assertThat(handler.isSynced("BTC-USD")).isTrue();
        assertThat(handler.stats().malformed.sum()).isZero();
    }

    @Test
    void aCrossedUpdateResubscribesThatProductAndTakerSidesCanBeKept() {
        CollectingSink sink = new CollectingSink();
        SentFrames connection = new SentFrames("coinbase-advanced#1");
        CoinbaseAdvancedTradeFeedHandler handler = new CoinbaseAdvancedTradeFeedHandler(
                CoinbaseAdvancedTradeConfig.defaults(List.of("BTC-USD", "ETH-USD"))
                        .withTradeSideIsMaker(false),
                sink);
        handler.onOpen(connection, 0);
        assertThat(connection.sent.getFirst())
                .isEqualTo("{\"type\":\"subscribe\",\"product_ids\":[\"BTC-USD\",\"ETH-USD\"],\"channel\":\"level2\"}");
        Replay.frame(
                handler,
                connection,
                frame(
                        "l2_data",
                        1,
                        "2023-02-09T20:32:50Z",
                        "["
                                + l2(
                                        "snapshot",
                                        "BTC-USD",
                                        update("bid", "1970-01-01T00:00:00Z", "100.00", "1"),
                                        update("offer", "1970-01-01T00:00:00Z", "101.00", "1"))
                                + ","
                                + l2(
                                        "snapshot",
                                        "ETH-USD",
                                        update("bid", "1970-01-01T00:00:00Z", "10.00", "1"),
                                        update("offer", "1970-01-01T00:00:00Z", "11.00", "1"))
                                + "]"),
                1);
        Replay.frame(
                handler,
                connection,
                frame(
                        "l2_data",
                        2,
                        "2023-02-09T20:32:51Z",
                        "[" + l2("update", "ETH-USD", update("bid", "2023-02-09T20:32:51Z", "11.50", "1")) + "]"),
                2);
        assertThat(handler.isSynced("ETH-USD")).isFalse();
        assertThat(handler.isSynced("BTC-USD")).isTrue();
        assertThat(connection.sent.subList(3, connection.sent.size()))
                .containsExactly(
                        "{\"type\":\"unsubscribe\",\"product_ids\":[\"ETH-USD\"],\"channel\":\"level2\"}",
                        "{\"type\":\"subscribe\",\"product_ids\":[\"ETH-USD\"],\"channel\":\"level2\"}");
        Replay.frame(
                handler,
                connection,
                frame(
                        "market_trades",
                        3,
                        "2023-02-09T20:32:52Z",
                        "[{\"type\":\"update\",\"trades\":["
                                + trade("5", "BTC-USD", "100.50", "2", "BUY", "2023-02-09T20:32:51.5Z") + "]}]"),
                3);
        assertThat(sink.trades.getLast().side()).isEqualTo(Side.BUY);

        // Bad frames: counted, never thrown, nothing written.
        int rows = sink.rows.size();
        String[] bad = {
            "",
            "[]",
            frame("l2_data", 4, "2023-02-09T20:32:53Z", "[" + l2("update", "XRP-USD") + "]"),
            frame(
                    "l2_data",
                    5,
                    "2023-02-09T20:32:53Z",
                    "[{\"type\":\"update\",\"product_id\":\"BTC-USD\",\"updates\":"
                            + "[{\"side\":\"bid\",\"price_level\":\"1\"}]}]"),
            frame(
                    "market_trades",
                    6,
                    "2023-02-09T20:32:53Z",
                    "[{\"type\":\"update\",\"trades\":[{\"trade_id\":\"6\","
                            + "\"product_id\":\"BTC-USD\",\"price\":\"abc\",\"size\":\"1\",\"side\":\"BUY\"}]}]"),
            frame("l2_data", 7, "yesterday", "[]"),
            "{\"channel\":\"l2_data\",\"events\":{}}"
        };
        for (String f : bad) {
            Replay.frame(handler, connection, f, 4);
        }
        assertThat(handler.stats().malformed.sum()).isEqualTo(bad.length);
        assertThat(sink.rows).hasSize(rows);
        // Venue errors are logged, not counted as malformed.
        Replay.frame(handler, connection, "{\"type\":\"error\",\"message\":\"failure to subscribe\"}", 5);
        assertThat(handler.stats().malformed.sum()).isEqualTo(bad.length);
    }
}
