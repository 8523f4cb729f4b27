package dev.tickvault.store.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tickvault.model.Decimal;
import dev.tickvault.model.SeriesKey;
import dev.tickvault.model.Side;
import dev.tickvault.model.Trade;
import dev.tickvault.store.Durability;
import dev.tickvault.store.StorageException;
import dev.tickvault.store.StoreConfig;
import dev.tickvault.store.StoreWriter;
import dev.tickvault.store.TickStore;
import dev.tickvault.store.TradeBatchCursor;
import dev.tickvault.store.TradeColumn;
import dev.tickvault.testing.RandomCases;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A trade read that asks for some columns only ({@link TickStore#tradeBatches(SeriesKey, long, long, Set)}) returns,
 * for those columns, exactly what the full read returns — over chunk files, memtable parts held as columns and parts
 * held as encoded blocks only, ranges cutting blocks — and refuses to hand out the others.
 */
class TradeColumnProjectionTest {

    private static final long T0 = 1_723_161_253_000_000_000L;
    private static final long DAY = PartitionPaths.NANOS_PER_DAY;
    private static final SeriesKey KEY = SeriesKey.of("binance", "BTCUSDT");

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("dev.tickvault.testing.RandomCases#fewSeeds")
    void everyProjectionReadsWhatTheFullReadReads(long seed) {
        RandomGenerator random = RandomCases.random(seed);
        StoreConfig config = StoreConfig.defaults()
                .withDurability(Durability.OS)
                .withCompressionLevel(RandomCases.oneOf(random, 0, 1, 3, 3))
                .withDeduplicateTradeIds(false); // in-order async commits are then held as blocks only
        try (StoreEngine engine = StoreEngine.open(tmp.resolve("store"), config)) {
            BufferedStoreWriter writer = new BufferedStoreWriter(engine);
            long[] clock = {T0 + random.nextLong(DAY / 2), random.nextLong(1L << 40)};
            List<Long> times = new ArrayList<>();
            for (int c = 0, commits = RandomCases.intBetween(random, 1, 6); c < commits; c++) {
                // large in-order commits (blocks only), small ones (columns), now and then one out of order (merged)
                int rows = random.nextInt(4) == 0 ? random.nextInt(300) : RandomCases.intBetween(random, 512, 20_000);
                for (Trade t : trades(random, clock, rows)) {
                    writer.appendTrade(t);
                    times.add(t.tsNanos());
                }
                writer.commitAsync().await();
                if (random.nextInt(3) == 0) {
                    engine.flush(); // chunk files, read beside the memtable's runs
                }
            }
            writer.close();
            if (times.isEmpty()) {
                return;
            }
            Collections.sort(times);
            for (int r = 0; r < 12; r++) {
                long from;
                long to;
                if (r == 0) {
                    from = Long.MIN_VALUE;
                    to = Long.MAX_VALUE;
                } else {
                    from = times.get(random.nextInt(times.size())) + random.nextLong(3) - 1;
                    to = from + random.nextLong(1 + times.getLast() - times.getFirst());
                }
                Set<TradeColumn> columns = randomColumns(random);
                assertThat(read(engine, from, to, columns, columns))
                        .as("columns %s over [%d, %d)", columns, from, to)
                        .isEqualTo(read(engine, from, to, EnumSet.allOf(TradeColumn.class), columns));
                assertOthersRefused(engine, from, to, columns);
            }
        }
    }

    /** A corrupt section that is read is reported, naming the file; so is one that is skipped (block checksum). */
    @Test
    void corruptSectionsAreReportedWhetherReadOrSkipped() throws IOException {
        Path dir = tmp.resolve("corrupt");
        List<Trade> trades = writeAndFlush(dir, 3_000);
        Path chunk;
        try (Stream<Path> files = Files.walk(dir)) {
            chunk = files.filter(p -> p.toString().endsWith(".tvc")).findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(chunk);
        // the first block starts at 64: section 0 (times), then section 1 (receive times), each u32 length | frame
        int timesLength =
                ByteBuffer.wrap(bytes, 64, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        int receiveFrame = 64 + 4 + timesLength + 4;
        bytes[receiveFrame + 1] ^= 0x5A;
        Files.write(chunk, bytes);
        try (TickStore store = TickStore.open(dir, StoreConfig.defaults().withDurability(Durability.OS))) {
            for (Set<TradeColumn> columns :
                    List.of(EnumSet.of(TradeColumn.RECV_TS), EnumSet.of(TradeColumn.PRICE, TradeColumn.QUANTITY))) {
                assertThatThrownBy(() -> {
                            try (TradeBatchCursor c =
                                    store.tradeBatches(KEY, Long.MIN_VALUE, Long.MAX_VALUE, columns)) {
                                while (c.next() > 0) {
                                    // read every batch
                                }
                            }
                        })
                        .as("%s", columns)
                        .isInstanceOf(StorageException.class)
                        .hasMessageContaining(chunk.getFileName().toString());
            }
        }
        assertThat(trades).hasSize(3_000);
    }

    @Test
    void anEmptySetOfColumnsIsRefused() {
        Path dir = tmp.resolve("empty");
        writeAndFlush(dir, 10);
        try (TickStore store = TickStore.open(dir, StoreConfig.defaults().withDurability(Durability.OS))) {
            assertThatThrownBy(() -> store.tradeBatches(KEY, Long.MIN_VALUE, Long.MAX_VALUE, Set.of()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("no trade columns");
        }
    }

    @Test
    void aColumnNotAskedForIsRefusedByName() {
        Path dir = tmp.resolve("refused");
        List<Trade> trades = writeAndFlush(dir, 1_000);
        try (TickStore store = TickStore.open(dir, StoreConfig.defaults().withDurability(Durability.OS));
                TradeBatchCursor c = store.tradeBatches(
                        KEY, Long.MIN_VALUE, Long.MAX_VALUE, EnumSet.of(TradeColumn.PRICE, TradeColumn.QUANTITY))) {
            int n = c.next();
            assertThat(n).isPositive();
            assertThat(c.priceMantissas()[c.offset()])
                    .isEqualTo(trades.getFirst().price().mantissa());
            assertThatThrownBy(c::recvTsNanos)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("RECV_TS")
                    .hasMessageContaining("recv_ts");
            assertThatThrownBy(c::tsNanos)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("TS");
            assertThatThrownBy(() -> c.tradeIdText(c.offset()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("trade_id_text");
        }
    }

    private List<Trade> writeAndFlush(Path dir, int rows) {
        RandomGenerator random = RandomCases.random(rows);
        List<Trade> trades = trades(random, new long[] {T0, 1_000}, rows);
        trades.sort((a, b) -> Long.compare(a.tsNanos(), b.tsNanos()));
        try (TickStore store = TickStore.open(dir, StoreConfig.defaults().withDurability(Durability.OS));
                StoreWriter writer = store.newWriter()) {
            trades.forEach(writer::appendTrade);
            writer.commit();
            store.flush();
        }
        return trades;
    }

    private static Set<TradeColumn> randomColumns(RandomGenerator random) {
        EnumSet<TradeColumn> columns = EnumSet.noneOf(TradeColumn.class);
        while (columns.isEmpty()) {
            for (TradeColumn column : TradeColumn.values()) {
                if (random.nextBoolean()) {
                    columns.add(column);
                }
            }
        }
        return columns;
    }

    /**
     * Per row, the values of {@code wanted} (in {@link TradeColumn} order) as the engine's batch cursor reading {@code
     * read} returns them.
     */
    private static List<List<Object>> read(
            StoreEngine engine, long from, long to, Set<TradeColumn> read, Set<TradeColumn> wanted) {
        List<List<Object>> rows = new ArrayList<>();
        try (TradeBatchCursor c = StoreTradeBatchCursor.open(engine, KEY, from, to, read)) {
            for (int n = c.next(); n > 0; n = c.next()) {
                for (int i = c.offset(); i < c.offset() + n; i++) {
                    List<Object> row = new ArrayList<>();
                    for (TradeColumn column : EnumSet.copyOf(wanted)) {
                        row.add(value(c, column, i));
                    }
                    rows.add(row);
                }
            }
        }
        return rows;
    }

    private static Object value(TradeBatchCursor c, TradeColumn column, int row) {
        return switch (column) {
            case TS -> c.tsNanos()[row];
            case RECV_TS -> c.recvTsNanos()[row];
            case PRICE -> c.priceMantissas()[row];
            case QUANTITY -> c.quantityMantissas()[row];
            case TRADE_ID -> c.tradeIds()[row];
            case PRICE_SCALE -> c.priceScales()[row];
            case QUANTITY_SCALE -> c.quantityScales()[row];
            case SIDE -> c.sides()[row];
            case TRADE_ID_TEXT -> String.valueOf(c.tradeIdText(row));
        };
    }

    private static void assertOthersRefused(StoreEngine engine, long from, long to, Set<TradeColumn> columns) {
        try (TradeBatchCursor c = StoreTradeBatchCursor.open(engine, KEY, from, to, columns)) {
            if (c.next() == 0) {
                return;
            }
            for (TradeColumn column : EnumSet.complementOf(EnumSet.copyOf(columns))) {
                assertThatThrownBy(() -> value(c, column, c.offset()))
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining(column.columnName());
            }
        }
    }

    /** Mostly in-order trades (unique ids), now and then a text id, a shuffled stretch or a midnight crossing. */
    private static List<Trade> trades(RandomGenerator random, long[] clock, int rows) {
        List<Trade> out = new ArrayList<>(rows);
        if (random.nextInt(10) == 0) {
            clock[0] = Math.floorDiv(clock[0], DAY) * DAY + DAY - random.nextLong(50_000_000L); // just before midnight
        }
        boolean shuffled = random.nextInt(6) == 0;
        boolean textIds = random.nextInt(5) == 0;
        for (int i = 0; i < rows; i++) {
            if (random.nextInt(3) == 0) {
                clock[0] += 1_000_000L * (1 + random.nextInt(30));
            }
            long ts = clock[0] - (shuffled && random.nextInt(10) == 0 ? random.nextLong(5_000_000) : 0);
            long id = clock[1]++;
            out.add(new Trade(
                    KEY,
                    ts,
                    ts + 1_270_000 + 100L * random.nextInt(30),
                    Decimal.of(6_183_763 + random.nextInt(41) - 20, random.nextInt(20) == 0 ? 3 : 2),
                    Decimal.of(1 + random.nextLong(1_000_000), 8),
                    random.nextBoolean() ? Side.BUY : Side.SELL,
                    textIds ? Trade.NO_TRADE_ID : id,
                    textIds ? "t-" + id : null));
        }
        return out;
    }
}
