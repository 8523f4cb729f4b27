package dev.tickvault.feed.polygon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.tickvault.feed.FeedConnection;
import dev.tickvault.feed.FeedSink;
import dev.tickvault.feed.book.OrderBook;
import dev.tickvault.feed.json.SentFrames;
import dev.tickvault.model.BookUpdate;
import dev.tickvault.model.Decimal;
import dev.tickvault.model.GapMarker;
import dev.tickvault.model.SeriesKey;
import dev.tickvault.model.Side;
import dev.tickvault.model.Trade;
import dev.tickvault.testing.BookRows;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Feeds {@link PolygonFeedHandler} frames built exactly as the vendor documents them (no recordings of this vendor
 * exist here):
 *
 * <ul>
 *   <li>connect/auth/subscribe flow and status messages: https://massive.com/docs/websocket/quickstart,
 *       https://polygon.io/docs/websocket/stocks/quotes ("On connection you will receive ... connected", "auth_success")
 *   <li>trade fields ({@code ev sym x i z p s ds c t q trfi trft}) and the example trade {@code MSFT 114.125 x 100 id
 *       "12345" t 1536036818784 q 3681328}: https://massive.com/docs/websocket/stocks/trades and the WebSocket spec
 *       {@code .polygon/websocket.json} of polygon-io/client-python ({@code /stocks/T})
 *   <li>quote fields ({@code bx bp bs ax ap as c i t q z}) and the example quote {@code 114.125/114.128 100/160 q
 *       50385480}: https://massive.com/docs/websocket/stocks/quotes, same spec ({@code /stocks/Q})
 *   <li>{@code "status":"error","message":"authentication failed"} as older servers answered a bad key (quoted in
 *       antradar.com/blog-polygon-websocket-authentication-failed)
 * </ul>
 */
class PolygonFeedHandlerTest {

    private static final String KEY = "SeCrEtKeY123";
    private static final long SECOND = 1_000_000_000L;

    private final CollectingSink sink = new CollectingSink();
    private final SentFrames connection = new SentFrames("polygon#1");
    private ListAppender<ILoggingEvent> logs;

    @BeforeEach
    void captureLogs() {
        logs = new ListAppender<>();
        logs.start();
        ((Logger) LoggerFactory.getLogger("dev.tickvault.feed.polygon")).addAppender(logs);
    }

    @AfterEach
    void keyNeverLogged() {
        ((Logger) LoggerFactory.getLogger("dev.tickvault.feed.polygon")).detachAppender(logs);
        for (ILoggingEvent event : logs.list) {
            assertThat(event.getFormattedMessage()).doesNotContain(KEY);
        }
    }

    private static PolygonConfig config() {
        return PolygonConfig.of(URI.create("ws://127.0.0.1:1/stocks"), KEY, List.of("AAPL", "MSFT"));
    }

    private static void frame(PolygonFeedHandler handler, FeedConnection connection, String json, long recvTsNanos) {
        byte[] bytes = ("xx" + json + "yy").getBytes(StandardCharsets.UTF_8);
        handler.onMessage(connection, bytes, 2, bytes.length - 4, recvTsNanos); // offset/length honoured
    }

    private PolygonFeedHandler subscribedHandler() {
        PolygonFeedHandler handler = new PolygonFeedHandler(config(), sink);
        handler.onOpen(connection, 0);
        frame(
                handler,
                connection,
                "[{\"ev\":\"status\",\"status\":\"auth_success\",\"message\":\"authenticated\"}]",
                1);
        return handler;
    }

    @Test
    void subscribesOnlyAfterAuthSuccess() {
        PolygonFeedHandler handler = new PolygonFeedHandler(config(), sink);
        handler.onOpen(connection, 0);
        assertThat(connection.sent).containsExactly("{\"action\":\"auth\",\"params\":\"" + KEY + "\"}");

        frame(
                handler,
                connection,
                "[{\"ev\":\"status\",\"status\":\"connected\",\"message\":\"Connected Successfully\"}]",
                1);
        assertThat(connection.sent).hasSize(1);
        assertThat(handler.isSubscribed(connection)).isFalse();

        frame(
                handler,
                connection,
                "[{\"ev\":\"status\",\"status\":\"auth_success\",\"message\":\"authenticated\"}]",
                2);
        assertThat(connection.sent)
                .hasSize(2)
                .last()
                .isEqualTo("{\"action\":\"subscribe\",\"params\":\"T.AAPL,Q.AAPL,T.MSFT,Q.MSFT\"}");
        assertThat(handler.isSubscribed(connection)).isTrue();

        frame(
                handler,
                connection,
                "[{\"ev\":\"status\",\"status\":\"success\",\"message\":\"subscribed to: T.AAPL\"},"
                        + "{\"ev\":\"status\",\"status\":\"success\",\"message\":\"subscribed to: Q.AAPL\"}]",
                3);
        assertThat(connection.sent).hasSize(2);
        assertThat(connection.reconnects).isEmpty();
        assertThat(handler.stats().malformed.sum()).isZero();
        assertThat(sink.trades).isEmpty();
    }

    @Test
    void subscriptionsAreBatchedAndChannelsFollowTheConfiguration() {
        PolygonConfig config = config().withChannels(true, false).withMaxTopicsPerSubscribe(1);
        assertThat(PolygonFeedHandler.subscribeMessages(config))
                .containsExactly(
                        "{\"action\":\"subscribe\",\"params\":\"T.AAPL\"}",
                        "{\"action\":\"subscribe\",\"params\":\"T.MSFT\"}");
    }

    @Test
    void tradesKeepTheExactTextOfPricesAndSizes() {
        PolygonFeedHandler handler = subscribedHandler();
        // The documented example, plus a trailing-zero price, a fractional "ds" size and TRF fields.
        frame(handler, connection, """
                [{"ev":"T","sym":"MSFT","x":4,"i":"12345","z":3,"p":114.125,"s":100,"c":[0,12],\
                "t":1536036818784,"q":3681328},
                 {"ev":"T","sym":"AAPL","x":4,"i":"52983525029461","z":3,"p":192.30,"s":0,"ds":"0.5",\
                "c":[37],"t":1748476801234,"q":9001,"trfi":202,"trft":1748476801230},
                 {"ev":"T","sym":"AAPL","i":"7","p":1.5e-3,"s":2000,"t":1748476801235,"q":9002}]
                """, 42);
        assertThat(sink.trades).hasSize(3);
        Trade msft = sink.trades.get(0);
        assertThat(msft.series()).isEqualTo(SeriesKey.of("polygon", "MSFT"));
        assertThat(msft.price()).isEqualTo(Decimal.of(114125, 3));
        assertThat(msft.quantity()).isEqualTo(Decimal.of(100, 0));
        assertThat(msft.tsNanos()).isEqualTo(1_536_036_818_784_000_000L);
        assertThat(msft.recvTsNanos()).isEqualTo(42);
        assertThat(msft.side()).isEqualTo(Side.UNKNOWN);
        assertThat(msft.tradeId()).isEqualTo(Trade.NO_TRADE_ID);
        assertThat(msft.tradeIdText()).isEqualTo("12345");

        Trade fractional = sink.trades.get(1);
        assertThat(fractional.price().toString()).isEqualTo("192.30");
        assertThat(fractional.quantity().toString()).isEqualTo("0.5");
        assertThat(fractional.tradeIdText()).isEqualTo("52983525029461");

        assertThat(sink.trades.get(2).price()).isEqualTo(Decimal.of(15, 4));
        assertThat(handler.stats().trades.sum()).isEqualTo(3);
        assertThat(handler.stats().malformed.sum()).isZero();
        assertThat(sink.framesEnded).isEqualTo(2); // the auth_success frame and this one
    }

    @Test
    void eachQuoteIsATwoLevelSnapshotOfTheTopOfBook() {
        PolygonFeedHandler handler = subscribedHandler();
        frame(handler, connection, """
                [{"ev":"Q","sym":"MSFT","bx":4,"bp":114.125,"bs":100,"ax":7,"ap":114.128,"as":160,"c":0,\
                "i":[604],"t":1536036818784,"q":50385480,"z":3}]
                """, 7);
        assertThat(sink.levels).hasSize(2);
        BookUpdate bid = sink.levels.get(0);
        BookUpdate ask = sink.levels.get(1);
        assertThat(bid.side()).isEqualTo(Side.BUY);
        assertThat(bid.price()).isEqualTo(Decimal.of(114125, 3));
        assertThat(bid.quantity()).isEqualTo(Decimal.of(100, 0));
        assertThat(bid.flags()).isEqualTo(BookUpdate.SNAPSHOT_BEGIN);
        assertThat(bid.firstUpdateId()).isEqualTo(50_385_480L);
        assertThat(ask.side()).isEqualTo(Side.SELL);
        assertThat(ask.price()).isEqualTo(Decimal.of(114128, 3));
        assertThat(ask.quantity()).isEqualTo(Decimal.of(160, 0));
        assertThat(ask.flags()).isEqualTo(BookUpdate.SNAPSHOT_END | BookUpdate.EVENT_END);
        assertThat(ask.tsNanos()).isEqualTo(1_536_036_818_784_000_000L);

        // A quote with no ask (field absent) and one whose bid is 0 x 0: each writes only the side it has, as a
        // complete one-level snapshot that replaces the book.
        frame(handler, connection, """
                [{"ev":"Q","sym":"MSFT","bx":4,"bp":114.13,"bs":200,"t":1536036818785,"q":50385481},
                 {"ev":"Q","sym":"MSFT","bp":0,"bs":0,"ax":7,"ap":114.20,"as":300,"t":1536036818786,"q":50385482},
                 {"ev":"Q","sym":"MSFT","bp":0,"bs":0,"ap":0,"as":0,"t":1536036818787,"q":50385483}]
                """, 8);
        assertThat(sink.levels).hasSize(4);
        int whole = BookUpdate.SNAPSHOT_BEGIN | BookUpdate.SNAPSHOT_END | BookUpdate.EVENT_END;
        assertThat(sink.levels.get(2).side()).isEqualTo(Side.BUY);
        assertThat(sink.levels.get(2).flags()).isEqualTo(whole);
        assertThat(sink.levels.get(3).side()).isEqualTo(Side.SELL);
        assertThat(sink.levels.get(3).price().toString()).isEqualTo("114.20");
        assertThat(sink.levels.get(3).flags()).isEqualTo(whole);
        assertThat(handler.quotesWithoutSides()).isEqualTo(1);

        // Applied to a book, the snapshots leave exactly the last quote's top.
        OrderBook book = BookRows.rebuild(SeriesKey.of("polygon", "MSFT"), 10, sink.levels);
        assertThat(book.bids().size()).isZero();
        assertThat(book.asks().size()).isEqualTo(1);
        assertThat(handler.stats().bookUpdates.sum()).isEqualTo(4);
    }

    @Test
    void malformedEventsAreCountedAndSkippedAndTheRestOfTheFrameIsKept() {
        PolygonFeedHandler handler = subscribedHandler();
        frame(handler, connection, "this is not json", 10);
        frame(handler, connection, "[{\"ev\":\"T\",\"sym\":\"AAPL\",\"p\":1", 11); // truncated
        frame(handler, connection, "{\"unexpected\":true}", 12); // an object without "ev"
        frame(handler, connection, """
                [{"ev":"T","sym":"AAPL","i":"1","p":"abc","s":1,"t":1748476801234},
                 {"ev":"T","sym":"AAPL","i":"2","p":1e400,"s":1,"t":1748476801234},
                 {"ev":"T","sym":"AAPL","i":"3","p":10.5,"s":1},
                 {"ev":"T","sym":"AAPL","i":"4","p":10.5,"s":1,"t":"soon"},
                 {"ev":"T","i":"5","p":10.5,"s":1,"t":1748476801234},
                 {"ev":"Q","sym":"AAPL","bp":1.5.5,"t":1748476801234}]
                """, 13);
        frame(handler, connection, """
                [{"ev":"T","sym":"AAPL","i":"6","p":-1,"s":1,"t":1748476801234},
                 {"ev":"T","sym":"AAPL","i":"7","p":10.50,"s":3,"t":1748476801236},
                 {"ev":"AM","sym":"AAPL","v":5400,"o":192.30,"s":1748476740000,"e":1748476800000}]
                """, 14);
        // 3 whole frames + 5 bad trades + the broken quote frame ending the 4th frame early (counted once) + the
        // negative price; the good trade after it is delivered and the aggregate is ignored.
        assertThat(sink.trades).extracting(Trade::tradeIdText).containsExactly("7");
        assertThat(sink.trades.get(0).price().toString()).isEqualTo("10.50");
        assertThat(handler.stats().malformed.sum()).isEqualTo(3 + 6 + 1);
        assertThat(sink.framesEnded).isEqualTo(1 + 5);
    }

    @Test
    void aFailingSinkIsNotMistakenForMalformedInput() {
        FeedSink failing = new CollectingSink() {
            @Override
            public void trade(
                    SeriesKey series,
                    long tsNanos,
                    long recvTsNanos,
                    long priceMantissa,
                    int priceScale,
                    long quantityMantissa,
                    int quantityScale,
                    Side side,
                    long tradeId,
                    String textTradeId) {
                throw new IllegalStateException("store closed");
            }
        };
        PolygonFeedHandler handler = new PolygonFeedHandler(config(), failing);
        handler.onOpen(connection, 0);
        assertThatThrownBy(() -> frame(
                        handler,
                        connection,
                        "[{\"ev\":\"T\",\"sym\":\"AAPL\",\"i\":\"1\",\"p\":1,\"s\":1,\"t\":1748476801234}]",
                        1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("store closed");
        assertThat(handler.stats().malformed.sum()).isZero();
        // A timestamp that would overflow as ns is bad input, not a failure of the handler.
        frame(handler, connection, "[{\"ev\":\"Q\",\"sym\":\"AAPL\",\"bp\":1,\"bs\":1,\"t\":99999999999999}]", 2);
        assertThat(handler.stats().malformed.sum()).isEqualTo(1);
    }

    @Test
    void authFailureBacksOffInsteadOfReconnecting() {
        PolygonConfig config = config().withAuthRetry(30 * SECOND, 100 * SECOND);
        PolygonFeedHandler handler = new PolygonFeedHandler(config, sink);
        handler.onOpen(connection, 0);
        frame(
                handler,
                connection,
                "[{\"ev\":\"status\",\"status\":\"auth_failed\",\"message\":\"authentication failed\"}]",
                SECOND);
        assertThat(handler.authFailures()).isEqualTo(1);
        assertThat(handler.authRetryNotBeforeNanos()).isEqualTo(31 * SECOND);
        assertThat(connection.reconnects).isEmpty();
        assertThat(connection.sent).hasSize(1); // no subscription without authentication

        handler.onTimer(10 * SECOND);
        assertThat(connection.sent).hasSize(1);
        handler.onTimer(31 * SECOND); // the wait is over: one new attempt on the open connection
        assertThat(connection.sent).hasSize(2).last().asString().contains("\"action\":\"auth\"");
        handler.onTimer(32 * SECOND);
        assertThat(connection.sent).hasSize(2); // not again while the answer is pending

        // The server closes; the older "error" wording is a failure too and doubles the wait (60 s).
        frame(
                handler,
                connection,
                "[{\"ev\":\"status\",\"status\":\"error\",\"message\":\"authentication failed\"}]",
                33 * SECOND);
        handler.onClose(connection, 33 * SECOND, "closed by server");
        assertThat(handler.authFailures()).isEqualTo(2);
        assertThat(handler.authRetryNotBeforeNanos()).isEqualTo(93 * SECOND);

        // The transport reconnects at once: the handler does not authenticate until the wait is over.
        SentFrames second = new SentFrames("polygon#2");
        handler.onOpen(second, 34 * SECOND);
        assertThat(second.sent).isEmpty();
        handler.onTimer(92 * SECOND);
        assertThat(second.sent).isEmpty();
        handler.onTimer(93 * SECOND);
        assertThat(second.sent).containsExactly("{\"action\":\"auth\",\"params\":\"" + KEY + "\"}");

        // Third failure: the wait is capped at 100 s; a success then resets everything.
        frame(handler, second, "[{\"ev\":\"status\",\"status\":\"auth_failed\",\"message\":\"bad key\"}]", 94 * SECOND);
        assertThat(handler.authRetryNotBeforeNanos()).isEqualTo(194 * SECOND);
        handler.onTimer(194 * SECOND);
        frame(handler, second, "[{\"ev\":\"status\",\"status\":\"auth_success\",\"message\":\"ok\"}]", 195 * SECOND);
        assertThat(handler.authRetryNotBeforeNanos()).isEqualTo(Long.MIN_VALUE);
        assertThat(second.sent).last().asString().contains("\"action\":\"subscribe\"");
        assertThat(connection.reconnects).isEmpty();
        assertThat(second.reconnects).isEmpty();
        assertThat(logs.list)
                .anyMatch(e -> e.getLevel() == ch.qos.logback.classic.Level.ERROR
                        && e.getFormattedMessage().contains("authentication failed"));
    }

    @Test
    void sequenceGoingBackwardsIsCountedButANewTradingDayIsAReset() {
        PolygonFeedHandler handler = subscribedHandler();
        // 2025-06-02 14:00 UTC and the next day; q increases but not contiguously.
        long day1 = 1_748_872_800_000L;
        long day2 = day1 + 86_400_000L;
        frame(
                handler,
                connection,
                "[{\"ev\":\"T\",\"sym\":\"AAPL\",\"i\":\"a\",\"p\":1,\"s\":1,\"t\":" + day1 + ",\"q\":10},"
                        + "{\"ev\":\"T\",\"sym\":\"AAPL\",\"i\":\"b\",\"p\":1,\"s\":1,\"t\":" + (day1 + 1)
                        + ",\"q\":20},"
                        + "{\"ev\":\"T\",\"sym\":\"AAPL\",\"i\":\"c\",\"p\":1,\"s\":1,\"t\":" + (day1 + 2)
                        + ",\"q\":15},"
                        + "{\"ev\":\"T\",\"sym\":\"AAPL\",\"i\":\"d\",\"p\":1,\"s\":1,\"t\":" + (day1 + 3)
                        + ",\"q\":15},"
                        + "{\"ev\":\"Q\",\"sym\":\"AAPL\",\"bp\":1,\"bs\":1,\"t\":" + (day1 + 3) + ",\"q\":5},"
                        + "{\"ev\":\"T\",\"sym\":\"MSFT\",\"i\":\"e\",\"p\":1,\"s\":1,\"t\":" + (day1 + 3)
                        + ",\"q\":1},"
                        + "{\"ev\":\"T\",\"sym\":\"AAPL\",\"i\":\"f\",\"p\":1,\"s\":1,\"t\":" + day2 + ",\"q\":3}]",
                5);
        assertThat(handler.sequenceRegressions()).isEqualTo(2); // 15 after 20, 15 after 15
        assertThat(sink.trades).hasSize(6); // delivered all the same
        assertThat(logs.list).anyMatch(e -> e.getFormattedMessage().contains("did not increase: 15 after 20"));
    }

    @Test
    void aLostConnectionLeavesGapMarkersUntilTheNewOneDeliversData() {
        PolygonFeedHandler handler = subscribedHandler();
        frame(
                handler,
                connection,
                "[{\"ev\":\"T\",\"sym\":\"AAPL\",\"i\":\"1\",\"p\":1,\"s\":1,\"t\":1748476801234}]",
                100 * SECOND);
        handler.onClose(connection, 130 * SECOND, "stale");
        assertThat(sink.gaps).isEmpty();

        SentFrames second = new SentFrames("polygon#2");
        handler.onOpen(second, 131 * SECOND);
        frame(handler, second, "[{\"ev\":\"status\",\"status\":\"auth_success\",\"message\":\"ok\"}]", 132 * SECOND);
        frame(handler, second, "[{\"ev\":\"status\",\"status\":\"success\",\"message\":\"subscribed\"}]", 133 * SECOND);
        // Events published while the subscription was in flight were lost too: the gap is still open.
        assertThat(sink.gaps).isEmpty();
        frame(
                handler,
                second,
                "[{\"ev\":\"T\",\"sym\":\"MSFT\",\"i\":\"2\",\"p\":1,\"s\":1,\"t\":1748476831234}]",
                134 * SECOND);
        assertThat(sink.gaps)
                .containsExactlyInAnyOrder(
                        new GapMarker(
                                SeriesKey.of("polygon", "AAPL"), "trades", 100 * SECOND, 134 * SECOND, "reconnect"),
                        new GapMarker(SeriesKey.of("polygon", "AAPL"), "book", 100 * SECOND, 134 * SECOND, "reconnect"),
                        new GapMarker(
                                SeriesKey.of("polygon", "MSFT"), "trades", 100 * SECOND, 134 * SECOND, "reconnect"),
                        new GapMarker(
                                SeriesKey.of("polygon", "MSFT"), "book", 100 * SECOND, 134 * SECOND, "reconnect"));
        assertThat(handler.stats().gaps.sum()).isEqualTo(4);
        // Reconnects are counted by the transport, not by the handler (no transport in this test).
        assertThat(handler.stats().reconnects.sum()).isZero();
    }

    @Test
    void aGapStartsAtTheLastEventsExchangeTimeWhenThatIsEarlierAndSpansAConnectionLostBeforeData() {
        PolygonFeedHandler handler = subscribedHandler();
        long exchangeMillis = 1_748_476_801_234L;
        long receivedNanos = exchangeMillis * 1_000_000L + 40_000_000L; // delivered 40 ms after the exchange stamped it
        frame(
                handler,
                connection,
                "[{\"ev\":\"T\",\"sym\":\"AAPL\",\"i\":\"1\",\"p\":1,\"s\":1,\"t\":" + exchangeMillis + "}]",
                receivedNanos);
        handler.onClose(connection, receivedNanos + SECOND, "stale");

        SentFrames second = new SentFrames("polygon#2");
        handler.onOpen(second, receivedNanos + 2 * SECOND);
        frame(
                handler,
                second,
                "[{\"ev\":\"status\",\"status\":\"auth_success\",\"message\":\"ok\"}]",
                receivedNanos + 3 * SECOND);
        handler.onClose(second, receivedNanos + 4 * SECOND, "reset");
        assertThat(sink.gaps).isEmpty();

        SentFrames third = new SentFrames("polygon#3");
        handler.onOpen(third, receivedNanos + 5 * SECOND);
        frame(
                handler,
                third,
                "[{\"ev\":\"status\",\"status\":\"auth_success\",\"message\":\"ok\"}]",
                receivedNanos + 6 * SECOND);
        frame(
                handler,
                third,
                "[{\"ev\":\"Q\",\"sym\":\"AAPL\",\"bp\":1,\"bs\":1,\"ap\":2,\"as\":1,\"t\":" + (exchangeMillis + 7_000)
                        + "}]",
                receivedNanos + 7 * SECOND);
        assertThat(sink.gaps).hasSize(4).allSatisfy(g -> {
            assertThat(g.fromNanos()).isEqualTo(exchangeMillis * 1_000_000L);
            assertThat(g.toNanos()).isEqualTo(receivedNanos + 7 * SECOND);
        });
    }

    @Test
    void maxConnectionsStatusBacksOffToo() {
        PolygonFeedHandler handler = subscribedHandler();
        frame(
                handler,
                connection,
                "[{\"ev\":\"status\",\"status\":\"max_connections\",\"message\":\"Maximum number of connections exceeded.\"}]",
                5 * SECOND);
        assertThat(handler.statusErrors()).isEqualTo(1);
        assertThat(handler.authRetryNotBeforeNanos()).isEqualTo(35 * SECOND);
        assertThat(connection.reconnects).isEmpty();
    }

    @Test
    void timestampsInFinerUnitsAreRecognised() {
        assertThat(PolygonEventParser.toNanos(1_536_036_818_784L)).isEqualTo(1_536_036_818_784_000_000L);
        assertThat(PolygonEventParser.toNanos(1_536_036_818_784_123L)).isEqualTo(1_536_036_818_784_123_000L);
        assertThat(PolygonEventParser.toNanos(1_536_036_818_784_123_456L)).isEqualTo(1_536_036_818_784_123_456L);
    }

    @Test
    void configReadsTheKeyFromTheEnvironmentAndNeverPrintsIt() {
        PolygonConfig config = PolygonConfig.fromEnvironment(Map.of("POLYGON_API_KEY", KEY), List.of("AAPL"));
        assertThat(config.url()).isEqualTo(PolygonConfig.LIVE_URL);
        assertThat(config.apiKey()).isEqualTo(KEY);
        assertThat(config.toString()).doesNotContain(KEY).contains("apiKey=***");
        assertThat(PolygonConfig.DELAYED_URL.toString()).isEqualTo("wss://delayed.polygon.io/stocks");
        assertThatThrownBy(() -> PolygonConfig.fromEnvironment(Map.of(), List.of("AAPL")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("POLYGON_API_KEY");
        LoggerFactory.getLogger("dev.tickvault.feed.polygon.test").info("config {}", config);
    }

    /** The json package's sink, with the frame count under the name these tests use. */
    private static class CollectingSink extends dev.tickvault.feed.json.CollectingSink {
        int framesEnded;

        @Override
        public void endOfFrame(long recvTsNanos) {
            super.endOfFrame(recvTsNanos);
            framesEnded++;
        }
    }
}
