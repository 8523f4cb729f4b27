package dev.tickvault.store;

import static dev.tickvault.store.StoreTestRows.readAll;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tickvault.model.BookUpdate;
import dev.tickvault.model.Decimal;
import dev.tickvault.model.GapMarker;
import dev.tickvault.model.SeriesKey;
import dev.tickvault.model.Side;
import dev.tickvault.model.Trade;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rows that reached only the write-ahead log (no flush) come back exactly from a copy of the store's files taken
 * while it was open — what a crash leaves behind — for every table and every column kind of the commit record.
 */
class CommitLogReplayTest {

    private static final long T0 = 1_723_161_253_000_000_000L;

    @TempDir
    Path dir;

    @TempDir
    Path copy;

    @Test
    void everyTableAndColumnKindIsReplayedFromTheLogAlone() throws IOException {
        SeriesKey spot = SeriesKey.of("binance", "BTCUSDT");
        SeriesKey cb = SeriesKey.of("coinbase", "BTC-USD");
        long seed = System.nanoTime();
        Random random = new Random(seed);
        List<Trade> spotTrades = new ArrayList<>();
        List<Trade> cbTrades = new ArrayList<>();
        List<BookUpdate> book = new ArrayList<>();
        List<GapMarker> gaps = new ArrayList<>();
        // A large memory limit: nothing is flushed, so every row below lives only in memory and in the log.
        StoreConfig config = StoreConfig.defaults().withMemtableLimitBytes(1L << 30);
        try (TickStore store = TickStore.open(dir, config);
                StoreWriter writer = store.newWriter()) {
            for (int commit = 0; commit < 5; commit++) {
                for (int i = 0; i < 3_000; i++) {
                    long ts = T0 + random.nextInt(1_000_000); // out of order within and across commits
                    Trade numeric = new Trade(
                            spot,
                            ts,
                            ts + random.nextInt(5_000),
                            Decimal.of(6_100_000 + random.nextInt(1000), 2),
                            Decimal.of(1 + random.nextInt(100_000), 8),
                            random.nextBoolean() ? Side.BUY : Side.SELL,
                            commit * 10_000L + i);
                    writer.appendTrade(numeric);
                    spotTrades.add(numeric);
                    if (i % 7 == 0) { // textual ids on some rows only, numeric on the others
                        Trade textual = i % 14 == 0
                                ? new Trade(
                                        cb,
                                        ts,
                                        ts + 3,
                                        Decimal.of(6_100_001, 2),
                                        Decimal.of(5, 1),
                                        Side.UNKNOWN,
                                        Trade.NO_TRADE_ID,
                                        "id-" + commit + "-" + i)
                                : new Trade(cb, ts, ts + 3, Decimal.of(6_100_002, 2), Decimal.of(25, 2), Side.SELL, i);
                        writer.appendTrade(textual);
                        cbTrades.add(textual);
                    }
                    if (i % 3 == 0) {
                        BookUpdate update = new BookUpdate(
                                cb,
                                ts,
                                ts + 9,
                                i % 2 == 0 ? Side.BUY : Side.SELL,
                                Decimal.of(6_099_999 - random.nextInt(50), 2),
                                Decimal.of(random.nextInt(3) == 0 ? 0 : 1 + random.nextInt(1000), 3),
                                i,
                                i + 2,
                                i % 9 == 0 ? BookUpdate.EVENT_END : 0);
                        writer.appendBookUpdate(update);
                        book.add(update);
                    }
                }
                GapMarker gap =
                        new GapMarker(cb, "trades", T0 + commit * 10L, T0 + commit * 10L + 5, "reconnect " + commit);
                writer.appendGap(gap);
                gaps.add(gap);
                writer.commit();
            }
            copyStore(dir, copy);
        }
        try (TickStore store = TickStore.open(copy, config)) {
            assertThat(readAll(store, spot)).as("seed %d", seed).containsExactlyElementsOf(inTimeOrder(spotTrades));
            assertThat(readAll(store, cb)).as("seed %d", seed).containsExactlyElementsOf(inTimeOrder(cbTrades));
            List<BookUpdate> replayed = new ArrayList<>();
            store.bookUpdates(cb, Long.MIN_VALUE, Long.MAX_VALUE, replayed::add);
            List<BookUpdate> expected = new ArrayList<>(book);
            expected.sort(Comparator.comparingLong(BookUpdate::tsNanos)); // stable: commit order on equal times
            assertThat(replayed).as("seed %d", seed).containsExactlyElementsOf(expected);
            assertThat(store.gaps(cb, Long.MIN_VALUE, Long.MAX_VALUE)).containsExactlyElementsOf(gaps);
        }
    }

    private static List<Trade> inTimeOrder(List<Trade> trades) {
        List<Trade> sorted = new ArrayList<>(trades);
        sorted.sort(Comparator.comparingLong(Trade::tsNanos)); // stable: commit order on equal times
        return sorted;
    }

    /** Copies every file except the lock, as a crash would leave them (the log is written, nothing is flushed). */
    private static void copyStore(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : files.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else if (!source.getFileName().toString().equals("LOCK")) {
                    Files.copy(source, target);
                }
            }
        }
        try (Stream<Path> files = Files.walk(to)) {
            assertThat(files.filter(p -> p.toString().endsWith(".tvc")).count())
                    .as("nothing was flushed before the copy")
                    .isZero();
        }
    }
}
