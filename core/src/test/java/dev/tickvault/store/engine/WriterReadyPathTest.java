package dev.tickvault.store.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tickvault.model.Decimal;
import dev.tickvault.model.SeriesKey;
import dev.tickvault.model.Side;
import dev.tickvault.store.Durability;
import dev.tickvault.store.StoreConfig;
import dev.tickvault.store.StoreWriter;
import dev.tickvault.store.Table;
import dev.tickvault.store.TickStore;
import dev.tickvault.store.memtable.ColumnData;
import dev.tickvault.testing.RandomCases;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The writer's per-update book path split into a {@link ColumnAppender#ready()} check with plain stores
 * ({@code appendReady}) and a slow path ({@link ColumnAppender#makeRoom()}, the series lookup, the memory bound):
 * row for row and growth for growth the same buffers as the path before it (a {@link ColumnData} filled with
 * {@link ColumnData#reserve}), rejected rows included; trades (still the path before it) checked beside them.
 */
class WriterReadyPathTest {

    private static final long T0 = 1_723_075_200_000_000_000L;

    @TempDir
    Path dir;

    @Test
    void readyIsFalseWhenFullOrWhenTheArraysWereReplacedAndMakeRoomRestoresIt() {
        ColumnData rows = new ColumnData(Table.BOOK, 2);
        BookAppender appender = new BookAppender(rows);
        assertThat(appender.ready()).isTrue();
        appender.appendReady(1, 1, 1, 1, 1, 1, (byte) 1, (byte) 1, (byte) 1, (byte) 1);
        appender.appendReady(2, 2, 2, 2, 2, 2, (byte) 2, (byte) 2, (byte) 2, (byte) 2);
        assertThat(appender.full()).isTrue();
        assertThat(appender.ready()).isFalse();
        appender.makeRoom();
        assertThat(appender.ready()).isTrue();
        assertThat(rows.capacity()).isEqualTo(2 + 1 + 16); // as reserve(1) grows: half again plus 16
        appender.appendReady(3, 3, 3, 3, 3, 3, (byte) 3, (byte) 3, (byte) 2, (byte) 7);
        assertThat(rows.size()).isEqualTo(3);
        assertThat(rows.longs(Table.TS)).startsWith(1, 2, 3);
        assertThat(rows.bytes(Table.SIDE)).startsWith(1, 2, 2);
        assertThat(rows.bytes(Table.FLAGS)).startsWith(1, 2, 7);

        rows.reserve(100); // grows behind the appender's back
        rows.clear(); // row 0 is inside the stale arrays: only the capacity tells they are stale
        assertThat(appender.ready()).isFalse();
        appender.makeRoom(); // no growth needed, the arrays re-read
        assertThat(appender.ready()).isTrue();
        appender.appendReady(7, 8, 9, 10, 11, 12, (byte) 4, (byte) 5, (byte) 1, (byte) 0);
        assertThat(rows.longs(Table.TS)[0]).isEqualTo(7);
        assertThat(rows.longs(Table.LAST_UPDATE_ID)[0]).isEqualTo(12);
        assertThat(rows.bytes(Table.QTY_SCALE)[0]).isEqualTo((byte) 5);
    }

    @Test
    void appendReadyIntoAFullBufferThrowsAndLeavesItUnchanged() {
        ColumnData rows = new ColumnData(Table.BOOK, 1);
        BookAppender appender = new BookAppender(rows);
        appender.appendReady(1, 2, 3, 4, 5, 6, (byte) 1, (byte) 2, (byte) 1, (byte) 0);
        assertThatThrownBy(() -> appender.appendReady(9, 9, 9, 9, 9, 9, (byte) 9, (byte) 9, (byte) 2, (byte) 9))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(rows.size()).isOne();
        assertThat(rows.capacity()).isOne();
        assertThat(rows.longs(Table.TS)[0]).isEqualTo(1);
        assertThat(rows.longs(Table.LAST_UPDATE_ID)[0]).isEqualTo(6);
    }

    @Test
    void reserveWithinCapacityRefusesAFullBufferAndEnsureCapacityKeepsTheRows() {
        ColumnData rows = new ColumnData(Table.TRADES, 3);
        for (int i = 0; i < 3; i++) {
            assertThat(rows.reserveWithinCapacity()).isEqualTo(i);
            rows.longs(Table.PRICE)[i] = 10 + i;
        }
        assertThatThrownBy(rows::reserveWithinCapacity).isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(rows.size()).isEqualTo(3);
        rows.ensureCapacity(3); // enough already: the arrays stay
        long[] prices = rows.longs(Table.PRICE);
        assertThat(rows.capacity()).isEqualTo(3);
        rows.ensureCapacity(4);
        assertThat(rows.longs(Table.PRICE)).isNotSameAs(prices).startsWith(10, 11, 12);
        assertThat(rows.reserveWithinCapacity()).isEqualTo(3);
    }

    /** Growing with {@code ensureCapacity(size + 1)} row by row gives the capacities {@code reserve(1)} gives. */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("dev.tickvault.testing.RandomCases#manySeeds")
    void ensureCapacityGrowsAsReserveDoes(long seed) {
        RandomGenerator random = RandomCases.random(seed);
        int initial = RandomCases.intBetween(random, 1, 200);
        ColumnData reference = new ColumnData(Table.TRADES, initial);
        ColumnData rows = new ColumnData(Table.TRADES, initial);
        int count = RandomCases.intBetween(random, 0, 20_000);
        for (int i = 0; i < count; i++) {
            reference.reserve(1);
            rows.ensureCapacity(rows.size() + 1);
            rows.reserveWithinCapacity();
            if (random.nextInt(5_000) == 0) { // a rollback: the capacity stays
                reference.clear();
                rows.clear();
            }
            assertThat(rows.capacity()).as("seed %d, row %d", seed, i).isEqualTo(reference.capacity());
            assertThat(rows.size()).isEqualTo(reference.size());
        }
    }

    /**
     * Random rows of random series (runs of one series, switches, new series, the cache's growth) with rejected rows
     * and rollbacks in between: the writer's uncommitted buffers equal, row for row and in capacity, buffers filled
     * the way the path before the ready check did (a buffer of {@value WriterBuffers#INITIAL_ROWS} rows created by the
     * first accepted row, {@code reserve(1)} and the stores).
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("dev.tickvault.testing.RandomCases#fewSeeds")
    void theBuffersMatchAPlainReferenceRowForRow(long seed) {
        RandomGenerator random = RandomCases.random(seed);
        int seriesCount = RandomCases.intBetween(random, 1, 300);
        SeriesKey[] series = new SeriesKey[seriesCount];
        for (int s = 0; s < seriesCount; s++) {
            series[s] = SeriesKey.of("venue", "S" + s);
        }
        Map<SeriesKey, ColumnData> trades = new HashMap<>();
        Map<SeriesKey, ColumnData> book = new HashMap<>();
        int accepted = 0;
        try (TickStore store = TickStore.open(dir, StoreConfig.defaults().withDurability(Durability.OS));
                StoreWriter writer = store.newWriter()) {
            BufferedStoreWriter buffered = (BufferedStoreWriter) writer;
            int current = 0;
            int steps = RandomCases.intBetween(random, 1, 30_000);
            for (int step = 0; step < steps; step++) {
                int pattern = random.nextInt(10);
                current = pattern < 7 ? current : random.nextInt(seriesCount);
                SeriesKey key = series[current];
                long ts = T0 + random.nextLong(1L << 40);
                long price = random.nextLong();
                long quantity = random.nextLong();
                long id = random.nextLong();
                boolean reject = random.nextInt(50) == 0;
                int priceScale = reject && random.nextBoolean() ? Decimal.MAX_SCALE + 1 : random.nextInt(19);
                int quantityScale = reject && priceScale <= Decimal.MAX_SCALE ? -1 : random.nextInt(19);
                Side side = random.nextBoolean() ? Side.BUY : Side.SELL;
                if (random.nextBoolean()) {
                    int finalPriceScale = priceScale;
                    int finalQuantityScale = quantityScale;
                    Runnable append = () -> writer.appendTrade(
                            key, ts, ts + 3, price, finalPriceScale, quantity, finalQuantityScale, side, id);
                    if (reject) {
                        assertThatThrownBy(append::run).isInstanceOf(IllegalArgumentException.class);
                    } else {
                        append.run();
                        ColumnData rows = trades.computeIfAbsent(
                                key, k -> new ColumnData(Table.TRADES, WriterBuffers.INITIAL_ROWS));
                        int row = rows.reserve(1);
                        rows.longs(Table.TS)[row] = ts;
                        rows.longs(Table.RECV_TS)[row] = ts + 3;
                        rows.longs(Table.PRICE)[row] = price;
                        rows.longs(Table.QTY)[row] = quantity;
                        rows.longs(Table.TRADE_ID)[row] = id;
                        rows.bytes(Table.PRICE_SCALE)[row] = (byte) priceScale;
                        rows.bytes(Table.QTY_SCALE)[row] = (byte) quantityScale;
                        rows.bytes(Table.SIDE)[row] = (byte) side.code();
                        accepted++;
                    }
                } else {
                    int flags = reject && random.nextBoolean() ? 256 : random.nextInt(256);
                    boolean rejected = reject || flags > 255;
                    int finalPriceScale = reject && flags > 255 ? 2 : priceScale;
                    int finalQuantityScale = reject && flags > 255 ? 0 : quantityScale;
                    Runnable append = () -> writer.appendBookUpdate(
                            key,
                            ts,
                            ts - 3,
                            side,
                            price,
                            finalPriceScale,
                            quantity,
                            finalQuantityScale,
                            id,
                            id + 1,
                            flags);
                    if (rejected) {
                        assertThatThrownBy(append::run).isInstanceOf(IllegalArgumentException.class);
                    } else {
                        append.run();
                        ColumnData rows =
                                book.computeIfAbsent(key, k -> new ColumnData(Table.BOOK, WriterBuffers.INITIAL_ROWS));
                        int row = rows.reserve(1);
                        rows.longs(Table.TS)[row] = ts;
                        rows.longs(Table.RECV_TS)[row] = ts - 3;
                        rows.longs(Table.PRICE)[row] = price;
                        rows.longs(Table.QTY)[row] = quantity;
                        rows.longs(Table.FIRST_UPDATE_ID)[row] = id;
                        rows.longs(Table.LAST_UPDATE_ID)[row] = id + 1;
                        rows.bytes(Table.PRICE_SCALE)[row] = (byte) finalPriceScale;
                        rows.bytes(Table.QTY_SCALE)[row] = (byte) finalQuantityScale;
                        rows.bytes(Table.SIDE)[row] = (byte) side.code();
                        rows.bytes(Table.FLAGS)[row] = (byte) flags;
                        accepted++;
                    }
                }
                if (random.nextInt(4_000) == 0) {
                    writer.rollback();
                    trades.values().forEach(ColumnData::clear);
                    book.values().forEach(ColumnData::clear);
                    accepted = 0;
                }
                if (random.nextInt(3_000) == 0 || step == steps - 1) {
                    assertThat(writer.pendingRows())
                            .as("seed %d, step %d", seed, step)
                            .isEqualTo(accepted);
                    assertSameBuffers(buffered, Table.TRADES, trades, seed);
                    assertSameBuffers(buffered, Table.BOOK, book, seed);
                }
            }
            writer.rollback();
        }
    }

    private static void assertSameBuffers(
            BufferedStoreWriter writer, Table table, Map<SeriesKey, ColumnData> expected, long seed) {
        expected.forEach((key, reference) -> {
            ColumnData rows = writer.pendingRows(table, key);
            assertThat(rows).as("seed %d: %s of %s", seed, table, key).isNotNull();
            assertThat(rows.size())
                    .as("seed %d: %s rows of %s", seed, table, key)
                    .isEqualTo(reference.size());
            assertThat(rows.capacity())
                    .as("seed %d: %s capacity of %s", seed, table, key)
                    .isEqualTo(reference.capacity());
            for (int c = 0; c < table.longColumns().size(); c++) {
                for (int i = 0; i < reference.size(); i++) {
                    if (rows.longs(c)[i] != reference.longs(c)[i]) {
                        assertThat(rows.longs(c)[i])
                                .as("seed %d: %s of %s, long column %d, row %d", seed, table, key, c, i)
                                .isEqualTo(reference.longs(c)[i]);
                    }
                }
            }
            for (int c = 0; c < table.byteColumns().size(); c++) {
                for (int i = 0; i < reference.size(); i++) {
                    if (rows.bytes(c)[i] != reference.bytes(c)[i]) {
                        assertThat(rows.bytes(c)[i])
                                .as("seed %d: %s of %s, byte column %d, row %d", seed, table, key, c, i)
                                .isEqualTo(reference.bytes(c)[i]);
                    }
                }
            }
        });
    }
}
