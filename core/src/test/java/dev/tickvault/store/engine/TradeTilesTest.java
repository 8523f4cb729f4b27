package dev.tickvault.store.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickvault.model.Decimal;
import dev.tickvault.model.SeriesKey;
import dev.tickvault.model.Side;
import dev.tickvault.model.Trade;
import dev.tickvault.store.CommitTicket;
import dev.tickvault.store.Durability;
import dev.tickvault.store.StoreConfig;
import dev.tickvault.store.StoreWriter;
import dev.tickvault.store.Table;
import dev.tickvault.store.TickStore;
import dev.tickvault.store.TradeCursor;
import dev.tickvault.store.memtable.ColumnData;
import dev.tickvault.testing.RandomCases;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.random.RandomGenerator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The writer's trade tiles ({@link TradeAppender}): rows appended in tiles come out of {@code materialize()} as the same
 * columns, whatever the count (around tile boundaries), the values, growth, and reuse after a clear (no row of an
 * earlier commit leaks into a later one); through the store, commits of many sizes — synchronous, asynchronous,
 * rolled back, a close with an asynchronous commit in flight — read back exactly, and the files written for a fixed
 * input are pinned to the bytes the columnar append path wrote before tiles.
 */
class TradeTilesTest {
    /** The trade table's long and byte columns, in the order the tests' arrays hold them. */
    private static final int[] LONG_COLUMNS = {Table.TS, Table.RECV_TS, Table.PRICE, Table.QTY, Table.TRADE_ID};

    private static final int[] BYTE_COLUMNS = {Table.PRICE_SCALE, Table.QTY_SCALE, Table.SIDE};

    private static final long T0 = 1_723_161_253_000_000_000L;

    @TempDir
    Path dir;

    /** Row counts around the tile sizes (8 and 64 rows) and growth steps. */
    private static final int[] EDGE_COUNTS = {0, 1, 7, 8, 9, 63, 64, 65, 127, 128, 129, 191, 200, 513, 1_000, 4_099};

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("dev.tickvault.testing.RandomCases#seeds")
    void materializedColumnsEqualTheRowsAppendedAndClearingLeaksNothing(long seed) {
        RandomGenerator random = RandomCases.random(seed);
        ColumnData rows = new ColumnData(Table.TRADES, RandomCases.intBetween(random, 1, 300));
        TradeAppender appender = new TradeAppender(rows);
        for (int round = 0; round < 4; round++) {
            int count = randomRowCount(random);
            long[][] longs = new long[5][count];
            byte[][] bytes = new byte[3][count];
            for (int i = 0; i < count; i++) {
                appendRandomRow(random, appender, longs, bytes, i);
            }
            assertThat(appender.size()).isEqualTo(count);
            int materializations = 1 + random.nextInt(2); // repeatable
            for (int m = 0; m < materializations; m++) {
                appender.materialize();
            }
            assertThat(rows.size()).as("seed %d round %d", seed, round).isEqualTo(count);
            assertRows(rows, longs, bytes, count, "seed " + seed + " round " + round);
            assertThat(appender.sizeBytes()).isGreaterThanOrEqualTo(43L * count);
            appender.clear();
            rows.clear();
            assertThat(appender.size()).isZero();
        }
    }

    /**
     * {@link TradeAppender#copyInto}, the writer's pre-encode path: the staging columns (reused, any capacity) hold
     * exactly the rows appended; the series' own columns get the size and no values until {@code materialize()}, which
     * then fills every column, also after a part was copied before, and after rows were appended since.
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("dev.tickvault.testing.RandomCases#seeds")
    void rowsCopiedIntoStagingEqualTheRowsAndTheSeriesColumnsStillMaterialize(long seed) {
        RandomGenerator random = RandomCases.random(seed);
        ColumnData rows = new ColumnData(Table.TRADES, RandomCases.intBetween(random, 1, 300));
        ColumnData staging = new ColumnData(Table.TRADES, RandomCases.intBetween(random, 1, 300));
        TradeAppender appender = new TradeAppender(rows);
        for (int round = 0; round < 4; round++) {
            int count = randomRowCount(random);
            long[][] longs = new long[5][count];
            byte[][] bytes = new byte[3][count];
            int copiedAt = random.nextInt(count + 1); // rows appended when copied; the rest after
            for (int i = 0; i <= count; i++) {
                if (i == copiedAt) {
                    if (random.nextBoolean()) { // a part copied into the series' columns first
                        appender.materialize(TradeAppender.longColumnPart(random.nextInt(5)));
                    }
                    appender.copyInto(staging);
                    String at = "seed " + seed + " round " + round + " at " + i;
                    assertThat(staging.size()).as(at).isEqualTo(i);
                    assertThat(rows.size()).as(at).isEqualTo(i);
                    for (int c = 0; c < 5; c++) {
                        assertThat(java.util.Arrays.copyOf(staging.longs(LONG_COLUMNS[c]), i))
                                .as("%s long column %d", at, c)
                                .isEqualTo(java.util.Arrays.copyOf(longs[c], i));
                    }
                    for (int c = 0; c < 3; c++) {
                        assertThat(java.util.Arrays.copyOf(staging.bytes(BYTE_COLUMNS[c]), i))
                                .as("%s byte column %d", at, c)
                                .isEqualTo(java.util.Arrays.copyOf(bytes[c], i));
                    }
                }
                if (i == count) {
                    break;
                }
                appendRandomRow(random, appender, longs, bytes, i);
            }
            appender.materialize();
            assertThat(rows.size()).as("seed %d round %d", seed, round).isEqualTo(count);
            assertRows(rows, longs, bytes, count, "seed " + seed + " round " + round);
            assertThat(appender.hasStrings()).isFalse();
            appender.clear();
            rows.clear();
        }
    }

    @Test
    void stagingMustBeTradeColumnsAndTextIdsAreSeen() {
        ColumnData rows = new ColumnData(Table.TRADES, 8);
        TradeAppender appender = new TradeAppender(rows);
        appender.append(T0, T0 + 1, 100, 2, 7, (byte) 2, (byte) 3, (byte) 1);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> appender.copyInto(new ColumnData(Table.BOOK, 8)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a");
        assertThat(appender.hasStrings()).isFalse();
        appender.setStringOfLastRow(Table.TRADE_ID_TEXT, "t-7");
        assertThat(appender.hasStrings()).isTrue();
    }

    @Test
    void aTradeIdTextLandsOnItsRowAndNotOnTheNextCommits() {
        SeriesKey btc = SeriesKey.of("coinbase", "BTC-USD");
        try (TickStore store = TickStore.open(dir, config());
                StoreWriter writer = store.newWriter()) {
            for (int i = 0; i < 100; i++) {
                writer.appendTrade(trade(btc, i, i % 7 == 0 ? "id-" + i : null));
            }
            writer.commitAsync();
            for (int i = 100; i < 150; i++) { // the other set
                writer.appendTrade(trade(btc, i, null));
            }
            writer.commitAsync();
            for (int i = 150; i < 170; i++) { // the first set again: its strings were cleared
                writer.appendTrade(trade(btc, i, i == 160 ? "late" : null));
            }
            writer.commitAsync().await();
            List<String> texts = new ArrayList<>();
            try (TradeCursor cursor = store.trades(btc, Long.MIN_VALUE, Long.MAX_VALUE)) {
                while (cursor.next()) {
                    texts.add(cursor.tradeIdText());
                }
            }
            assertThat(texts).hasSize(170);
            for (int i = 0; i < 170; i++) {
                String expected = i < 100 ? (i % 7 == 0 ? "id-" + i : null) : i == 160 ? "late" : null;
                assertThat(texts.get(i)).as("row %d", i).isEqualTo(expected);
            }
        }
    }

    /**
     * Random commits of many sizes over a few series — synchronous, asynchronous (both buffer sets reused many times),
     * rolled back — read back exactly; half the cases close the store with an asynchronous commit in flight and check
     * the reopened store holds every committed row.
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("dev.tickvault.testing.RandomCases#fewSeeds")
    @SuppressWarnings("try") // closes the store inside its try on purpose: a commit in flight at close
    void commitsOfManySizesReadBackExactly(long seed) {
        RandomGenerator random = RandomCases.random(seed);
        int seriesCount = RandomCases.intBetween(random, 1, 4);
        SeriesKey[] series = new SeriesKey[seriesCount];
        List<List<long[]>> committed = new ArrayList<>();
        for (int s = 0; s < seriesCount; s++) {
            series[s] = SeriesKey.of("binance", "T" + s);
            committed.add(new ArrayList<>());
        }
        boolean closeInFlight = random.nextBoolean();
        long ts = T0;
        long id = 0;
        try (TickStore store = TickStore.open(dir, config())) {
            StoreWriter writer = store.newWriter();
            List<List<long[]>> pending = new ArrayList<>();
            for (int s = 0; s < seriesCount; s++) {
                pending.add(new ArrayList<>());
            }
            int commits = RandomCases.intBetween(random, 3, 12);
            for (int k = 0; k < commits; k++) {
                int count = random.nextBoolean()
                        ? EDGE_COUNTS[random.nextInt(EDGE_COUNTS.length)]
                        : RandomCases.intBetween(random, 1, 20_000);
                for (int i = 0; i < count; i++) {
                    int s = random.nextInt(4) == 0 ? random.nextInt(seriesCount) : (int) (id % seriesCount);
                    ts += random.nextInt(3);
                    long price = RandomCases.longBetween(random, 1, 1L << 50);
                    long qty = RandomCases.longBetween(random, 1, 1L << 30);
                    Side side = random.nextBoolean() ? Side.BUY : Side.SELL;
                    writer.appendTrade(series[s], ts, ts + 17, price, 2, qty, 8, side, id);
                    pending.get(s).add(new long[] {ts, price, qty, side == Side.BUY ? 1 : 0, id});
                    id++;
                }
                int action = random.nextInt(10);
                if (action == 0) {
                    writer.rollback();
                } else {
                    if (action < 3) {
                        writer.commit();
                    } else {
                        writer.commitAsync();
                    }
                    for (int s = 0; s < seriesCount; s++) {
                        committed.get(s).addAll(pending.get(s));
                    }
                }
                pending.forEach(List::clear);
            }
            if (!closeInFlight) {
                writer.commitAsync().await();
                writer.close();
                for (int s = 0; s < seriesCount; s++) {
                    assertThat(tradesOf(store, series[s]))
                            .as("seed %d series %d", seed, s)
                            .containsExactlyElementsOf(committed.get(s));
                }
                return;
            }
            // an asynchronous commit in flight when the store closes: it completes before the store is closed
            writer.appendTrade(series[0], ts + 1, ts + 1, 5, 2, 7, 8, Side.SELL, id);
            committed.get(0).add(new long[] {ts + 1, 5, 7, 0, id});
            CommitTicket last = writer.commitAsync();
            store.close();
            assertThat(last.isDone()).isTrue();
        }
        try (TickStore reopened = TickStore.open(dir, config())) {
            for (int s = 0; s < seriesCount; s++) {
                assertThat(tradesOf(reopened, series[s]))
                        .as("seed %d series %d after reopening", seed, s)
                        .containsExactlyElementsOf(committed.get(s));
            }
        }
    }

    /**
     * The bytes of the log and the chunk files for a fixed input (40,000 trades over 3 series, asynchronous commits of
     * 1 to 9,000 rows, one rollback, zstd off) pinned to what the columnar append path wrote before the trade tiles
     * (digest taken with the code of {@code main} at 2bcddad): the tiles change no byte.
     */
    @Test
    void theFilesWrittenAreTheBytesOfTheColumnarAppendPath() throws Exception {
        SeriesKey[] series = {
            SeriesKey.of("binance", "BTCUSDT"), SeriesKey.of("binance", "ETHUSDT"), SeriesKey.of("kraken", "XBT/USD")
        };
        RandomGenerator random = RandomCases.random(20261130L);
        Path storeDir = dir.resolve("pinned");
        try (TickStore store = TickStore.open(
                        storeDir,
                        StoreConfig.defaults().withDurability(Durability.OS).withCompressionLevel(0));
                StoreWriter writer = store.newWriter()) {
            long ts = T0;
            int appended = 0;
            int commit = 0;
            while (appended < 40_000) {
                int count = RandomCases.intBetween(random, 1, 9_000);
                for (int i = 0; i < count; i++, appended++) {
                    ts += random.nextInt(1_000_000);
                    int s = random.nextInt(5) == 0 ? random.nextInt(3) : appended % 3 == 0 ? 0 : 1;
                    writer.appendTrade(
                            series[s],
                            ts,
                            ts + random.nextInt(50_000),
                            6_000_000 + random.nextInt(1_000),
                            2,
                            1 + random.nextInt(100_000),
                            8,
                            random.nextBoolean() ? Side.BUY : Side.SELL,
                            appended);
                }
                if (commit++ == 2) {
                    writer.rollback();
                } else {
                    writer.commitAsync();
                }
            }
            writer.commitAsync().await();
            String logDigest = digest(storeDir, false);
            store.flush();
            String chunkDigest = digest(storeDir, true);
            assertThat(logDigest + " " + chunkDigest).isEqualTo(PINNED_DIGESTS);
        }
    }

    /** {@code theFilesWrittenAreTheBytesOfTheColumnarAppendPath}'s digests (log before the flush, chunk files after). */
    private static final String PINNED_DIGESTS = "1:41680d2afe4ab9fa07c5870ef74def3a93042956b2fac83180298d5ac1ef3260"
            + " 3:d50311417683d1adba25532a62df4e70ceacedef6a0e01a0611b392e654c0e26";

    /** SHA-256 over the names and bytes of the store's log files ({@code chunks} false) or its other data files. */
    static String digest(Path root, boolean chunks) throws IOException, NoSuchAlgorithmException {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(Files::isRegularFile)
                    .filter(p -> isLog(root, p) != chunks)
                    .filter(p -> !chunks || p.getFileName().toString().endsWith(".tvc"))
                    .toList();
        }
        // A chunk file's name starts with its flush's sequence, which the flush threads take in whatever order they
        // run: the names are compared without it (the bytes are the same whichever series got which number).
        java.util.Map<String, Path> byName = new java.util.TreeMap<>();
        for (Path file : files) {
            byName.put(root.relativize(file).toString().replaceFirst("[0-9]+(-[0-9]+-[0-9]+\\.tvc)$", "*$1"), file);
        }
        for (var e : byName.entrySet()) {
            sha.update(e.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            sha.update(Files.readAllBytes(e.getValue()));
        }
        return files.size() + ":" + HexFormat.of().formatHex(sha.digest());
    }

    private static boolean isLog(Path root, Path file) {
        return root.relativize(file).toString().startsWith("wal");
    }

    private static Trade trade(SeriesKey series, int i, String text) {
        return new Trade(
                series,
                T0 + i,
                T0 + i + 3,
                Decimal.of(100 + i, 2),
                Decimal.of(1 + i, 4),
                i % 2 == 0 ? Side.BUY : Side.SELL,
                i,
                text);
    }

    private static List<long[]> tradesOf(TickStore store, SeriesKey series) {
        List<long[]> rows = new ArrayList<>();
        try (TradeCursor cursor = store.trades(series, Long.MIN_VALUE, Long.MAX_VALUE)) {
            while (cursor.next()) {
                rows.add(new long[] {
                    cursor.tsNanos(),
                    cursor.priceMantissa(),
                    cursor.quantityMantissa(),
                    cursor.side() == Side.BUY ? 1 : 0,
                    cursor.tradeId()
                });
            }
        }
        return rows;
    }

    private static StoreConfig config() {
        return StoreConfig.defaults().withDurability(Durability.OS);
    }

    /** Appends row {@code i} of random longs (extremes one time in eight) and bytes, kept in {@code longs}/{@code bytes}. */
    private static void appendRandomRow(
            RandomGenerator random, TradeAppender appender, long[][] longs, byte[][] bytes, int i) {
        for (int c = 0; c < 5; c++) {
            longs[c][i] = random.nextInt(8) == 0
                    ? (random.nextBoolean() ? Long.MIN_VALUE : Long.MAX_VALUE)
                    : random.nextLong();
        }
        for (int c = 0; c < 3; c++) {
            bytes[c][i] = (byte) random.nextInt(256);
        }
        appender.append(
                longs[0][i], longs[1][i], longs[2][i], longs[3][i], longs[4][i], bytes[0][i], bytes[1][i], bytes[2][i]);
    }

    /** The first {@code count} rows of {@code rows}' five long and three byte columns are {@code longs}/{@code bytes}. */
    private static void assertRows(ColumnData rows, long[][] longs, byte[][] bytes, int count, String what) {
        for (int c = 0; c < 5; c++) {
            assertThat(java.util.Arrays.copyOf(rows.longs(LONG_COLUMNS[c]), count))
                    .as("%s long column %d", what, c)
                    .isEqualTo(longs[c]);
        }
        for (int c = 0; c < 3; c++) {
            assertThat(java.util.Arrays.copyOf(rows.bytes(BYTE_COLUMNS[c]), count))
                    .as("%s byte column %d", what, c)
                    .isEqualTo(bytes[c]);
        }
    }

    /** A row count: an edge of the tiles' sizes half the time, else 0 to 3,000. */
    private static int randomRowCount(RandomGenerator random) {
        return random.nextBoolean()
                ? EDGE_COUNTS[random.nextInt(EDGE_COUNTS.length)]
                : RandomCases.intBetween(random, 0, 3_000);
    }
}
