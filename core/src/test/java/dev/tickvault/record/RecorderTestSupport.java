package dev.tickvault.record;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickvault.feed.FeedHandler;
import dev.tickvault.feed.FeedSink;
import dev.tickvault.feed.book.BookSide;
import dev.tickvault.feed.book.OrderBook;
import dev.tickvault.feed.transport.TransportConfig;
import dev.tickvault.model.BookUpdate;
import dev.tickvault.model.DecimalMath;
import dev.tickvault.model.GapMarker;
import dev.tickvault.model.SeriesKey;
import dev.tickvault.model.Side;
import dev.tickvault.store.TickStore;
import dev.tickvault.store.TradeCursor;
import dev.tickvault.testing.BookRows;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

/**
 * What the recorder-against-simulator tests share: waiting for a condition, changing a plan's transport settings, and
 * the checks on what the store holds afterwards (no trade twice, every hole in trade ids exactly covered by a gap
 * marker, a book rebuilt from the stored rows).
 */
final class RecorderTestSupport {

    /** After a fault, recording must resume within this. */
    static final Duration RESUME = Duration.ofSeconds(5);

    private RecorderTestSupport() {}

    /** Polls {@code condition} every 20 ms; fails with {@code what} if it is not true within {@code limit}. */
    static void await(String what, Duration limit, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + limit.toMillis() + " ms: " + what);
            }
            Thread.sleep(20);
        }
    }

    /**
     * As {@link #await}, returning the wall-clock time ({@link #nowNanos}) read just before the last poll that still
     * found {@code condition} false: the awaited event happened after it. (A time read after {@code await} returns is
     * up to a poll interval later than the event, so events stamped right after it may carry an earlier time.)
     */
    static long awaitAfter(String what, Duration limit, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        long lastFalseNanos = nowNanos();
        while (true) {
            long pollNanos = nowNanos();
            if (condition.getAsBoolean()) {
                return lastFalseNanos;
            }
            lastFalseNanos = pollNanos;
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + limit.toMillis() + " ms: " + what);
            }
            Thread.sleep(20);
        }
    }

    /**
     * The same plans, handing each venue handler they build to {@code built} as well (so a test can read the handler's
     * own counters, e.g. Kraken checksums verified, once the recorder has stopped or through its thread-safe stats).
     */
    static List<FeedPlan> capturingHandlers(List<FeedPlan> plans, java.util.function.Consumer<FeedHandler> built) {
        List<FeedPlan> out = new ArrayList<>();
        for (FeedPlan plan : plans) {
            out.add(new FeedPlan() {
                @Override
                public String name() {
                    return plan.name();
                }

                @Override
                public TransportConfig transport() {
                    return plan.transport();
                }

                @Override
                public List<URI> uris() {
                    return plan.uris();
                }

                @Override
                public FeedHandler newHandler(FeedSink sink, Context context) {
                    FeedHandler handler = plan.newHandler(sink, context);
                    built.accept(handler);
                    return handler;
                }
            });
        }
        return out;
    }

    /**
     * No trade id stored twice, and every hole in the trade ids lies inside a {@code trades} gap marker (for venues
     * that cannot know exactly what was lost, e.g. a jump in Coinbase Advanced Trade's per-connection {@code
     * sequence_num}).
     *
     * @return the number of holes
     */
    static int assertTradesOnceAndHolesCovered(TickStore store, SeriesKey series) {
        List<StoredTrade> trades = trades(store, series);
        List<GapMarker> gaps = store.gaps(series, Long.MIN_VALUE, Long.MAX_VALUE).stream()
                .filter(g -> g.channel().equals("trades"))
                .toList();
        int holes = 0;
        for (int i = 1; i < trades.size(); i++) {
            StoredTrade previous = trades.get(i - 1);
            StoredTrade next = trades.get(i);
            assertThat(next.id()).as(series + ": trade id stored twice").isGreaterThan(previous.id());
            if (next.id() > previous.id() + 1) {
                holes++;
                assertThat(gaps)
                        .as(series + ": trades " + (previous.id() + 1) + ".." + (next.id() - 1)
                                + " missing outside any gap marker; markers: " + gaps)
                        .anySatisfy(g -> {
                            assertThat(g.fromNanos()).isLessThanOrEqualTo(previous.tsNanos());
                            assertThat(g.toNanos()).isGreaterThanOrEqualTo(next.tsNanos());
                        });
            }
        }
        return holes;
    }

    /**
     * Replays the stored rows event by event and fails if the book is ever crossed (best bid above best ask) at the
     * end of an event or snapshot.
     *
     * @return the number of events checked
     */
    static int assertNeverCrossed(SeriesKey series, List<BookUpdate> rows) {
        OrderBook book = new OrderBook(series, 100_000);
        int events = 0;
        for (BookUpdate row : rows) {
            BookRows.apply(book, row);
            if ((row.flags() & (BookUpdate.EVENT_END | BookUpdate.SNAPSHOT_END)) != 0) {
                events++;
                assertThat(crossed(book)).as(series + ": crossed after " + row).isFalse();
            }
        }
        return events;
    }

    /** The same plans with their transport settings changed (e.g. a short stale-connection watchdog). */
    static List<FeedPlan> withTransport(List<FeedPlan> plans, UnaryOperator<TransportConfig> change) {
        List<FeedPlan> out = new ArrayList<>();
        for (FeedPlan plan : plans) {
            TransportConfig transport = change.apply(plan.transport());
            out.add(new FeedPlan() {
                @Override
                public String name() {
                    return plan.name();
                }

                @Override
                public TransportConfig transport() {
                    return transport;
                }

                @Override
                public List<URI> uris() {
                    return plan.uris();
                }

                @Override
                public FeedHandler newHandler(FeedSink sink, Context context) {
                    return plan.newHandler(sink, context);
                }
            });
        }
        return out;
    }

    /** A stored trade: its id and venue time. */
    record StoredTrade(long id, long tsNanos) {}

    /** The stored trades of {@code series} in id order. */
    static List<StoredTrade> trades(TickStore store, SeriesKey series) {
        List<StoredTrade> trades = new ArrayList<>();
        try (TradeCursor cursor = store.trades(series, Long.MIN_VALUE, Long.MAX_VALUE)) {
            while (cursor.next()) {
                trades.add(new StoredTrade(cursor.tradeId(), cursor.tsNanos()));
            }
        }
        trades.sort((a, b) -> Long.compare(a.id(), b.id()));
        return trades;
    }

    /**
     * No trade id stored twice, and every hole in the (contiguous by venue rule) trade ids is covered by a {@code
     * trades} gap marker that spans exactly from the last trade before the hole to the first one after it.
     *
     * @return the number of holes
     */
    static int assertTradesOnceAndHolesMarked(TickStore store, SeriesKey series) {
        List<StoredTrade> trades = trades(store, series);
        List<GapMarker> gaps = store.gaps(series, Long.MIN_VALUE, Long.MAX_VALUE).stream()
                .filter(g -> g.channel().equals("trades"))
                .toList();
        int holes = 0;
        for (int i = 1; i < trades.size(); i++) {
            StoredTrade previous = trades.get(i - 1);
            StoredTrade next = trades.get(i);
            assertThat(next.id()).as(series + ": trade id stored twice").isGreaterThan(previous.id());
            if (next.id() > previous.id() + 1) {
                holes++;
                assertThat(gaps)
                        .as(series + ": trades " + (previous.id() + 1) + ".." + (next.id() - 1)
                                + " missing without a gap marker spanning exactly " + previous.tsNanos() + ".."
                                + next.tsNanos() + "; markers: " + gaps)
                        .anySatisfy(g -> {
                            assertThat(g.fromNanos()).isEqualTo(previous.tsNanos());
                            assertThat(g.toNanos()).isEqualTo(next.tsNanos());
                        });
            }
        }
        return holes;
    }

    /** Book gap markers of {@code series}. */
    static List<GapMarker> bookGaps(TickStore store, SeriesKey series) {
        return store.gaps(series, Long.MIN_VALUE, Long.MAX_VALUE).stream()
                .filter(g -> g.channel().equals("book"))
                .toList();
    }

    /** Every stored book row of {@code series}, in store order. */
    static List<BookUpdate> bookRows(TickStore store, SeriesKey series) {
        List<BookUpdate> rows = new ArrayList<>();
        store.bookUpdates(series, Long.MIN_VALUE, Long.MAX_VALUE, rows::add);
        return rows;
    }

    /** The book the stored rows rebuild at their end: a snapshot (venue or checkpoint) replaces it, updates set levels. */
    static OrderBook rebuild(SeriesKey series, List<BookUpdate> rows) {
        return BookRows.rebuild(series, 100_000, rows);
    }

    /** Both books hold the same levels (price and quantity, numerically) on both sides. */
    static void assertSameBook(String what, OrderBook expected, OrderBook actual) {
        for (Side side : new Side[] {Side.BUY, Side.SELL}) {
            BookSide e = expected.side(side);
            BookSide a = actual.side(side);
            assertThat(levels(a)).as(what + " " + side).isEqualTo(levels(e));
        }
    }

    private static List<String> levels(BookSide side) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < side.size(); i++) {
            out.add(side.priceText(i) + "@" + side.quantityText(i));
        }
        return out;
    }

    /** True if the best bid is above the best ask (numerically). */
    static boolean crossed(OrderBook book) {
        return book.bids().size() > 0
                && book.asks().size() > 0
                && DecimalMath.compare(
                                book.bids().priceMantissa(0),
                                book.bids().priceScale(0),
                                book.asks().priceMantissa(0),
                                book.asks().priceScale(0))
                        > 0;
    }

    /** Wall-clock now in ns since the epoch (the simulator stamps its events from the same clock). */
    static long nowNanos() {
        return System.currentTimeMillis() * 1_000_000L;
    }
}
