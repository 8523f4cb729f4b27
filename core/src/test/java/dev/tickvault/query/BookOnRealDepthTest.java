package dev.tickvault.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tickvault.feed.Captures;
import dev.tickvault.model.BookUpdate;
import dev.tickvault.model.Decimal;
import dev.tickvault.model.SeriesKey;
import dev.tickvault.model.Side;
import dev.tickvault.store.StoreConfig;
import dev.tickvault.store.StoreWriter;
import dev.tickvault.store.TickStore;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The book at T rebuilt from the store equals a book replayed independently (TreeMaps of BigDecimal prices, levels
 * as text) from the real Binance depth recording up to T, for many T: exactly at an event, just before, just after,
 * before the first snapshot (a clear error), and across a CHECKPOINT snapshot written in the middle.
 *
 * <p>Store layout, as a recorder would write it: the REST snapshot as SNAPSHOT_BEGIN … SNAPSHOT_END|EVENT_END, then
 * each depth event's levels (bids then asks) with EVENT_END on the last; events already covered by the snapshot are
 * skipped per Binance's sync rule (spot: {@code u <= lastUpdateId}; USD-M: {@code u < lastUpdateId}). The snapshot has
 * no exchange time (spot) or one slightly after the first event it precedes, so it is stamped with the first applied
 * event's time (written before it: ties keep commit order).
 */
class BookOnRealDepthTest {

    /** Levels compared per side at most instants; every {@link #FULL_EVERY}th instant compares the whole book. */
    private static final int DEPTH = 50;

    private static final int FULL_EVERY = 10;
    /** Events sampled: each gives three instants (at, 1 ns before, 1 ns after). */
    private static final int INSTANT_EVENTS = 70;

    private static final int ALL_LEVELS = 1_000_000;

    @TempDir
    Path directory;

    /** The oracle: TreeMaps keyed by BigDecimal price, levels kept as the venue's text. */
    static final class OracleBook {
        final TreeMap<BigDecimal, BinanceRecording.Level> bids = new TreeMap<>(Comparator.reverseOrder());
        final TreeMap<BigDecimal, BinanceRecording.Level> asks = new TreeMap<>();

        void load(List<BinanceRecording.Level> bidLevels, List<BinanceRecording.Level> askLevels) {
            bids.clear();
            asks.clear();
            apply(bidLevels, askLevels);
        }

        void apply(List<BinanceRecording.Level> bidLevels, List<BinanceRecording.Level> askLevels) {
            set(bids, bidLevels);
            set(asks, askLevels);
        }

        private static void set(TreeMap<BigDecimal, BinanceRecording.Level> side, List<BinanceRecording.Level> in) {
            for (BinanceRecording.Level level : in) {
                BigDecimal price = new BigDecimal(level.price());
                if (new BigDecimal(level.quantity()).signum() == 0) {
                    side.remove(price);
                } else {
                    side.put(price, level);
                }
            }
        }

        List<String> top(TreeMap<BigDecimal, BinanceRecording.Level> side, int n) {
            List<String> out = new ArrayList<>();
            for (Map.Entry<BigDecimal, BinanceRecording.Level> e : side.entrySet()) {
                if (out.size() == n) {
                    break;
                }
                out.add(e.getValue().price() + " " + e.getValue().quantity());
            }
            return out;
        }
    }

    record Applied(BinanceRecording.DepthEvent event, int index) {}

    @ParameterizedTest
    @ValueSource(strings = {"spot", "usdm"})
    void bookAtTEqualsAnIndependentReplay(String market) throws IOException {
        boolean spot = market.equals("spot");
        BinanceRecording recording =
                BinanceRecording.read(Captures.require(spot ? Captures.BINANCE_SPOT : Captures.BINANCE_USDM));
        BinanceRecording.Snapshot snapshot = recording.snapshot;
        List<BinanceRecording.DepthEvent> applied = new ArrayList<>();
        for (BinanceRecording.DepthEvent e : recording.depth) {
            boolean covered =
                    spot ? e.lastUpdateId() <= snapshot.lastUpdateId() : e.lastUpdateId() < snapshot.lastUpdateId();
            if (!covered) {
                applied.add(e);
            }
        }
        assertThat(applied.getFirst().firstUpdateId()).isLessThanOrEqualTo(snapshot.lastUpdateId() + 1);
        SeriesKey series = SeriesKey.of("binance", "BTCUSDT");
        long snapshotTs = applied.getFirst().tsNanos();
        int checkpointAt = applied.size() / 2;

        // Times to check: at, just before and just after a sample of events, and at the last one.
        TreeSet<Long> times = new TreeSet<>();
        // Each query replays up to thousands of events from its snapshot, so the sample is spread evenly.
        for (int i = 0; i < applied.size(); i += applied.size() / INSTANT_EVENTS) {
            long ts = applied.get(i).tsNanos();
            times.add(ts);
            times.add(ts - 1);
            times.add(ts + 1);
        }
        times.add(applied.getLast().tsNanos() + 5_000_000_000L);
        times.add(applied.get(checkpointAt).tsNanos());
        Map<Long, List<List<String>>> expected = new TreeMap<>();
        OracleBook oracle = new OracleBook();
        oracle.load(snapshot.bids(), snapshot.asks());
        List<BinanceRecording.Level> checkpointBids = null;
        List<BinanceRecording.Level> checkpointAsks = null;
        int next = 0;
        int instant = 0;
        for (long t : times) {
            if (t < snapshotTs) {
                continue;
            }
            while (next < applied.size() && applied.get(next).tsNanos() <= t) {
                BinanceRecording.DepthEvent e = applied.get(next);
                oracle.apply(e.bids(), e.asks());
                if (next == checkpointAt) {
                    checkpointBids = new ArrayList<>(oracle.bids.values());
                    checkpointAsks = new ArrayList<>(oracle.asks.values());
                }
                next++;
            }
            int depth = instant++ % FULL_EVERY == 0 ? ALL_LEVELS : DEPTH;
            expected.put(t, List.of(oracle.top(oracle.bids, depth), oracle.top(oracle.asks, depth)));
        }
        assertThat(checkpointBids).isNotNull();

        Path withSnapshot = directory.resolve("snapshot");
        Path checkpointOnly = directory.resolve("checkpoint-only");
        write(withSnapshot, series, snapshot, applied, checkpointAt, checkpointBids, checkpointAsks, true);
        write(checkpointOnly, series, snapshot, applied, checkpointAt, checkpointBids, checkpointAsks, false);
        long checkpointTs = applied.get(checkpointAt).tsNanos();

        int checked = 0;
        int fullBooks = 0;
        try (TickStore store = TickStore.open(withSnapshot, StoreConfig.defaults())) {
            BookAtQuery query = new BookAtQuery(store, BookQueryConfig.defaults());
            for (long t : times) {
                if (t < snapshotTs) {
                    assertThatThrownBy(() -> query.at(series, t, 10))
                            .isInstanceOf(BookNotAvailableException.class)
                            .hasMessageContaining("no book snapshot of binance:BTCUSDT at or before");
                    continue;
                }
                List<List<String>> want = expected.get(t);
                int depth = want.get(0).size() > DEPTH || want.get(1).size() > DEPTH ? ALL_LEVELS : DEPTH;
                BookAtResult book = query.at(series, t, depth);
                assertThat(List.of(text(book.bids()), text(book.asks())))
                        .as("book at %d", t)
                        .isEqualTo(expected.get(t));
                assertThat(book.fromCheckpoint()).isEqualTo(t >= checkpointTs);
                assertThat(book.snapshotTsNanos()).isEqualTo(t >= checkpointTs ? checkpointTs : snapshotTs);
                checked++;
                fullBooks += depth == ALL_LEVELS ? 1 : 0;
                if (checked % 50 == 0) {
                    BookAtResult top = query.at(series, t, 5);
                    assertThat(text(top.bids()))
                            .isEqualTo(expected.get(t).get(0).subList(0, 5));
                }
            }
            assertThatThrownBy(() -> query.at(series, snapshotTs - 1, 10))
                    .isInstanceOf(BookNotAvailableException.class);
        }
        int checkedFromCheckpoint = 0;
        try (TickStore store = TickStore.open(checkpointOnly, StoreConfig.defaults())) {
            BookAtQuery query = new BookAtQuery(store, BookQueryConfig.defaults());
            for (long t : times) {
                if (t < checkpointTs) {
                    if (t >= snapshotTs && t % 5 == 0) {
                        assertThatThrownBy(() -> query.at(series, t, 10)).isInstanceOf(BookNotAvailableException.class);
                    }
                    continue;
                }
                List<List<String>> want = expected.get(t);
                int depth = want.get(0).size() > DEPTH || want.get(1).size() > DEPTH ? ALL_LEVELS : DEPTH;
                BookAtResult book = query.at(series, t, depth);
                assertThat(List.of(text(book.bids()), text(book.asks())))
                        .as("book at %d from the checkpoint", t)
                        .isEqualTo(expected.get(t));
                checkedFromCheckpoint++;
            }
        }
        assertThat(checked).isGreaterThan(200);
        System.out.printf(
                "%s: book at T equal to the independent replay at %d instants (%d whole books, the rest top %d;"
                        + " %d more from a checkpoint-only store)%n",
                market, checked, fullBooks, DEPTH, checkedFromCheckpoint);
    }

    @ParameterizedTest
    @ValueSource(strings = {"spot", "usdm"})
    void bboSeriesAndAsOfJoinEqualAnIndependentReplay(String market) throws IOException {
        boolean spot = market.equals("spot");
        BinanceRecording recording =
                BinanceRecording.read(Captures.require(spot ? Captures.BINANCE_SPOT : Captures.BINANCE_USDM));
        BinanceRecording.Snapshot snapshot = recording.snapshot;
        List<BinanceRecording.DepthEvent> applied = new ArrayList<>();
        for (BinanceRecording.DepthEvent e : recording.depth) {
            boolean covered =
                    spot ? e.lastUpdateId() <= snapshot.lastUpdateId() : e.lastUpdateId() < snapshot.lastUpdateId();
            if (!covered) {
                applied.add(e);
            }
        }
        SeriesKey series = SeriesKey.of("binance", "BTCUSDT");
        Path dir = directory.resolve("bbo");
        write(dir, series, snapshot, applied, -1, null, null, true);

        // Oracle BBO series: after the snapshot and after each event, a row when the best levels change.
        OracleBook oracle = new OracleBook();
        oracle.load(snapshot.bids(), snapshot.asks());
        List<String> expectedBbo = new ArrayList<>();
        String last = bbo(oracle);
        expectedBbo.add(applied.getFirst().tsNanos() + " " + last);
        long[] eventTimes = new long[applied.size()];
        String[] bboAfter = new String[applied.size()];
        for (int i = 0; i < applied.size(); i++) {
            BinanceRecording.DepthEvent e = applied.get(i);
            oracle.apply(e.bids(), e.asks());
            String now = bbo(oracle);
            if (!now.equals(last)) {
                expectedBbo.add(e.tsNanos() + " " + now);
                last = now;
            }
            eventTimes[i] = e.tsNanos();
            bboAfter[i] = now;
        }
        try (TickStore store = TickStore.open(dir, StoreConfig.defaults())) {
            List<String> actual = new ArrayList<>();
            try (BboCursor cursor =
                    BboCursor.open(store, series, Long.MIN_VALUE, Long.MAX_VALUE, BookQueryConfig.defaults())) {
                while (cursor.next()) {
                    actual.add(cursor.tsNanos() + " " + bbo(cursor));
                }
            }
            assertThat(actual).isEqualTo(expectedBbo);

            // As-of join: trades written too, each paired with the BBO after every event with ts <= its ts.
            try (StoreWriter writer = store.newWriter()) {
                for (BinanceRecording.TradeRow t : recording.trades) {
                    Decimal p = Decimal.parse(t.price());
                    Decimal q = Decimal.parse(t.quantity());
                    writer.appendTrade(
                            series,
                            t.tsNanos(),
                            t.recvNanos(),
                            p.mantissa(),
                            p.scale(),
                            q.mantissa(),
                            q.scale(),
                            t.buyerIsMaker() ? Side.SELL : Side.BUY,
                            t.id());
                }
                writer.commit();
            }
            long from = applied.get(applied.size() / 4).tsNanos();
            long to = applied.get(3 * applied.size() / 4).tsNanos();
            int joined = 0;
            try (TradeBboJoin join =
                    new TradeBboJoin(store, store.trades(series, from, to), from, to, BookQueryConfig.defaults())) {
                while (join.next()) {
                    long ts = join.trade().tsNanos();
                    int upper = java.util.Arrays.binarySearch(eventTimes, ts);
                    int idx = upper;
                    if (idx < 0) {
                        idx = -idx - 2; // last event before ts
                    } else {
                        while (idx + 1 < eventTimes.length && eventTimes[idx + 1] == ts) {
                            idx++; // every event at exactly ts counts
                        }
                    }
                    assertThat(join.hasBook()).isTrue();
                    OrderBookView view = new OrderBookView(join.book());
                    assertThat(view.text()).as("trade at %d", ts).isEqualTo(bboAfter[idx]);
                    joined++;
                }
            }
            assertThat(joined).isGreaterThan(1000);
            System.out.printf(
                    "%s: %d BBO rows and %d as-of joined trades equal to the independent replay%n",
                    market, actual.size(), joined);
        }
    }

    private record OrderBookView(dev.tickvault.feed.book.OrderBook book) {
        String text() {
            return level(book.bids()) + " | " + level(book.asks());
        }

        private static String level(dev.tickvault.feed.book.BookSide side) {
            return side.size() == 0 ? "-" : side.priceText(0) + " " + side.quantityText(0);
        }
    }

    private static String bbo(OracleBook book) {
        String bid = book.bids.isEmpty() ? "-" : book.top(book.bids, 1).getFirst();
        String ask = book.asks.isEmpty() ? "-" : book.top(book.asks, 1).getFirst();
        return bid + " | " + ask;
    }

    private static String bbo(BboCursor c) {
        String bid = c.hasBid()
                ? Decimal.of(c.bidPriceMantissa(), c.bidPriceScale()) + " "
                        + Decimal.of(c.bidQuantityMantissa(), c.bidQuantityScale())
                : "-";
        String ask = c.hasAsk()
                ? Decimal.of(c.askPriceMantissa(), c.askPriceScale()) + " "
                        + Decimal.of(c.askQuantityMantissa(), c.askQuantityScale())
                : "-";
        return bid + " | " + ask;
    }

    private static List<String> text(List<BookLevel> levels) {
        List<String> out = new ArrayList<>();
        for (BookLevel level : levels) {
            out.add(level.price() + " " + level.quantity());
        }
        return out;
    }

    private static void write(
            Path dir,
            SeriesKey series,
            BinanceRecording.Snapshot snapshot,
            List<BinanceRecording.DepthEvent> applied,
            int checkpointAt,
            List<BinanceRecording.Level> checkpointBids,
            List<BinanceRecording.Level> checkpointAsks,
            boolean withSnapshot) {
        try (TickStore store = TickStore.open(dir, StoreConfig.defaults());
                StoreWriter writer = store.newWriter()) {
            BinanceRecording.DepthEvent first = applied.getFirst();
            if (withSnapshot) {
                writeLevels(
                        writer,
                        series,
                        first.tsNanos(),
                        snapshot.recvNanos(),
                        snapshot.lastUpdateId(),
                        snapshot.lastUpdateId(),
                        snapshot.bids(),
                        snapshot.asks(),
                        BookUpdate.SNAPSHOT_BEGIN,
                        BookUpdate.SNAPSHOT_END | BookUpdate.EVENT_END);
            }
            for (int i = 0; i < applied.size(); i++) {
                BinanceRecording.DepthEvent e = applied.get(i);
                writeLevels(
                        writer,
                        series,
                        e.tsNanos(),
                        e.recvNanos(),
                        e.firstUpdateId(),
                        e.lastUpdateId(),
                        e.bids(),
                        e.asks(),
                        0,
                        BookUpdate.EVENT_END);
                if (i == checkpointAt) {
                    writeLevels(
                            writer,
                            series,
                            e.tsNanos(),
                            e.recvNanos(),
                            e.lastUpdateId(),
                            e.lastUpdateId(),
                            checkpointBids,
                            checkpointAsks,
                            BookUpdate.SNAPSHOT_BEGIN | BookUpdate.CHECKPOINT,
                            BookUpdate.SNAPSHOT_END | BookUpdate.EVENT_END | BookUpdate.CHECKPOINT);
                }
                if (i % 500 == 0) {
                    writer.commit();
                }
                if (i == applied.size() / 3) {
                    writer.commit();
                    store.flush(); // some rows from partition files, the rest from memory
                }
            }
            writer.commit();
        }
    }

    private static void writeLevels(
            StoreWriter writer,
            SeriesKey series,
            long ts,
            long recv,
            long firstId,
            long lastId,
            List<BinanceRecording.Level> bids,
            List<BinanceRecording.Level> asks,
            int firstFlags,
            int lastFlags) {
        int total = bids.size() + asks.size();
        int i = 0;
        for (int pass = 0; pass < 2; pass++) {
            List<BinanceRecording.Level> levels = pass == 0 ? bids : asks;
            Side side = pass == 0 ? Side.BUY : Side.SELL;
            for (BinanceRecording.Level level : levels) {
                int flags =
                        (i == 0 ? firstFlags : firstFlags & BookUpdate.CHECKPOINT) | (i == total - 1 ? lastFlags : 0);
                writer.appendBookUpdate(new BookUpdate(
                        series,
                        ts,
                        recv,
                        side,
                        Decimal.parse(level.price()),
                        Decimal.parse(level.quantity()),
                        firstId,
                        lastId,
                        flags));
                i++;
            }
        }
    }
}
