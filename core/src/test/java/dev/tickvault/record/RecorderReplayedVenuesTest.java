package dev.tickvault.record;

import static dev.tickvault.record.RecorderTestSupport.RESUME;
import static dev.tickvault.record.RecorderTestSupport.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tickvault.feed.Captures;
import dev.tickvault.feed.FeedHandler;
import dev.tickvault.feed.FeedStats;
import dev.tickvault.feed.book.OrderBook;
import dev.tickvault.feed.capture.CapturedFrame;
import dev.tickvault.feed.capture.CryptofeedCaptureReader;
import dev.tickvault.feed.coinbase.CoinbaseAdvancedTradeFeedHandler;
import dev.tickvault.feed.kraken.KrakenV2FeedHandler;
import dev.tickvault.model.BookUpdate;
import dev.tickvault.model.Decimal;
import dev.tickvault.model.GapMarker;
import dev.tickvault.model.SeriesKey;
import dev.tickvault.model.Side;
import dev.tickvault.simulator.ExchangeSimulator;
import dev.tickvault.simulator.SimulatorConfig;
import dev.tickvault.store.StoreConfig;
import dev.tickvault.store.TickStore;
import dev.tickvault.store.TradeCursor;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    /**
     * Kraken v2 trades end to end. The Kraken recordings hold no trade (the trade file has only its subscription
     * replies and heartbeats: nothing traded on those pairs in those 30 s), so the trades come from a v1 trade file in
     * the recordings' format, written here with Kraken v1's documented {@code trade} message shape ({@code
     * [channelID, [[price, volume, time, side, orderType, misc], …], "trade", pair]}, prices and volumes as decimal
     * strings with their trailing zeros) and timed inside the book recording. The simulator serves them on the v2
     * {@code trade} channel (prices and quantities spelt as in the file, RFC 3339 microsecond timestamps, {@code
     * trade_id} numbered per pair) among the recorded book; the recorder stores each exactly once, and what it stores
     * equals the file read independently here.
     */
    @Test
    void krakenV2TradesAreRecordedExactlyAsTheRecordingHasThem(@TempDir Path fixtures) throws Exception {
        Path tradeFile = writeKrakenV1Trades(fixtures.resolve("KRAKEN.trades"), 20_260_329L);
        Map<String, List<RecordedTrade>> expected = krakenV1Trades(tradeFile);
        SimulatorConfig config = SimulatorConfig.defaults()
                .withKraken(List.of(Captures.require(Captures.KRAKEN_BOOK), tradeFile))
                .withSpeed(6);
        try (ExchangeSimulator simulator = ExchangeSimulator.start(config);
                TickStore store = TickStore.open(dir, StoreConfig.defaults())) {
            List<String> pairs = simulator.krakenV2Symbols();
            assertThat(pairs).containsAll(expected.keySet());
            FeedSpec spec = new FeedSpec(
                    "kraken", pairs, List.of("trades"), simulator.krakenV2Uri().toString(), null);
            Recorder recorder = Recorder.start(store, VenuePlans.plans(spec), Recorder.Options.defaults(), null, null);
            FeedStats stats = recorder.stats().get(0);
            int total = expected.values().stream().mapToInt(List::size).sum();
            try {
                await(
                        "the whole recording replayed",
                        Duration.ofSeconds(30),
                        () -> simulator.recordedMarketFinished("kraken"));
                await("every trade recorded", RESUME, () -> stats.trades.sum() >= total);
                Thread.sleep(300); // > the commit delay
            } finally {
                recorder.close();
            }
            assertThat(stats.trades.sum()).isEqualTo(total);
            assertThat(stats.malformed.sum()).isZero();
            assertThat(stats.gaps.sum()).isZero();
            for (String pair : pairs) {
                List<RecordedTrade> want = expected.getOrDefault(pair, List.of());
                List<dev.tickvault.model.Trade> got = new ArrayList<>();
                try (TradeCursor cursor = store.trades(SeriesKey.of("kraken", pair), Long.MIN_VALUE, Long.MAX_VALUE)) {
                    while (cursor.next()) {
                        got.add(cursor.toTrade());
                    }
                }
                got.sort(Comparator.comparingLong(dev.tickvault.model.Trade::tradeId));
                assertThat(got).as(pair).hasSameSizeAs(want);
                for (int i = 0; i < want.size(); i++) {
                    RecordedTrade w = want.get(i);
                    dev.tickvault.model.Trade t = got.get(i);
                    String where = pair + " trade " + (i + 1);
                    assertThat(t.tradeId()).as(where + " id").isEqualTo(i + 1);
                    assertThat(t.tsNanos()).as(where + " time").isEqualTo(w.tsNanos());
                    assertThat(t.side()).as(where + " side").isEqualTo(w.side());
                    assertExactly(where + " price", t.price(), w.price());
                    assertExactly(where + " qty", t.quantity(), w.quantity());
                }
            }
        }
    }

    /** The Kraken v1 pairs of the recordings, with made-up channel ids. */
    private static final List<String> V1_PAIRS = List.of("WAVES/EUR", "KSM/XBT", "GRT/ETH", "ETH/CHF", "OMG/USD");

    /**
     * A cryptofeed-format Kraken v1 trade file: connection, subscription, one {@code subscriptionStatus} per pair,
     * then 80 trade messages of 1-3 trades each, 0.3 s apart from the book recording's start (1618678133 s); prices
     * with 5 decimals and volumes with 8, as Kraken spells them (trailing zeros kept), sides and order types mixed.
     */
    private static Path writeKrakenV1Trades(Path file, long seed) throws Exception {
        java.util.Random random = new java.util.Random(seed);
        List<String> lines = new ArrayList<>();
        lines.add("wss://ws.kraken.com <-> 1618678132.368463");
        lines.add("wss://ws.kraken.com <- 1618678132.83097: {\"event\":\"subscribe\",\"pair\":[\""
                + String.join("\",\"", V1_PAIRS) + "\"],\"subscription\":{\"name\":\"trade\"}}");
        for (int i = 0; i < V1_PAIRS.size(); i++) {
            lines.add("1618678132.93" + i + ": {\"channelID\":" + (700 + i)
                    + ",\"channelName\":\"trade\",\"event\":\"subscriptionStatus\",\"pair\":\"" + V1_PAIRS.get(i)
                    + "\",\"status\":\"subscribed\",\"subscription\":{\"name\":\"trade\"}}");
        }
        long recvMicros = 1_618_678_133_000_000L;
        for (int m = 0; m < 80; m++) {
            recvMicros += 300_000 + random.nextInt(1000);
            int pair = random.nextInt(V1_PAIRS.size());
            StringBuilder message = new StringBuilder("[").append(700 + pair).append(",[");
            int trades = 1 + random.nextInt(3);
            for (int t = 0; t < trades; t++) {
                long timeMicros = recvMicros - 2_000 - random.nextInt(1_000) + t;
                String price = (1 + random.nextInt(900)) + "."
                        + String.format(
                                "%05d", random.nextInt(10) * 1000L + (random.nextBoolean() ? 0 : random.nextInt(1000)));
                String volume = random.nextInt(50) + "." + String.format("%08d", random.nextInt(100_000_000));
                message.append(t == 0 ? "" : ",")
                        .append("[\"")
                        .append(price)
                        .append("\",\"")
                        .append(volume)
                        .append("\",\"")
                        .append(timeMicros / 1_000_000)
                        .append('.')
                        .append(String.format("%06d", timeMicros % 1_000_000))
                        .append("\",\"")
                        .append(random.nextBoolean() ? 'b' : 's')
                        .append("\",\"")
                        .append(random.nextInt(4) == 0 ? 'm' : 'l')
                        .append("\",\"\"]");
            }
            message.append("],\"trade\",\"").append(V1_PAIRS.get(pair)).append("\"]");
            lines.add(recvMicros / 1_000_000 + "." + String.format("%06d", recvMicros % 1_000_000) + ": " + message);
        }
        java.nio.file.Files.write(file, lines);
        return file;
    }

    /** A trade of a Kraken v1 trade file: the decimal strings as written, the taker side, the time in ns. */
    private record RecordedTrade(String price, String quantity, Side side, long tsNanos) {}

    /**
     * The oracle, read without the simulator's code: v1 {@code [channelID, [[price, volume, time, side, type, misc],
     * …], "trade", pair]} messages by pair (named as v2 names it: {@code XBT} → {@code BTC}, {@code XDG} → {@code
     * DOGE}), in order.
     */
    private static Map<String, List<RecordedTrade>> krakenV1Trades(Path file) throws Exception {
        ObjectMapper json = new ObjectMapper();
        Map<String, List<RecordedTrade>> out = new LinkedHashMap<>();
        try (CryptofeedCaptureReader reader = CryptofeedCaptureReader.open(file)) {
            for (CapturedFrame f; (f = reader.next()) != null; ) {
                if (f.kind() != CapturedFrame.Kind.RECEIVED) {
                    continue;
                }
                JsonNode message = json.readTree(f.payload());
                if (!message.isArray()
                        || !message.get(message.size() - 2).asText().equals("trade")) {
                    continue;
                }
                String pair = message.get(message.size() - 1)
                        .asText()
                        .replace("XBT", "BTC")
                        .replace("XDG", "DOGE");
                for (JsonNode t : message.get(1)) {
                    BigDecimal seconds = new BigDecimal(t.get(2).asText());
                    long tsNanos = seconds.movePointRight(9).longValueExact();
                    Side side = t.get(3).asText().equals("b") ? Side.BUY : Side.SELL;
                    out.computeIfAbsent(pair, p -> new ArrayList<>())
                            .add(new RecordedTrade(t.get(0).asText(), t.get(1).asText(), side, tsNanos));
                }
            }
        }
        assertThat(out).as("trades in " + file).isNotEmpty();
        return out;
    }

    /** The same digits and the same scale as the recorded spelling (trailing zeros kept). */
    private static void assertExactly(String what, Decimal actual, String recorded) {
        BigDecimal want = new BigDecimal(recorded);
        assertThat(actual.mantissa())
                .as(what + " mantissa of " + recorded)
                .isEqualTo(want.unscaledValue().longValueExact());
        assertThat(actual.scale()).as(what + " scale of " + recorded).isEqualTo(want.scale());
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
