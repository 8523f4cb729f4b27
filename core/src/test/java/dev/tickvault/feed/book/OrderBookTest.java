package dev.tickvault.feed.book;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickvault.model.Decimal;
import dev.tickvault.model.SeriesKey;
import dev.tickvault.model.Side;
import dev.tickvault.testing.RandomCases;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class OrderBookTest {

    private static final SeriesKey SERIES = SeriesKey.of("binance", "BTCUSDT");

    @Test
    void levelsAreOrderedBestFirstAndZeroDeletes() {
        OrderBook book = new OrderBook(SERIES, 100);
        set(book, Side.BUY, "100.10", "1.5");
        set(book, Side.BUY, "100.30", "2");
        set(book, Side.BUY, "100.20", "3");
        set(book, Side.SELL, "100.50", "4");
        set(book, Side.SELL, "100.40", "5");
        assertThat(prices(book.bids())).containsExactly("100.30", "100.20", "100.10");
        assertThat(prices(book.asks())).containsExactly("100.40", "100.50");
        set(book, Side.BUY, "100.3", "0");
        set(book, Side.SELL, "999", "0.000");
        assertThat(prices(book.bids())).containsExactly("100.20", "100.10");
        assertThat(book.asks().size()).isEqualTo(2);
        assertThat(book.isCrossed()).isFalse();
    }

    @Test
    void spellingIsKeptForChecksums() {
        OrderBook book = new OrderBook(SERIES, 10);
        set(book, Side.SELL, "0.05005", "0.00000500");
        assertThat(book.asks().priceText(0)).isEqualTo("0.05005");
        assertThat(book.asks().quantityText(0)).isEqualTo("0.00000500");
    }

    @Test
    void crossedAndLockedBooksAreReportedNotFixed() {
        OrderBook book = new OrderBook(SERIES, 10);
        set(book, Side.BUY, "10", "1");
        set(book, Side.SELL, "10.0", "1");
        assertThat(book.isLocked()).isTrue();
        assertThat(book.isCrossed()).isFalse();
        set(book, Side.BUY, "10.5", "1");
        assertThat(book.isCrossed()).isTrue();
        assertThat(book.bids().size()).isEqualTo(2);
    }

    @Test
    void aFullSideDropsTheLevelFarthestFromTheTouch() {
        OrderBook book = new OrderBook(SERIES, 2);
        set(book, Side.BUY, "10", "1");
        set(book, Side.BUY, "11", "1");
        set(book, Side.BUY, "9", "1"); // worse than both: dropped itself
        set(book, Side.BUY, "12", "1"); // better: drops 10
        assertThat(prices(book.bids())).containsExactly("12", "11");
        assertThat(book.droppedLevels()).isEqualTo(2);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("dev.tickvault.testing.RandomCases#seeds")
    void matchesASortedMapReference(long seed) {
        RandomGenerator random = RandomCases.random(seed);
        int operations = RandomCases.intBetween(random, 1, 400);
        OrderBook book = new OrderBook(SERIES, 1_000_000);
        TreeMap<Decimal, Decimal> bids = new TreeMap<>(Comparator.reverseOrder());
        TreeMap<Decimal, Decimal> asks = new TreeMap<>();
        for (int i = 0; i < operations; i++) {
            Side side = random.nextBoolean() ? Side.BUY : Side.SELL;
            int scale = random.nextInt(3);
            long mantissa = (1000 + random.nextInt(40)) * (long) Math.pow(10, scale);
            Decimal price = Decimal.of(mantissa, scale);
            Decimal qty = random.nextInt(4) == 0 ? Decimal.of(0, 2) : Decimal.of(1 + random.nextInt(1000), 3);
            book.set(side, price.mantissa(), price.scale(), qty.mantissa(), qty.scale());
            TreeMap<Decimal, Decimal> ref = side == Side.BUY ? bids : asks;
            ref.keySet().removeIf(p -> p.compareTo(price) == 0);
            if (qty.mantissa() != 0) {
                ref.put(price, qty);
            }
        }
        assertThat(levels(book.bids()))
                .isEqualTo(new ArrayList<>(bids.entrySet())
                        .stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
        assertThat(levels(book.asks()))
                .isEqualTo(new ArrayList<>(asks.entrySet())
                        .stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
    }

    private static void set(OrderBook book, Side side, String price, String qty) {
        Decimal p = Decimal.parse(price);
        Decimal q = Decimal.parse(qty);
        book.set(side, p.mantissa(), p.scale(), q.mantissa(), q.scale());
    }

    private static List<String> prices(BookSide side) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < side.size(); i++) {
            out.add(side.priceText(i));
        }
        return out;
    }

    private static List<String> levels(BookSide side) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < side.size(); i++) {
            out.add(side.priceText(i) + "=" + side.quantityText(i));
        }
        return out;
    }
}
