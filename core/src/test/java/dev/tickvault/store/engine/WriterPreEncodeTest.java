package dev.tickvault.store.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tickvault.model.SeriesKey;
import dev.tickvault.model.Side;
import dev.tickvault.model.Trade;
import dev.tickvault.store.Durability;
import dev.tickvault.store.StoreConfig;
import dev.tickvault.store.Table;
import dev.tickvault.store.memtable.ColumnData;
import dev.tickvault.store.memtable.EncodedBlocks;
import dev.tickvault.store.partition.ColumnBlockCodec;
import dev.tickvault.testing.RandomCases;
import dev.tickvault.testing.StoreFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The writer's share of an asynchronous commit ({@link TradePreEncoder}: raw block sections encoded on the writer's
 * thread, compressed by the committer) writes exactly the bytes of the committer's own encode: block for block, and
 * log and chunk files for whole stores, with rollbacks of reused sets, small and cross-midnight sections left to the
 * committer, recovery from the log.
 */
class WriterPreEncodeTest {

    private static final long T0 = 1_723_161_253_000_000_000L;
    private static final long DAY = PartitionPaths.NANOS_PER_DAY;

    @TempDir
    Path tmp;

    /** Random trade rows: blocks compressed from the raw sections equal the blocks encoded from the rows. */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("dev.tickvault.testing.RandomCases#seeds")
    void compressedRawSectionsAreTheEncodedBlocks(long seed) {
        RandomGenerator random = RandomCases.random(seed);
        int level = RandomCases.oneOf(random, 0, 1, 3, 3, 5);
        int minRows = RandomCases.oneOf(random, 1, 512);
        ColumnData rows = randomTrades(random, RandomCases.intBetween(random, 1, 30_000));
        CommitCodec codec = new CommitCodec(level, minRows, CommitCodec.NEVER);
        PreEncodedTrades pre = new PreEncodedTrades();
        // the pre-encoder is reused across rows of different sizes, as in a writer
        int sections = RandomCases.intBetween(random, 1, ColumnBlockCodec.TRADE_BLOCK_SECTIONS);
        TradePreEncoder encoder = new TradePreEncoder(minRows, sections);
        encoder.encode(randomTrades(random, RandomCases.intBetween(random, 1, 20_000)), pre);
        boolean encoded = encoder.encode(rows, pre);

        assertThat(encoded).as("seed %d", seed).isEqualTo(rows.size() >= minRows);
        if (!encoded) {
            assertThat(pre.rows()).isEqualTo(-1);
            return;
        }
        EncodedBlocks fromRaw = codec.compressBlocks(pre, rows);
        EncodedBlocks fromRows = codec.encodeBlocks(rows);
        assertThat(fromRaw.bytes())
                .as("seed %d level %d sections %d", seed, level, sections)
                .isEqualTo(fromRows.bytes());
        assertThat(fromRaw.blockCount()).isEqualTo(fromRows.blockCount());
        for (int b = 0; b < fromRows.blockCount(); b++) {
            assertThat(fromRaw.blockRows(b)).isEqualTo(fromRows.blockRows(b));
            assertThat(fromRaw.blockOffset(b)).isEqualTo(fromRows.blockOffset(b));
            assertThat(fromRaw.blockMinTs(b)).isEqualTo(fromRows.blockMinTs(b));
            assertThat(fromRaw.blockMaxTs(b)).isEqualTo(fromRows.blockMaxTs(b));
        }
    }

    /** Rows out of time order or across midnight are left to the committer (it sorts or logs columns). */
    @Test
    void unsortedAndTwoDayRowsAreNotPreEncoded() {
        TradePreEncoder encoder = new TradePreEncoder(1, 3);
        PreEncodedTrades pre = new PreEncodedTrades();
        ColumnData unsorted = new ColumnData(Table.TRADES, 4);
        addTrade(unsorted, T0 + 10, 1, null);
        addTrade(unsorted, T0 + 5, 2, null);
        assertThat(encoder.encode(unsorted, pre)).isFalse();
        ColumnData twoDays = new ColumnData(Table.TRADES, 4);
        addTrade(twoDays, T0, 1, null);
        addTrade(twoDays, T0 + DAY, 2, null);
        assertThat(encoder.encode(twoDays, pre)).isFalse();
        ColumnData sorted = new ColumnData(Table.TRADES, 4);
        addTrade(sorted, T0, 1, "a");
        addTrade(sorted, T0, 2, null);
        assertThat(encoder.encode(sorted, pre)).isTrue();
        assertThat(pre.rows()).isEqualTo(2);
        assertThat(encoder.encode(unsorted, pre)).isFalse();
        assertThat(pre.rows()).as("a failed encode leaves nothing valid").isEqualTo(-1);
    }

    /** Raw sections of a set are not used once rows were appended after them, nor after the set was cleared. */
    @Test
    void rowsAppendedAfterThePreEncodeInvalidateIt() {
        SeriesKey btc = SeriesKey.of("binance", "BTCUSDT");
        SlotKey slot = new SlotKey(Table.TRADES, btc);
        WriterBuffers set = new WriterBuffers();
        TradeAppender appender = set.tradeAppender(btc);
        for (int i = 0; i < 600; i++) {
            appender.append(T0 + i, T0 + i + 3, 100 + i, 5, i, (byte) 2, (byte) 4, (byte) 1);
        }
        set.preEncode(new TradePreEncoder(512, 9));
        assertThat(set.preEncoded(slot)).isNotNull();
        assertThat(set.preEncoded(slot).rows()).isEqualTo(600);
        assertThat(set.preEncoded(new SlotKey(Table.BOOK, btc))).isNull();
        appender.append(T0 + 600, T0 + 603, 700, 5, 600, (byte) 2, (byte) 4, (byte) 1);
        assertThat(set.preEncoded(slot)).isNull();
        set.preEncode(new TradePreEncoder(512, 9));
        assertThat(set.preEncoded(slot).rows()).isEqualTo(601);
        set.clear();
        assertThat(set.preEncoded(slot)).isNull();
        for (int i = 0; i < 100; i++) { // fewer than the block minimum: nothing pre-encoded
            appender.append(T0 + i, T0 + i + 3, 100 + i, 5, i, (byte) 2, (byte) 4, (byte) 1);
        }
        set.preEncode(new TradePreEncoder(512, 9));
        assertThat(set.preEncoded(slot)).isNull();
        assertThat(set.materialized(Table.TRADES, btc).size()).isEqualTo(100);
    }

    /**
     * Columns copied out of the tiles in parts (the writer's, then the committer's) equal the rows appended, also when
     * rows were appended between the two copies.
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("dev.tickvault.testing.RandomCases#seeds")
    void columnsCopiedInPartsHoldEveryRow(long seed) {
        RandomGenerator random = RandomCases.random(seed);
        TradeAppender appender = new TradeAppender(new ColumnData(Table.TRADES, 64));
        List<long[]> expected = new ArrayList<>();
        for (int step = RandomCases.intBetween(random, 1, 4); step > 0; step--) {
            for (int i = RandomCases.intBetween(random, 0, 3_000); i > 0; i--) {
                long[] row = {
                    random.nextLong(),
                    random.nextLong(),
                    random.nextLong(),
                    random.nextLong(),
                    random.nextLong(),
                    random.nextInt(256),
                    random.nextInt(256),
                    random.nextInt(256)
                };
                appender.append(row[0], row[1], row[2], row[3], row[4], (byte) row[5], (byte) row[6], (byte) row[7]);
                expected.add(row);
            }
            appender.materialize(random.nextInt(TradeAppender.ALL_PARTS + 1));
        }
        appender.materialize();
        ColumnData rows = appender.rows;
        assertThat(rows.size()).isEqualTo(expected.size());
        for (int r = 0; r < expected.size(); r++) {
            long[] row = expected.get(r);
            for (int c = 0; c < 5; c++) {
                assertThat(rows.longs(c)[r])
                        .as("seed %d row %d column %d", seed, r, c)
                        .isEqualTo(row[c]);
            }
            for (int c = 0; c < 3; c++) {
                assertThat(rows.bytes(c)[r])
                        .as("seed %d row %d byte %d", seed, r, c)
                        .isEqualTo((byte) row[5 + c]);
            }
        }
    }

    /**
     * Two stores fed the same random asynchronous commits (and rollbacks, synchronous commits, small sections, a
     * midnight), one writer pre-encoding and one not: the same log bytes, the same chunk files after a flush, the
     * committed rows read back, and again after reopening from the log.
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("dev.tickvault.testing.RandomCases#fewSeeds")
    void storesWriteTheSameBytesWithAndWithoutPreEncoding(long seed) throws Exception {
        RandomGenerator random = RandomCases.random(seed);
        StoreConfig config = StoreConfig.defaults()
                .withDurability(Durability.OS)
                .withCompressionLevel(RandomCases.oneOf(random, 0, 3, 3));
        Path onDir = tmp.resolve("on");
        Path offDir = tmp.resolve("off");
        Path recoveredDir = tmp.resolve("recovered");
        List<SeriesKey> series = new ArrayList<>();
        for (int s = 0, n = RandomCases.intBetween(random, 1, 4); s < n; s++) {
            series.add(SeriesKey.of("binance", "SYM" + s));
        }
        Map<SeriesKey, List<Trade>> committed = new LinkedHashMap<>();
        series.forEach(k -> committed.put(k, new ArrayList<>()));
        long preEncoded;
        try (StoreEngine on = StoreEngine.open(onDir, config);
                StoreEngine off = StoreEngine.open(offDir, config)) {
            int sections = RandomCases.intBetween(random, 1, ColumnBlockCodec.TRADE_BLOCK_SECTIONS);
            BufferedStoreWriter a = new BufferedStoreWriter(on, 512, CommitCodec.NEVER, false, sections);
            BufferedStoreWriter b = new BufferedStoreWriter(off, 512, CommitCodec.NEVER, false, 0);
            long ts = T0 + DAY - RandomCases.longBetween(random, 1, 40_000_000_000L);
            long id = 0;
            for (int c = RandomCases.intBetween(random, 2, 12); c > 0; c--) {
                Map<SeriesKey, List<Trade>> pending = new LinkedHashMap<>();
                int rows = random.nextInt(4) == 0 ? random.nextInt(600) : random.nextInt(20_000);
                for (int i = 0; i < rows; i++) {
                    SeriesKey key = series.get(random.nextInt(series.size()));
                    ts += random.nextInt(8) == 0 ? 0 : random.nextInt(2_000_000);
                    long recv = ts + (random.nextBoolean() ? random.nextInt(1_000_000) : 1_000 * random.nextInt(50));
                    String text = random.nextInt(5_000) == 0 ? "t" + id : null;
                    Trade t = new Trade(
                            key,
                            ts,
                            recv,
                            dev.tickvault.model.Decimal.of(6_000_000 + random.nextInt(2_000), 2),
                            dev.tickvault.model.Decimal.of(1 + random.nextInt(1_000_000), 8),
                            random.nextBoolean() ? Side.BUY : Side.SELL,
                            id++,
                            text);
                    a.appendTrade(t);
                    b.appendTrade(t);
                    pending.computeIfAbsent(key, k -> new ArrayList<>()).add(t);
                }
                int action = random.nextInt(8);
                if (action == 0) {
                    a.rollback();
                    b.rollback();
                    continue;
                }
                if (action == 1) {
                    a.commit();
                    b.commit();
                } else {
                    a.commitAsync().await();
                    b.commitAsync().await();
                }
                pending.forEach((k, v) -> committed.get(k).addAll(v));
            }
            a.commitAsync().await();
            b.commitAsync().await();
            preEncoded = a.preEncodedSections();
            assertThat(b.preEncodedSections()).isZero();
            a.close();
            b.close();
            StoreFiles.copyTree(
                    onDir, recoveredDir); // the log as written, recovered below without the store's closing flush
            for (SeriesKey key : series) {
                assertThat(EncodedCommitTest.readAll(on, key, Long.MIN_VALUE, Long.MAX_VALUE))
                        .as("%s seed %d", key, seed)
                        .isEqualTo(committed.get(key));
            }
            assertThat(TradeTilesTest.digest(onDir, false))
                    .as("log, seed %d", seed)
                    .isEqualTo(TradeTilesTest.digest(offDir, false));
        }
        try (StoreEngine recovered = StoreEngine.open(recoveredDir, config)) {
            for (SeriesKey key : series) {
                assertThat(EncodedCommitTest.readAll(recovered, key, Long.MIN_VALUE, Long.MAX_VALUE))
                        .as("%s seed %d replayed from the log", key, seed)
                        .isEqualTo(committed.get(key));
            }
        }
        try (StoreEngine on = StoreEngine.open(onDir, config);
                StoreEngine off = StoreEngine.open(offDir, config)) {
            for (SeriesKey key : series) {
                assertThat(EncodedCommitTest.readAll(on, key, Long.MIN_VALUE, Long.MAX_VALUE))
                        .as("%s seed %d after reopening", key, seed)
                        .isEqualTo(committed.get(key));
            }
            on.flush();
            off.flush();
            assertThat(TradeTilesTest.digest(onDir, true))
                    .as("chunks, seed %d", seed)
                    .isEqualTo(TradeTilesTest.digest(offDir, true));
        }
        PRE_ENCODED[0] += preEncoded;
        PRE_ENCODED[1]++;
    }

    /** Sections compressed from pre-encoded raw sections, and store cases run. */
    private static final long[] PRE_ENCODED = new long[2];

    @org.junit.jupiter.api.AfterAll
    static void somePropertyCasesWerePreEncoded() {
        if (PRE_ENCODED[1] > 0) { // only when the store cases ran
            assertThat(PRE_ENCODED[0])
                    .as("sections compressed from pre-encoded raw sections")
                    .isPositive();
        }
    }

    private static ColumnData randomTrades(RandomGenerator random, int n) {
        ColumnData rows = new ColumnData(Table.TRADES, n);
        long ts = T0 + random.nextLong(DAY / 2);
        boolean jitter = random.nextBoolean(); // random receive latency: sampled and stored RAW
        for (int i = 0; i < n; i++) {
            ts += random.nextInt(4) == 0 ? 0 : random.nextInt(1_000_000);
            int row = rows.reserve(1);
            rows.longs(Table.TS)[row] = ts;
            rows.longs(Table.RECV_TS)[row] = ts + (jitter ? random.nextInt(10_000_000) : 1_000 * (i % 7));
            rows.longs(Table.PRICE)[row] = 6_000_000 + random.nextInt(random.nextBoolean() ? 50 : 100_000);
            rows.longs(Table.QTY)[row] = RandomCases.longBetween(random, 1, 1L << 40);
            rows.longs(Table.TRADE_ID)[row] = 1_000_000 + i;
            rows.bytes(Table.PRICE_SCALE)[row] = 2;
            rows.bytes(Table.QTY_SCALE)[row] = (byte) (random.nextInt(50) == 0 ? 6 : 8);
            rows.bytes(Table.SIDE)[row] = (byte) random.nextInt(2);
            if (random.nextInt(3_000) == 0) {
                rows.setString(Table.TRADE_ID_TEXT, row, "x" + i);
            }
        }
        return rows;
    }

    private static void addTrade(ColumnData rows, long ts, long id, String text) {
        int row = rows.reserve(1);
        rows.longs(Table.TS)[row] = ts;
        rows.longs(Table.RECV_TS)[row] = ts + 1;
        rows.longs(Table.PRICE)[row] = 100;
        rows.longs(Table.QTY)[row] = 1;
        rows.longs(Table.TRADE_ID)[row] = id;
        rows.bytes(Table.SIDE)[row] = 1;
        if (text != null) {
            rows.setString(Table.TRADE_ID_TEXT, row, text);
        }
    }

    /** SHA-256 over the names and bytes of the log files ({@code chunks} false) or the chunk files. */
    @Test
    void theSwitchTakesTrueFalseOrASectionCountAndRefusesAnythingElse() {
        int all = ColumnBlockCodec.TRADE_BLOCK_SECTIONS;
        assertThat(BufferedStoreWriter.preEncodeSections(null)).isEqualTo(all);
        assertThat(BufferedStoreWriter.preEncodeSections(" TRUE ")).isEqualTo(all);
        assertThat(BufferedStoreWriter.preEncodeSections("false")).isZero();
        assertThat(BufferedStoreWriter.preEncodeSections("0")).isZero();
        assertThat(BufferedStoreWriter.preEncodeSections("3")).isEqualTo(3);
        assertThat(BufferedStoreWriter.preEncodeSections(Integer.toString(all))).isEqualTo(all);
        for (String bad : new String[] {"", "yes", "-1", Integer.toString(all + 1), "2.5", "99999999999"}) {
            assertThatThrownBy(() -> BufferedStoreWriter.preEncodeSections(bad))
                    .as("'%s'", bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("tickvault.writerPreEncode")
                    .hasMessageContaining("'" + bad + "'");
        }
    }
}
