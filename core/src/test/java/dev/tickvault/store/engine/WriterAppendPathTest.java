package dev.tickvault.store.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tickvault.model.BookUpdate;
import dev.tickvault.model.SeriesKey;
import dev.tickvault.model.Side;
import dev.tickvault.store.Durability;
import dev.tickvault.store.StoreConfig;
import dev.tickvault.store.StoreWriter;
import dev.tickvault.store.Table;
import dev.tickvault.store.TickStore;
import dev.tickvault.store.TradeCursor;
import dev.tickvault.store.memtable.ColumnData;
import dev.tickvault.testing.RandomCases;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The writer's per-row path ({@link TradeAppender}, {@link BookAppender}, the last-series shortcut and the series
 * cache in front of them): every row lands in its own series' buffer, whole, whatever the order of series, the
 * buffers' growth, commits, rollbacks and the caches forgetting entries.
 */
class WriterAppendPathTest {

    private static final long T0 = 1_723_161_253_000_000_000L;

    @TempDir
    Path dir;

    @Test
    void aTradeAppenderGrowsItsTilesAndMaterializesEveryRowInColumns() {
        ColumnData rows = new ColumnData(Table.TRADES, 4);
        TradeAppender appender = new TradeAppender(rows);
        int count = 5_000; // many growths from 64 rows
        for (int i = 0; i < count; i++) {
            appender.append(i, i + 1, i + 2, i + 3, i + 4, (byte) (i % 19), (byte) (i % 7), (byte) (i % 3));
        }
        assertThat(appender.size()).isEqualTo(count);
        assertThat(rows.size()).as("the columns are filled by materialize only").isZero();
        appender.materialize();
        assertThat(rows.size()).isEqualTo(count);
        assertThat(rows.capacity()).isGreaterThanOrEqualTo(count);
        for (int i = 0; i < count; i++) {
            assertThat(rows.longs(Table.TS)[i]).isEqualTo(i);
            assertThat(rows.longs(Table.RECV_TS)[i]).isEqualTo(i + 1);
            assertThat(rows.longs(Table.PRICE)[i]).isEqualTo(i + 2);
            assertThat(rows.longs(Table.QTY)[i]).isEqualTo(i + 3);
            assertThat(rows.longs(Table.TRADE_ID)[i]).isEqualTo(i + 4);
            assertThat(rows.bytes(Table.PRICE_SCALE)[i]).isEqualTo((byte) (i % 19));
            assertThat(rows.bytes(Table.QTY_SCALE)[i]).isEqualTo((byte) (i % 7));
            assertThat(rows.bytes(Table.SIDE)[i]).isEqualTo((byte) (i % 3));
        }
    }

    @Test
    void aBookAppenderReReadsTheArraysAfterItsBufferGrew() {
        ColumnData rows = new ColumnData(Table.BOOK, 1);
        BookAppender appender = new BookAppender(rows);
        int count = 3_000;
        for (int i = 0; i < count; i++) {
            appender.append(
                    i, -i, 2L * i, 3L * i, 4L * i, 5L * i, (byte) (i % 19), (byte) (i % 5), (byte) (i % 3), (byte) i);
        }
        assertThat(rows.size()).isEqualTo(count);
        for (int i = 0; i < count; i++) {
            assertThat(rows.longs(Table.TS)[i]).isEqualTo(i);
            assertThat(rows.longs(Table.RECV_TS)[i]).isEqualTo(-i);
            assertThat(rows.longs(Table.PRICE)[i]).isEqualTo(2L * i);
            assertThat(rows.longs(Table.QTY)[i]).isEqualTo(3L * i);
            assertThat(rows.longs(Table.FIRST_UPDATE_ID)[i]).isEqualTo(4L * i);
            assertThat(rows.longs(Table.LAST_UPDATE_ID)[i]).isEqualTo(5L * i);
            assertThat(rows.bytes(Table.PRICE_SCALE)[i]).isEqualTo((byte) (i % 19));
            assertThat(rows.bytes(Table.QTY_SCALE)[i]).isEqualTo((byte) (i % 5));
            assertThat(rows.bytes(Table.SIDE)[i]).isEqualTo((byte) (i % 3));
            assertThat(rows.bytes(Table.FLAGS)[i]).isEqualTo((byte) i);
        }
    }

    @Test
    void anAppenderFollowsGrowthByAnotherPathEvenAfterTheBufferWasCleared() {
        ColumnData rows = new ColumnData(Table.BOOK, 8);
        BookAppender appender = new BookAppender(rows);
        appender.append(1, 1, 1, 1, 1, 1, (byte) 1, (byte) 1, (byte) 1, (byte) 1);
        rows.reserve(100); // grows behind the appender's back: its arrays are stale now
        rows.clear(); // the next row (0) is inside the stale arrays' length: only the capacity tells they are stale
        appender.append(7, 8, 9, 10, 11, 12, (byte) 2, (byte) 3, (byte) 2, (byte) 4);
        assertThat(rows.size()).isOne();
        assertThat(rows.longs(Table.TS)[0]).isEqualTo(7);
        assertThat(rows.longs(Table.LAST_UPDATE_ID)[0]).isEqualTo(12);
        assertThat(rows.bytes(Table.SIDE)[0]).isEqualTo((byte) 2);
    }

    @Test
    void anAppenderTakesOnlyItsTable() {
        assertThatThrownBy(() -> new TradeAppender(new ColumnData(Table.BOOK, 1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BookAppender(new ColumnData(Table.TRADES, 1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** One trade as appended, and as read back. */
    private record TradeRow(
            long tsNanos, long priceMantissa, int priceScale, long quantityMantissa, Side side, long id) {}

    /** One book update as appended, and as read back. */
    private record BookRow(long tsNanos, Side side, long priceMantissa, int priceScale, long lastUpdateId, int flags) {}

    /**
     * Random runs of a few series (alternating, long runs of one, trades and book updates interleaved) with random
     * commits, asynchronous commits and rollbacks: what the store holds afterwards is exactly the rows not rolled back,
     * each in its own series.
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("dev.tickvault.testing.RandomCases#fewSeeds")
    void rowsLandInTheirOwnSeriesWhateverTheOrderCommitsAndRollbacks(long seed) {
        RandomGenerator random = RandomCases.random(seed);
        int seriesCount = RandomCases.intBetween(random, 1, 6);
        SeriesKey[] series = new SeriesKey[seriesCount];
        for (int s = 0; s < seriesCount; s++) {
            series[s] = SeriesKey.of("binance", "SYM" + s);
        }
        Map<SeriesKey, List<TradeRow>> trades = new HashMap<>();
        Map<SeriesKey, List<BookRow>> book = new HashMap<>();
        Map<SeriesKey, List<TradeRow>> pendingTrades = new HashMap<>();
        Map<SeriesKey, List<BookRow>> pendingBook = new HashMap<>();
        long ts = T0;
        long tradeId = 0;
        try (TickStore store = TickStore.open(dir, config());
                StoreWriter writer = store.newWriter()) {
            int current = 0;
            for (int step = 0; step < 20_000; step++) {
                // mostly runs of one series (the shortcut), sometimes a switch (the cache), sometimes a strict
                // alternation
                int pattern = random.nextInt(10);
                current =
                        pattern < 6 ? current : pattern < 9 ? random.nextInt(seriesCount) : (current + 1) % seriesCount;
                SeriesKey key = series[current];
                ts += 1 + random.nextInt(1_000);
                if (random.nextBoolean()) {
                    TradeRow row = new TradeRow(
                            ts,
                            RandomCases.longBetween(random, 1, 1L << 40),
                            random.nextInt(19),
                            RandomCases.longBetween(random, 1, 1L << 40),
                            random.nextBoolean() ? Side.BUY : Side.SELL,
                            tradeId++);
                    writer.appendTrade(
                            key,
                            row.tsNanos(),
                            row.tsNanos() + 5,
                            row.priceMantissa(),
                            row.priceScale(),
                            row.quantityMantissa(),
                            2,
                            row.side(),
                            row.id());
                    pendingTrades.computeIfAbsent(key, k -> new ArrayList<>()).add(row);
                } else {
                    BookRow row = new BookRow(
                            ts,
                            random.nextBoolean() ? Side.BUY : Side.SELL,
                            RandomCases.longBetween(random, 1, 1L << 40),
                            random.nextInt(19),
                            step,
                            random.nextInt(16));
                    writer.appendBookUpdate(
                            key,
                            row.tsNanos(),
                            row.tsNanos() + 5,
                            row.side(),
                            row.priceMantissa(),
                            row.priceScale(),
                            7,
                            0,
                            row.lastUpdateId(),
                            row.lastUpdateId(),
                            row.flags());
                    pendingBook.computeIfAbsent(key, k -> new ArrayList<>()).add(row);
                }
                int action = random.nextInt(1_000);
                if (action < 3) {
                    writer.rollback();
                    pendingTrades.clear();
                    pendingBook.clear();
                } else if (action < 8) {
                    if (action < 5) {
                        writer.commit();
                    } else {
                        writer.commitAsync();
                    }
                    pendingTrades.forEach((k, rows) ->
                            trades.computeIfAbsent(k, x -> new ArrayList<>()).addAll(rows));
                    pendingBook.forEach((k, rows) ->
                            book.computeIfAbsent(k, x -> new ArrayList<>()).addAll(rows));
                    pendingTrades.clear();
                    pendingBook.clear();
                }
            }
            writer.commit();
            pendingTrades.forEach((k, rows) ->
                    trades.computeIfAbsent(k, x -> new ArrayList<>()).addAll(rows));
            pendingBook.forEach(
                    (k, rows) -> book.computeIfAbsent(k, x -> new ArrayList<>()).addAll(rows));
            for (SeriesKey key : series) {
                assertThat(tradesOf(store, key))
                        .as("seed %d: trades of %s", seed, key)
                        .isEqualTo(trades.getOrDefault(key, List.of()));
                assertThat(bookOf(store, key))
                        .as("seed %d: book updates of %s", seed, key)
                        .isEqualTo(book.getOrDefault(key, List.of()));
            }
        }
    }

    /**
     * More series than the caches hold ({@link SeriesBufferCache#MAX_SLOTS} / 2 entries) and than a buffer set keeps
     * when cleared: the caches forget mid-stream, clearing drops the buffers, and every row still lands in its own
     * series' buffer. (Checked on the uncommitted buffers: committing this many series takes minutes.)
     */
    @Test
    void moreSeriesThanTheCachesHoldStillLandInTheirOwnSeries() {
        int seriesCount = SeriesBufferCache.MAX_SLOTS / 2 + 1_000;
        SeriesKey[] series = new SeriesKey[seriesCount];
        for (int s = 0; s < seriesCount; s++) {
            series[s] = SeriesKey.of("venue", "S" + s);
        }
        try (TickStore store = TickStore.open(dir, config());
                StoreWriter writer = store.newWriter()) {
            BufferedStoreWriter buffered = (BufferedStoreWriter) writer;
            for (int round = 0; round < 3; round++) {
                for (int repeat = 0; repeat < 2; repeat++) { // each series twice: the second time it may be forgotten
                    for (int s = 0; s < seriesCount; s++) {
                        long ts = T0 + s;
                        writer.appendTrade(series[s], ts, ts, s, 2, repeat, 0, Side.BUY, repeat);
                        writer.appendBookUpdate(series[s], ts, ts, Side.SELL, s, 2, repeat, 0, round, round, 0);
                    }
                }
                assertThat(writer.pendingRows()).isEqualTo(4 * seriesCount);
                for (int s = 0; s < seriesCount; s++) {
                    ColumnData trades = buffered.pendingRows(Table.TRADES, series[s]);
                    assertThat(trades.size()).as("trades of %s", series[s]).isEqualTo(2);
                    assertThat(trades.longs(Table.PRICE)[0]).isEqualTo(s);
                    assertThat(trades.longs(Table.PRICE)[1]).isEqualTo(s);
                    assertThat(trades.longs(Table.TRADE_ID)[1]).isEqualTo(1);
                    ColumnData book = buffered.pendingRows(Table.BOOK, series[s]);
                    assertThat(book.size()).as("book of %s", series[s]).isEqualTo(2);
                    assertThat(book.longs(Table.PRICE)[1]).isEqualTo(s);
                    assertThat(book.longs(Table.LAST_UPDATE_ID)[1]).isEqualTo(round);
                }
                writer.rollback(); // more than a set keeps: its buffers and caches go
            }
            // and a commit after all that holds exactly what was appended since
            writer.appendTrade(series[0], T0, T0, 5, 2, 1, 0, Side.BUY, 9);
            writer.appendTrade(series[seriesCount - 1], T0, T0, 6, 2, 1, 0, Side.SELL, 10);
            writer.appendTrade(series[0], T0 + 1, T0, 7, 2, 1, 0, Side.BUY, 11);
            writer.commit();
            assertThat(tradesOf(store, series[0])).extracting(TradeRow::id).containsExactly(9L, 11L);
            assertThat(tradesOf(store, series[seriesCount - 1]))
                    .extracting(TradeRow::id)
                    .containsExactly(10L);
            assertThat(tradesOf(store, series[1])).isEmpty();
        }
    }

    @Test
    void aRejectedRowLeavesNothingBehindAndTheNextRowOfTheSameSeriesLands() {
        SeriesKey btc = SeriesKey.of("binance", "BTCUSDT");
        try (TickStore store = TickStore.open(dir, config());
                StoreWriter writer = store.newWriter()) {
            writer.appendTrade(btc, T0, T0, 1, 2, 1, 0, Side.BUY, 1);
            assertThatThrownBy(() -> writer.appendTrade(btc, T0 + 1, T0, 2, 99, 1, 0, Side.BUY, 2))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> writer.appendBookUpdate(btc, T0 + 1, T0, Side.BUY, 2, 2, 1, 0, 1, 1, 256))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(writer.pendingRows()).isOne();
            writer.appendTrade(btc, T0 + 2, T0, 3, 2, 1, 0, Side.SELL, 3);
            writer.commit();
            assertThat(tradesOf(store, btc)).extracting(TradeRow::id).containsExactly(1L, 3L);
            assertThat(bookOf(store, btc)).isEmpty();
        }
    }

    private static StoreConfig config() {
        return StoreConfig.defaults().withDurability(Durability.OS);
    }

    private static List<TradeRow> tradesOf(TickStore store, SeriesKey series) {
        List<TradeRow> rows = new ArrayList<>();
        try (TradeCursor cursor = store.trades(series, Long.MIN_VALUE, Long.MAX_VALUE)) {
            while (cursor.next()) {
                rows.add(new TradeRow(
                        cursor.tsNanos(),
                        cursor.priceMantissa(),
                        cursor.priceScale(),
                        cursor.quantityMantissa(),
                        cursor.side(),
                        cursor.tradeId()));
            }
        }
        return rows;
    }

    private static List<BookRow> bookOf(TickStore store, SeriesKey series) {
        List<BookRow> rows = new ArrayList<>();
        store.bookUpdates(
                series,
                Long.MIN_VALUE,
                Long.MAX_VALUE,
                (BookUpdate u) -> rows.add(new BookRow(
                        u.tsNanos(), u.side(), u.price().mantissa(), u.price().scale(), u.lastUpdateId(), u.flags())));
        return rows;
    }
}
