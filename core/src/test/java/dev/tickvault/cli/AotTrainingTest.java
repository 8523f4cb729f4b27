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

    @Test
    void frameWidthColumnsSpanEveryWidthInEveryGroup() {
        var columns = AotTraining.frameWidthColumns();
        assertThat(columns).hasSize(63 + AotTraining.MAX_DELTA_WIDTH);
        for (int c = 0; c < columns.size(); c++) {
            long[] values = columns.get(c);
            boolean delta = c >= 63;
            int width = delta ? c - 62 : c + 1;
            for (int group = 0; group < values.length; group += 64) {
                long min = Long.MAX_VALUE;
                long max = Long.MIN_VALUE;
                for (int i = group; i < group + 64; i++) {
                    long v = delta ? values[i] - (i == 0 ? 0 : values[i - 1]) : values[i];
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
                assertThat(min).as("column %d group %d", c, group).isZero();
                assertThat(64 - Long.numberOfLeadingZeros(max))
                        .as("column %d group %d", c, group)
                        .isEqualTo(width);
            }
        }
    }

    @Test
    void frameWidthsDecodeWhatTheyEncoded() {
        long expected = 0;
        for (long[] column : AotTraining.frameWidthColumns()) {
            expected += column[column.length - 1];
        }
        assertThat(AotTraining.frameWidths()).isEqualTo(expected * AotTraining.FRAME_WIDTH_ROUNDS);
    }
}
