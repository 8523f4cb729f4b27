package dev.tickvault.feed.coinbase;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickvault.feed.Captures;
import dev.tickvault.feed.book.BookSide;
import dev.tickvault.feed.book.OrderBook;
import dev.tickvault.feed.capture.CaptureReader;
import dev.tickvault.feed.capture.CapturedFrame;
import dev.tickvault.feed.capture.CryptofeedCaptureReader;
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
import dev.tickvault.testing.BookRows;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class CoinbaseExchangeFeedHandlerTest {

    private static final List<String> PRODUCTS = List.of("SKL-BTC", "BAND-GBP", "NMR-EUR", "BAND-BTC", "SKL-GBP");

    @Test
    void theRecordingGivesExactTradesAndBooksThatNeverCross() throws IOException {
        CollectingSink sink = new CollectingSink();
        SentFrames connection = new SentFrames("coinbase#1");
        CoinbaseExchangeFeedHandler handler = new CoinbaseExchangeFeedHandler(
                CoinbaseExchangeConfig.defaults(PRODUCTS).withLevel2Channel("level2"), sink);
        long crossChecks = 0;
        try (CaptureReader reader = CryptofeedCaptureReader.open(Captures.require(Captures.COINBASE_WS))) {
            for (CapturedFrame f = reader.next(); f != null; f = reader.next()) {
                if (f.kind() == CapturedFrame.Kind.CONNECTED) {
                    handler.onOpen(connection, f.recvTsNanos());
                } else if (f.kind() == CapturedFrame.Kind.RECEIVED) {
                    handler.onMessage(connection, f.payload(), 0, f.payload().length, f.recvTsNanos());
                    for (String product : PRODUCTS) {
                        OrderBook book = handler.book(product);
                        assertThat(book.isCrossed())
                                .as("%s after %s", product, f)
                                .isFalse();
                        crossChecks++;
                    }
                }
            }
        }
        assertThat(crossChecks).isEqualTo(5L * 4_045);
        assertThat(connection.sent)
                .containsExactly("{\"type\":\"subscribe\",\"product_ids\":[\"SKL-BTC\",\"BAND-GBP\",\"NMR-EUR\","
                        + "\"BAND-BTC\",\"SKL-GBP\"],\"channels\":[\"level2\",\"matches\",\"heartbeat\"]}");
        assertThat(handler.crossedEvents()).isZero();
        assertThat(handler.stats().malformed.sum()).isZero();
        assertThat(handler.stats().resyncs.sum()).isZero();
        assertThat(sink.gaps).isEmpty();
        for (String product : PRODUCTS) {
            assertThat(handler.isSynced(product)).isTrue();
        }

        // Trades: every match and last_match, exact as written, the taker being the opposite of the maker's side.
        List<Trade> expected = expectedTrades();
        assertThat(expected).hasSize(34); // 29 match + 5 last_match
        assertThat(sink.trades).containsExactlyElementsOf(expected);
        for (String product : PRODUCTS) {
            List<Trade> trades = sink.trades(SeriesKey.of("coinbase", product));
            assertThat(trades).isNotEmpty();
            for (int i = 1; i < trades.size(); i++) {
                assertThat(trades.get(i).tradeId()).isEqualTo(trades.get(i - 1).tradeId() + 1);
            }
        }
        Trade first = sink.trades.getFirst();
        assertThat(first.series().symbol()).isEqualTo("BAND-GBP");
        assertThat(first.tradeId()).isEqualTo(881_613);
        assertThat(first.side()).isEqualTo(Side.BUY); // the recorded maker side is "sell"
        assertThat(first.price().toString()).isEqualTo("14.7775");
        assertThat(first.quantity().toString()).isEqualTo("0.04");
        assertThat(first.tsNanos()).isEqualTo(FeedTimestamps.rfc3339ToNanos("2021-04-17T16:43:30.244075Z"));

        // Books: the rows written rebuild exactly the handler's books; one row per recorded change.
        long recordedChanges = Files.readAllLines(Captures.COINBASE_WS).stream()
                .filter(l -> l.contains("\"type\":\"l2update\""))
                .mapToLong(l -> l.split("\\],\\[", -1).length)
                .sum();
        // (The recorded snapshots carry no time, so their rows have tsNanos == recvTsNanos; updates have "time".)
        assertThat(sink.levels.stream().filter(u -> u.tsNanos() != u.recvTsNanos()))
                .hasSize((int) recordedChanges);
        Map<SeriesKey, OrderBook> rebuilt = BookRows.rebuildEach(sink.levels, 1_000_000);
        for (String product : PRODUCTS) {
            assertSameSide(
                    rebuilt.get(SeriesKey.of("coinbase", product)).bids(),
                    handler.book(product).bids());
            assertSameSide(
                    rebuilt.get(SeriesKey.of("coinbase", product)).asks(),
                    handler.book(product).asks());
        }
        BookUpdate firstLevel = sink.levels.stream()
                .filter(u -> u.series().symbol().equals("BAND-GBP") && u.side() == Side.SELL)
                .findFirst()
                .orElseThrow();
        assertThat(firstLevel.price().toString() + " " + firstLevel.quantity()).isEqualTo("14.8024 12.77");
    }

    /** The trades of the recording, read with regular expressions (no code shared with the handler). */
    private static List<Trade> expectedTrades() throws IOException {
        Pattern field = Pattern.compile("\"(trade_id|side|size|price|product_id|time)\":\"?([^\",}]*)\"?");
        List<Trade> trades = new ArrayList<>();
        for (String line : Files.readAllLines(Captures.COINBASE_WS)) {
            if (!line.contains("\"type\":\"match\"") && !line.contains("\"type\":\"last_match\"")) {
                continue;
            }
            long recv = FeedTimestamps.decimalSecondsToNanos(line.substring(0, line.indexOf(':')));
            Map<String, String> f = new HashMap<>();
            Matcher m = field.matcher(line);
            while (m.find()) {
                f.put(m.group(1), m.group(2));
            }
            trades.add(new Trade(
                    SeriesKey.of("coinbase", f.get("product_id")),
                    java.time.Instant.parse(f.get("time")).getEpochSecond() * 1_000_000_000L
                            + java.time.Instant.parse(f.get("time")).getNano(),
                    recv,
                    Decimal.parse(f.get("price")),
                    Decimal.parse(f.get("size")),
                    f.get("side").equals("sell") ? Side.BUY : Side.SELL,
                    Long.parseLong(f.get("trade_id"))));
        }
        return trades;
    }

    private static void assertSameSide(BookSide expected, BookSide actual) {
        assertThat(actual.size()).isEqualTo(expected.size());
        for (int i = 0; i < expected.size(); i++) {
            assertThat(actual.priceText(i) + " " + actual.quantityText(i))
                    .isEqualTo(expected.priceText(i) + " " + expected.quantityText(i));
        }
    }

    private static final SeriesKey BTC = SeriesKey.of("coinbase", "BTC-USD");
    private static final SeriesKey ETH = SeriesKey.of("coinbase", "ETH-USD");

    private static String match(String type, long tradeId, long sequence, String makerSide, String time) {
        return "{\"type\":\"" + type + "\",\"trade_id\":" + tradeId
                + ",\"maker_order_id\":\"ac928c66-ca53-498f-9c13-a110027a60e8\",\"taker_order_id\":"
                + "\"132fb6ae-456b-4654-b4e0-d681ac05cea1\",\"side\":\"" + makerSide
                + "\",\"size\":\"5.23512\",\"price\":\"400.23\",\"product_id\":\"BTC-USD\",\"sequence\":" + sequence
                + ",\"time\":\"" + time + "\"}";
    }

    @Test
    void tradeGapsHeartbeatsCrossedBooksAndReconnects() {
        CollectingSink sink = new CollectingSink();
        SentFrames connection = new SentFrames("coinbase#1");
        CoinbaseExchangeFeedHandler handler =
                new CoinbaseExchangeFeedHandler(CoinbaseExchangeConfig.defaults(List.of("BTC-USD", "ETH-USD")), sink);
        handler.onOpen(connection, 0);
        assertThat(connection.sent)
                .containsExactly("{\"type\":\"subscribe\",\"product_ids\":[\"BTC-USD\",\"ETH-USD\"],\"channels\":"
                        + "[\"level2_batch\",\"matches\",\"heartbeat\"]}");
        // Documented shapes (Coinbase Exchange WebSocket channels).
        Replay.frame(
                handler,
                connection,
                "{\"type\":\"subscriptions\",\"channels\":[{\"name\":\"level2_batch\",\"product_ids\":[\"BTC-USD\","
                        + "\"ETH-USD\"]}]}",
                1);
        Replay.frame(
                handler,
                connection,
                "{\"type\":\"snapshot\",\"product_id\":\"BTC-USD\",\"bids\":[[\"10101.10\",\"0.45054140\"]],"
                        + "\"asks\":[[\"10102.55\",\"0.57753524\"]]}",
                2);
        Replay.frame(
                handler,
                connection,
                "{\"type\":\"snapshot\",\"product_id\":\"ETH-USD\",\"bids\":[[\"300.10\",\"1.0\"]],\"asks\":"
                        + "[[\"300.20\",\"2.0\"]]}",
                2);
        Replay.frame(
                handler,
                connection,
                "{\"type\":\"l2update\",\"product_id\":\"BTC-USD\",\"time\":\"2014-11-07T08:19:26.265Z\",\"changes\":"
                        + "[[\"buy\",\"10101.80000000\",\"0.162567\"]]}",
                3);
        assertThat(handler.book("BTC-USD").bids().priceText(0)).isEqualTo("10101.80000000");
        long l2Ts = FeedTimestamps.rfc3339ToNanos("2014-11-07T08:19:26.265Z");
        assertThat(sink.levels.getLast().flags()).isEqualTo(BookUpdate.EVENT_END);
        assertThat(sink.levels.getLast().tsNanos()).isEqualTo(l2Ts);

        Replay.frame(handler, connection, match("last_match", 9, 40, "buy", "2014-11-07T08:19:26.000000Z"), 4);
        Replay.frame(handler, connection, match("match", 10, 50, "buy", "2014-11-07T08:19:27.028459Z"), 5);
        Replay.frame(handler, connection, match("match", 10, 50, "buy", "2014-11-07T08:19:27.028459Z"), 6);
        Replay.frame(handler, connection, match("match", 11, 49, "sell", "2014-11-07T08:19:27.5Z"), 7);
        assertThat(sink.trades).extracting(Trade::tradeId).containsExactly(9L, 10L);
        assertThat(sink.trades).extracting(Trade::side).containsExactly(Side.SELL, Side.SELL);
        assertThat(handler.stats().duplicatesSkipped.sum()).isEqualTo(2);

        // trade_id 11..13 never arrive: a trades gap, and the book of BTC-USD (only) is resubscribed.
        Replay.frame(handler, connection, match("match", 14, 60, "sell", "2014-11-07T08:19:29Z"), 8);
        assertThat(sink.trades.getLast().side()).isEqualTo(Side.BUY);
        long ts10 = FeedTimestamps.rfc3339ToNanos("2014-11-07T08:19:27.028459Z");
        long ts14 = FeedTimestamps.rfc3339ToNanos("2014-11-07T08:19:29Z");
        assertThat(sink.gaps).containsExactly(new GapMarker(BTC, "trades", ts10, ts14, "sequence-gap"));
        assertThat(connection.sent.subList(1, connection.sent.size()))
                .containsExactly(
                        "{\"type\":\"unsubscribe\",\"product_ids\":[\"BTC-USD\"],\"channels\":[\"level2_batch\"]}",
                        "{\"type\":\"subscribe\",\"product_ids\":[\"BTC-USD\"],\"channels\":[\"level2_batch\"]}");
        assertThat(handler.isSynced("BTC-USD")).isFalse();
        assertThat(handler.isSynced("ETH-USD")).isTrue();
        int rows = sink.levels.size();
        Replay.frame(
                handler,
                connection,
                "{\"type\":\"l2update\",\"product_id\":\"BTC-USD\",\"time\":\"2014-11-07T08:19:29.5Z\",\"changes\":"
                        + "[[\"sell\",\"10102.55\",\"0\"]]}",
                9);
        assertThat(sink.levels).hasSize(rows); // ignored until the new snapshot
        Replay.frame(
                handler,
                connection,
                "{\"type\":\"snapshot\",\"product_id\":\"BTC-USD\",\"time\":\"2014-11-07T08:19:30Z\",\"bids\":"
                        + "[[\"10101.10\",\"0.5\"]],\"asks\":[[\"10102.55\",\"0.6\"]]}",
                10);
        assertThat(sink.gaps.getLast())
                .isEqualTo(new GapMarker(
                        BTC, "book", l2Ts, FeedTimestamps.rfc3339ToNanos("2014-11-07T08:19:30Z"), "sequence-gap"));
        assertThat(handler.isSynced("BTC-USD")).isTrue();

        // A heartbeat naming a later last_trade_id than received: matches were lost.
        Replay.frame(
                handler,
                connection,
                "{\"type\":\"heartbeat\",\"sequence\":90,\"last_trade_id\":14,\"product_id\":\"BTC-USD\",\"time\":"
                        + "\"2014-11-07T08:19:31Z\"}",
                11);
        assertThat(sink.gaps).hasSize(2);
        Replay.frame(
                handler,
                connection,
                "{\"type\":\"heartbeat\",\"sequence\":95,\"last_trade_id\":16,\"product_id\":\"BTC-USD\",\"time\":"
                        + "\"2014-11-07T08:19:32Z\"}",
                12);
        assertThat(sink.gaps.getLast())
                .isEqualTo(new GapMarker(
                        BTC, "trades", ts14, FeedTimestamps.rfc3339ToNanos("2014-11-07T08:19:32Z"), "sequence-gap"));
        Replay.frame(handler, connection, match("match", 17, 96, "buy", "2014-11-07T08:19:33Z"), 13);
        assertThat(sink.gaps).hasSize(3); // 17 follows the heartbeat's 16: no new gap

        // An ETH update that crosses the book: resubscribed, and the next snapshot writes the gap.
        Replay.frame(
                handler,
                connection,
                "{\"type\":\"l2update\",\"product_id\":\"ETH-USD\",\"time\":\"2014-11-07T08:19:34Z\",\"changes\":"
                        + "[[\"buy\",\"300.30\",\"1.5\"]]}",
                14);
        assertThat(handler.crossedEvents()).isEqualTo(1);
        assertThat(handler.isSynced("ETH-USD")).isFalse();
        assertThat(connection.sent.getLast())
                .isEqualTo("{\"type\":\"subscribe\",\"product_ids\":[\"ETH-USD\"],\"channels\":[\"level2_batch\"]}");

        // A lost connection: the last_match of the new subscription is a duplicate, the snapshot writes the gaps.
        handler.onClose(connection, 15, "test");
        SentFrames second = new SentFrames("coinbase#2");
        handler.onOpen(second, 16);
        Replay.frame(handler, second, match("last_match", 17, 96, "buy", "2014-11-07T08:19:33Z"), 17);
        Replay.frame(
                handler,
                second,
                "{\"type\":\"snapshot\",\"product_id\":\"ETH-USD\",\"bids\":[[\"300.10\",\"1.0\"]],\"asks\":"
                        + "[[\"300.20\",\"2.0\"]]}",
                18);
        Replay.frame(
                handler,
                second,
                "{\"type\":\"snapshot\",\"product_id\":\"BTC-USD\",\"bids\":[[\"10101.10\",\"0.5\"]],\"asks\":"
                        + "[[\"10102.55\",\"0.6\"]]}",
                19);
        assertThat(sink.gaps.subList(3, sink.gaps.size()))
                .extracting(g -> g.series().symbol() + " " + g.channel() + " " + g.reason())
                // BTC-USD was already resyncing since the heartbeat showed lost matches: that reason is kept.
                .containsExactly("ETH-USD book crossed-book", "BTC-USD book sequence-gap");
        assertThat(handler.stats().duplicatesSkipped.sum()).isEqualTo(3);
        Replay.frame(handler, second, match("match", 18, 97, "buy", "2014-11-07T08:19:40Z"), 20);
        assertThat(sink.trades.getLast().tradeId()).isEqualTo(18);
        assertThat(handler.stats().malformed.sum()).isZero();

        // Checkpoints from the timer: every in-sync book, flagged CHECKPOINT.
        int before = sink.levels.size();
        handler.onTimer(19 + 60_000_000_000L);
        assertThat(sink.levels.subList(before, sink.levels.size()))
                .hasSize(4)
                .allMatch(u -> (u.flags() & BookUpdate.CHECKPOINT) != 0);
        handler.onTimer(19 + 60_000_000_001L);
        assertThat(sink.levels).hasSize(before + 4);
    }

    @Test
    void badFramesAndVenueErrorsNeverThrow() {
        CollectingSink sink = new CollectingSink();
        SentFrames connection = new SentFrames("coinbase#1");
        CoinbaseExchangeFeedHandler handler =
                new CoinbaseExchangeFeedHandler(CoinbaseExchangeConfig.defaults(List.of("BTC-USD")), sink);
        handler.onOpen(connection, 0);
        Replay.frame(
                handler,
                connection,
                "{\"type\":\"error\",\"message\":\"Failed to subscribe\",\"reason\":\"level2 requires authentication\"}",
                1);
        Replay.frame(
                handler,
                connection,
                "{\"type\":\"ticker\",\"sequence\":1,\"product_id\":\"BTC-USD\",\"price\":\"x\"}",
                1);
        assertThat(handler.stats().malformed.sum()).isZero();
        String[] bad = {
            "",
            "[]",
            "{\"type\":\"snapshot\",\"product_id\":\"DOGE-USD\",\"bids\":[],\"asks\":[]}",
            "{\"type\":\"snapshot\",\"product_id\":\"BTC-USD\",\"bids\":[[\"1.0\"]],\"asks\":[]}",
            "{\"type\":\"l2update\",\"product_id\":\"BTC-USD\",\"changes\":[[\"up\",\"1.0\",\"2\"]]}",
            "{\"type\":\"match\",\"trade_id\":1,\"side\":\"buy\",\"size\":\"1\",\"product_id\":\"BTC-USD\"}",
            "{\"type\":\"match\",\"trade_id\":1,\"side\":\"buy\",\"size\":\"1\",\"price\":\"1e400\","
                    + "\"product_id\":\"BTC-USD\"}",
            "{\"type\":\"l2update\",\"product_id\":\"BTC-USD\",\"time\":\"noon\",\"changes\":[]}",
            "{\"type\":\"snapshot\",\"product_id\":\"BTC-USD\",\"bids\":[[\"1.0\",\"2\"]"
        };
        for (String frame : bad) {
            Replay.frame(handler, connection, frame, 2);
        }
        assertThat(handler.stats().malformed.sum()).isEqualTo(bad.length);
        assertThat(sink.rows).isEmpty();
    }
}
