package dev.tickvault.feed.kraken;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickvault.feed.Captures;
import dev.tickvault.feed.book.BookSide;
import dev.tickvault.feed.book.OrderBook;
import dev.tickvault.feed.json.CollectingSink;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class KrakenV1FeedHandlerTest {

    private static final List<String> PAIRS = List.of("WAVES/EUR", "KSM/XBT", "GRT/ETH", "ETH/CHF", "OMG/USD");

    @Test
    void everyExchangeChecksumInTheRecordingIsReproduced() throws IOException {
        long updatesWithChecksum = Files.readAllLines(Captures.require(Captures.KRAKEN_BOOK)).stream()
                .filter(l -> l.contains("\"c\":\""))
                .count();
        assertThat(updatesWithChecksum).isEqualTo(1_821); // as the recordings' README says

        CollectingSink sink = new CollectingSink();
        SentFrames connection = new SentFrames("kraken#1");
        KrakenV1FeedHandler handler = new KrakenV1FeedHandler(KrakenV1Config.defaults(PAIRS), sink);
        Replay.run(Captures.KRAKEN_BOOK, handler, connection, null);

        assertThat(handler.checksumsVerified()).isEqualTo(1_821);
        assertThat(handler.checksumMismatches()).isZero();
        assertThat(handler.stats().malformed.sum()).isZero();
        assertThat(handler.stats().resyncs.sum()).isZero();
        assertThat(sink.gaps).isEmpty();
        assertThat(sink.levels.stream().filter(BookUpdate::isSnapshotBegin).filter(u -> (u.flags() & 8) == 0))
                .hasSize(5);
        for (String pair : PAIRS) {
            assertThat(handler.isSynced(pair)).as(pair).isTrue();
        }
        assertThat(connection.sent).hasSize(2); // the book and trade subscriptions, no resubscription
        assertThat(connection.sent.get(0))
                .isEqualTo("{\"event\":\"subscribe\",\"pair\":[\"WAVES/EUR\",\"KSM/XBT\",\"GRT/ETH\",\"ETH/CHF\","
                        + "\"OMG/USD\"],\"subscription\":{\"name\":\"book\",\"depth\":1000}}");

        // The rows written rebuild exactly the handler's books (snapshots, updates and truncations).
        Map<SeriesKey, OrderBook> rebuilt = rebuild(sink.levels);
        for (String pair : PAIRS) {
            assertSameBook(rebuilt.get(SeriesKey.of("kraken", pair)), handler.book(pair));
        }
        // Exact spelling survives: a level of the WAVES/EUR snapshot as written in the recording.
        BookUpdate firstAsk = sink.levels.stream()
                .filter(u -> u.series().symbol().equals("OMG/USD") && u.side() == Side.SELL)
                .findFirst()
                .orElseThrow();
        assertThat(firstAsk.price().toString()).isEqualTo("9.596677");
        assertThat(firstAsk.quantity().toString()).isEqualTo("136.91309120");
        assertThat(firstAsk.tsNanos()).isGreaterThanOrEqualTo(1_618_678_132_202_537_000L);
    }

    @Test
    void aMismatchResubscribesThatPairOnlyAndTheNextSnapshotWritesTheGap() throws IOException {
        long ksmUpdates = Files.readAllLines(Captures.require(Captures.KRAKEN_BOOK)).stream()
                .filter(l -> l.contains("\"c\":\"") && l.contains("\"KSM/XBT\""))
                .count();
        String snapshotLine = Files.readAllLines(Captures.KRAKEN_BOOK).stream()
                .filter(l -> l.contains("[3648,{\"as\""))
                .findFirst()
                .orElseThrow();
        CollectingSink sink = new CollectingSink();
        SentFrames connection = new SentFrames("kraken#1");
        KrakenV1FeedHandler handler = new KrakenV1FeedHandler(KrakenV1Config.defaults(PAIRS), sink);
        AtomicBoolean tampered = new AtomicBoolean();
        // The third KSM/XBT update arrives with a checksum that cannot match (as if a level had been lost).
        int[] seen = {0};
        Replay.run(Captures.KRAKEN_BOOK, handler, connection, text -> {
            if (text.startsWith("[3648,{\"") && !text.startsWith("[3648,{\"as\"") && ++seen[0] == 3) {
                tampered.set(true);
                return text.replaceFirst("\"c\":\"[0-9]+\"", "\"c\":\"1\"");
            }
            return text;
        });
        assertThat(tampered).isTrue();
        assertThat(handler.checksumMismatches()).isEqualTo(1);
        assertThat(handler.checksumsVerified()).isEqualTo(1_821 - (ksmUpdates - 2));
        assertThat(handler.isSynced("KSM/XBT")).isFalse();
        for (String pair : List.of("WAVES/EUR", "GRT/ETH", "ETH/CHF", "OMG/USD")) {
            assertThat(handler.isSynced(pair)).isTrue();
        }
        assertThat(connection.sent).hasSize(4);
        assertThat(connection.sent.get(2))
                .isEqualTo("{\"event\":\"unsubscribe\",\"pair\":[\"KSM/XBT\"],\"subscription\":{\"name\":\"book\","
                        + "\"depth\":1000}}");
        assertThat(connection.sent.get(3))
                .isEqualTo("{\"event\":\"subscribe\",\"pair\":[\"KSM/XBT\"],\"subscription\":{\"name\":\"book\","
                        + "\"depth\":1000}}");
        assertThat(handler.stats().resyncs.sum()).isEqualTo(1);
        assertThat(sink.gaps).isEmpty(); // written when the new snapshot arrives

        List<BookUpdate> ksmEventEnds = sink.levels(SeriesKey.of("kraken", "KSM/XBT")).stream()
                .filter(u -> u.flags() == BookUpdate.EVENT_END)
                .toList();
        assertThat(ksmEventEnds).hasSize(3); // two verified updates and the one that failed
        long lastVerified = ksmEventEnds.get(1).tsNanos();
        // The resubscription: a new channel id and a fresh snapshot (the recorded one, with one level newer).
        long recv = 1_618_678_200_000_000_000L;
        Replay.frame(
                handler,
                connection,
                "{\"channelID\":9001,\"channelName\":\"book-1000\",\"event\":\"subscriptionStatus\",\"pair\":"
                        + "\"KSM/XBT\",\"status\":\"subscribed\",\"subscription\":{\"depth\":1000,\"name\":\"book\"}}",
                recv);
        String payload = snapshotLine
                .substring(snapshotLine.indexOf(": ") + 2)
                .replace("[3648,{\"as\":[", "[9001,{\"as\":[[\"0.09000000\",\"1.00000000\",\"1618678199.500000\"],");
        Replay.frame(handler, connection, payload, recv + 1);
        assertThat(sink.gaps)
                .containsExactly(new GapMarker(
                        SeriesKey.of("kraken", "KSM/XBT"),
                        "book",
                        lastVerified,
                        1_618_678_199_500_000_000L,
                        "checksum-mismatch"));
        assertThat(handler.isSynced("KSM/XBT")).isTrue();
        assertThat(sink.levels.getLast().isSnapshotEnd()).isTrue();
        assertThat(sink.levels(SeriesKey.of("kraken", "KSM/XBT")).stream()
                        .filter(u -> u.recvTsNanos() == recv + 1)
                        .map(u -> u.price().toString()))
                .contains("0.09000000");
    }

    @Test
    void theTradeRecordingHoldsSubscriptionsAndHeartbeatsOnly() throws IOException {
        CollectingSink sink = new CollectingSink();
        KrakenV1FeedHandler handler = new KrakenV1FeedHandler(KrakenV1Config.defaults(PAIRS), sink);
        Replay.run(Captures.require(Captures.KRAKEN_TRADES), handler, new SentFrames("kraken#2"), null);
        // The recording (cut to these five pairs) has no trade in its 30 s: 36 frames, none malformed.
        assertThat(handler.stats().messages.sum()).isEqualTo(36);
        assertThat(handler.stats().malformed.sum()).isZero();
        assertThat(sink.trades).isEmpty();
    }

    @Test
    void tradesAsDocumentedAreExact() {
        CollectingSink sink = new CollectingSink();
        SentFrames connection = new SentFrames("kraken#1");
        KrakenV1FeedHandler handler =
                new KrakenV1FeedHandler(KrakenV1Config.defaults(List.of("XBT/USD", "XBT/EUR")), sink);
        handler.onOpen(connection, 0);
        Replay.frame(
                handler,
                connection,
                "{\"channelID\":0,\"channelName\":\"trade\",\"event\":\"subscriptionStatus\",\"pair\":\"XBT/USD\","
                        + "\"status\":\"subscribed\",\"subscription\":{\"name\":\"trade\"}}",
                1);
        // Kraken's WebSocket v1 trade example.
        Replay.frame(
                handler,
                connection,
                "[0,[[\"5541.20000\",\"0.15850568\",\"1534614057.321597\",\"s\",\"l\",\"\"],"
                        + "[\"6060.00000\",\"0.02455000\",\"1534614057.324998\",\"b\",\"l\",\"\"]],\"trade\",\"XBT/USD\"]",
                1_534_614_058_000_000_000L);
        SeriesKey xbt = SeriesKey.of("kraken", "XBT/USD");
        assertThat(sink.trades)
                .containsExactly(
                        new Trade(
                                xbt,
                                1_534_614_057_321_597_000L,
                                1_534_614_058_000_000_000L,
                                Decimal.parse("5541.20000"),
                                Decimal.parse("0.15850568"),
                                Side.SELL,
                                Trade.NO_TRADE_ID),
                        new Trade(
                                xbt,
                                1_534_614_057_324_998_000L,
                                1_534_614_058_000_000_000L,
                                Decimal.parse("6060.00000"),
                                Decimal.parse("0.02455000"),
                                Side.BUY,
                                Trade.NO_TRADE_ID));
        assertThat(sink.trades.get(0).price().scale()).isEqualTo(5);
        // An unknown channel id is resolved from the pair at the end of the frame.
        Replay.frame(
                handler,
                connection,
                "[77,[[\"61000.1\",\"0.5\",\"1534614059.000001\",\"b\",\"m\",\"\"]],\"trade\",\"XBT/EUR\"]",
                1_534_614_060_000_000_000L);
        assertThat(sink.trades.getLast().series()).isEqualTo(SeriesKey.of("kraken", "XBT/EUR"));
        assertThat(handler.stats().trades.sum()).isEqualTo(3);

        // After a lost connection the trades already delivered are skipped and a gap covers the outage.
        handler.onClose(connection, 1_534_614_061_000_000_000L, "test");
        SentFrames second = new SentFrames("kraken#2");
        handler.onOpen(second, 1_534_614_062_000_000_000L);
        Replay.frame(
                handler,
                second,
                "{\"channelID\":5,\"channelName\":\"trade\",\"event\":\"subscriptionStatus\",\"pair\":\"XBT/USD\","
                        + "\"status\":\"subscribed\",\"subscription\":{\"name\":\"trade\"}}",
                1_534_614_063_000_000_000L);
        Replay.frame(
                handler,
                second,
                "[5,[[\"6060.00000\",\"0.02455000\",\"1534614057.324998\",\"b\",\"l\",\"\"],"
                        + "[\"6061.00000\",\"0.1\",\"1534614062.5\",\"s\",\"l\",\"\"]],\"trade\",\"XBT/USD\"]",
                1_534_614_064_000_000_000L);
        assertThat(handler.stats().duplicatesSkipped.sum()).isEqualTo(1);
        assertThat(sink.trades.getLast().price()).isEqualTo(Decimal.parse("6061.00000"));
        assertThat(sink.gaps)
                .containsExactly(new GapMarker(
                        xbt, "trades", 1_534_614_057_324_998_000L, 1_534_614_063_000_000_000L, "reconnect"));
    }

    @Test
    void theFiveElementUpdateAndRepublishedLevelsFollowTheBookRules() {
        CollectingSink sink = new CollectingSink();
        SentFrames connection = new SentFrames("kraken#1");
        KrakenV1FeedHandler handler = new KrakenV1FeedHandler(
                KrakenV1Config.defaults(List.of("XBT/USD")).withBookDepth(10), sink);
        handler.onOpen(connection, 0);
        Replay.frame(
                handler,
                connection,
                "{\"channelID\":42,\"channelName\":\"book-10\",\"event\":\"subscriptionStatus\",\"pair\":\"XBT/USD\","
                        + "\"status\":\"subscribed\",\"subscription\":{\"depth\":10,\"name\":\"book\"}}",
                1);
        ChecksumOracle oracle = new ChecksumOracle(10);
        StringBuilder asks = new StringBuilder();
        StringBuilder bids = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            String ask = "0.0" + (5120 + i * 10);
            String bid = "0.0" + (5110 - i * 10);
            String qty = "0.0000" + (500 + i);
            oracle.ask(ask, qty);
            oracle.bid(bid, qty);
            asks.append(i == 0 ? "" : ",").append("[\"" + ask + "\",\"" + qty + "\",\"1582905486.49300" + i + "\"]");
            bids.append(i == 0 ? "" : ",").append("[\"" + bid + "\",\"" + qty + "\",\"1582905486.49300" + i + "\"]");
        }
        Replay.frame(
                handler, connection, "[42,{\"as\":[" + asks + "],\"bs\":[" + bids + "]},\"book-10\",\"XBT/USD\"]", 2);
        // Both sides in one message: a new best ask (pushes the worst ask out: truncation), an updated ask, two
        // deleted bids, a new bid and a republished bid level ("r") that comes back into scope.
        oracle.ask("0.05115", "0.00000300");
        oracle.ask("0.05200", "0.00000900");
        oracle.bid("0.05110", "0.00000000");
        oracle.bid("0.05100", "0.00000000");
        oracle.bid("0.05015", "0.00000200");
        oracle.bid("0.05010", "0.00001000");
        oracle.truncate();
        String update = "[42,{\"a\":[[\"0.05115\",\"0.00000300\",\"1582905487.000001\"],"
                + "[\"0.05200\",\"0.00000900\",\"1582905487.000002\"]]},"
                + "{\"b\":[[\"0.05110\",\"0.00000000\",\"1582905487.000003\"],"
                + "[\"0.05100\",\"0.00000000\",\"1582905487.000004\"],"
                + "[\"0.05015\",\"0.00000200\",\"1582905487.000004\"],"
                + "[\"0.05010\",\"0.00001000\",\"1582905487.000005\",\"r\"]],\"c\":\"" + oracle.checksum()
                + "\"},\"book-10\",\"XBT/USD\"]";
        int before = sink.levels.size();
        Replay.frame(handler, connection, update, 3);
        assertThat(handler.checksumMismatches()).isZero();
        assertThat(handler.checksumsVerified()).isEqualTo(1);
        List<BookUpdate> event = sink.levels.subList(before, sink.levels.size());
        // Six levels of the message, then the ask truncated away (0.05210, was 10th) written as a deletion.
        assertThat(event).hasSize(7);
        assertThat(event.getLast().price()).isEqualTo(Decimal.parse("0.05210"));
        assertThat(event.getLast().quantity().mantissa()).isZero();
        assertThat(event.getLast().flags()).isEqualTo(BookUpdate.EVENT_END);
        assertThat(event.stream().filter(u -> u.flags() != 0)).hasSize(1);
        assertThat(event.getFirst().tsNanos()).isEqualTo(1_582_905_487_000_005_000L); // the message's latest level
        assertThat(handler.book("XBT/USD").asks().size()).isEqualTo(10);
        assertThat(handler.book("XBT/USD").bids().size()).isEqualTo(10);
        assertThat(handler.book("XBT/USD").asks().priceText(0)).isEqualTo("0.05115");
    }

    private static String subscribed(int channelId) {
        return "{\"channelID\":" + channelId + ",\"channelName\":\"book-10\",\"event\":\"subscriptionStatus\","
                + "\"pair\":\"XBT/USD\",\"status\":\"subscribed\",\"subscription\":{\"depth\":10,\"name\":\"book\"}}";
    }

    /** A snapshot of one ask and one bid at {@code time}, mirrored into {@code oracle}. */
    private static String snapshot(int channelId, ChecksumOracle oracle, String ask, String bid, String time) {
        oracle.asks.clear();
        oracle.bids.clear();
        oracle.ask(ask, "1.00000000");
        oracle.bid(bid, "1.00000000");
        return "[" + channelId + ",{\"as\":[[\"" + ask + "\",\"1.00000000\",\"" + time + "\"]],\"bs\":[[\"" + bid
                + "\",\"1.00000000\",\"" + time + "\"]]},\"book-10\",\"XBT/USD\"]";
    }

    /** An update of one bid level at {@code time} with the oracle's checksum. */
    private static String bidUpdate(int channelId, ChecksumOracle oracle, String price, String qty, String time) {
        oracle.bid(price, qty);
        oracle.truncate();
        return "[" + channelId + ",{\"b\":[[\"" + price + "\",\"" + qty + "\",\"" + time + "\"]],\"c\":\""
                + oracle.checksum() + "\"},\"book-10\",\"XBT/USD\"]";
    }

    @Test
    void aReplacementConnectionTakesOverAtItsSnapshotAndALostOneLeavesAGap() {
        CollectingSink sink = new CollectingSink();
        KrakenV1FeedHandler handler = new KrakenV1FeedHandler(
                KrakenV1Config.defaults(List.of("XBT/USD")).withBookDepth(10), sink);
        ChecksumOracle oracle = new ChecksumOracle(10);
        SentFrames first = new SentFrames("kraken#1");
        handler.onOpen(first, 0);
        Replay.frame(handler, first, subscribed(1), 1);
        Replay.frame(handler, first, snapshot(1, oracle, "100.5", "100.0", "1000.000001"), 2);
        Replay.frame(handler, first, bidUpdate(1, oracle, "99.5", "2.00000000", "1001.000001"), 3);
        // The replacement opens; until its snapshot the old connection still keeps the book.
        SentFrames second = new SentFrames("kraken#2");
        handler.onOpen(second, 4);
        Replay.frame(handler, second, subscribed(2), 5);
        Replay.frame(handler, first, bidUpdate(1, oracle, "99.0", "3.00000000", "1002.000001"), 6);
        assertThat(handler.checksumsVerified()).isEqualTo(2);
        Replay.frame(handler, second, snapshot(2, oracle, "100.6", "100.1", "1003.000001"), 7);
        int rows = sink.levels.size();
        Replay.frame(
                handler, first, "[1,{\"b\":[[\"98.0\",\"1.0\",\"1003.5\"]],\"c\":\"1\"},\"book-10\",\"XBT/USD\"]", 8);
        assertThat(sink.levels).hasSize(rows); // the old connection's data is skipped from now on
        assertThat(handler.stats().duplicatesSkipped.sum()).isEqualTo(1);
        handler.onClose(first, 9, "replaced");
        assertThat(handler.isSynced("XBT/USD")).isTrue(); // closing the old connection loses nothing
        Replay.frame(handler, second, bidUpdate(2, oracle, "99.9", "1.50000000", "1004.000001"), 10);
        assertThat(handler.checksumsVerified()).isEqualTo(3);
        assertThat(handler.checksumMismatches()).isZero();
        assertThat(sink.gaps).isEmpty();

        // The second connection is lost: the book is out of sync until the next connection's snapshot.
        handler.onClose(second, 11, "lost");
        assertThat(handler.isSynced("XBT/USD")).isFalse();
        SentFrames third = new SentFrames("kraken#3");
        handler.onOpen(third, 12);
        Replay.frame(handler, third, subscribed(3), 13);
        Replay.frame(handler, third, snapshot(3, oracle, "100.7", "100.2", "1010.000001"), 14);
        assertThat(sink.gaps)
                .containsExactly(new GapMarker(
                        SeriesKey.of("kraken", "XBT/USD"),
                        "book",
                        1_004_000_001_000L,
                        1_010_000_001_000L,
                        "reconnect"));
        assertThat(handler.isSynced("XBT/USD")).isTrue();
    }

    @Test
    void badFramesAreCountedNeverThrown() {
        CollectingSink sink = new CollectingSink();
        SentFrames connection = new SentFrames("kraken#1");
        KrakenV1FeedHandler handler = new KrakenV1FeedHandler(KrakenV1Config.defaults(List.of("XBT/USD")), sink);
        handler.onOpen(connection, 0);
        Replay.frame(
                handler,
                connection,
                "{\"channelID\":1,\"channelName\":\"book-1000\",\"event\":\"subscriptionStatus\",\"pair\":\"XBT/USD\","
                        + "\"status\":\"subscribed\",\"subscription\":{\"depth\":1000,\"name\":\"book\"}}",
                1);
        String[] bad = {
            "",
            "not json",
            "[",
            "[1,{\"as\":[[\"x\",\"1\",\"1\"]]},\"book-1000\",\"XBT/USD\"]",
            "[1,{\"as\":[[\"1.0\",\"1\",\"12:00\"]]},\"book-1000\",\"XBT/USD\"]",
            "[1,{\"as\":[[\"1.0\"]]},\"book-1000\",\"XBT/USD\"]",
            "[99,{\"a\":[]},\"book-1000\",\"ZZZ/USD\"]",
            "[\"x\"]",
            "42",
            "[1,{\"as\":[[\"1.0\",\"1\",\"1\"]]}]",
            "[1,{\"as\":[[\"123456789012345678901234.5\",\"1\",\"1\"]]},\"book-1000\",\"XBT/USD\"]"
        };
        for (String frame : bad) {
            Replay.frame(handler, connection, frame, 2);
        }
        assertThat(handler.stats().malformed.sum()).isEqualTo(bad.length);
        assertThat(sink.rows).isEmpty();
        assertThat(handler.isSynced("XBT/USD")).isFalse();
    }

    static Map<SeriesKey, OrderBook> rebuild(List<BookUpdate> rows) {
        return BookRows.rebuildEach(rows, 100_000);
    }

    static void assertSameBook(OrderBook expected, OrderBook actual) {
        assertSameSide(expected.bids(), actual.bids());
        assertSameSide(expected.asks(), actual.asks());
    }

    private static void assertSameSide(BookSide expected, BookSide actual) {
        assertThat(actual.size()).isEqualTo(expected.size());
        for (int i = 0; i < expected.size(); i++) {
            assertThat(actual.priceText(i) + " " + actual.quantityText(i))
                    .isEqualTo(expected.priceText(i) + " " + expected.quantityText(i));
        }
    }
}
