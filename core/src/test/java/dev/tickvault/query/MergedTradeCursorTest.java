package dev.tickvault.query;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickvault.model.SeriesKey;
import dev.tickvault.model.Side;
import dev.tickvault.store.Durability;
import dev.tickvault.store.StoreConfig;
import dev.tickvault.store.StoreWriter;
import dev.tickvault.store.TickStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.io.TempDir;

/** The k-way merge equals a stable sort by time of all series' trades (ties in the order the series are given). */
class MergedTradeCursorTest {

    @TempDir
    Path directory;

    record Row(long ts, int series, long id) {}

    @RepeatedTest(5)
    void mergeEqualsAStableSortByTime() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        int seriesCount = 1 + random.nextInt(7);
        List<SeriesKey> series = new ArrayList<>();
        for (int s = 0; s < seriesCount; s++) {
            series.add(SeriesKey.of(s % 2 == 0 ? "binance" : "kraken", "S" + s));
        }
        List<Row> rows = new ArrayList<>();
        try (TickStore store = TickStore.open(directory, StoreConfig.defaults().withDurability(Durability.OS))) {
            try (StoreWriter w = store.newWriter()) {
                int n = random.nextInt(20_000);
                for (int i = 0; i < n; i++) {
                    int s = random.nextInt(seriesCount);
                    long ts = 1_723_161_600_000_000_000L + random.nextInt(5_000) * 1_000_000L;
                    w.appendTrade(series.get(s), ts, ts, 100 + i, 2, 1, 0, Side.BUY, i);
                    rows.add(new Row(ts, s, i));
                }
                w.commit();
            }
            if (random.nextBoolean()) {
                store.flush();
            }
            // Per series, the store orders by time keeping commit order; the merge orders series by given index.
            List<Row> expected = new ArrayList<>(rows);
            expected.sort(Comparator.comparingLong(Row::ts).thenComparingInt(Row::series));
            List<Row> actual = new ArrayList<>();
            try (MergedTradeCursor merged = MergedTradeCursor.open(store, series, Long.MIN_VALUE, Long.MAX_VALUE)) {
                while (merged.next()) {
                    actual.add(new Row(merged.tsNanos(), series.indexOf(merged.series()), merged.tradeId()));
                }
            }
            assertThat(actual).as("seed %d", seed).isEqualTo(expected);
        }
    }
}
