package dev.tickvault.feed.binance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tickvault.feed.Captures;
import dev.tickvault.feed.capture.CapturedFrame;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BinanceFeedHandlerTest {

    private static final long SECOND = 1_000_000_000L;

    private static void send(BinanceFeedHandler handler, ReplayConnection connection, String json, long nowNanos) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        handler.onMessage(connection, bytes, 0, bytes.length, nowNanos);
    }

    @Test
    void subscriptionsArePacedWithinTheMessageLimit() {
        List<String> symbols =
                IntStream.range(0, 30).mapToObj(i -> "SYM" + i + "USDT").toList();
        BinanceFeedConfig config =
                BinanceFeedConfig.defaults(BinanceMarket.SPOT, symbols).withSubscribePacing(4, 3); // one symbol each
        BinanceFeedHandler handler =
                new BinanceFeedHandler(config, new RecordingSink(), DepthSnapshotRequester.NONE, null);
        ReplayConnection connection = new ReplayConnection("c");
        long t0 = 1_000 * SECOND;
        handler.onOpen(connection, t0);
        assertThat(connection.sent).hasSize(4);
        handler.onTimer(t0 + SECOND / 2);
        assertThat(connection.sent).hasSize(4); // still inside the first second
        List<Integer> perSecond = new ArrayList<>();
        for (int s = 1; s <= 10; s++) {
            int before = connection.sent.size();
            handler.onTimer(t0 + s * SECOND);
            perSecond.add(connection.sent.size() - before);
        }
        assertThat(perSecond).allMatch(n -> n <= 4);
        assertThat(connection.sent).hasSize(30);
        assertThat(connection.sent.get(0))
                .isEqualTo("{\"method\":\"SUBSCRIBE\",\"params\":[\"sym0usdt@trade\",\"sym0usdt@depth@100ms\","
                        + "\"sym0usdt@bookTicker\"],\"id\":1}");
        Set<String> ids = new HashSet<>();
        for (String message : connection.sent) {
            ids.add(message.replaceAll(".*\"id\":(\\d+)}", "$1"));
        }
        assertThat(ids).hasSize(30);
        send(handler, connection, "{\"result\":null,\"id\":1}", t0);
        send(handler, connection, "{\"error\":{\"code\":2,\"msg\":\"Invalid request\"},\"id\":2}", t0);
        assertThat(handler.counters().subscribeReplies.sum()).isEqualTo(1);
        assertThat(handler.counters().errorReplies.sum()).isEqualTo(1);
        assertThat(handler.stats().malformed.sum()).isZero();
    }

    @Test
    void thePlanSplitsSymbolsWithinTheStreamLimitPerConnection() {
        List<String> symbols = IntStream.range(0, 1000).mapToObj(i -> "S" + i).toList();
        BinanceFeedConfig all = BinanceFeedConfig.defaults(BinanceMarket.USDM_FUTURES, symbols);
        List<BinanceFeedConfig> parts = BinanceSubscriptionPlan.split(all);
        assertThat(parts).extracting(p -> p.symbols().size()).containsExactly(341, 341, 318);
        assertThat(parts).allMatch(p -> p.symbols().size() * p.streamsPerSymbol() <= 1024);
        assertThat(parts.stream().flatMap(p -> p.symbols().stream()).toList()).isEqualTo(symbols);
        assertThatThrownBy(() -> new BinanceFeedHandler(all, new RecordingSink(), DepthSnapshotRequester.NONE, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("BinanceSubscriptionPlan");
        assertThat(BinanceMarket.SPOT.depthRequestWeight(100)).isEqualTo(5);
        assertThat(BinanceMarket.SPOT.depthRequestWeight(1000)).isEqualTo(50);
        assertThat(BinanceMarket.SPOT.depthRequestWeight(5000)).isEqualTo(250);
        assertThat(BinanceMarket.USDM_FUTURES.depthRequestWeight(1000)).isEqualTo(20);
        assertThat(BinanceMarket.USDM_FUTURES.depthRequestWeight(50)).isEqualTo(2);
    }

    @Test
    void aServerShutdownAsksForAReplacementConnection() {
        BinanceFeedHandler handler = new BinanceFeedHandler(
                BinanceFeedConfig.defaults(BinanceMarket.SPOT, List.of("BTCUSDT")),
                new RecordingSink(),
                DepthSnapshotRequester.NONE,
                null);
        ReplayConnection connection = new ReplayConnection("c");
        handler.onOpen(connection, 0);
        send(handler, connection, "{\"e\":\"serverShutdown\",\"E\":1770123456789}", 1);
        // A replacement opens before this connection closes (the transport's rotation): no gap, no reconnect.
        assertThat(connection.rotations).isEqualTo(1);
        assertThat(connection.reconnects).isEmpty();
        assertThat(handler.counters().serverShutdowns.sum()).isEqualTo(1);
    }

    @Test
    void aFullDiffBufferIsDroppedAndAStaleSnapshotAskedForAgain() throws IOException {
        List<CapturedFrame> frames = BinanceRecordings.hftbacktest(Captures.require(Captures.BINANCE_SPOT));
        // Hold the recorded snapshot back until 20 more diffs arrived: with room for 5, the buffer overflows, and the
        // snapshot is then older than what is buffered.
        int restAt = IntStream.range(0, frames.size())
                .filter(i -> frames.get(i).kind() == CapturedFrame.Kind.REST)
                .findFirst()
                .orElseThrow();
        List<CapturedFrame> reordered = new ArrayList<>(frames);
        CapturedFrame rest = reordered.remove(restAt);
        int diffs = 0;
        int insertAt = restAt;
        while (diffs < 20) {
            if (BinanceRecordings.depth(reordered.get(insertAt++)) != null) {
                diffs++;
            }
        }
        reordered.add(
                insertAt,
                new CapturedFrame(reordered.get(insertAt - 1).recvTsNanos(), rest.kind(), rest.url(), rest.payload()));

        BinanceFaultTest.Lockstep run =
                new BinanceFaultTest.Lockstep(BinanceFeedConfig.defaults(BinanceMarket.SPOT, List.of("BTCUSDT"))
                        .withMaxBufferedDiffs(5));
        run.requester.armedFromFrame = insertAt;
        ReplayConnection connection = new ReplayConnection("c");
        run.replay.open(connection, reordered.get(0).recvTsNanos());
        for (int i = 0; i < reordered.size(); i++) {
            run.reference(i, frames.get(i));
            run.replay.deliver(connection, reordered.get(i));
            run.answerDue(i, reordered.get(i).recvTsNanos(), 3);
        }
        run.finish();

        assertThat(run.handler.counters().bufferOverflows.sum()).isGreaterThanOrEqualTo(1);
        assertThat(run.handler.counters().staleSnapshots.sum()).isEqualTo(1);
        assertThat(run.handler.counters().snapshotRequests.sum()).isEqualTo(2);
        assertThat(run.handler.counters().snapshotsApplied.sum()).isEqualTo(1);
        assertThat(run.handler.isBookSynced("BTCUSDT")).isTrue();
        assertThat(run.sink.gaps).isEmpty(); // never in sync before: nothing was lost from the data
        assertThat(BinanceReplayTest.compareWithTickers(run.config, run.sink, frames))
                .isGreaterThan(500);
        BinanceReplayTest.assertTradesExactlyOnce(run.sink, frames, "binance");
    }

    private static String trade(long id) {
        return "{\"stream\":\"btcusdt@trade\",\"data\":{\"e\":\"trade\",\"E\":" + (1_700_000_000_000L + id)
                + ",\"s\":\"BTCUSDT\",\"t\":" + id + ",\"p\":\"100.00\",\"q\":\"1.0\",\"T\":"
                + (1_700_000_000_000L + id) + ",\"m\":true,\"M\":true}}";
    }

    @Test
    void duringAnOverlapTheConnectionThatIsAheadWaitsForTheOtherInsteadOfMakingAGap() {
        RecordingSink sink = new RecordingSink();
        BinanceFeedConfig config = BinanceFeedConfig.defaults(BinanceMarket.SPOT, List.of("BTCUSDT"));
        BinanceFeedHandler handler = new BinanceFeedHandler(config, sink, DepthSnapshotRequester.NONE, null);
        ReplayConnection old = new ReplayConnection("old");
        ReplayConnection replacement = new ReplayConnection("new");
        long t = 1_000 * SECOND;
        handler.onOpen(old, t);
        send(handler, old, trade(1), t);
        send(handler, old, trade(2), t);
        handler.onOpen(replacement, t);
        // The replacement's frames race ahead of the old connection's: 4 arrives before 3.
        send(handler, replacement, trade(4), t);
        assertThat(sink.gaps).as("held back, not a gap").isEmpty();
        send(handler, old, trade(3), t);
        send(handler, old, trade(4), t); // the old one's copy: a duplicate
        send(handler, replacement, trade(5), t);
        assertThat(sink.trades).extracting(RecordingSink.TradeRow::id).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(sink.gaps).isEmpty();
        // A real hole on the replacement while the old one is open: held until the old one closes, then written down.
        send(handler, replacement, trade(8), t);
        assertThat(sink.gaps).isEmpty();
        handler.onClose(old, t, "rotated");
        assertThat(sink.trades).extracting(RecordingSink.TradeRow::id).containsExactly(1L, 2L, 3L, 4L, 5L, 8L);
        assertThat(sink.gaps).singleElement().satisfies(g -> assertThat(g.channel())
                .isEqualTo("trades"));
    }
}
