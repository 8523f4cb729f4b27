package dev.tickvault.feed.json;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickvault.feed.book.OrderBook;
import dev.tickvault.model.BookUpdate;
import dev.tickvault.model.Decimal;
import dev.tickvault.model.SeriesKey;
import dev.tickvault.model.Side;
import dev.tickvault.model.Trade;
import dev.tickvault.testing.BookRows;
import dev.tickvault.testing.RandomCases;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.random.RandomGenerator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The shared row routines of {@link ParsedTrades} and {@link ParsedLevels}, against plain reference code. */
class ParsedRowsTest {

    private static final SeriesKey SERIES = SeriesKey.of("test", "X");

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("dev.tickvault.testing.RandomCases#seeds")
    void deliveryOrderIsAStableSortAndWriteKeepsEveryField(long seed) {
        RandomGenerator random = RandomCases.random(seed);
        ParsedTrades<String> trades = new ParsedTrades<>(1_000);
        for (int round = 0; round < 3; round++) { // reused buffers must not leak the last message
            trades.clear();
            int n = random.nextInt(0, 80);
            List<Trade> expected = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                long id = random.nextInt(4) == 0 ? Trade.NO_TRADE_ID : random.nextLong(0, 20);
                Side side = Side.values()[random.nextInt(Side.values().length)];
                long price = random.nextLong(1, 1_000_000);
                int priceScale = random.nextInt(0, 9);
                long qty = random.nextLong(0, 1_000_000);
                int qtyScale = random.nextInt(0, 9);
                long ts = random.nextLong(0, 1L << 60);
                assertThat(trades.add("owner" + (i % 3), side, price, priceScale, qty, qtyScale, ts, id))
                        .isTrue();
                expected.add(new Trade(
                        SERIES, ts, 7, Decimal.of(price, priceScale), Decimal.of(qty, qtyScale), side, id, null));
            }
            Integer[] reference = new Integer[n];
            Arrays.setAll(reference, i -> i);
            Comparator<Integer> byId = (a, b) -> Long.compareUnsigned(trades.tradeId(a), trades.tradeId(b));
            Arrays.sort(reference, byId); // stable, like the venue order deliveryOrder must keep on ties
            ParsedTrades.Order order = (a, b) -> Long.compareUnsigned(trades.tradeId(a), trades.tradeId(b));

            int[] sorted = trades.deliveryOrder(order);
            assertThat(Arrays.copyOf(sorted, n))
                    .containsExactly(Arrays.stream(reference).mapToInt(i -> i).toArray());
            int[] asParsed = trades.deliveryOrder(null);
            for (int i = 0; i < n; i++) {
                assertThat(asParsed[i]).isEqualTo(i);
            }

            CollectingSink sink = new CollectingSink();
            for (int i = 0; i < n; i++) {
                trades.write(i, sink, SERIES, 7, null);
            }
            assertThat(sink.trades).isEqualTo(expected);
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("dev.tickvault.testing.RandomCases#seeds")
    void levelsApplyAndWriteAsOneEvent(long seed) {
        RandomGenerator random = RandomCases.random(seed);
        ParsedLevels levels = new ParsedLevels(500);
        OrderBook book = new OrderBook(SERIES, 1_000);
        OrderBook reference = new OrderBook(SERIES, 1_000);
        int n = random.nextInt(1, 60);
        for (int i = 0; i < n; i++) {
            Side side = random.nextBoolean() ? Side.BUY : Side.SELL;
            long price = random.nextLong(1, 50);
            long qty = random.nextInt(3) == 0 ? 0 : random.nextLong(1, 1_000);
            assertThat(levels.add(side, price, 2, qty, 3, 0)).isTrue();
        }
        levels.applyTo(book);
        boolean endsEvent = random.nextBoolean();
        CollectingSink sink = new CollectingSink();
        levels.writeUpdate(sink, SERIES, 11, 12, endsEvent);

        assertThat(sink.levels).hasSize(n);
        for (int i = 0; i < n; i++) {
            BookUpdate row = sink.levels.get(i);
            assertThat(row.side()).isEqualTo(levels.side(i));
            assertThat(row.price()).isEqualTo(Decimal.of(levels.priceMantissa(i), levels.priceScale(i)));
            assertThat(row.quantity()).isEqualTo(Decimal.of(levels.quantityMantissa(i), levels.quantityScale(i)));
            assertThat(row.tsNanos()).isEqualTo(11);
            assertThat(row.recvTsNanos()).isEqualTo(12);
            boolean last = i == n - 1;
            assertThat(row.flags()).isEqualTo(last && endsEvent ? BookUpdate.EVENT_END : 0);
            BookRows.apply(reference, row);
        }
        assertThat(book.bids().size()).isEqualTo(reference.bids().size());
        assertThat(book.asks().size()).isEqualTo(reference.asks().size());
        for (int i = 0; i < book.bids().size(); i++) {
            assertThat(book.bids().priceText(i)).isEqualTo(reference.bids().priceText(i));
            assertThat(book.bids().quantityText(i)).isEqualTo(reference.bids().quantityText(i));
        }
        for (int i = 0; i < book.asks().size(); i++) {
            assertThat(book.asks().priceText(i)).isEqualTo(reference.asks().priceText(i));
            assertThat(book.asks().quantityText(i)).isEqualTo(reference.asks().quantityText(i));
        }
    }
}
