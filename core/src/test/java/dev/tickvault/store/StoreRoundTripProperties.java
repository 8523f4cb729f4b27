package dev.tickvault.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickvault.model.Decimal;
import dev.tickvault.model.SeriesKey;
import dev.tickvault.model.Side;
import dev.tickvault.model.Trade;
import dev.tickvault.testing.RandomCases;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random batches — decimals of mixed scales, equal and out-of-order timestamps across day boundaries, many symbols,
 * textual ids — with flushes and reopens at random points, read back exactly and in order.
 */
class StoreRoundTripProperties {

    private static final long DAY = 86_400_000_000_000L;
    private static final long T0 = 1_723_161_253_000_000_000L;

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("dev.tickvault.testing.RandomCases#fewSeeds")
    void randomBatchesReadBackExactlyAndInOrder(long seed) throws IOException {
        RandomGenerator random = RandomCases.random(seed);
        int commits = RandomCases.intBetween(random, 1, 12);
        Path dir = Files.createTempDirectory("tickvault-prop");
        try {
            List<SeriesKey> series = new ArrayList<>();
            int symbolCount = 1 + random.nextInt(6);
            for (int s = 0; s < symbolCount; s++) {
                series.add(SeriesKey.of(random.nextBoolean() ? "binance" : "kraken", "SYM/" + s));
            }
            Map<SeriesKey, List<Trade>> committed = new HashMap<>();
            TickStore store = TickStore.open(dir, StoreConfig.defaults().withDurability(Durability.OS));
            try {
                for (int c = 0; c < commits; c++) {
                    try (StoreWriter writer = store.newWriter()) {
                        int rows = random.nextInt(3) == 0 ? random.nextInt(5000) : random.nextInt(40);
                        List<Trade> batch = new ArrayList<>();
                        for (int r = 0; r < rows; r++) {
                            Trade t = randomTrade(random, series.get(random.nextInt(series.size())));
                            writer.appendTrade(t);
                            batch.add(t);
                        }
                        if (random.nextInt(5) == 0) {
                            writer.rollback();
                            batch.clear();
                        }
                        writer.commit();
                        batch.forEach(t -> committed
                                .computeIfAbsent(t.series(), k -> new ArrayList<>())
                                .add(t));
                    }
                    switch (random.nextInt(4)) {
                        case 0 -> store.flush();
                        case 1 -> {
                            store.close();
                            store = TickStore.open(dir, StoreConfig.defaults().withDurability(Durability.OS));
                        }
                        default -> {}
                    }
                }
                for (SeriesKey key : series) {
                    List<Trade> expected = new ArrayList<>(committed.getOrDefault(key, List.of()));
                    expected.sort(Comparator.comparingLong(Trade::tsNanos));
                    assertThat(StoreTestRows.readAll(store, key))
                            .as("series %s seed %d", key, seed)
                            .isEqualTo(expected);
                    if (!expected.isEmpty()) {
                        long from = expected.get(expected.size() / 3).tsNanos();
                        long to = expected.get(expected.size() * 2 / 3).tsNanos();
                        List<Trade> inRange = expected.stream()
                                .filter(t -> t.tsNanos() >= from && t.tsNanos() < to)
                                .toList();
                        assertThat(StoreTestRows.read(store, key, from, to)).isEqualTo(inRange);
                        assertThat(StoreTestRows.readBatches(store, key, from, to))
                                .isEqualTo(inRange);
                        assertThat(StoreTestRows.readBatches(store, key, Long.MIN_VALUE, Long.MAX_VALUE))
                                .isEqualTo(expected);
                        // ranges starting and ending anywhere: a block straddling an end is decoded only in part
                        for (int k = 0; k < 4; k++) {
                            long a = expected.get(random.nextInt(expected.size()))
                                            .tsNanos()
                                    + random.nextInt(3)
                                    - 1;
                            long b = expected.get(random.nextInt(expected.size()))
                                            .tsNanos()
                                    + random.nextInt(3)
                                    - 1;
                            long lo = Math.min(a, b);
                            long hi = Math.max(a, b);
                            List<Trade> window = expected.stream()
                                    .filter(t -> t.tsNanos() >= lo && t.tsNanos() < hi)
                                    .toList();
                            assertThat(StoreTestRows.readBatches(store, key, lo, hi))
                                    .as("series %s [%d, %d) seed %d", key, lo, hi, seed)
                                    .isEqualTo(window);
                            assertThat(StoreTestRows.read(store, key, lo, hi)).isEqualTo(window);
                            if (k == 0) {
                                assertThat(StoreTestRows.readBatchesInterleaved(store, key, lo, hi, window))
                                        .isEqualTo(window);
                            }
                            assertThat(store.countTrades(key, lo, hi)).isEqualTo(window.size());
                        }
                        assertThat(store.countTrades(key, from, to)).isEqualTo(inRange.size());
                        assertThat(store.countTrades(key, Long.MIN_VALUE, Long.MAX_VALUE))
                                .isEqualTo(expected.size());
                    }
                }
            } finally {
                store.close();
            }
        } finally {
            deleteRecursively(dir);
        }
    }

    private static Trade randomTrade(RandomGenerator random, SeriesKey series) {
        long ts =
                switch (random.nextInt(4)) {
                    case 0 -> T0; // many equal timestamps
                    case 1 -> T0 - DAY + random.nextInt(1000) * 1_000_000L; // the day before, out of order
                    default -> T0 + random.nextInt(2_000_000) * 1_000L;
                };
        int priceScale = random.nextInt(Decimal.MAX_SCALE + 1);
        int qtyScale = random.nextInt(9);
        long price = random.nextInt(10) == 0 ? random.nextLong() : random.nextLong(1, 10_000_000_000L);
        long qty = random.nextLong(0, 1_000_000_000_000L);
        Side side = Side.values()[random.nextInt(3)];
        if (random.nextInt(20) == 0) {
            return new Trade(
                    series,
                    ts,
                    ts + random.nextInt(),
                    Decimal.of(price, priceScale),
                    Decimal.of(qty, qtyScale),
                    side,
                    Trade.NO_TRADE_ID,
                    "id-" + random.nextInt());
        }
        return new Trade(
                series,
                ts,
                ts - 1_270_000_000L + random.nextInt(5_000_000),
                Decimal.of(price, priceScale),
                Decimal.of(qty, qtyScale),
                side,
                random.nextLong());
    }

    static void deleteRecursively(Path dir) throws IOException {
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
