package dev.tickvault.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickvault.feed.Captures;
import dev.tickvault.model.BookUpdate;
import dev.tickvault.model.SeriesKey;
import dev.tickvault.testing.StoreFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every level update of the real Binance depth recordings (spot {@code @depth@100ms} and USD-M {@code @depth@0ms},
 * REST snapshots included) comes back from the store field by field: from memory, from chunk files after a flush,
 * after a reopen, and after a write-ahead-log replay on top of chunk files.
 */
class BookUpdateRoundTripTest {

    private static final SeriesKey SPOT = SeriesKey.of("binance", "BTCUSDT");
    private static final SeriesKey USDM = SeriesKey.of("binance-futures", "BTCUSDT");
    private static final int COMMIT_ROWS = 7_919;

    @TempDir
    Path dir;

    @TempDir
    Path replayCopy;

    /** Per durability (the log is written and replayed under each). */
    @ParameterizedTest
    @EnumSource(
            value = Durability.class,
            names = {"SYNC_EVERY_COMMIT", "OS"})
    void everyRealDepthUpdateRoundTripsThroughMemoryChunksReopenAndLogReplay(Durability durability) throws IOException {
        List<BookUpdate> spot = BinanceDepthUpdates.read(Captures.require(Captures.BINANCE_SPOT), SPOT);
        List<BookUpdate> usdm = BinanceDepthUpdates.read(Captures.require(Captures.BINANCE_USDM), USDM);
        assertThat(spot).hasSize(124_090 + 2_000);
        assertThat(usdm).hasSize(443_521 + 2_000);
        List<BookUpdate> expectedSpot = inTimeOrder(spot);
        List<BookUpdate> expectedUsdm = inTimeOrder(usdm);
        // No flush but the ones this test asks for: the log replay below must have rows to replay.
        StoreConfig config =
                StoreConfig.defaults().withMemtableLimitBytes(1L << 30).withDurability(durability);

        try (TickStore store = TickStore.open(dir, config)) {
            try (StoreWriter writer = store.newWriter()) {
                write(writer, spot, 0, spot.size() / 2);
                write(writer, usdm, 0, usdm.size() / 2);
                assertThat(read(store, SPOT)).isEqualTo(inTimeOrder(spot.subList(0, spot.size() / 2)));
                store.flush();
                assertThat(read(store, USDM)).isEqualTo(inTimeOrder(usdm.subList(0, usdm.size() / 2)));
                write(writer, spot, spot.size() / 2, spot.size());
                write(writer, usdm, usdm.size() / 2, usdm.size());
            }
            // Half in chunk files, half in memory.
            assertThat(read(store, SPOT)).isEqualTo(expectedSpot);
            assertThat(read(store, USDM)).isEqualTo(expectedUsdm);
            StoreFiles.copyTree(dir, replayCopy); // what a crash now would leave: the second halves only in the log
            store.flush();
            assertThat(read(store, SPOT)).isEqualTo(expectedSpot);
            assertThat(read(store, USDM)).isEqualTo(expectedUsdm);
        }
        try (TickStore store = TickStore.open(dir, config)) {
            assertThat(read(store, SPOT)).isEqualTo(expectedSpot);
            assertThat(read(store, USDM)).isEqualTo(expectedUsdm);
            assertThat(store.stats().memtableRows()).isZero();
        }
        try (TickStore store = TickStore.open(replayCopy, config)) {
            assertThat(store.stats().memtableRows()).as("replayed from the log").isPositive();
            assertThat(read(store, SPOT)).isEqualTo(expectedSpot);
            assertThat(read(store, USDM)).isEqualTo(expectedUsdm);
        }
        assertThat(TickStore.verify(dir).problems()).isEmpty();
    }

    /** Alternates the allocation-free form and the record form, committing every {@link #COMMIT_ROWS} rows. */
    private static void write(StoreWriter writer, List<BookUpdate> updates, int from, int to) {
        for (int i = from; i < to; i++) {
            BookUpdate u = updates.get(i);
            if (i % 2 == 0) {
                writer.appendBookUpdate(
                        u.series(),
                        u.tsNanos(),
                        u.recvTsNanos(),
                        u.side(),
                        u.price().mantissa(),
                        u.price().scale(),
                        u.quantity().mantissa(),
                        u.quantity().scale(),
                        u.firstUpdateId(),
                        u.lastUpdateId(),
                        u.flags());
            } else {
                writer.appendBookUpdate(u);
            }
            if (writer.pendingRows() == COMMIT_ROWS) {
                writer.commit();
            }
        }
        writer.commit();
    }

    /** The store's order: by exchange time, ties in the order written. */
    private static List<BookUpdate> inTimeOrder(List<BookUpdate> updates) {
        List<BookUpdate> sorted = new ArrayList<>(updates);
        sorted.sort(Comparator.comparingLong(BookUpdate::tsNanos)); // List.sort is stable
        return sorted;
    }

    private static List<BookUpdate> read(TickStore store, SeriesKey series) {
        List<BookUpdate> out = new ArrayList<>();
        store.bookUpdates(series, Long.MIN_VALUE, Long.MAX_VALUE, out::add);
        return out;
    }
}
