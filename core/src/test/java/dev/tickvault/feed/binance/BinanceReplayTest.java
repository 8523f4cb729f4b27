package dev.tickvault.feed.binance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickvault.feed.Captures;
import dev.tickvault.feed.capture.CapturedFrame;
import dev.tickvault.model.SeriesKey;
import dev.tickvault.model.Side;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Replays the real recordings through {@link BinanceFeedHandler} and checks the books it writes against every
 * {@code @bookTicker} the venue sent, and every trade against the raw text.
 */
class BinanceReplayTest {

    record Result(RecordingSink sink, BinanceFeedHandler handler, int comparisons) {}

    static Result replayAndCompare(BinanceFeedConfig config, List<CapturedFrame> frames) {
        RecordingSink sink = new RecordingSink();
        BinanceFeedHandler handler = new BinanceFeedHandler(config, sink, DepthSnapshotRequester.NONE, null);
        BinanceRecordings.replay(handler, frames);
        return new Result(sink, handler, compareWithTickers(config, sink, frames));
    }

    /** Compares the top of the book after every diff event with the bookTicker of the same u; returns how many. */
    static int compareWithTickers(BinanceFeedConfig config, RecordingSink sink, List<CapturedFrame> frames) {
        Map<String, Map<Long, String>> tickers = BinanceRecordings.tickers(frames);
        int comparisons = 0;
        for (var entry : sink.topAfterEvent.entrySet()) {
            Map<Long, String> venue = tickers.getOrDefault(entry.getKey().symbol(), Map.of());
            for (var top : entry.getValue().entrySet()) {
                String expected = venue.get(top.getKey());
                if (expected != null) {
                    assertThat(top.getValue())
                            .as("%s top of book after u=%d", entry.getKey(), top.getKey())
                            .isEqualTo(expected);
                    comparisons++;
                }
            }
        }
        return comparisons;
    }

    /** How many depth events' final u have a bookTicker with the same u, from the raw text. */
    static int possibleComparisons(List<CapturedFrame> frames) {
        Map<String, Map<Long, String>> tickers = BinanceRecordings.tickers(frames);
        int n = 0;
        for (CapturedFrame f : frames) {
            BinanceRecordings.DepthIds ids = BinanceRecordings.depth(f);
            if (ids != null && tickers.getOrDefault(ids.symbol(), Map.of()).containsKey(ids.last())) {
                n++;
            }
        }
        return n;
    }

    static void assertTradesExactlyOnce(RecordingSink sink, List<CapturedFrame> frames, String exchange) {
        List<BinanceRecordings.ExpectedTrade> expected = BinanceRecordings.trades(frames);
        assertThat(sink.trades).hasSameSizeAs(expected);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < expected.size(); i++) {
            BinanceRecordings.ExpectedTrade e = expected.get(i);
            RecordingSink.TradeRow row = sink.trades.get(i);
            assertThat(row.series()).isEqualTo(SeriesKey.of(exchange, e.symbol()));
            assertThat(row.id()).isEqualTo(e.id());
            assertThat(row.price()).isEqualTo(e.price());
            assertThat(row.quantity()).isEqualTo(e.quantity());
            assertThat(row.tsNanos()).isEqualTo(e.timeMillis() * 1_000_000L);
            assertThat(row.side()).isEqualTo(e.buyerMaker() ? Side.SELL : Side.BUY);
            assertThat(seen.add(e.symbol() + ":" + e.id()))
                    .as("trade %s delivered once", e)
                    .isTrue();
        }
    }

    @Test
    void spotBooksMatchEveryBookTickerAndEveryTradeArrivesOnce() throws IOException {
        Path file = Captures.require(Captures.BINANCE_SPOT);
        List<CapturedFrame> frames = BinanceRecordings.hftbacktest(file);
        BinanceFeedConfig config = BinanceFeedConfig.defaults(BinanceMarket.SPOT, List.of("BTCUSDT"));
        Result r = replayAndCompare(config, frames);
        System.out.printf(
                "spot: %d comparisons, %s; %s%n",
                r.comparisons(), r.handler().stats(), r.handler().counters());

        assertThat(r.sink().trades).hasSize(9_757);
        assertTradesExactlyOnce(r.sink(), frames, "binance");
        // Every depth event whose final u has a bookTicker (564 of the 3,451) is compared, none differs.
        assertThat(r.comparisons()).isEqualTo(possibleComparisons(frames)).isEqualTo(564);
        assertThat(r.handler().stats().malformed.sum()).isZero();
        assertThat(r.handler().stats().gaps.sum()).isZero();
        assertThat(r.sink().gaps).isEmpty();
        assertThat(r.sink().snapshots).isEqualTo(1);
        assertThat(r.sink().checkpoints).isPositive(); // ~6 minutes at one per 60 s
        assertThat(r.handler().isBookSynced("BTCUSDT")).isTrue();
        assertThat(r.handler().counters().crossedBooks.sum()).isZero();
    }

    @Test
    void usdmBooksMatchEveryBookTickerAndEveryTradeArrivesOnce() throws IOException {
        Path file = Captures.require(Captures.BINANCE_USDM);
        List<CapturedFrame> frames = BinanceRecordings.hftbacktest(file);
        BinanceFeedConfig config = BinanceFeedConfig.defaults(BinanceMarket.USDM_FUTURES, List.of("BTCUSDT"))
                .withDepthSpeed("0ms");
        Result r = replayAndCompare(config, frames);
        System.out.printf(
                "usdm: %d comparisons, %s; %s%n",
                r.comparisons(), r.handler().stats(), r.handler().counters());

        assertThat(r.sink().trades).hasSize(21_313);
        assertTradesExactlyOnce(r.sink(), frames, "binance-futures");
        // Every depth event whose final u has a bookTicker (629 of the 6,551) is compared, none differs.
        assertThat(r.comparisons()).isEqualTo(possibleComparisons(frames)).isEqualTo(629);
        assertThat(r.handler().stats().malformed.sum()).isZero();
        assertThat(r.sink().gaps).isEmpty();
        assertThat(r.sink().snapshots).isEqualTo(1);
        assertThat(r.handler().isBookSynced("BTCUSDT")).isTrue();
    }

    @Test
    void cryptofeedFourSymbolsSyncFromTheirOwnSnapshots() throws IOException {
        List<CapturedFrame> frames = BinanceRecordings.cryptofeed(
                Captures.require(Captures.BINANCE_CRYPTOFEED_WS), Captures.require(Captures.BINANCE_CRYPTOFEED_REST));
        List<String> symbols = List.of("NKNUSDT", "BLZETH", "LRCBTC", "RUNEEUR");
        BinanceFeedConfig config =
                BinanceFeedConfig.defaults(BinanceMarket.SPOT, symbols).withAggregateTrades(true);
        Result r = replayAndCompare(config, frames);
        System.out.printf(
                "cryptofeed: %d comparisons, %s; %s%n",
                r.comparisons(), r.handler().stats(), r.handler().counters());

        for (String symbol : symbols) {
            assertThat(r.handler().isBookSynced(symbol)).as(symbol).isTrue();
        }
        assertThat(r.sink().snapshots).isEqualTo(4);
        assertTradesExactlyOnce(r.sink(), frames, "binance");
        assertThat(r.sink().trades).hasSize(2);
        assertThat(r.comparisons()).isEqualTo(possibleComparisons(frames)).isPositive();
        assertThat(r.handler().counters().ignoredEvents.sum()).isEqualTo(2); // the two kline events
        assertThat(r.handler().stats().malformed.sum()).isZero();
        assertThat(r.sink().gaps).isEmpty();
    }
}
