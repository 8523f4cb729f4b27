package dev.tickvault.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickvault.model.BookUpdate;
import dev.tickvault.model.Decimal;
import dev.tickvault.model.GapMarker;
import dev.tickvault.model.SeriesKey;
import dev.tickvault.model.Side;
import dev.tickvault.model.Trade;
import dev.tickvault.testing.RandomCases;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A writer that alternates appends with {@link StoreWriter#commitAsync()} (random batch sizes, many series, trades out
 * of order, book updates, gaps; now and then a synchronous commit, a rollback, a flush, a wait on a ticket) stores
 * exactly what a synchronous writer given the same calls stores, in two real stores side by side.
 */
class AsyncCommitProperties {

    private static final long DAY = 86_400_000_000_000L;
    private static final long T0 = 1_723_161_253_000_000_000L;

    /** Each case opens four stores and writes hundreds of files: 16 cases keep the default suite quick. */
    static LongStream cases() {
        return RandomCases.seeds(16);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("cases")
    void asyncWriterStoresWhatASyncWriterStores(long seed) throws IOException {
        RandomGenerator random = RandomCases.random(seed);
        Path syncDir = Files.createTempDirectory("tickvault-sync");
        Path asyncDir = Files.createTempDirectory("tickvault-async");
        // Small memory limits in some cases: flushes (and the flusher's back-pressure) happen between commits.
        StoreConfig config = StoreConfig.defaults()
                .withDurability(Durability.OS)
                .withMemtableLimitBytes(random.nextBoolean() ? 1 << 20 : 64L << 20);
        List<SeriesKey> series = new ArrayList<>();
        int seriesCount = RandomCases.intBetween(random, 1, 16);
        for (int s = 0; s < seriesCount; s++) {
            // the same instances again and again: the writer's identity caches hit, across both buffer sets
            series.add(SeriesKey.of(random.nextBoolean() ? "binance" : "kraken", "SYM" + s));
        }
        try {
            try (TickStore syncStore = TickStore.open(syncDir, config);
                    TickStore asyncStore = TickStore.open(asyncDir, config)) {
                StoreWriter syncWriter = syncStore.newWriter();
                StoreWriter asyncWriter = asyncStore.newWriter();
                CommitTicket last = CommitTicket.completed();
                int steps = RandomCases.intBetween(random, 1, 40);
                for (int step = 0; step < steps; step++) {
                    int rows = random.nextInt(4) == 0 ? random.nextInt(4000) : random.nextInt(60);
                    for (int r = 0; r < rows; r++) {
                        appendRandomRow(random, series, syncWriter, asyncWriter);
                    }
                    assertThat(asyncWriter.pendingRows()).isEqualTo(syncWriter.pendingRows());
                    switch (random.nextInt(12)) {
                        case 0 -> {
                            syncWriter.rollback();
                            asyncWriter.rollback();
                        }
                        case 1 -> {
                            syncWriter.commit();
                            asyncWriter.commit(); // waits for the commit in flight, then commits on this thread
                            assertThat(last.isDone()).isTrue();
                        }
                        case 2 -> {
                            syncWriter.commit();
                            last = asyncWriter.commitAsync();
                            last.await();
                            assertThat(last.isDone()).isTrue();
                        }
                        case 3 -> {
                            syncWriter.commit();
                            last = asyncWriter.commitAsync();
                            syncStore.flush();
                            asyncStore.flush(); // beside the commit in flight
                        }
                        default -> {
                            syncWriter.commit();
                            CommitTicket previous = last;
                            last = asyncWriter.commitAsync();
                            if (rows > 0) {
                                // at most one in flight: a second commitAsync waited for the first
                                assertThat(previous.isDone()).isTrue();
                            } else {
                                // nothing new: the ticket of the commit in flight (or a completed one)
                                assertThat(last == previous || last == CommitTicket.completed())
                                        .isTrue();
                            }
                        }
                    }
                    assertThat(asyncWriter.pendingRows()).isZero();
                }
                if (random.nextBoolean()) {
                    for (int r = random.nextInt(100); r > 0; r--) {
                        appendRandomRow(random, series, syncWriter, asyncWriter);
                    }
                    syncWriter.commit();
                    last = asyncWriter.commitAsync();
                }
                // close() waits for the commit in flight
                syncWriter.close();
                asyncWriter.close();
                assertThat(last.isDone()).isTrue();
                last.await();
                assertSameRows(syncStore, asyncStore, series, seed);
            }
            // and the same after a reopen (everything went through the log and the flush on close)
            try (TickStore syncStore = TickStore.open(syncDir, config);
                    TickStore asyncStore = TickStore.open(asyncDir, config)) {
                assertSameRows(syncStore, asyncStore, series, seed);
            }
        } finally {
            StoreRoundTripProperties.deleteRecursively(syncDir);
            StoreRoundTripProperties.deleteRecursively(asyncDir);
        }
    }

    private static void appendRandomRow(
            RandomGenerator random, List<SeriesKey> series, StoreWriter syncWriter, StoreWriter asyncWriter) {
        SeriesKey key = series.get(random.nextInt(series.size()));
        long ts =
                switch (random.nextInt(4)) {
                    case 0 -> T0; // many equal timestamps
                    case 1 -> T0 - DAY + random.nextInt(1000) * 1_000_000L; // the day before, out of order
                    default -> T0 + random.nextInt(2_000_000) * 1_000L;
                };
        int kind = random.nextInt(20);
        if (kind < 12) {
            Trade trade = kind == 0
                    ? new Trade(
                            key,
                            ts,
                            ts + 5,
                            Decimal.of(random.nextLong(1, 1_000_000_000L), random.nextInt(9)),
                            Decimal.of(random.nextLong(0, 1_000_000L), random.nextInt(9)),
                            Side.values()[random.nextInt(3)],
                            Trade.NO_TRADE_ID,
                            "id-" + random.nextInt())
                    : new Trade(
                            key,
                            ts,
                            ts - 1_270_000_000L + random.nextInt(5_000_000),
                            Decimal.of(random.nextLong(1, 1_000_000_000L), random.nextInt(9)),
                            Decimal.of(random.nextLong(0, 1_000_000L), random.nextInt(9)),
                            Side.values()[random.nextInt(3)],
                            random.nextLong());
            syncWriter.appendTrade(trade);
            asyncWriter.appendTrade(trade);
        } else if (kind < 19) {
            long updateId = random.nextLong(1, 1L << 40);
            BookUpdate update = new BookUpdate(
                    key,
                    ts,
                    ts + 3,
                    random.nextBoolean() ? Side.BUY : Side.SELL,
                    Decimal.of(random.nextLong(1, 10_000_000L), 2),
                    Decimal.of(random.nextLong(0, 1_000_000L), 8),
                    updateId,
                    updateId + random.nextInt(3),
                    random.nextInt(16));
            syncWriter.appendBookUpdate(update);
            asyncWriter.appendBookUpdate(update);
        } else {
            GapMarker gap = new GapMarker(key, "trades", ts, ts + random.nextInt(1_000_000_000), "test " + ts);
            syncWriter.appendGap(gap);
            asyncWriter.appendGap(gap);
        }
    }

    private static void assertSameRows(TickStore expected, TickStore actual, List<SeriesKey> series, long seed) {
        for (SeriesKey key : series) {
            assertThat(StoreTestRows.readAll(actual, key))
                    .as("trades of %s, seed %d", key, seed)
                    .isEqualTo(StoreTestRows.readAll(expected, key));
            List<BookUpdate> expectedBook = new ArrayList<>();
            List<BookUpdate> actualBook = new ArrayList<>();
            expected.bookUpdates(key, Long.MIN_VALUE, Long.MAX_VALUE, expectedBook::add);
            actual.bookUpdates(key, Long.MIN_VALUE, Long.MAX_VALUE, actualBook::add);
            assertThat(actualBook).as("book of %s, seed %d", key, seed).isEqualTo(expectedBook);
            assertThat(actual.gaps(key, Long.MIN_VALUE, Long.MAX_VALUE))
                    .as("gaps of %s, seed %d", key, seed)
                    .isEqualTo(expected.gaps(key, Long.MIN_VALUE, Long.MAX_VALUE));
        }
    }
}
