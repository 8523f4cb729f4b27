package dev.tickvault.record;

import static dev.tickvault.record.RecorderTestSupport.RESUME;
import static dev.tickvault.record.RecorderTestSupport.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tickvault.feed.FeedStats;
import dev.tickvault.feed.binance.BinanceMarket;
import dev.tickvault.live.FeedStatusBoard;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real recorder against the exchange simulator over real sockets (Binance spot protocol: WebSocket SUBSCRIBE,
 * REST depth snapshots), with faults injected while it records: after each one recording resumes within 5 s, only
 * the affected symbol resyncs, gap markers cover the missing spans, and no trade is stored twice.
 */
class RecorderFaultsTest {

    @TempDir
    Path dir;

    @Test
    void recordingSurvivesGapsDisconnectsAndCorruptFrames() throws Exception {
        SimulatorConfig simulatorConfig =
                SimulatorConfig.defaults().withBinanceSpot(SimulatorConfig.BinanceSourceConfig.synthetic(3, 300, 7));
        try (ExchangeSimulator simulator = ExchangeSimulator.start(simulatorConfig);
                TickStore store = TickStore.open(dir, StoreConfig.defaults())) {
            List<String> symbols = simulator.binanceSymbols(BinanceMarketKind.SPOT);
            FeedSpec spec = new FeedSpec(
                    "binance",
                    symbols,
                    List.of("trades", "book"),
                    simulator.binanceWebSocketBase(BinanceMarketKind.SPOT) + "/stream",
                    simulator.baseUri() + "/api/v3/depth");
            FeedStatusBoard board = new FeedStatusBoard();
            Recorder recorder = Recorder.start(
                    store,
                    VenuePlans.binance(spec, BinanceMarket.SPOT, null),
                    Recorder.Options.defaults(),
                    null,
                    board);
            FeedStats stats = recorder.stats().get(0);
            long disconnectedAtNanos = 0;
            try {
                // Every symbol synced (one snapshot each) and trading.
                await(
                        "initial sync",
                        Duration.ofSeconds(20),
                        () -> stats.resyncs.sum() >= 0 && stats.bookUpdates.sum() > 100 && stats.trades.sum() > 50);
                // 0. The venue announces its shutdown (Binance's 24-hour limit): a replacement connection opens
                //    before the old one closes; no reconnect, no gap, trades go on (duplicates skipped, checked below).
                long reconnectsAtStart = stats.reconnects.sum();
                long gapsAtStart = stats.gaps.sum();
                assertThat(simulator.faults().serverShutdown(FaultInjector.ALL, Duration.ofSeconds(2)))
                        .isPositive();
                long tradesAtShutdown = stats.trades.sum();
                Thread.sleep(
                        2_500); // past the grace period (2 s: room for a loaded machine): the old connection is gone
                await("trades after the rotation", RESUME, () -> stats.trades.sum() > tradesAtShutdown + 50);
                assertThat(stats.reconnects.sum()).isEqualTo(reconnectsAtStart);
                assertThat(stats.gaps.sum()).isEqualTo(gapsAtStart);
                long gapsBefore = stats.gaps.sum();

                // 1. A sequence gap on one symbol, and its snapshot request answered 429 (Retry-After 1 s) once: only
                // that symbol resyncs, one book gap marker for it.
                String victim = symbols.get(1);
                simulator.faults().rejectRest(429, 1, Duration.ofSeconds(1));
                assertThat(simulator.faults().sequenceGap(BinanceMarketKind.SPOT, victim))
                        .isTrue();
                // The marker is written when the book is synced again: after the 429 back-off and a new snapshot.
                await("gap marker for " + victim, RESUME, () -> stats.gaps.sum() > gapsBefore);
                long gapsAfterSequence = stats.gaps.sum();
                assertThat(gapsAfterSequence - gapsBefore).isEqualTo(1);
                Thread.sleep(300); // > the commit delay: the marker is in the store
                for (String symbol : symbols) {
                    List<GapMarker> gaps = store.gaps(SeriesKey.of("binance", symbol), Long.MIN_VALUE, Long.MAX_VALUE);
                    if (symbol.equals(victim)) {
                        assertThat(gaps).singleElement().satisfies(g -> {
                            assertThat(g.channel()).isEqualTo("book");
                            assertThat(g.reason()).isEqualTo("sequence-gap");
                            assertThat(g.toNanos()).isGreaterThan(g.fromNanos());
                        });
                    } else {
                        assertThat(gaps).as(symbol + " is untouched").isEmpty();
                    }
                }

                // 2. A corrupt frame: counted and skipped; the connection goes on (a lost depth diff resyncs only
                //    its own symbol).
                long malformed = stats.malformed.sum();
                long reconnects = stats.reconnects.sum();
                simulator.faults().corruptNextFrame(FaultInjector.ALL);
                await("malformed frame counted", RESUME, () -> stats.malformed.sum() > malformed);
                long tradesAfterCorrupt = stats.trades.sum();
                await("trading goes on", RESUME, () -> stats.trades.sum() > tradesAfterCorrupt + 10);
                assertThat(stats.reconnects.sum()).isEqualTo(reconnects);

                // 3. The exchange drops the connection and refuses reconnects for 1 s while trades go on (a bare
                //    disconnect can be followed by a reconnect within milliseconds — full-jitter backoff — before
                //    any trade is missed): reconnect after it, trades resume, the missed trades are a marked hole.
                //    Each refused attempt doubles the backoff (0.5 s base), so the reconnect may take a few seconds.
                disconnectedAtNanos = System.currentTimeMillis() * 1_000_000L;
                assertThat(simulator.faults().outage(Duration.ofSeconds(1))).isPositive();
                await("reconnected", Duration.ofSeconds(20), () -> stats.reconnects.sum() > reconnects);
                long tradesAfterReconnect = stats.trades.sum();
                await("trades after reconnect", RESUME, () -> stats.trades.sum() > tradesAfterReconnect + 10);
                long disconnected = disconnectedAtNanos;
                await("every book resynced after the disconnect", RESUME, () -> symbols.stream()
                        .allMatch(
                                symbol -> RecorderTestSupport.bookGaps(store, SeriesKey.of("binance", symbol)).stream()
                                        .anyMatch(g -> g.toNanos() >= disconnected)));
            } finally {
                recorder.close();
            }

            // The store: no trade twice; every hole in a symbol's trade ids is covered exactly by a trades gap marker.
            int holes = 0;
            for (String symbol : symbols) {
                SeriesKey series = SeriesKey.of("binance", symbol);
                assertThat(RecorderTestSupport.trades(store, series)).hasSizeGreaterThan(20);
                holes += RecorderTestSupport.assertTradesOnceAndHolesMarked(store, series);
                // (A corrupted depth frame loses that diff too: its symbol resyncs with a sequence-gap marker.)
                // The disconnect lost the book of every symbol: each resynced, with a gap marker reaching past it
                // ("reconnect", or "sequence-gap" if that symbol was already resyncing).
                long disconnected = disconnectedAtNanos;
                assertThat(RecorderTestSupport.bookGaps(store, series))
                        .anySatisfy(g -> assertThat(g.toNanos()).isGreaterThanOrEqualTo(disconnected));
            }
            assertThat(holes).as("the disconnect lost trades on some symbol").isPositive();
        }
    }
}
