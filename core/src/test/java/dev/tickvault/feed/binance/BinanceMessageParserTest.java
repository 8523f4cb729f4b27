package dev.tickvault.feed.binance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickvault.feed.Captures;
import dev.tickvault.feed.capture.CapturedFrame;
import dev.tickvault.model.DecimalFormat;
import dev.tickvault.model.SeriesKey;
import dev.tickvault.model.Side;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BinanceMessageParserTest {

    /** Turns every callback into one line of text. */
    static final class TextListener implements BinanceMessageListener {
        final List<String> events = new ArrayList<>();

        @Override
        public void trade(
                SeriesKey series,
                long tradeId,
                long priceMantissa,
                int priceScale,
                long quantityMantissa,
                int quantityScale,
                Side takerSide,
                long tradeTimeMillis,
                boolean aggregated) {
            events.add((aggregated ? "aggTrade " : "trade ") + series + " " + tradeId + " "
                    + DecimalFormat.toString(priceMantissa, priceScale) + " "
                    + DecimalFormat.toString(quantityMantissa, quantityScale) + " " + takerSide + " "
                    + tradeTimeMillis);
        }

        private static String levels(DepthLevels levels) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < levels.size(); i++) {
                sb.append(DecimalFormat.toString(levels.priceMantissa(i), levels.priceScale(i)))
                        .append('@')
                        .append(DecimalFormat.toString(levels.quantityMantissa(i), levels.quantityScale(i)))
                        .append(' ');
            }
            return sb.toString();
        }

        private static String depth(DepthEvent e) {
            return e.series() + " U=" + e.firstUpdateId() + " u=" + e.lastUpdateId() + " pu=" + e.previousUpdateId()
                    + " E=" + e.eventTimeMillis() + " T=" + e.transactionTimeMillis() + " bids " + levels(e.bids())
                    + "asks " + levels(e.asks());
        }

        @Override
        public void depthUpdate(DepthEvent event) {
            events.add("depth " + depth(event));
        }

        @Override
        public void depthSnapshot(DepthEvent snapshot) {
            events.add("snapshot " + depth(snapshot));
        }

        @Override
        public void bookTicker(
                SeriesKey series,
                long updateId,
                long bidPriceMantissa,
                int bidPriceScale,
                long bidQuantityMantissa,
                int bidQuantityScale,
                long askPriceMantissa,
                int askPriceScale,
                long askQuantityMantissa,
                int askQuantityScale,
                long eventTimeMillis) {
            events.add("bbo " + series + " " + updateId + " " + DecimalFormat.toString(bidPriceMantissa, bidPriceScale)
                    + " " + DecimalFormat.toString(bidQuantityMantissa, bidQuantityScale) + " "
                    + DecimalFormat.toString(askPriceMantissa, askPriceScale) + " "
                    + DecimalFormat.toString(askQuantityMantissa, askQuantityScale) + " " + eventTimeMillis);
        }

        @Override
        public void reply(long id) {
            events.add("reply " + id);
        }

        @Override
        public void error(long id, long code, String message) {
            events.add("error " + id + " " + code + " " + message);
        }

        @Override
        public void serverShutdown(long eventTimeMillis) {
            events.add("serverShutdown " + eventTimeMillis);
        }

        @Override
        public void ignored() {
            events.add("ignored");
        }
    }

    private static String parse(BinanceMessageParser parser, String json) {
        TextListener listener = new TextListener();
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        if (!parser.parse(bytes, 0, bytes.length, listener)) {
            return "malformed: " + parser.failure();
        }
        assertThat(listener.events).hasSize(1);
        return listener.events.get(0);
    }

    private static String parse(String json) {
        BinanceMessageParser scanning = new BinanceMessageParser("binance");
        BinanceMessageParser jacksonOnly = new BinanceMessageParser("binance");
        jacksonOnly.useScanner(false);
        String result = parse(scanning, json);
        String reference = parse(jacksonOnly, json);
        if (result.startsWith("malformed")) {
            assertThat(reference).startsWith("malformed");
        } else {
            assertThat(result).as("scanner and Jackson agree").isEqualTo(reference);
        }
        return result;
    }

    @Test
    void theScannerAndJacksonReadEveryRecordedFrameAlike() throws IOException {
        List<CapturedFrame> frames = new ArrayList<>();
        frames.addAll(BinanceRecordings.hftbacktest(Captures.require(Captures.BINANCE_SPOT)));
        frames.addAll(BinanceRecordings.hftbacktest(Captures.require(Captures.BINANCE_USDM)));
        frames.addAll(BinanceRecordings.cryptofeed(
                Captures.require(Captures.BINANCE_CRYPTOFEED_WS), Captures.require(Captures.BINANCE_CRYPTOFEED_REST)));
        BinanceMessageParser scanning = new BinanceMessageParser("binance");
        BinanceMessageParser jacksonOnly = new BinanceMessageParser("binance");
        jacksonOnly.useScanner(false);
        TextListener a = new TextListener();
        TextListener b = new TextListener();
        int parsed = 0;
        for (CapturedFrame f : frames) {
            if (f.kind() != CapturedFrame.Kind.RECEIVED && f.kind() != CapturedFrame.Kind.REST) {
                continue;
            }
            byte[] p = f.payload();
            assertThat(scanning.parse(p, 0, p.length, a)).as(f.toString()).isTrue();
            assertThat(jacksonOnly.parse(p, 0, p.length, b)).as(f.toString()).isTrue();
            parsed++;
        }
        assertThat(a.events).isEqualTo(b.events);
        assertThat(a.events).hasSize(parsed);
        assertThat(parsed).isEqualTo(41_249 + 93_954 + 265 + 4);
        assertThat(scanning.scannerDeclined()).isZero();
    }

    @Test
    void tradesOfBothMarketsAndAggregateTrades() {
        assertThat(parse(
                        "{\"stream\":\"btcusdt@trade\",\"data\":{\"e\":\"trade\",\"E\":1723161255343,\"s\":\"BTCUSDT\","
                                + "\"t\":3735683259,\"p\":\"61837.63000000\",\"q\":\"0.02000000\",\"T\":1723161255342,\"m\":true,"
                                + "\"M\":true}}"))
                .isEqualTo("trade binance:BTCUSDT 3735683259 61837.63000000 0.02000000 SELL 1723161255342");
        // raw payload (no envelope), fields in another order, the buyer is the taker
        assertThat(parse("{\"m\":false,\"T\":5,\"q\":\"0.006\",\"p\":\"61800.30\",\"t\":7,\"s\":\"BTCUSDT\","
                        + "\"X\":\"MARKET\",\"e\":\"trade\"}"))
                .isEqualTo("trade binance:BTCUSDT 7 61800.30 0.006 BUY 5");
        assertThat(parse("{\"e\":\"aggTrade\",\"E\":1633998523963,\"s\":\"NKNUSDT\",\"a\":15683430,"
                        + "\"p\":\"0.35280000\",\"q\":\"58.00000000\",\"f\":19862790,\"l\":19862790,"
                        + "\"T\":1633998523963,\"m\":false,\"M\":true}"))
                .isEqualTo("aggTrade binance:NKNUSDT 15683430 0.35280000 58.00000000 BUY 1633998523963");
        // an older spot trade with buyer/seller order ids in b/a
        assertThat(parse("{\"e\":\"trade\",\"E\":2,\"s\":\"BNBBTC\",\"t\":12345,\"p\":\"0.001\",\"q\":\"100\",\"b\":88,"
                        + "\"a\":50,\"T\":1,\"m\":true,\"M\":true}"))
                .isEqualTo("trade binance:BNBBTC 12345 0.001 100 SELL 1");
    }

    @Test
    void bookTickersDepthAndSnapshots() {
        assertThat(
                        parse(
                                "{\"stream\":\"btcusdt@bookTicker\",\"data\":{\"u\":50093239212,\"s\":\"BTCUSDT\","
                                        + "\"b\":\"61837.63000000\",\"B\":\"3.78826000\",\"a\":\"61837.64000000\",\"A\":\"1.54698000\"}}"))
                .isEqualTo("bbo binance:BTCUSDT 50093239212 61837.63000000 3.78826000 61837.64000000 1.54698000 "
                        + Long.MIN_VALUE);
        assertThat(parse("{\"e\":\"bookTicker\",\"u\":5,\"s\":\"BTCUSDT\",\"b\":\"1.0\",\"B\":\"2\",\"a\":\"1.1\","
                        + "\"A\":\"3\",\"T\":1723161256313,\"E\":1723161256314}"))
                .isEqualTo("bbo binance:BTCUSDT 5 1.0 2 1.1 3 1723161256313");
        assertThat(parse("{\"e\":\"depthUpdate\",\"E\":9,\"T\":8,\"s\":\"BTCUSDT\",\"U\":10,\"u\":12,\"pu\":9,"
                        + "\"b\":[[\"58710.20\",\"0.014\"]],\"a\":[]}"))
                .isEqualTo("depth binance:BTCUSDT U=10 u=12 pu=9 E=9 T=8 bids 58710.20@0.014 asks ");
        assertThat(parse("{\"lastUpdateId\":7,\"E\":1,\"T\":2,\"bids\":[[\"1.5\",\"2\"],[\"1.4\",\"3\"]],"
                        + "\"asks\":[[\"1.6\",\"0.5\"]]}"))
                .isEqualTo("snapshot null U=7 u=7 pu=" + Long.MIN_VALUE + " E=1 T=2 bids 1.5@2 1.4@3 asks 1.6@0.5 ");
    }

    @Test
    void repliesErrorsShutdownsAndIgnoredEvents() {
        assertThat(parse("{\"result\":null,\"id\":3}")).isEqualTo("reply 3");
        assertThat(parse("{\"error\":{\"code\":2,\"msg\":\"Invalid request: unknown variant\"},\"id\":4}"))
                .isEqualTo("error 4 2 Invalid request: unknown variant");
        assertThat(parse("{\"code\":-1121,\"msg\":\"Invalid symbol.\"}"))
                .isEqualTo("error " + Long.MIN_VALUE + " -1121 Invalid symbol.");
        assertThat(parse("{\"e\":\"serverShutdown\",\"E\":1770123456789}")).isEqualTo("serverShutdown 1770123456789");
        assertThat(parse("{\"event\":{\"e\":\"serverShutdown\",\"E\":17}}")).isEqualTo("serverShutdown 17");
        assertThat(parse("{\"stream\":\"x@kline_1m\",\"data\":{\"e\":\"kline\",\"E\":1,\"s\":\"X\",\"k\":{\"t\":1,"
                        + "\"o\":\"0.1\",\"x\":false,\"n\":30,\"f\":1.5e3}}}"))
                .isEqualTo("ignored");
    }

    @Test
    void spacingAndEscapesGoThroughJackson() {
        BinanceMessageParser parser = new BinanceMessageParser("binance");
        assertThat(parse(
                        parser,
                        "{ \"e\" : \"trade\", \"s\":\"BTC\\u0055SDT\", \"t\": 1, \"p\":\"1.0\", \"q\":\"2\","
                                + " \"T\":3, \"m\":true }\n"))
                .isEqualTo("trade binance:BTCUSDT 1 1.0 2 SELL 3");
        assertThat(parser.scannerDeclined()).isEqualTo(1);
    }

    @Test
    void malformedFramesAreRejectedWithAReason() {
        for (String bad : List.of(
                "",
                "[]",
                "{\"e\":\"trade\"",
                "{\"e\":\"trade\",\"s\":\"BTCUSDT\",\"t\":1,\"p\":\"1\",\"q\":\"1\",\"T\":1}", // no m
                "{\"e\":\"trade\",\"s\":\"BTCUSDT\",\"t\":1.5,\"p\":\"1\",\"q\":\"1\",\"T\":1,\"m\":true}",
                "{\"e\":\"trade\",\"s\":\"BTCUSDT\",\"t\":1,\"p\":1,\"q\":\"1\",\"T\":1,\"m\":true}",
                "{\"e\":\"trade\",\"s\":\"BTCUSDT\",\"t\":1,\"p\":\"1x\",\"q\":\"1\",\"T\":1,\"m\":true}",
                "{\"e\":\"trade\",\"s\":\"BTCUSDT\",\"t\":1,\"p\":\"1\",\"q\":\"1\",\"T\":1,\"m\":true,}",
                "{\"e\":\"depthUpdate\",\"s\":\"BTCUSDT\",\"U\":5,\"u\":4,\"b\":[],\"a\":[]}",
                "{\"e\":\"depthUpdate\",\"s\":\"BTCUSDT\",\"U\":5,\"u\":6,\"b\":[[\"1\"]],\"a\":[]}",
                "{\"u\":1,\"s\":\"BTCUSDT\",\"b\":\"1\",\"B\":\"1\",\"a\":\"1\"}",
                "{\"hello\":1}",
                "{} {}",
                "{\"e\":\"trade\",\"f\":01}")) {
            assertThat(parse(bad)).as(bad).startsWith("malformed");
        }
    }
}
