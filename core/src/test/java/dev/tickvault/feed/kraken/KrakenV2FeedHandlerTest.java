package dev.tickvault.feed.kraken;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickvault.feed.Captures;
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
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

class KrakenV2FeedHandlerTest {

    private static final SeriesKey BTC = SeriesKey.of("kraken", "BTC/USD");
    private static final SeriesKey ETH = SeriesKey.of("kraken", "ETH/USD");
    private static final long T0 = FeedTimestamps.rfc3339ToNanos("2023-10-06T17:35:55.440295Z");

    private static String docsSnapshot() throws IOException {
        return Files.readString(Captures.require(Captures.KRAKEN_V2_BOOK_SNAPSHOT));
    }

    /** The oracle holding the documentation's snapshot. */
    private static ChecksumOracle docsOracle(int depth) {
        ChecksumOracle oracle = new ChecksumOracle(depth);
        String[][] bids = {
            {"45283.5", "0.10000000"}, {"45283.4", "1.54582015"}, {"45282.1", "0.10000000"}, {"45281.0", "0.10000000"},
            {"45280.3", "1.54592586"}, {"45279.0", "0.07990000"}, {"45277.6", "0.03310103"}, {"45277.5", "0.30000000"},
            {"45277.3", "1.54602737"}, {"45276.6", "0.15445238"}
        };
        String[][] asks = {
            {"45285.2", "0.00100000"}, {"45286.4", "1.54571953"}, {"45286.6", "1.54571109"}, {"45289.6", "1.54560911"},
            {"45290.2", "0.15890660"}, {"45291.8", "1.54553491"}, {"45294.7", "0.04454749"}, {"45296.1", "0.35380000"},
            {"45297.5", "0.09945542"}, {"45299.5", "0.18772827"}
        };
        for (String[] b : bids) {
            oracle.bid(b[0], b[1]);
        }
        for (String[] a : asks) {
            oracle.ask(a[0], a[1]);
        }
        return oracle;
    }

    @Test
    void theDocumentationSnapshotReproducesItsChecksum() throws IOException {
        ChecksumOracle oracle = docsOracle(10);
        assertThat(oracle.checksumText()).startsWith("452852100000"); // the guide's first step
        assertThat(oracle.checksum()).isEqualTo(3_310_070_434L); // the oracle agrees with Kraken's example

        CollectingSink sink = new CollectingSink();
        SentFrames connection = new SentFrames("kraken-v2#1");
        KrakenV2FeedHandler handler = new KrakenV2FeedHandler(
                KrakenV2Config.defaults(List.of("BTC/USD")).withBookDepth(10), sink);
        handler.onOpen(connection, 0);
        assertThat(connection.sent)
                .containsExactly(
                        "{\"method\":\"subscribe\",\"params\":{\"channel\":\"book\",\"symbol\":[\"BTC/USD\"],"
                                + "\"depth\":10,\"snapshot\":true}}",
                        "{\"method\":\"subscribe\",\"params\":{\"channel\":\"trade\",\"symbol\":[\"BTC/USD\"],"
                                + "\"snapshot\":true}}");
        Replay.frame(handler, connection, docsSnapshot(), T0 + 5);

        assertThat(handler.checksumsVerified()).isEqualTo(1);
        assertThat(handler.checksumMismatches()).isZero();
        assertThat(new KrakenBookChecksum().compute(handler.book("BTC/USD"))).isEqualTo(3_310_070_434L);
        assertThat(sink.levels).hasSize(20);
        BookUpdate bestBid = sink.levels.getFirst();
        assertThat(bestBid)
                .isEqualTo(new BookUpdate(
                        BTC,
                        T0,
                        T0 + 5,
                        Side.BUY,
                        Decimal.parse("45283.5"),
                        Decimal.parse("0.10000000"),
                        0,
                        0,
                        BookUpdate.SNAPSHOT_BEGIN));
        assertThat(bestBid.quantity().toString()).isEqualTo("0.10000000"); // a JSON number keeps its spelling
        assertThat(sink.levels.getLast().flags()).isEqualTo(BookUpdate.SNAPSHOT_END | BookUpdate.EVENT_END);
        assertThat(sink.levels.getLast().price().toString()).isEqualTo("45299.5");

        // A checkpoint once 60 s of feed time have passed since the snapshot, and not again before the next 60 s.
        handler.onTimer(T0 + 5 + 59_999_999_999L);
        assertThat(sink.levels).hasSize(20);
        handler.onTimer(T0 + 5 + 60_000_000_000L);
        assertThat(sink.levels).hasSize(40);
        assertThat(sink.levels.subList(20, 40))
                .allMatch(u -> (u.flags() & BookUpdate.CHECKPOINT) != 0 && u.tsNanos() == T0)
                .extracting(u -> u.side() + " " + u.price() + " " + u.quantity())
                .containsExactlyElementsOf(sink.levels.subList(0, 20).stream()
                        .map(u -> u.side() + " " + u.price() + " " + u.quantity())
                        .toList());
        handler.onTimer(T0 + 5 + 60_000_000_001L);
        assertThat(sink.levels).hasSize(40);
    }

    @Test
    void updatesAreVerifiedAndAMismatchResyncsOnlyThatSymbol() throws IOException {
        CollectingSink sink = new CollectingSink();
        SentFrames connection = new SentFrames("kraken-v2#1");
        KrakenV2FeedHandler handler = new KrakenV2FeedHandler(
                KrakenV2Config.defaults(List.of("BTC/USD", "ETH/USD")).withBookDepth(10), sink);
        handler.onOpen(connection, 0);
        Replay.frame(handler, connection, docsSnapshot(), T0);
        ChecksumOracle btc = docsOracle(10);

        ChecksumOracle eth = new ChecksumOracle(10);
        StringBuilder ethBids = new StringBuilder();
        StringBuilder ethAsks = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            String bid = "1600." + (50 - i) + "0";
            String ask = "1601." + (10 + i) + "0";
            String qty = "2." + (i + 1) + "000000";
            eth.bid(bid, qty);
            eth.ask(ask, qty);
            ethBids.append(i == 0 ? "" : ",").append("{\"price\":" + bid + ",\"qty\":" + qty + "}");
            ethAsks.append(i == 0 ? "" : ",").append("{\"price\":" + ask + ",\"qty\":" + qty + "}");
        }
        Replay.frame(
                handler,
                connection,
                "{\"channel\":\"book\",\"type\":\"snapshot\",\"data\":[{\"symbol\":\"ETH/USD\",\"bids\":[" + ethBids
                        + "],\"asks\":[" + ethAsks + "],\"checksum\":" + eth.checksum()
                        + ",\"timestamp\":\"2023-10-06T17:35:56.000001Z\"}]}",
                T0 + 1);
        assertThat(handler.checksumsVerified()).isEqualTo(2);

        // An update as documented: a new best bid inside a 10-level book, so the worst bid must be truncated.
        btc.bid("45284.0", "0.50000000");
        btc.truncate();
        int before = sink.levels.size();
        Replay.frame(
                handler,
                connection,
                "{\"channel\":\"book\",\"type\":\"update\",\"data\":[{\"symbol\":\"BTC/USD\",\"bids\":[{\"price\":45284.0,"
                        + "\"qty\":0.50000000}],\"asks\":[],\"checksum\":" + btc.checksum()
                        + ",\"timestamp\":\"2023-10-06T17:35:57.000000Z\"}]}",
                T0 + 2);
        assertThat(handler.checksumMismatches()).isZero();
        assertThat(sink.levels.subList(before, sink.levels.size()))
                .extracting(u -> u.side() + " " + u.price() + " " + u.quantity() + " " + u.flags())
                .containsExactly("BUY 45284.0 0.50000000 0", "BUY 45276.6 0.00000000 4");

        // Updates with several levels, deletions and a price level changed twice in one message.
        eth.ask("1601.100", "0");
        eth.ask("1601.150", "0.5");
        eth.ask("1601.150", "0.75");
        eth.bid("1600.400", "9.99");
        eth.truncate();
        Replay.frame(
                handler,
                connection,
                "{\"channel\":\"book\",\"type\":\"update\",\"data\":[{\"symbol\":\"ETH/USD\",\"bids\":[{\"price\":1600.400,"
                        + "\"qty\":9.99}],\"asks\":[{\"price\":1601.100,\"qty\":0},{\"price\":1601.150,\"qty\":0.5},"
                        + "{\"price\":1601.150,\"qty\":0.75}],\"checksum\":" + eth.checksum()
                        + ",\"timestamp\":\"2023-10-06T17:35:57.500000Z\"}]}",
                T0 + 3);
        assertThat(handler.checksumsVerified()).isEqualTo(4);
        assertThat(handler.checksumMismatches()).isZero();
        long btcVerifiedTs = FeedTimestamps.rfc3339ToNanos("2023-10-06T17:35:57.000000Z");

        // A BTC update whose checksum does not match: BTC alone is resubscribed.
        Replay.frame(
                handler,
                connection,
                "{\"channel\":\"book\",\"type\":\"update\",\"data\":[{\"symbol\":\"BTC/USD\",\"bids\":[{\"price\":45284.0,"
                        + "\"qty\":0.40000000}],\"asks\":[],\"checksum\":12345,"
                        + "\"timestamp\":\"2023-10-06T17:35:58.000000Z\"}]}",
                T0 + 4);
        assertThat(handler.checksumMismatches()).isEqualTo(1);
        assertThat(handler.isSynced("BTC/USD")).isFalse();
        assertThat(handler.isSynced("ETH/USD")).isTrue();
        assertThat(connection.sent.subList(2, connection.sent.size()))
                .containsExactly(
                        "{\"method\":\"unsubscribe\",\"params\":{\"channel\":\"book\",\"symbol\":[\"BTC/USD\"],"
                                + "\"depth\":10}}",
                        "{\"method\":\"subscribe\",\"params\":{\"channel\":\"book\",\"symbol\":[\"BTC/USD\"],"
                                + "\"depth\":10,\"snapshot\":true}}");

        // While BTC waits for its snapshot its updates are dropped; ETH carries on.
        int rows = sink.levels.size();
        Replay.frame(
                handler,
                connection,
                "{\"channel\":\"book\",\"type\":\"update\",\"data\":[{\"symbol\":\"BTC/USD\",\"bids\":[{\"price\":45284.0,"
                        + "\"qty\":0.30000000}],\"asks\":[],\"checksum\":1,"
                        + "\"timestamp\":\"2023-10-06T17:35:58.100000Z\"}]}",
                T0 + 5);
        assertThat(sink.levels).hasSize(rows);
        eth.bid("1600.400", "0");
        eth.truncate();
        Replay.frame(
                handler,
                connection,
                "{\"channel\":\"book\",\"type\":\"update\",\"data\":[{\"symbol\":\"ETH/USD\",\"bids\":[{\"price\":1600.400,"
                        + "\"qty\":0}],\"asks\":[],\"checksum\":" + eth.checksum()
                        + ",\"timestamp\":\"2023-10-06T17:35:58.200000Z\"}]}",
                T0 + 6);
        assertThat(handler.checksumsVerified()).isEqualTo(5);
        assertThat(sink.gaps).isEmpty();

        // The resubscription's snapshot: the gap covers BTC from its last verified update to the snapshot.
        String resubscribed = docsSnapshot().replace("2023-10-06T17:35:55.440295Z", "2023-10-06T17:35:59.000000Z");
        Replay.frame(handler, connection, resubscribed, T0 + 7);
        assertThat(sink.gaps)
                .containsExactly(new GapMarker(
                        BTC,
                        "book",
                        btcVerifiedTs,
                        FeedTimestamps.rfc3339ToNanos("2023-10-06T17:35:59.000000Z"),
                        "checksum-mismatch"));
        assertThat(handler.isSynced("BTC/USD")).isTrue();
        assertThat(handler.checksumsVerified()).isEqualTo(6);
        assertThat(handler.stats().resyncs.sum()).isEqualTo(1);
        assertThat(handler.stats().malformed.sum()).isZero();
        assertThat(sink.levels(ETH)).allMatch(u -> u.series().equals(ETH));

        // A second mismatch less than 5 s (feed time) after the last resubscription waits for the timer.
        int sent = connection.sent.size();
        Replay.frame(
                handler,
                connection,
                "{\"channel\":\"book\",\"type\":\"update\",\"data\":[{\"symbol\":\"BTC/USD\",\"bids\":[{\"price\":45284.0,"
                        + "\"qty\":0.40000000}],\"asks\":[],\"checksum\":12345,"
                        + "\"timestamp\":\"2023-10-06T17:36:00.000000Z\"}]}",
                T0 + 1_000_000_000L);
        assertThat(handler.checksumMismatches()).isEqualTo(2);
        assertThat(connection.sent).hasSize(sent);
        handler.onTimer(T0 + 4_000_000_000L);
        assertThat(connection.sent).hasSize(sent);
        handler.onTimer(T0 + 5_000_000_004L);
        assertThat(connection.sent).hasSize(sent + 2);
        assertThat(connection.sent.getLast()).contains("\"subscribe\"").contains("[\"BTC/USD\"]");
        assertThat(handler.stats().resyncs.sum()).isEqualTo(2);
    }

    @Test
    void randomUpdateStreamsVerifyAgainstTheOracle() {
        long seed = System.nanoTime();
        java.util.Random random = new java.util.Random(seed);
        for (int depth : new int[] {10, 25}) {
            CollectingSink sink = new CollectingSink();
            SentFrames connection = new SentFrames("kraken-v2#1");
            KrakenV2FeedHandler handler = new KrakenV2FeedHandler(
                    KrakenV2Config.defaults(List.of("BTC/USD")).withBookDepth(depth), sink);
            handler.onOpen(connection, 0);
            ChecksumOracle oracle = new ChecksumOracle(depth);
            int priceScale = 1 + random.nextInt(4);
            StringBuilder bids = new StringBuilder();
            StringBuilder asks = new StringBuilder();
            for (int i = 0; i < depth; i++) {
                String bid = price(10_000 - 1 - i, priceScale);
                String ask = price(10_000 + 1 + i, priceScale);
                String qty = qty(random);
                oracle.bid(bid, qty);
                oracle.ask(ask, qty);
                bids.append(i == 0 ? "" : ",").append("{\"price\":" + bid + ",\"qty\":" + qty + "}");
                asks.append(i == 0 ? "" : ",").append("{\"price\":" + ask + ",\"qty\":" + qty + "}");
            }
            Replay.frame(
                    handler,
                    connection,
                    "{\"channel\":\"book\",\"type\":\"snapshot\",\"data\":[{\"symbol\":\"BTC/USD\",\"bids\":["
                            + bids + "],\"asks\":[" + asks + "],\"checksum\":" + oracle.checksum()
                            + ",\"timestamp\":\"2023-10-06T17:35:55.440295Z\"}]}",
                    1);
            for (int n = 0; n < 2_000; n++) {
                StringBuilder b = new StringBuilder();
                StringBuilder a = new StringBuilder();
                int changes = 1 + random.nextInt(4);
                for (int k = 0; k < changes; k++) {
                    boolean bid = random.nextBoolean();
                    // Prices near the touch on the right side of the book, so it never crosses.
                    long ticks = bid ? 10_000 - 1 - random.nextInt(2 * depth) : 10_000 + 1 + random.nextInt(2 * depth);
                    String p = price(ticks, priceScale);
                    String q = random.nextInt(3) == 0 ? "0" : qty(random);
                    if (bid) {
                        oracle.bid(p, q);
                        b.append(b.isEmpty() ? "" : ",").append("{\"price\":" + p + ",\"qty\":" + q + "}");
                    } else {
                        oracle.ask(p, q);
                        a.append(a.isEmpty() ? "" : ",").append("{\"price\":" + p + ",\"qty\":" + q + "}");
                    }
                }
                oracle.truncate();
                Replay.frame(
                        handler,
                        connection,
                        "{\"channel\":\"book\",\"type\":\"update\",\"data\":[{\"symbol\":\"BTC/USD\",\"bids\":["
                                + b + "],\"asks\":[" + a + "],\"checksum\":" + oracle.checksum()
                                + ",\"timestamp\":\"2023-10-06T17:35:56Z\"}]}",
                        2 + n);
                assertThat(handler.checksumMismatches())
                        .as("seed %d depth %d update %d", seed, depth, n)
                        .isZero();
            }
            assertThat(handler.checksumsVerified()).isEqualTo(2_001);
            assertThat(handler.book("BTC/USD").bids().size()).isLessThanOrEqualTo(depth);
            // The stored rows (updates plus truncation deletions) rebuild the handler's book.
            var rebuilt = KrakenV1FeedHandlerTest.rebuild(sink.levels).get(BTC);
            KrakenV1FeedHandlerTest.assertSameBook(rebuilt, handler.book("BTC/USD"));
        }
    }

    private static String price(long ticks, int scale) {
        return java.math.BigDecimal.valueOf(ticks, scale - 1).setScale(scale).toPlainString();
    }

    private static String qty(java.util.Random random) {
        return java.math.BigDecimal.valueOf(1 + random.nextInt(100_000_000), 8).toPlainString();
    }

    @Test
    void tradesAreExactWithIdsGapsAndDuplicates() {
        CollectingSink sink = new CollectingSink();
        SentFrames connection = new SentFrames("kraken-v2#1");
        KrakenV2FeedHandler handler = new KrakenV2FeedHandler(KrakenV2Config.defaults(List.of("BTC/USD")), sink);
        handler.onOpen(connection, 0);
        // The trade message of Kraken's v2 documentation (as kept in nautilus_trader's test data).
        Replay.frame(handler, connection, """
                {"channel": "trade", "type": "update", "data": [
                  {"symbol": "BTC/USD", "side": "buy", "price": 105944.20, "qty": 0.00027625, "ord_type": "limit",
                   "trade_id": 10218208, "timestamp": "2023-10-06T17:35:55.440295Z"},
                  {"symbol": "BTC/USD", "side": "sell", "price": 105910.50, "qty": 0.00012460, "ord_type": "market",
                   "trade_id": 10218209, "timestamp": "2023-10-06T17:35:56.123456Z"}]}
                """, T0 + 10);
        assertThat(sink.trades)
                .containsExactly(
                        new Trade(
                                BTC,
                                T0,
                                T0 + 10,
                                Decimal.parse("105944.20"),
                                Decimal.parse("0.00027625"),
                                Side.BUY,
                                10_218_208L),
                        new Trade(
                                BTC,
                                FeedTimestamps.rfc3339ToNanos("2023-10-06T17:35:56.123456Z"),
                                T0 + 10,
                                Decimal.parse("105910.50"),
                                Decimal.parse("0.00012460"),
                                Side.SELL,
                                10_218_209L));
        assertThat(sink.trades.getFirst().price().scale()).isEqualTo(2);

        // Lost connection; the new connection's snapshot repeats trades (out of order) and fills the outage.
        handler.onClose(connection, T0 + 20, "test");
        SentFrames second = new SentFrames("kraken-v2#2");
        handler.onOpen(second, T0 + 30);
        Replay.frame(
                handler,
                second,
                "{\"channel\":\"trade\",\"type\":\"snapshot\",\"data\":["
                        + trade(10_218_210, "2023-10-06T17:35:57Z") + "," + trade(10_218_209, "2023-10-06T17:35:56Z")
                        + "," + trade(10_218_211, "2023-10-06T17:35:58Z") + "]}",
                T0 + 40);
        assertThat(sink.trades)
                .extracting(Trade::tradeId)
                .containsExactly(10_218_208L, 10_218_209L, 10_218_210L, 10_218_211L);
        assertThat(handler.stats().duplicatesSkipped.sum()).isEqualTo(1);
        assertThat(sink.gaps).isEmpty(); // nothing was missed

        // A jump in the per-book trade id sequence is a gap.
        Replay.frame(
                handler,
                second,
                "{\"channel\":\"trade\",\"type\":\"update\",\"data\":[" + trade(10_218_215, "2023-10-06T17:36:00Z")
                        + "]}",
                T0 + 50);
        assertThat(sink.gaps)
                .containsExactly(new GapMarker(
                        BTC,
                        "trades",
                        FeedTimestamps.rfc3339ToNanos("2023-10-06T17:35:58Z"),
                        FeedTimestamps.rfc3339ToNanos("2023-10-06T17:36:00Z"),
                        "sequence-gap"));
        assertThat(handler.stats().trades.sum()).isEqualTo(5);
    }

    private static String trade(long id, String time) {
        return "{\"symbol\":\"BTC/USD\",\"side\":\"buy\",\"price\":100.5,\"qty\":1.25,\"ord_type\":\"limit\","
                + "\"trade_id\":" + id + ",\"timestamp\":\"" + time + "\"}";
    }

    @Test
    void controlFramesAreQuietAndBadFramesAreCounted() throws IOException {
        CollectingSink sink = new CollectingSink();
        SentFrames connection = new SentFrames("kraken-v2#1");
        KrakenV2FeedHandler handler = new KrakenV2FeedHandler(
                KrakenV2Config.defaults(List.of("BTC/USD")).withBookDepth(10), sink);
        handler.onOpen(connection, 0);
        String[] quiet = {
            "{\"channel\":\"heartbeat\"}",
            "{\"channel\":\"status\",\"type\":\"update\",\"data\":[{\"version\":\"2.0.0\",\"system\":\"online\"}]}",
            "{\"method\":\"subscribe\",\"result\":{\"channel\":\"book\",\"depth\":10,\"snapshot\":true,\"symbol\":"
                    + "\"BTC/USD\"},\"success\":true,\"time_in\":\"2023-10-06T17:35:55.219022Z\"}",
            "{\"method\":\"subscribe\",\"error\":\"Currency pair not supported\",\"success\":false}",
            "{\"method\":\"pong\",\"req_id\":1}"
        };
        for (String frame : quiet) {
            Replay.frame(handler, connection, frame, 1);
        }
        assertThat(handler.stats().malformed.sum()).isZero();
        // "data" before "channel"/"type" is still understood.
        String reordered = docsSnapshot()
                .replace("\"channel\": \"book\",", "")
                .replace("\"type\": \"snapshot\",", "")
                .replaceFirst("}\\s*$", ",\"channel\":\"book\",\"type\":\"snapshot\"}");
        Replay.frame(handler, connection, reordered, 2);
        assertThat(handler.checksumsVerified()).isEqualTo(1);
        String[] bad = {
            "",
            "[1,2]",
            "{\"channel\":\"book\",\"type\":\"update\",\"data\":[{\"symbol\":\"XRP/USD\",\"bids\":[]}]}",
            "{\"channel\":\"book\",\"type\":\"update\",\"data\":[{\"symbol\":\"BTC/USD\",\"bids\":[{\"price\":\"abc\","
                    + "\"qty\":1}]}]}",
            "{\"channel\":\"book\",\"type\":\"update\",\"data\":[{\"symbol\":\"BTC/USD\",\"bids\":[{\"price\":1}]}]}",
            "{\"channel\":\"trade\",\"type\":\"update\",\"data\":[{\"symbol\":\"BTC/USD\",\"price\":1,\"qty\":1,"
                    + "\"timestamp\":\"yesterday\"}]}",
            "{\"channel\":\"book\",\"type\":\"update\",\"data\":[{\"symbol\":\"BTC/USD\""
        };
        int rows = sink.rows.size();
        for (String frame : bad) {
            Replay.frame(handler, connection, frame, 3);
        }
        assertThat(handler.stats().malformed.sum()).isEqualTo(bad.length);
        assertThat(sink.rows).hasSize(rows);
        assertThat(handler.checksumMismatches()).isZero();
    }
}
