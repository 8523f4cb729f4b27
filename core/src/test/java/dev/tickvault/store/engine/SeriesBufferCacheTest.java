package dev.tickvault.store.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickvault.model.SeriesKey;
import dev.tickvault.store.Table;
import dev.tickvault.store.memtable.ColumnData;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SeriesBufferCacheTest {

    @Test
    void everyCachedSeriesIsFoundEvenWhenIdentityHashesShareASlot() {
        SeriesBufferCache<ColumnData> cache = new SeriesBufferCache<>(ColumnData[]::new);
        List<SeriesKey> series = new ArrayList<>();
        Map<SeriesKey, ColumnData> expected = new HashMap<>();
        for (int i = 0; i < 100; i++) { // 100 keys: the table grows to 256 slots; shared home slots are all but certain
            SeriesKey key = SeriesKey.of("binance", "SYM" + i);
            ColumnData buffer = new ColumnData(Table.TRADES, 1);
            series.add(key);
            expected.put(key, buffer);
            cache.put(key, buffer);
        }
        assertThat(homeSlotsShared(series))
                .as("the test needs colliding home slots")
                .isPositive();
        for (SeriesKey key : series) {
            assertThat(cache.get(key)).isSameAs(expected.get(key));
        }
        // identity, not equality: an equal but distinct key is not the cached one
        assertThat(cache.get(SeriesKey.of("binance", "SYM0"))).isNull();
        assertThat(cache.size()).isEqualTo(100);
    }

    @Test
    void replacingABufferKeepsOneEntry() {
        SeriesBufferCache<ColumnData> cache = new SeriesBufferCache<>(ColumnData[]::new);
        SeriesKey key = SeriesKey.of("kraken", "XBT/USD");
        ColumnData first = new ColumnData(Table.BOOK, 1);
        ColumnData second = new ColumnData(Table.BOOK, 1);
        cache.put(key, first);
        cache.put(key, second);
        assertThat(cache.get(key)).isSameAs(second);
        assertThat(cache.size()).isOne();
    }

    @Test
    void theTableGrowsKeepingEveryEntryThenForgetsEverythingAtItsLimit() {
        SeriesBufferCache<ColumnData> cache = new SeriesBufferCache<>(ColumnData[]::new);
        Map<SeriesKey, ColumnData> expected = new HashMap<>();
        int limit = SeriesBufferCache.MAX_SLOTS / 2;
        for (int i = 0; i < limit; i++) {
            SeriesKey key = SeriesKey.of("coinbase", "S" + i);
            ColumnData buffer = new ColumnData(Table.TRADES, 1);
            expected.put(key, buffer);
            cache.put(key, buffer);
        }
        assertThat(cache.slots()).isEqualTo(SeriesBufferCache.MAX_SLOTS);
        assertThat(cache.size()).isEqualTo(limit);
        expected.forEach((key, buffer) -> assertThat(cache.get(key)).isSameAs(buffer));

        SeriesKey next = SeriesKey.of("coinbase", "NEXT");
        ColumnData buffer = new ColumnData(Table.TRADES, 1);
        cache.put(next, buffer);
        assertThat(cache.size()).isOne();
        assertThat(cache.get(next)).isSameAs(buffer);
        assertThat(expected.keySet())
                .allSatisfy(key -> assertThat(cache.get(key)).isNull());
    }

    private static int homeSlotsShared(List<SeriesKey> series) {
        Map<Integer, Integer> perSlot = new HashMap<>();
        for (SeriesKey key : series) {
            perSlot.merge(System.identityHashCode(key) & (SeriesBufferCache.INITIAL_SLOTS - 1), 1, Integer::sum);
        }
        return series.size() - perSlot.size();
    }
}
