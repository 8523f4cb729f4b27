package dev.tickvault.feed.binance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickvault.feed.Captures;
import dev.tickvault.feed.capture.CapturedFrame;
import dev.tickvault.model.GapMarker;
import dev.tickvault.model.SeriesKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Faults built from the real recordings: a lost depth frame, malformed frames, two overlapping connections, a
 * reconnect that loses frames. Each run is compared with a clean reference run of the same frames; where the handler
 * asks for a new snapshot, it gets the reference run's book at that moment (what Binance's REST API would answer).
 */
class BinanceFaultTest {

    private static final SeriesKey NKN = SeriesKey.of("binance", "NKNUSDT");
    private static final SeriesKey BTC = SeriesKey.of("binance", "BTCUSDT");

    /** Records snapshot requests; requests made from {@code armedFromFrame} on are answered by the test. */
    static final class ScriptedRequester implements DepthSnapshotRequester {
        final List<SeriesKey> requests = new ArrayList<>();
        final Map<SeriesKey, Integer> pending = new LinkedHashMap<>();
        int frameIndex;
        int armedFromFrame = Integer.MAX_VALUE;

        @Override
        public void request(SeriesKey series) {
            requests.add(series);
            if (frameIndex >= armedFromFrame) {
                pending.putIfAbsent(series, frameIndex);
            }
        }
    }

    /** A handler under test beside a clean reference handler fed the same recording in lockstep. */
    static final class Lockstep {
        final BinanceFeedConfig config;
        final RecordingSink referenceSink = new RecordingSink();
        final BinanceFeedHandler reference;
        final BinanceRecordings.Replay referenceReplay;
        final ReplayConnection referenceConnection = new ReplayConnection("reference");
        final RecordingSink sink = new RecordingSink();
        final ScriptedRequester requester = new ScriptedRequester();
        final BinanceFeedHandler handler;
        final BinanceRecordings.Replay replay;
        /** Frame index and update id of each snapshot the test answered with. */
        final List<long[]> answered = new ArrayList<>();

        Lockstep(BinanceFeedConfig config) {
            this.config = config;
            this.reference = new BinanceFeedHandler(config, referenceSink, DepthSnapshotRequester.NONE, null);
            this.referenceReplay = new BinanceRecordings.Replay(reference);
            this.handler = new BinanceFeedHandler(config, sink, requester, null);
            this.replay = new BinanceRecordings.Replay(handler);
        }

        void reference(int index, CapturedFrame frame) {
            if (index == 0) {
                referenceReplay.open(referenceConnection, frame.recvTsNanos());
            }
            referenceReplay.deliver(referenceConnection, frame);
            requester.frameIndex = index;
        }

        /** Answers requests that waited at least {@code delayFrames} frames with the reference book now. */
        void answerDue(int index, long recvTsNanos, int delayFrames) {
            for (Iterator<Map.Entry<SeriesKey, Integer>> it =
                            requester.pending.entrySet().iterator();
                    it.hasNext(); ) {
                Map.Entry<SeriesKey, Integer> request = it.next();
                if (index - request.getValue() >= delayFrames) {
                    it.remove();
                    SeriesKey series = request.getKey();
                    answered.add(new long[] {index, referenceSink.lastEventUpdateId.get(series)});
                    handler.onRestResponse(
                            config.depthRequestUrl(series.symbol()),
                            referenceSink.snapshotBodyOf(series).getBytes(StandardCharsets.UTF_8),
                            recvTsNanos);
                }
            }
        }

        void finish() {
            referenceReplay.finish();
            replay.finish();
        }
    }

    private static int nthDepthFrameOf(List<CapturedFrame> frames, String symbol, int n) {
        int seen = 0;
        for (int i = 0; i < frames.size(); i++) {
            BinanceRecordings.DepthIds ids = BinanceRecordings.depth(frames.get(i));
            if (ids != null && ids.symbol().equals(symbol) && ++seen == n) {
                return i;
            }
        }
        throw new AssertionError("fewer than " + n + " depth frames of " + symbol);
    }

    private static BinanceRecordings.DepthIds previousDepth(List<CapturedFrame> frames, int before, String symbol) {
        for (int i = before - 1; i >= 0; i--) {
            BinanceRecordings.DepthIds ids = BinanceRecordings.depth(frames.get(i));
            if (ids != null && ids.symbol().equals(symbol)) {
                return ids;
            }
        }
        throw new AssertionError("no depth frame of " + symbol + " before " + before);
    }

    private static BinanceRecordings.DepthIds nextDepthAfter(
            List<CapturedFrame> frames, int after, String symbol, long lastUpdateId) {
        for (int i = after + 1; i < frames.size(); i++) {
            BinanceRecordings.DepthIds ids = BinanceRecordings.depth(frames.get(i));
            if (ids != null && ids.symbol().equals(symbol) && ids.last() > lastUpdateId) {
                return ids;
            }
        }
        throw new AssertionError("no depth frame of " + symbol + " after " + after);
    }

    @Test
    void aLostDepthFrameResyncsOnlyThatSymbol() throws IOException {
        List<CapturedFrame> frames = BinanceRecordings.cryptofeed(
                Captures.require(Captures.BINANCE_CRYPTOFEED_WS), Captures.require(Captures.BINANCE_CRYPTOFEED_REST));
        List<String> symbols = List.of("NKNUSDT", "BLZETH", "LRCBTC", "RUNEEUR");
        Lockstep run = new Lockstep(
                BinanceFeedConfig.defaults(BinanceMarket.SPOT, symbols).withAggregateTrades(true));
        int dropped = nthDepthFrameOf(frames, "NKNUSDT", 60);
        run.requester.armedFromFrame = dropped;
        ReplayConnection connection = new ReplayConnection("faulty");
        run.replay.open(connection, frames.get(0).recvTsNanos());
        for (int i = 0; i < frames.size(); i++) {
            run.reference(i, frames.get(i));
            if (i != dropped) {
                run.replay.deliver(connection, frames.get(i));
            }
            run.answerDue(i, frames.get(i).recvTsNanos(), 3);
        }
        run.finish();

        // Only NKNUSDT asked for a second snapshot; the other books never left sync.
        assertThat(run.requester.requests.stream().filter(NKN::equals)).hasSize(2);
        assertThat(run.requester.requests).hasSize(symbols.size() + 1);
        assertThat(run.handler.stats().resyncs.sum()).isEqualTo(1);
        for (String symbol : symbols) {
            assertThat(run.handler.isBookSynced(symbol)).as(symbol).isTrue();
        }
        // One gap marker: from the last diff applied before the lost one to the first applied after the resync.
        assertThat(run.answered).hasSize(1);
        long answeredAt = run.answered.get(0)[0];
        long snapshotId = run.answered.get(0)[1];
        BinanceRecordings.DepthIds lastGood = previousDepth(frames, dropped, "NKNUSDT");
        BinanceRecordings.DepthIds firstAfter = nextDepthAfter(frames, (int) answeredAt, "NKNUSDT", snapshotId);
        assertThat(run.sink.gaps)
                .containsExactly(
                        new GapMarker(NKN, "book", lastGood.venueNanos(), firstAfter.venueNanos(), "sequence-gap"));
        // Every other symbol's rows are exactly the reference run's; NKNUSDT's book matches every ticker again.
        assertThat(run.sink.rowsNotOf(NKN)).isEqualTo(run.referenceSink.rowsNotOf(NKN));
        int comparisons = BinanceReplayTest.compareWithTickers(run.config, run.sink, frames);
        int referenceComparisons = BinanceReplayTest.compareWithTickers(run.config, run.referenceSink, frames);
        System.out.printf(
                "lost frame: %d comparisons (reference %d), gap %s%n",
                comparisons, referenceComparisons, run.sink.gaps);
        assertThat(comparisons).isPositive().isLessThanOrEqualTo(referenceComparisons);
        assertThat(run.sink.topAfterEvent.get(NKN).keySet()).anyMatch(u -> u > snapshotId);
    }

    @Test
    void malformedFramesAreCountedAndSkipped() throws IOException {
        List<CapturedFrame> frames = BinanceRecordings.hftbacktest(Captures.require(Captures.BINANCE_SPOT));
        BinanceFeedConfig config = BinanceFeedConfig.defaults(BinanceMarket.SPOT, List.of("BTCUSDT"));
        RecordingSink reference = new RecordingSink();
        BinanceRecordings.replay(new BinanceFeedHandler(config, reference, DepthSnapshotRequester.NONE, null), frames);

        List<CapturedFrame> faulty = new ArrayList<>(frames);
        int depthAt = nthDepthFrameOf(frames, "BTCUSDT", 500);
        CapturedFrame depth = frames.get(depthAt);
        String depthText = depth.payloadText();
        String trade = frames.stream()
                .map(CapturedFrame::payloadText)
                .filter(t -> t.contains("\"e\":\"trade\""))
                .skip(1000)
                .findFirst()
                .orElseThrow();
        List<String> bad = List.of(
                depthText.substring(0, depthText.length() / 2), // truncated
                "not json at all",
                trade.replaceFirst("\"p\":\"([^\"]+)\"", "\"p\":$1"), // price as a JSON number
                depthText.replaceFirst("\\[\"([0-9.]+)\",", "[\"1.2.3\","), // a bad decimal in a level
                trade + "}"); // trailing garbage
        for (int k = bad.size() - 1; k >= 0; k--) {
            faulty.add(
                    depthAt,
                    new CapturedFrame(
                            depth.recvTsNanos(),
                            CapturedFrame.Kind.RECEIVED,
                            "",
                            bad.get(k).getBytes(StandardCharsets.UTF_8)));
        }
        RecordingSink sink = new RecordingSink();
        BinanceFeedHandler handler = new BinanceFeedHandler(config, sink, DepthSnapshotRequester.NONE, null);
        BinanceRecordings.replay(handler, faulty);

        assertThat(handler.stats().malformed.sum()).isEqualTo(bad.size());
        assertThat(sink.rows).isEqualTo(reference.rows);
        assertThat(sink.gaps).isEmpty();
    }

    @Test
    void twoOverlappingConnectionsDeliverEveryRowOnce() throws IOException {
        List<CapturedFrame> frames = BinanceRecordings.hftbacktest(Captures.require(Captures.BINANCE_SPOT));
        BinanceFeedConfig config = BinanceFeedConfig.defaults(BinanceMarket.SPOT, List.of("BTCUSDT"));
        RecordingSink reference = new RecordingSink();
        BinanceRecordings.replay(new BinanceFeedHandler(config, reference, DepthSnapshotRequester.NONE, null), frames);

        RecordingSink sink = new RecordingSink();
        BinanceFeedHandler handler = new BinanceFeedHandler(config, sink, DepthSnapshotRequester.NONE, null);
        BinanceRecordings.Replay replay = new BinanceRecordings.Replay(handler);
        ReplayConnection old = new ReplayConnection("old");
        ReplayConnection replacement = new ReplayConnection("replacement");
        int opensAt = frames.size() / 3;
        int closesAt = 2 * frames.size() / 3;
        int lag = 3; // the replacement delivers each frame 3 frames after the old connection did
        replay.open(old, frames.get(0).recvTsNanos());
        for (int i = 0; i < frames.size() + lag; i++) {
            if (i < frames.size() && i < closesAt) {
                replay.deliver(old, frames.get(i));
            }
            if (i == closesAt) {
                handler.onClose(old, frames.get(i).recvTsNanos(), "rotation");
            }
            if (i == opensAt) {
                replay.open(replacement, frames.get(i).recvTsNanos());
            }
            int j = i - lag;
            if (i >= opensAt && j >= opensAt - lag) {
                CapturedFrame f = frames.get(j);
                if (f.kind() == CapturedFrame.Kind.REST) {
                    continue;
                }
                if (j >= closesAt || f.kind() == CapturedFrame.Kind.RECEIVED) {
                    replay.deliver(replacement, f);
                }
            }
        }
        replay.finish();

        assertThat(sink.rows).isEqualTo(reference.rows);
        BinanceReplayTest.assertTradesExactlyOnce(sink, frames, "binance");
        assertThat(handler.stats().duplicatesSkipped.sum()).isGreaterThan(1_000);
        assertThat(handler.stats().resyncs.sum()).isZero();
        assertThat(sink.gaps).isEmpty();
        assertThat(replacement.sent).hasSize(1);
        System.out.printf(
                "overlap: duplicates skipped %d%n",
                handler.stats().duplicatesSkipped.sum());
    }

    @Test
    void aReconnectThatLosesFramesWritesGapMarkersAndResyncs() throws IOException {
        List<CapturedFrame> frames = BinanceRecordings.hftbacktest(Captures.require(Captures.BINANCE_SPOT));
        Lockstep run = new Lockstep(BinanceFeedConfig.defaults(BinanceMarket.SPOT, List.of("BTCUSDT")));
        int closesAt = frames.size() / 2;
        int reopensAt = closesAt + 400;
        run.requester.armedFromFrame = closesAt;
        ReplayConnection first = new ReplayConnection("first");
        ReplayConnection second = new ReplayConnection("second");
        run.replay.open(first, frames.get(0).recvTsNanos());
        for (int i = 0; i < frames.size(); i++) {
            CapturedFrame f = frames.get(i);
            run.reference(i, f);
            if (i == closesAt) {
                run.handler.onClose(first, f.recvTsNanos(), "network");
            }
            if (i == reopensAt) {
                run.replay.open(second, f.recvTsNanos());
            }
            if (i < closesAt) {
                run.replay.deliver(first, f);
            } else if (i >= reopensAt) {
                run.replay.deliver(second, f);
            }
            run.answerDue(i, f.recvTsNanos(), 3);
        }
        run.finish();

        List<BinanceRecordings.ExpectedTrade> trades = BinanceRecordings.trades(frames);
        List<BinanceRecordings.ExpectedTrade> before = BinanceRecordings.trades(frames.subList(0, closesAt));
        List<BinanceRecordings.ExpectedTrade> after =
                BinanceRecordings.trades(frames.subList(reopensAt, frames.size()));
        assertThat(before.size() + after.size()).isLessThan(trades.size()); // trades were lost
        assertThat(run.sink.trades).hasSize(before.size() + after.size());

        long snapshotId = run.answered.get(0)[1];
        BinanceRecordings.DepthIds lastGood = previousDepth(frames, closesAt, "BTCUSDT");
        BinanceRecordings.DepthIds firstAfter =
                nextDepthAfter(frames, (int) run.answered.get(0)[0], "BTCUSDT", snapshotId);
        assertThat(run.sink.gaps)
                .containsExactlyInAnyOrder(
                        new GapMarker(
                                BTC,
                                "trades",
                                before.getLast().timeMillis() * 1_000_000L,
                                after.getFirst().timeMillis() * 1_000_000L,
                                "reconnect"),
                        new GapMarker(BTC, "book", lastGood.venueNanos(), firstAfter.venueNanos(), "reconnect"));
        assertThat(run.handler.isBookSynced("BTCUSDT")).isTrue();
        int comparisons = BinanceReplayTest.compareWithTickers(run.config, run.sink, frames);
        System.out.printf("reconnect: %d comparisons, gaps %s%n", comparisons, run.sink.gaps);
        assertThat(run.sink.topAfterEvent.get(BTC).keySet()).anyMatch(u -> u > snapshotId);
    }
}
