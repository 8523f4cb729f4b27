package dev.tickvault.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickvault.model.SeriesKey;
import dev.tickvault.query.BookAtQuery;
import dev.tickvault.query.BookQueryConfig;
import dev.tickvault.store.Table;
import dev.tickvault.store.TickStore;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The startup cache's training run goes through and leaves the store it trained on as described. */
class AotTrainingTest {

    @TempDir
    Path dir;

    @Test
    void trainingRunsThroughOnItsOwnData() throws Exception {
        AotTraining.train(dir);
        try (TickStore store = TickStore.openReadOnly(dir.resolve("store"))) {
            long trades = 0;
            for (SeriesKey series : store.tradeSeries()) {
                trades += store.countTrades(series, Long.MIN_VALUE, Long.MAX_VALUE);
            }
            assertThat(trades).isEqualTo(AotTraining.TRADES);
            assertThat(store.series(Table.BOOK)).containsExactlyInAnyOrder(AotTraining.BOOK_SERIES);
            long tenMinutesIn = AotTraining.BOOK_START_NANOS + 600_000_000_000L;
            var book =
                    new BookAtQuery(store, BookQueryConfig.defaults()).at(AotTraining.BOOK_SERIES[0], tenMinutesIn, 5);
            assertThat(book.bids()).hasSize(5);
            assertThat(book.asks()).hasSize(5);
            assertThat(book.fromCheckpoint()).isTrue(); // a checkpoint every minute of feed time
            assertThat(book.snapshotTsNanos()).isGreaterThan(tenMinutesIn - 120_000_000_000L);
        }
    }

    @Test
    void mainRunsThrough() throws Exception {
        AotTraining.main(new String[0]);
    }
}
