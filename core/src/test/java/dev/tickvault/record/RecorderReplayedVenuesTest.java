package dev.tickvault.record;

import static dev.tickvault.record.RecorderTestSupport.RESUME;
import static dev.tickvault.record.RecorderTestSupport.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tickvault.feed.Captures;
import dev.tickvault.feed.FeedHandler;
import dev.tickvault.feed.FeedStats;
import dev.tickvault.feed.book.OrderBook;
import dev.tickvault.feed.coinbase.CoinbaseAdvancedTradeFeedHandler;
import dev.tickvault.feed.kraken.KrakenV2FeedHandler;
import dev.tickvault.model.BookUpdate;
import dev.tickvault.model.GapMarker;
import dev.tickvault.model.SeriesKey;
import dev.tickvault.simulator.ExchangeSimulator;
import dev.tickvault.simulator.SimulatorConfig;
import dev.tickvault.store.StoreConfig;
import dev.tickvault.store.TickStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real recorder against the simulator's Kraken WebSocket v2 and Coinbase Advanced Trade endpoints (the Kraken v1
 * and Coinbase Exchange recordings converted to those protocols, checksums recomputed), over real sockets: rows are
 * stored, books never cross, every checksum verifies, and the venue-specific faults resync what they must.
 */
class RecorderReplayedVenuesTest {

    /** The recordings last ~30 s; three times faster leaves ~10 s of market. */
    private static final double SPEED = 3;

    @TempDir
    Path dir;

    @Test
    void krakenV2BadChecksumResubscribesOnlyThatPair() throws Exception {
        SimulatorConfig config = SimulatorConfig.defaults()
                .withKraken(List.of(Captures.require(Captures.KRAKEN_BOOK), Captures.require(Captures.KRAKEN_TRADES)))
                .withSpeed(SPEED);
        try (ExchangeSimulator simulator = ExchangeSimulator.start(config);
                TickStore store = TickStore.open(dir, StoreConfig.defaults())) {
            List<String> pairs = simulator.krakenV2Symbols();
            assertThat(pairs).hasSize(5).contains("KSM/BTC"); // v1's KSM/XBT, as v2 names it
            FeedSpec spec = new FeedSpec(
                    "kraken",
                    pairs,
                    List.of("trades", "book"),
                    simulator.krakenV2Uri().toString(),
                    null);
            AtomicReference<FeedHandler> built = new AtomicReference<>();
            Recorder recorder = Recorder.start(
                    store,
                    RecorderTestSupport.capturingHandlers(VenuePlans.plans(spec), built::set),
                    Recorder.Options.defaults(),
                    null,
                    null);
            KrakenV2FeedHandler handler = (KrakenV2FeedHandler) built.get();
            FeedStats stats = recorder.stats().get(0);
            String victim = "WAVES/EUR";
            long resubscribedMono;
            try {
                // The five snapshots hold ~2,200 levels; then updates.
                await("books synced and updating", Duration.ofSeconds(20), () -> stats.bookUpdates.sum() > 2_400);
                assertThat(stats.gaps.sum()).isZero();
                long victimRows = rowsOf(store, victim);
                assertThat(simulator.faults().badChecksum(victim)).isEqualTo(1);
                long faultMono = System.nanoTime();
                await("the pair resubscribed (gap marker at its new snapshot)", RESUME, () -> stats.gaps.sum() == 1);
                resubscribedMono = System.nanoTime();
                assertThat(resubscribedMono - faultMono).isLessThan(RESUME.toNanos());
                await("the pair records again", RESUME, () -> rowsOf(store, victim) > victimRows + 50);
                Thread.sleep(300);
            } finally {
                recorder.close();
            }
            assertThat(stats.resyncs.sum()).as("one resubscription").isEqualTo(1);
            assertThat(stats.malformed.sum()).isZero();
            // The handler is stopped: its state may be read here.
            assertThat(handler.checksumMismatches()).as("only the injected one").isEqualTo(1);
            assertThat(handler.checksumsVerified()).isGreaterThan(200);
            for (String pair : pairs) {
                SeriesKey series = SeriesKey.of("kraken", pair);
                List<BookUpdate> rows = RecorderTestSupport.bookRows(store, series);
                assertThat(rows).as(pair).hasSizeGreaterThan(20);
                assertThat(RecorderTestSupport.assertNeverCrossed(series, rows)).isPositive();
                // What the store rebuilds is the book the handler verified last against the venue's checksum.
                RecorderTestSupport.assertSameBook(pair, handler.book(pair), RecorderTestSupport.rebuild(series, rows));
                List<GapMarker> gaps = RecorderTestSupport.bookGaps(store, series);
                if (pair.equals(victim)) {
                    assertThat(gaps).singleElement().satisfies(g -> {
                        assertThat(g.reason()).isEqualTo("checksum-mismatch");
                        assertThat(g.toNanos()).isGreaterThan(g.fromNanos());
                        // It ends at the new snapshot, which starts a snapshot run in the store.
                        assertThat(rows).anySatisfy(r -> {
                            assertThat(r.isSnapshotBegin()).isTrue();
                            assertThat(r.tsNanos()).isEqualTo(g.toNanos());
                        });
                        // It starts at the last update whose checksum matched.
                        assertThat(rows).anySatisfy(r -> assertThat(r.tsNanos()).isEqualTo(g.fromNanos()));
                    });
                } else {
                    assertThat(gaps).as(pair + " is untouched").isEmpty();
                }
            }
        }
    }

    @Test
    void coinbaseAdvancedTradeRecordsAndASequenceGapResyncsTheBooks() throws Exception {
        SimulatorConfig config = SimulatorConfig.defaults()
                .withCoinbase(Captures.require(Captures.COINBASE_WS))
                .withSpeed(SPEED);
        try (ExchangeSimulator simulator = ExchangeSimulator.start(config);
                TickStore store = TickStore.open(dir, StoreConfig.defaults())) {
            List<String> products = simulator.coinbaseAdvancedProducts();
            assertThat(products).hasSizeGreaterThanOrEqualTo(5);
            FeedSpec spec = new FeedSpec(
                    "coinbase-advanced",
                    products,
                    List.of("trades", "book"),
                    simulator.coinbaseAdvancedUri().toString(),
                    null);
            AtomicReference<FeedHandler> built = new AtomicReference<>();
            Recorder recorder = Recorder.start(
                    store,
                    RecorderTestSupport.capturingHandlers(VenuePlans.plans(spec), built::set),
                    Recorder.Options.defaults(),
                    null,
                    null);
            CoinbaseAdvancedTradeFeedHandler handler = (CoinbaseAdvancedTradeFeedHandler) built.get();
            FeedStats stats = recorder.stats().get(0);
            String victim = "SKL-BTC"; // the busiest product of the recording (1,539 level2 updates in 30 s)
            assertThat(products).contains(victim);
            try {
                await(
                        "books and trades recorded",
                        Duration.ofSeconds(20),
                        () -> stats.bookUpdates.sum() > 1_000 && stats.trades.sum() > 5);
                assertThat(stats.gaps.sum()).isZero();
                long resyncs = stats.resyncs.sum();
                assertThat(simulator.faults().coinbaseSequenceGap(victim)).isEqualTo(1);
                // sequence_num is per connection: which products the lost message concerned is unknown, so every
                // product gets a trades gap marker and a book resync (its new snapshot writes a book gap marker).
                await(
                        "every book resynced",
                        RESUME,
                        () -> stats.resyncs.sum() >= resyncs + products.size()
                                && stats.gaps.sum() >= 2L * products.size());
                long rows = stats.bookUpdates.sum();
                await("books record again", RESUME, () -> stats.bookUpdates.sum() > rows + 100);
                Thread.sleep(300);
            } finally {
                recorder.close();
            }
            assertThat(handler.sequenceGaps()).isEqualTo(1);
            assertThat(stats.malformed.sum()).isZero();
            for (String product : products) {
                SeriesKey series = SeriesKey.of("coinbase", product);
                List<BookUpdate> rows = RecorderTestSupport.bookRows(store, series);
                assertThat(rows).as(product).hasSizeGreaterThan(10);
                assertThat(RecorderTestSupport.assertNeverCrossed(series, rows)).isPositive();
                OrderBook handlerBook = handler.book(product);
                RecorderTestSupport.assertSameBook(product, handlerBook, RecorderTestSupport.rebuild(series, rows));
                RecorderTestSupport.assertTradesOnceAndHolesCovered(store, series);
                List<GapMarker> gaps = store.gaps(series, Long.MIN_VALUE, Long.MAX_VALUE);
                assertThat(gaps).as(product).allSatisfy(g -> assertThat(g.reason())
                        .isEqualTo("sequence-gap"));
                assertThat(gaps.stream().filter(g -> g.channel().equals("book")))
                        .hasSize(1);
                assertThat(gaps.stream().filter(g -> g.channel().equals("trades")))
                        .hasSize(1);
            }
            assertThat(products.stream()
                            .mapToLong(p -> RecorderTestSupport.trades(store, SeriesKey.of("coinbase", p))
                                    .size())
                            .sum())
                    .as("trades recorded")
                    .isGreaterThan(5);
        }
    }

    @Test
    void coinbaseExchangeLostMatchResyncsOnlyThatProduct() throws Exception {
        SimulatorConfig config = SimulatorConfig.defaults()
                .withCoinbase(Captures.require(Captures.COINBASE_WS))
                .withSpeed(SPEED);
        // NMR-EUR trades all through the recording (matches at 0.4-1.1, 3.6, 7.0 and 13.5 s): after the fault one
        // of its matches is lost and the next one shows the jump.
        String victim = "NMR-EUR";
        try (ExchangeSimulator simulator = ExchangeSimulator.start(config);
                TickStore store = TickStore.open(dir, StoreConfig.defaults())) {
            List<String> products = simulator.coinbaseAdvancedProducts(); // the recording's products
            assertThat(products).contains(victim);
            FeedSpec spec = new FeedSpec(
                    "coinbase",
                    products,
                    List.of("trades", "book"),
                    simulator.coinbaseUri().toString(),
                    null);
            Recorder recorder = Recorder.start(store, VenuePlans.plans(spec), Recorder.Options.defaults(), null, null);
            FeedStats stats = recorder.stats().get(0);
            try {
                await(
                        "books and trades recorded",
                        Duration.ofSeconds(20),
                        () -> stats.bookUpdates.sum() > 2_000 && stats.trades.sum() > 3);
                assertThat(stats.gaps.sum()).isZero();
                assertThat(simulator.faults().coinbaseSequenceGap(victim)).isEqualTo(1);
                // The next match of the victim is lost: its trade_id jumps; that product alone gets a trades gap
                // marker and a book resync (the snapshot of its resubscription writes the book gap marker).
                await("the victim resynced", Duration.ofSeconds(12), () -> stats.gaps.sum() == 2);
                long rows = stats.bookUpdates.sum();
                await("books record again", RESUME, () -> stats.bookUpdates.sum() > rows + 20);
                Thread.sleep(300);
            } finally {
                recorder.close();
            }
            assertThat(stats.resyncs.sum()).isEqualTo(1);
            assertThat(stats.malformed.sum()).isZero();
            for (String product : products) {
                SeriesKey series = SeriesKey.of("coinbase", product);
                List<BookUpdate> rows = RecorderTestSupport.bookRows(store, series);
                assertThat(RecorderTestSupport.assertNeverCrossed(series, rows)).isPositive();
                int holes = RecorderTestSupport.assertTradesOnceAndHolesMarked(store, series);
                List<GapMarker> gaps = store.gaps(series, Long.MIN_VALUE, Long.MAX_VALUE);
                if (product.equals(victim)) {
                    assertThat(holes).as("the lost match").isEqualTo(1);
                    assertThat(gaps).extracting(GapMarker::channel).containsExactlyInAnyOrder("trades", "book");
                    assertThat(gaps).allSatisfy(g -> assertThat(g.reason()).isEqualTo("sequence-gap"));
                } else {
                    assertThat(holes).isZero();
                    assertThat(gaps).as(product + " is untouched").isEmpty();
                }
            }
        }
    }

    private static long rowsOf(TickStore store, String pair) {
        return RecorderTestSupport.bookRows(store, SeriesKey.of("kraken", pair)).size();
    }
}
