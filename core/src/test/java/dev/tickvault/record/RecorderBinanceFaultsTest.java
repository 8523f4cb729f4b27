package dev.tickvault.record;

import static dev.tickvault.record.RecorderTestSupport.RESUME;
import static dev.tickvault.record.RecorderTestSupport.await;
import static dev.tickvault.record.RecorderTestSupport.awaitAfter;
import static dev.tickvault.record.RecorderTestSupport.nowNanos;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tickvault.feed.FeedStats;
import dev.tickvault.feed.binance.BinanceMarket;
import dev.tickvault.feed.transport.TransportConfig;
import dev.tickvault.model.BookUpdate;
import dev.tickvault.model.GapMarker;
import dev.tickvault.model.SeriesKey;
import dev.tickvault.simulator.BinanceMarketKind;
import dev.tickvault.simulator.ExchangeSimulator;
import dev.tickvault.simulator.FaultInjector;
import dev.tickvault.simulator.SimulatorConfig;
import dev.tickvault.store.StoreConfig;
import dev.tickvault.store.TickStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real recorder against the simulator's Binance spot market over real sockets, one fault per test: a stalled
 * connection, an IP ban (418) on a resync snapshot, a slow REST snapshot at start, a truncated depth diff. Each checks
 * that recording resumes within 5 s, that only the affected symbols resync, that gap markers span exactly what is
 * missing (book: from the last diff applied to the first diff after the resync, with no diff stored between; trades:
 * from the last trade before a hole in the ids to the first after it), and that no trade is stored twice.
 */
class RecorderBinanceFaultsTest {

    private static final SimulatorConfig.BinanceSourceConfig THREE_SYMBOLS =
            SimulatorConfig.BinanceSourceConfig.synthetic(3, 300, 11);

    @TempDir
    Path dir;

    /** A simulator, a store and the recorder recording the simulator's spot market into it. */
    private static final class Run implements AutoCloseable {
        final ExchangeSimulator simulator;
        final TickStore store;
        final List<String> symbols;
        Recorder recorder;
        FeedStats stats;

        Run(SimulatorConfig.BinanceSourceConfig source, Path dir) {
            this.simulator = ExchangeSimulator.start(SimulatorConfig.defaults().withBinanceSpot(source));
            this.store = TickStore.open(dir, StoreConfig.defaults());
            this.symbols = simulator.binanceSymbols(BinanceMarketKind.SPOT);
        }

        void record(UnaryOperator<TransportConfig> transport) {
            FeedSpec spec = new FeedSpec(
                    "binance",
                    symbols,
                    List.of("trades", "book"),
                    simulator.binanceWebSocketBase(BinanceMarketKind.SPOT) + "/stream",
                    simulator.baseUri() + "/api/v3/depth");
            recorder = Recorder.start(
                    store,
                    RecorderTestSupport.withTransport(VenuePlans.binance(spec, BinanceMarket.SPOT, null), transport),
                    Recorder.Options.defaults(),
                    null,
                    null);
            stats = recorder.stats().get(0);
        }

        /** Every symbol synced and trading, no gap yet. */
        void awaitSynced() throws InterruptedException {
            await(
                    "initial sync",
                    Duration.ofSeconds(20),
                    () -> stats.bookUpdates.sum() > 150 && stats.trades.sum() > 30);
            assertThat(stats.gaps.sum()).isZero();
        }

        void stopRecording() {
            recorder.close();
        }

        SeriesKey series(String symbol) {
            return SeriesKey.of("binance", symbol);
        }

        @Override
        public void close() {
            try {
                if (recorder != null) {
                    recorder.close();
                }
            } finally {
                try {
                    simulator.close();
                } finally {
                    store.close();
                }
            }
        }
    }

    @Test
    void aStalledConnectionIsReplacedByTheWatchdogAndTheStallIsMarked() throws Exception {
        try (Run run = new Run(THREE_SYMBOLS, dir)) {
            // The default transport settings: a ping a second, stale after 3 s without a frame (data or pong).
            run.record(UnaryOperator.identity());
            TransportConfig defaults = TransportConfig.defaults("binance");
            run.awaitSynced();
            FeedStats stats = run.stats;
            long reconnects = stats.reconnects.sum();
            long pongsWithheld = run.simulator.stats().pongsWithheld.sum();

            // The socket stays open and the server sends nothing — no data, no pong — for 8 s (it keeps trading: the
            // frames are lost).
            long stallStartMono = System.nanoTime();
            assertThat(run.simulator.faults().stall(FaultInjector.ALL, Duration.ofSeconds(8)))
                    .isEqualTo(1);
            long stallArmedNanos = nowNanos();
            long notYetReconnectedNanos =
                    awaitAfter("the watchdog reconnects", RESUME, () -> stats.reconnects.sum() > reconnects);
            long reconnectedMono = System.nanoTime();
            assertThat(reconnectedMono - stallStartMono)
                    .as("reconnected by the watchdog (the last pong came at most a ping interval before the stall)")
                    .isGreaterThanOrEqualTo(
                            defaults.staleAfter().minus(defaults.pingInterval()).toNanos())
                    .as("stall detected and the connection reopened within 5 s")
                    .isLessThan(Duration.ofSeconds(5).toNanos());
            assertThat(run.simulator.stats().pongsWithheld.sum())
                    .as("the stalled server left the client's pings unanswered")
                    .isGreaterThan(pongsWithheld);
            // Recording resumes: trades flow and every symbol's book is synced again (one gap marker each).
            long trades = stats.trades.sum();
            await("trades after the reconnect", RESUME, () -> stats.trades.sum() > trades + 10);
            await("every book resynced", RESUME, () -> stats.gaps.sum() >= run.symbols.size());
            Thread.sleep(300);
            run.stopRecording();
            assertThat(stats.reconnects.sum()).isEqualTo(reconnects + 1);

            int holes = 0;
            for (String symbol : run.symbols) {
                SeriesKey series = run.series(symbol);
                holes += RecorderTestSupport.assertTradesOnceAndHolesMarked(run.store, series);
                List<GapMarker> gaps = RecorderTestSupport.bookGaps(run.store, series);
                assertThat(gaps).as(symbol).singleElement().satisfies(g -> {
                    assertThat(g.reason()).isEqualTo("reconnect");
                    assertThat(g.fromNanos()).as("starts before the stall").isLessThanOrEqualTo(stallArmedNanos);
                    assertThat(g.toNanos())
                            .as("ends after the reconnect (after the last poll that had not seen it)")
                            .isGreaterThanOrEqualTo(notYetReconnectedNanos);
                });
                assertBookGapExact(run.store, series, gaps.get(0));
            }
            assertThat(holes).as("trades were lost during the stall").isPositive();
        }
    }

    @Test
    void anIpBanOnASnapshotIsWaitedOutAndOnlyThatSymbolResyncs() throws Exception {
        try (Run run = new Run(THREE_SYMBOLS, dir)) {
            run.record(UnaryOperator.identity());
            run.awaitSynced();
            FeedStats stats = run.stats;
            String victim = run.symbols.get(1);
            long restRequests = run.simulator.stats().restRequests.sum();
            long rejected = run.simulator.stats().restRejected.sum();

            // A sequence gap on one symbol; its snapshot request is answered 418 (IP banned, Retry-After 2 s).
            run.simulator.faults().rejectRest(418, 1, Duration.ofSeconds(2));
            assertThat(run.simulator.faults().sequenceGap(BinanceMarketKind.SPOT, victim))
                    .isTrue();
            await("the 418", RESUME, () -> run.simulator.stats().restRejected.sum() > rejected);
            long bannedMono = System.nanoTime();
            long bannedNanos = nowNanos();
            await(
                    "the retried snapshot request",
                    Duration.ofSeconds(2).plus(RESUME),
                    () -> run.simulator.stats().restRequests.sum() > restRequests + 1);
            long retriedMono = System.nanoTime();
            assertThat(retriedMono - bannedMono)
                    .as("no request before Retry-After")
                    .isGreaterThanOrEqualTo(Duration.ofMillis(1900).toNanos());
            await("the victim resynced", RESUME, () -> stats.gaps.sum() == 1);
            long retriedNanos = nowNanos();
            long trades = stats.trades.sum();
            await("trades go on", RESUME, () -> stats.trades.sum() > trades + 10);
            Thread.sleep(300);
            run.stopRecording();
            assertThat(run.simulator.stats().restRequests.sum()).isEqualTo(restRequests + 2);

            for (String symbol : run.symbols) {
                SeriesKey series = run.series(symbol);
                RecorderTestSupport.assertTradesOnceAndHolesMarked(run.store, series);
                List<GapMarker> gaps = RecorderTestSupport.bookGaps(run.store, series);
                if (symbol.equals(victim)) {
                    assertThat(gaps).singleElement().satisfies(g -> {
                        assertThat(g.reason()).isEqualTo("sequence-gap");
                        assertThat(g.fromNanos()).isLessThanOrEqualTo(bannedNanos);
                        assertThat(g.toNanos()).isGreaterThanOrEqualTo(bannedNanos + 1_900_000_000L);
                    });
                    assertBookGapExact(run.store, series, gaps.get(0));
                } else {
                    assertThat(gaps).as(symbol + " is untouched").isEmpty();
                    long during = RecorderTestSupport.bookRows(run.store, series).stream()
                            .filter(r -> r.tsNanos() > bannedNanos && r.tsNanos() < retriedNanos)
                            .count();
                    assertThat(during)
                            .as(symbol + " kept recording during the ban")
                            .isPositive();
                }
            }
        }
    }

    @Test
    void aSlowSnapshotIsJoinedByTheBufferedDiffsWithoutAGap() throws Exception {
        // 600 messages/s for 5 s, then the market stops: the true book is final and comparable.
        try (Run run =
                new Run(SimulatorConfig.BinanceSourceConfig.synthetic(3, 600, 5).withMaxMessages(3_000), dir)) {
            run.simulator.faults().slowRest(Duration.ofSeconds(3), 1);
            long startNanos = nowNanos();
            run.record(UnaryOperator.identity());
            await(
                    "the market ran out",
                    Duration.ofSeconds(20),
                    () -> run.simulator.binanceFinished(BinanceMarketKind.SPOT));
            long[] last = {-1};
            await("everything recorded", RESUME, () -> {
                long now = run.stats.bookUpdates.sum() + run.stats.trades.sum();
                boolean stable = now == last[0];
                last[0] = now;
                if (!stable) {
                    try {
                        Thread.sleep(300);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return stable;
            });
            run.stopRecording();
            assertThat(run.simulator.stats().restDelayed.sum()).isEqualTo(1);
            assertThat(run.stats.gaps.sum()).isZero();
            assertThat(run.stats.resyncs.sum()).isZero();

            boolean delayedOneSeen = false;
            for (String symbol : run.symbols) {
                SeriesKey series = run.series(symbol);
                assertThat(run.store.gaps(series, Long.MIN_VALUE, Long.MAX_VALUE))
                        .as(symbol + ": no gap")
                        .isEmpty();
                assertThat(RecorderTestSupport.assertTradesOnceAndHolesMarked(run.store, series))
                        .isZero();
                List<BookUpdate> rows = RecorderTestSupport.bookRows(run.store, series);
                BookUpdate snapshot = rows.get(0);
                assertThat(snapshot.isSnapshotBegin())
                        .as(symbol + ": the snapshot comes first")
                        .isTrue();
                delayedOneSeen |= snapshot.tsNanos() >= startNanos + 2_900_000_000L;
                // The diffs that went out while the snapshot was delayed were buffered: the first one kept straddles
                // the snapshot and every later one chains, so no update went missing.
                long previousU = snapshot.lastUpdateId();
                int events = 0;
                for (BookUpdate row : rows) {
                    if (row.isSnapshotBegin()
                            || (row.flags() & BookUpdate.CHECKPOINT) != 0
                            || row.lastUpdateId() == previousU) {
                        continue;
                    }
                    assertThat(row.firstUpdateId()).as(symbol + ": diff chains").isLessThanOrEqualTo(previousU + 1);
                    assertThat(row.lastUpdateId()).isGreaterThan(previousU);
                    previousU = row.lastUpdateId();
                    events++;
                }
                assertThat(events).as(symbol + ": diffs after the snapshot").isGreaterThan(50);
                ExchangeSimulator.TrueBook truth = run.simulator.trueBook(BinanceMarketKind.SPOT, symbol);
                assertThat(previousU)
                        .as(symbol + ": the last diff recorded is the market's last")
                        .isEqualTo(truth.lastUpdateId());
                RecorderTestSupport.assertSameBook(symbol, truth.book(), RecorderTestSupport.rebuild(series, rows));
            }
            assertThat(delayedOneSeen)
                    .as("a snapshot arrived after the 3 s delay")
                    .isTrue();
        }
    }

    @Test
    void aTruncatedDepthDiffIsSkippedAndOnlyItsSymbolResyncs() throws Exception {
        try (Run run = new Run(THREE_SYMBOLS, dir)) {
            run.record(UnaryOperator.identity());
            run.awaitSynced();
            FeedStats stats = run.stats;
            String victim = run.symbols.get(2);
            long malformed = stats.malformed.sum();
            long reconnects = stats.reconnects.sum();

            assertThat(run.simulator.faults().truncateNextDepthDiff(BinanceMarketKind.SPOT, victim))
                    .isTrue();
            await("the truncated frame counted", RESUME, () -> stats.malformed.sum() == malformed + 1);
            await("the victim resynced", RESUME, () -> stats.gaps.sum() == 1);
            long trades = stats.trades.sum();
            await("trading goes on", RESUME, () -> stats.trades.sum() > trades + 10);
            Thread.sleep(300);
            run.stopRecording();
            assertThat(stats.reconnects.sum()).as("the connection went on").isEqualTo(reconnects);
            assertThat(stats.resyncs.sum()).isEqualTo(1);

            for (String symbol : run.symbols) {
                SeriesKey series = run.series(symbol);
                assertThat(RecorderTestSupport.assertTradesOnceAndHolesMarked(run.store, series))
                        .isZero();
                List<GapMarker> gaps = RecorderTestSupport.bookGaps(run.store, series);
                if (symbol.equals(victim)) {
                    assertThat(gaps).singleElement().satisfies(g -> assertThat(g.reason())
                            .isEqualTo("sequence-gap"));
                    assertBookGapExact(run.store, series, gaps.get(0));
                } else {
                    assertThat(gaps).as(symbol + " is untouched").isEmpty();
                }
            }
        }
    }

    /**
     * A book gap spans exactly the missing stretch: a diff (or the snapshot) applied at its start, the first diff
     * after the resync at its end, and no diff stored strictly between (only the resync snapshot).
     */
    private static void assertBookGapExact(TickStore store, SeriesKey series, GapMarker gap) {
        List<BookUpdate> rows = RecorderTestSupport.bookRows(store, series);
        boolean snapshotRun = false;
        boolean startSeen = false;
        boolean endSeen = false;
        for (BookUpdate row : rows) {
            if (row.isSnapshotBegin()) {
                snapshotRun = true;
            }
            boolean diff = !snapshotRun;
            if (row.isSnapshotEnd()) {
                snapshotRun = false;
            }
            if (row.tsNanos() == gap.fromNanos()) {
                startSeen = true;
            }
            if (diff && row.tsNanos() == gap.toNanos()) {
                endSeen = true;
            }
            if (diff) {
                assertThat(row.tsNanos() > gap.fromNanos() && row.tsNanos() < gap.toNanos())
                        .as(series + ": diff stored inside " + gap + ": " + row)
                        .isFalse();
            }
        }
        assertThat(startSeen).as(series + ": a row at the gap's start " + gap).isTrue();
        assertThat(endSeen).as(series + ": a diff at the gap's end " + gap).isTrue();
    }
}
