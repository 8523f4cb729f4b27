package dev.tickvault.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tickvault.model.SeriesKey;
import dev.tickvault.store.Durability;
import dev.tickvault.store.StoreConfig;
import dev.tickvault.store.StoreWriter;
import dev.tickvault.store.TickStore;
import dev.tickvault.store.TradeCursor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link SyntheticTradeBatch#appendTo}: exactly rows {@code [from, to)}, every column, through a real store. */
class SyntheticTradeBatchAppendTest {

    @TempDir
    Path dir;

    @Test
    void appendsExactlyTheRowsOfTheRange() {
        SyntheticTrades generator = new SyntheticTrades(20_000, 11);
        SeriesKey[] series = generator.seriesKeys();
        SyntheticTradeBatch batch = generator.all();
        int from = 3_001;
        int to = 17_500;
        try (TickStore store = TickStore.open(dir, StoreConfig.defaults().withDurability(Durability.OS))) {
            try (StoreWriter writer = store.newWriter()) {
                batch.appendTo(writer, series, from, 9_000);
                writer.commit();
                batch.appendTo(writer, series, 9_000, 9_000); // an empty range appends nothing
                batch.appendTo(writer, series, 9_000, to);
                writer.commit();
            }
            for (int instrument = 0; instrument < series.length; instrument++) {
                List<String> expected = new ArrayList<>();
                for (int row = from; row < to; row++) {
                    if (batch.instrument(row) == instrument) {
                        expected.add(batch.tsNanos(row) + " " + batch.recvTsNanos(row) + " " + batch.priceMantissa(row)
                                + "e-" + batch.priceScale(row) + " " + batch.quantityMantissa(row) + "e-"
                                + batch.quantityScale(row) + " " + batch.side(row) + " " + batch.tradeId(row));
                    }
                }
                List<String> stored = new ArrayList<>();
                try (TradeCursor cursor = store.trades(series[instrument], Long.MIN_VALUE, Long.MAX_VALUE)) {
                    while (cursor.next()) {
                        stored.add(cursor.tsNanos() + " " + cursor.recvTsNanos() + " " + cursor.priceMantissa() + "e-"
                                + cursor.priceScale() + " " + cursor.quantityMantissa() + "e-"
                                + cursor.quantityScale() + " " + cursor.side().code() + " " + cursor.tradeId());
                    }
                }
                // the store returns rows in time order; the generator's rows of one instrument are in time order
                assertThat(stored).as(series[instrument].toString()).isEqualTo(expected);
            }
        }
    }

    @Test
    void refusesARangeOutsideTheBatch() {
        SyntheticTrades generator = new SyntheticTrades(1_000, 11);
        SeriesKey[] series = generator.seriesKeys();
        SyntheticTradeBatch batch = generator.all();
        try (TickStore store = TickStore.open(dir, StoreConfig.defaults().withDurability(Durability.OS));
                StoreWriter writer = store.newWriter()) {
            assertThatThrownBy(() -> batch.appendTo(writer, series, 10, 1_001))
                    .isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> batch.appendTo(writer, series, 20, 10))
                    .isInstanceOf(IndexOutOfBoundsException.class);
            writer.commit();
            assertThat(store.countTrades(series[0], Long.MIN_VALUE, Long.MAX_VALUE))
                    .isZero();
        }
    }
}
