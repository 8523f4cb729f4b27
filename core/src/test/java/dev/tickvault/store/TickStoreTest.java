package dev.tickvault.store;

import static dev.tickvault.store.StoreTestRows.inStoreOrder;
import static dev.tickvault.store.StoreTestRows.read;
import static dev.tickvault.store.StoreTestRows.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TickStoreTest {

    private static final long DAY = 86_400_000_000_000L;
    private static final long T0 = 1_723_161_253_000_000_000L; // 2024-08-08T23:54:13Z

    @TempDir
    Path dir;

    private final SeriesKey btc = SeriesKey.of("binance", "BTCUSDT");

    private Trade trade(SeriesKey series, long ts, String price, String qty, Side side, long id) {
        return new Trade(series, ts, ts + 1_270_000, Decimal.parse(price), Decimal.parse(qty), side, id);
    }

    @Test
    void committedTradesReadBackExactlyBeforeAndAfterFlushAndReopen() {
        List<Trade> written = new ArrayList<>();
        try (TickStore store = TickStore.open(dir, StoreConfig.defaults())) {
            try (StoreWriter writer = store.newWriter()) {
                for (int i = 0; i < 50_000; i++) {
                    Trade t = trade(
                            btc,
                            T0 + i * 1_000_000L,
                            "61837.6" + (i % 10) + "000000",
                            "0.00" + (i % 97 + 1),
                            Side.values()[i % 3],
                            1000 + i);
                    writer.appendTrade(t);
                    written.add(t);
                }
                writer.commit();
            }
            assertThat(readAll(store, btc)).isEqualTo(written);
            store.flush();
            assertThat(readAll(store, btc)).isEqualTo(written);
        }
        try (TickStore store = TickStore.open(dir, StoreConfig.defaults())) {
            assertThat(readAll(store, btc)).isEqualTo(written);
            assertThat(store.tradeSeries()).containsExactly(btc);
            assertThat(store.stats().totalRows()).isEqualTo(written.size());
            assertThat(store.stats().walBytes())
                    .as("flushed records left the log")
                    .isLessThan(1024);
        }
    }

    @Test
    void aFlushOfManySeriesWritesOneChunkPerSeriesAndDayAndLosesNoRow() {
        // The flush deals the series out to two threads: each series and day must still be one chunk file.
        List<SeriesKey> series = new ArrayList<>();
        for (int s = 0; s < 13; s++) {
            series.add(SeriesKey.of(s % 2 == 0 ? "binance" : "kraken", "SYM" + s));
        }
        List<List<Trade>> written = new ArrayList<>();
        try (TickStore store = TickStore.open(dir, StoreConfig.defaults())) {
            try (StoreWriter writer = store.newWriter()) {
                for (int s = 0; s < series.size(); s++) {
                    List<Trade> trades = new ArrayList<>();
                    int rows = 1 + s * 1_500; // series 0 has one row; the largest spans blocks and both days
                    for (int i = 0; i < rows; i++) {
                        // every third series crosses midnight (T0 is six minutes before it)
                        long ts = T0 + i * (s % 3 == 0 ? 30_000_000_000L / (1 + s) : 1_000_000L);
                        Trade t = trade(series.get(s), ts, "1." + (i % 100), "0.5", Side.BUY, i);
                        writer.appendTrade(t);
                        trades.add(t);
                    }
                    written.add(trades);
                }
                writer.commit();
            }
            store.flush();
            assertThat(store.stats().memtableRows()).isZero();
            for (StoreStats.PartitionStats partition : store.stats().partitions()) {
                assertThat(partition.files()).as("chunk files of %s", partition).isEqualTo(1);
            }
        }
        try (TickStore store = TickStore.open(dir, StoreConfig.defaults())) {
            for (int s = 0; s < series.size(); s++) {
                assertThat(readAll(store, series.get(s)))
                        .as("series %s", series.get(s))
                        .isEqualTo(written.get(s));
            }
            assertThat(store.stats().partitions().stream().map(StoreStats.PartitionStats::day))
                    .contains("2024-08-08", "2024-08-09");
        }
    }

    @Test
    void uncommittedRowsAreInvisibleAndRollbackDropsThem() {
        try (TickStore store = TickStore.open(dir, StoreConfig.defaults());
                StoreWriter writer = store.newWriter()) {
            writer.appendTrade(trade(btc, T0, "1.0", "2.0", Side.BUY, 1));
            assertThat(readAll(store, btc)).isEmpty();
            writer.rollback();
            writer.commit();
            assertThat(readAll(store, btc)).isEmpty();
            writer.appendTrade(trade(btc, T0, "1.0", "2.0", Side.BUY, 1));
            writer.commit();
            assertThat(readAll(store, btc)).hasSize(1);
        }
    }

    @Test
    void outOfOrderAndEqualTimestampsComeBackInTimeOrderKeepingCommitOrderOnTies() {
        List<Trade> committed = new ArrayList<>();
        try (TickStore store = TickStore.open(dir, StoreConfig.defaults());
                StoreWriter writer = store.newWriter()) {
            long[] times = {T0 + 5, T0 + 1, T0 + 5, T0 - DAY, T0 + 3, T0 + 1, T0 + DAY + 7, T0 + 5};
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < times.length; i++) {
                    Trade t = trade(btc, times[i] - round, round + "." + i, "1", Side.SELL, round * 100 + i);
                    writer.appendTrade(t);
                    committed.add(t);
                }
                writer.commit();
                if (round == 1) {
                    store.flush(); // later rows then overlap rows already on disk
                }
            }
            assertThat(readAll(store, btc)).isEqualTo(inStoreOrder(committed));
            assertThat(StoreTestRows.readBatches(store, btc, Long.MIN_VALUE, Long.MAX_VALUE))
                    .isEqualTo(inStoreOrder(committed));
            store.flush();
            assertThat(readAll(store, btc)).isEqualTo(inStoreOrder(committed));
        }
        try (TickStore store = TickStore.open(dir, StoreConfig.defaults())) {
            assertThat(readAll(store, btc)).isEqualTo(inStoreOrder(committed));
            assertThat(store.stats().partitions())
                    .extracting(StoreStats.PartitionStats::day)
                    .contains("2024-08-07", "2024-08-08", "2024-08-09");
        }
    }

    @Test
    void rangeQueriesAreHalfOpenAndReadOnlyTheRange() {
        List<Trade> all = new ArrayList<>();
        try (TickStore store = TickStore.open(dir, StoreConfig.defaults());
                StoreWriter writer = store.newWriter()) {
            for (int i = 0; i < 100_000; i++) {
                Trade t = trade(btc, T0 + i * 10_000_000L, "100.25", "3", Side.BUY, i);
                writer.appendTrade(t);
                all.add(t);
                if (i % 30_000 == 0) {
                    writer.commit();
                    store.flush();
                }
            }
            writer.commit();
            long from = all.get(12_345).tsNanos();
            long to = all.get(67_890).tsNanos();
            assertThat(read(store, btc, from, to)).isEqualTo(all.subList(12_345, 67_890));
            assertThat(read(store, btc, to, from)).isEmpty();
            assertThat(read(store, btc, from, from)).isEmpty();
            assertThat(read(store, btc, from, from + 1)).containsExactly(all.get(12_345));
        }
    }

    @Test
    void textualTradeIdsBookUpdatesAndGapsRoundTrip() {
        SeriesKey cb = SeriesKey.of("coinbase", "BTC-USD");
        Trade textual = new Trade(
                cb,
                T0,
                T0 + 5,
                Decimal.parse("61000.01"),
                Decimal.parse("0.5"),
                Side.BUY,
                Trade.NO_TRADE_ID,
                "3f2a-uuid-77");
        Trade numeric = new Trade(cb, T0 + 1, T0 + 6, Decimal.parse("61000.02"), Decimal.parse("0.25"), Side.SELL, 42);
        BookUpdate bid = new BookUpdate(
                cb,
                T0,
                T0 + 9,
                Side.BUY,
                Decimal.parse("60999.99"),
                Decimal.parse("1.50000000"),
                10,
                12,
                BookUpdate.SNAPSHOT_BEGIN | BookUpdate.SNAPSHOT_END);
        GapMarker gap = new GapMarker(cb, "trades", T0 + 10, T0 + 20, "reconnect");
        try (TickStore store = TickStore.open(dir, StoreConfig.defaults());
                StoreWriter writer = store.newWriter()) {
            writer.appendTrade(textual);
            writer.appendTrade(numeric);
            writer.appendBookUpdate(bid);
            writer.appendGap(gap);
            writer.commit();
            store.flush();
        }
        try (TickStore store = TickStore.open(dir, StoreConfig.defaults())) {
            assertThat(readAll(store, cb)).containsExactly(textual, numeric);
            List<BookUpdate> book = new ArrayList<>();
            store.bookUpdates(cb, Long.MIN_VALUE, Long.MAX_VALUE, book::add);
            assertThat(book).containsExactly(bid);
            assertThat(store.gaps(cb, T0 + 15, T0 + 16)).containsExactly(gap);
            assertThat(store.gaps(cb, T0 + 20, T0 + 30)).isEmpty();
        }
    }

    @Test
    void symbolsWithPathCharactersStayInsideTheStore() throws IOException {
        List<String> symbols = List.of("XBT/USD", "../../etc", "..", ".", "a\\b", "%2e%2e", "BTC-USD", "btc-usd");
        try (TickStore store = TickStore.open(dir, StoreConfig.defaults());
                StoreWriter writer = store.newWriter()) {
            for (String symbol : symbols) {
                writer.appendTrade(trade(SeriesKey.of("kraken", symbol), T0, "1", "1", Side.BUY, 1));
            }
            writer.commit();
            store.flush();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            assertThat(files.filter(p -> p.toString().endsWith(".tvc")).toList())
                    .hasSize(symbols.size())
                    .allMatch(p -> p.startsWith(dir));
        }
        try (TickStore store = TickStore.open(dir, StoreConfig.defaults())) {
            for (String symbol : symbols) {
                assertThat(readAll(store, SeriesKey.of("kraken", symbol))).hasSize(1);
            }
        }
    }

    @Test
    void invalidNamesAreRejectedWithAClearMessage() {
        assertThatThrownBy(() -> SeriesKey.of("../x", "BTC")).hasMessageContaining("invalid exchange name");
        assertThatThrownBy(() -> SeriesKey.of("Binance", "BTC")).hasMessageContaining("invalid exchange name");
        assertThatThrownBy(() -> SeriesKey.of("binance", "BTC USD")).hasMessageContaining("invalid symbol");
        assertThatThrownBy(() -> SeriesKey.of("binance", "")).hasMessageContaining("invalid symbol");
    }

    @Test
    void aSecondProcessCannotOpenTheSameDirectoryAndAClosedStoreRefusesWork() {
        TickStore store = TickStore.open(dir, StoreConfig.defaults());
        StoreWriter writer = store.newWriter();
        store.close();
        store.close(); // idempotent
        writer.appendTrade(trade(btc, T0, "1", "1", Side.BUY, 1));
        assertThatThrownBy(writer::commit).isInstanceOf(StorageException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> store.trades(btc, 0, 1)).isInstanceOf(StorageException.class);
    }

    @Test
    void concurrentWritersAllCommitAndEveryRowIsReadOnce() throws Exception {
        int threads = 4;
        int perThread = 20_000;
        try (TickStore store = TickStore.open(dir, StoreConfig.defaults().withMemtableLimitBytes(1 << 20))) {
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                workers.add(Thread.ofPlatform().start(() -> {
                    try (StoreWriter writer = store.newWriter()) {
                        for (int i = 0; i < perThread; i++) {
                            writer.appendTrade(trade(btc, T0 + i, "1", "1", Side.BUY, (long) id * perThread + i));
                            if (i % 500 == 499) {
                                writer.commit();
                            }
                        }
                        writer.commit();
                    }
                }));
            }
            for (Thread w : workers) {
                w.join();
            }
            List<Trade> all = readAll(store, btc);
            assertThat(all).hasSize(threads * perThread);
            assertThat(all.stream().mapToLong(Trade::tradeId).distinct().count())
                    .isEqualTo((long) threads * perThread);
            assertThat(all).isSortedAccordingTo(java.util.Comparator.comparingLong(Trade::tsNanos));
        }
    }

    @Test
    void deduplicationDropsRepeatedTradeIdsWithinACommitAcrossCommitsFlushesAndReopens() {
        StoreConfig dedup = StoreConfig.defaults().withDeduplicateTradeIds(true);
        SeriesKey cb = SeriesKey.of("coinbase", "BTC-USD");
        try (TickStore store = TickStore.open(dir, dedup);
                StoreWriter writer = store.newWriter()) {
            for (long id = 1; id <= 100; id++) {
                writer.appendTrade(trade(btc, T0 + id, "1", "1", Side.BUY, id));
            }
            writer.appendTrade(trade(btc, T0 + 5, "1", "1", Side.BUY, 5)); // repeated inside the commit
            writer.commit();
            store.flush();
            for (long id = 50; id <= 150; id++) {
                writer.appendTrade(trade(btc, T0 + id, "1", "1", Side.BUY, id));
            }
            writer.appendTrade(
                    new Trade(cb, T0, T0, Decimal.parse("1"), Decimal.parse("1"), Side.BUY, Trade.NO_TRADE_ID, "a"));
            writer.appendTrade(
                    new Trade(cb, T0, T0, Decimal.parse("1"), Decimal.parse("1"), Side.BUY, Trade.NO_TRADE_ID, "a"));
            writer.appendTrade(
                    new Trade(cb, T0, T0, Decimal.parse("1"), Decimal.parse("1"), Side.BUY, Trade.NO_TRADE_ID, null));
            writer.appendTrade(
                    new Trade(cb, T0, T0, Decimal.parse("1"), Decimal.parse("1"), Side.BUY, Trade.NO_TRADE_ID, null));
            writer.commit();
            assertThat(store.duplicateTradesDropped()).isEqualTo(1 + 51 + 1);
            assertThat(readAll(store, cb)).hasSize(3); // trades without an id are never duplicates
        }
        try (TickStore store = TickStore.open(dir, dedup);
                StoreWriter writer = store.newWriter()) {
            for (long id = 140; id <= 160; id++) {
                writer.appendTrade(trade(btc, T0 + id, "1", "1", Side.BUY, id));
            }
            writer.commit();
            List<Trade> all = readAll(store, btc);
            assertThat(all)
                    .extracting(Trade::tradeId)
                    .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 160)
                            .boxed()
                            .toList());
        }
        try (TickStore store = TickStore.open(dir, StoreConfig.defaults());
                StoreWriter writer = store.newWriter()) {
            writer.appendTrade(trade(btc, T0 + 1, "1", "1", Side.BUY, 1));
            writer.commit();
            assertThat(readAll(store, btc)).hasSize(161); // without deduplication, repeats are kept
        }
    }

    @Test
    void aDamagedCheckpointOnlyCostsAFullReplayAndARemovedLogIsRefused() throws IOException {
        List<Trade> written = new ArrayList<>();
        try (TickStore store = TickStore.open(dir, StoreConfig.defaults());
                StoreWriter writer = store.newWriter()) {
            for (int i = 0; i < 1000; i++) {
                Trade t = trade(btc, T0 + i, "5", "1", Side.SELL, i);
                writer.appendTrade(t);
                written.add(t);
                if (i % 100 == 99) {
                    writer.commit();
                    if (i == 499) {
                        store.flush();
                    }
                }
            }
        }
        Path checkpoint = dir.resolve("CHECKPOINT");
        byte[] bytes = Files.readAllBytes(checkpoint);
        bytes[9] ^= 1;
        Files.write(checkpoint, bytes);
        assertThat(TickStore.verify(dir).problems())
                .extracting(VerifyReport.Problem::file)
                .containsExactly(checkpoint);
        try (TickStore store = TickStore.open(dir, StoreConfig.defaults())) {
            assertThat(readAll(store, btc)).isEqualTo(written);
        }
        assertThat(TickStore.verify(dir).clean()).isTrue(); // the close rewrote it

        try (Stream<Path> wal = Files.list(dir.resolve("wal"))) {
            for (Path segment : wal.toList()) {
                Files.delete(segment);
            }
        }
        assertThatThrownBy(() -> TickStore.open(dir, StoreConfig.defaults()))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("write-ahead log ends at sequence 0");
    }

    @Test
    void aWriterThatNeverCommitsIsStoppedByBackPressureAndLosesNothingItAlreadyHolds() {
        StoreConfig small = StoreConfig.defaults().withMemtableLimitBytes(1 << 20);
        try (TickStore store = TickStore.open(dir, small);
                StoreWriter writer = store.newWriter()) {
            int appended = 0;
            StorageException refused = null;
            try {
                for (; appended < 1_000_000; appended++) {
                    writer.appendTrade(trade(btc, T0 + appended, "1", "1", Side.BUY, appended));
                }
            } catch (StorageException e) {
                refused = e;
            }
            assertThat(refused).isNotNull();
            assertThat(refused.kind()).isEqualTo(StorageException.Kind.BACK_PRESSURE);
            assertThat(refused).hasMessageContaining("commit more often");
            assertThat(writer.pendingRows()).isEqualTo(appended);
            writer.commit();
            assertThat(readAll(store, btc)).hasSize(appended);
            writer.appendTrade(trade(btc, T0 + appended, "1", "1", Side.BUY, appended));
            writer.commit();
            assertThat(readAll(store, btc)).hasSize(appended + 1);
        }
    }

    @Test
    void outOfRangeScalesAreRejectedBeforeAnythingIsBuffered() {
        try (TickStore store = TickStore.open(dir, StoreConfig.defaults());
                StoreWriter writer = store.newWriter()) {
            assertThatThrownBy(() -> writer.appendTrade(btc, T0, T0, 1, 19, 1, 0, Side.BUY, 1))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("scale");
            assertThatThrownBy(() -> writer.appendTrade(btc, T0, T0, 1, 0, 1, -1, Side.BUY, 1))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> writer.appendTrade(btc, T0, T0, 1, 0, 1, 0, null, 1))
                    .isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> writer.appendTrade(null, T0, T0, 1, 0, 1, 0, Side.BUY, 1))
                    .isInstanceOf(NullPointerException.class);
            assertThat(writer.pendingRows()).isZero();
        }
    }

    @Test
    void aFlushNeverReusesTheNameOfAChunkFileThatFailedItsChecks() throws IOException {
        try (TickStore store = TickStore.open(dir, StoreConfig.defaults());
                StoreWriter writer = store.newWriter()) {
            writer.appendTrade(trade(btc, T0, "1", "1", Side.BUY, 1));
            writer.commit();
        }
        Path damaged;
        try (Stream<Path> files = Files.walk(dir)) {
            damaged =
                    files.filter(p -> p.toString().endsWith(".tvc")).findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(damaged);
        bytes[20] ^= 1; // inside the header: the file fails its checks at open
        Files.write(damaged, bytes);
        try (TickStore store = TickStore.open(dir, StoreConfig.defaults());
                StoreWriter writer = store.newWriter()) {
            writer.appendTrade(trade(btc, T0 + 1, "1", "1", Side.BUY, 2));
            writer.commit();
            store.flush();
            assertThatThrownBy(() -> readAll(store, btc))
                    .hasMessageContaining(damaged.getFileName().toString());
        }
        assertThat(Files.readAllBytes(damaged))
                .as("the damaged file is kept for repair")
                .isEqualTo(bytes);
        try (Stream<Path> files = Files.walk(dir)) {
            assertThat(files.filter(p -> p.toString().endsWith(".tvc")).count()).isEqualTo(2);
        }
    }
}
