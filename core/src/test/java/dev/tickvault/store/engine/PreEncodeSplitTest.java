package dev.tickvault.store.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tickvault.model.Decimal;
import dev.tickvault.model.SeriesKey;
import dev.tickvault.model.Side;
import dev.tickvault.model.Trade;
import dev.tickvault.store.CommitTicket;
import dev.tickvault.store.Durability;
import dev.tickvault.store.StorageException;
import dev.tickvault.store.StoreConfig;
import dev.tickvault.store.Table;
import dev.tickvault.store.partition.ColumnBlockCodec;
import dev.tickvault.testing.RandomCases;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The pre-encode of an asynchronous commit's trade series is split between the writer's thread and the committer's
 * ({@link BufferedStoreWriter#splitPreEncodeAfter}); wherever the split falls, the log and chunk files are the bytes of
 * the committer encoding everything itself.
 */
class PreEncodeSplitTest {

    private static final long T0 = 1_723_161_253_000_000_000L;
    private static final long DAY = PartitionPaths.NANOS_PER_DAY;

    /** The writers compared: the name of each and its split (-2: no pre-encode at all, -1: the committer's pace). */
    private static final String[] NAMES = {
        "k series on the writer", "all on the committer", "all on the writer", "committer-paced", "no pre-encode"
    };

    @TempDir
    Path tmp;

    /**
     * Five stores fed the same random commits — asynchronous ones not waited for (so a commit is in flight while the
     * writer pre-encodes the next), waited ones, synchronous ones, rollbacks; series big and small, some out of time
     * order, some over midnight, a few text trade ids — whose writers pre-encode k random series of each commit, none,
     * all, as many as the committer's pace allows, or do not pre-encode: the same log bytes, the same rows read
     * back, the same chunk files after a flush. Each case ends with a commit in flight: the writers are closed, or the
     * stores are (then the writers' next commit fails, and its rows are in no store).
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("dev.tickvault.testing.RandomCases#fewSeeds")
    void theSplitPointChangesNoByte(long seed) throws Exception {
        RandomGenerator random = RandomCases.random(seed);
        StoreConfig config = StoreConfig.defaults()
                .withDurability(Durability.OS)
                .withCompressionLevel(RandomCases.oneOf(random, 0, 3, 3));
        int seriesCount = RandomCases.intBetween(random, 2, 12);
        List<SeriesKey> series = new ArrayList<>();
        for (int s = 0; s < seriesCount; s++) {
            series.add(SeriesKey.of(random.nextBoolean() ? "binance" : "coinbase", "SYM" + s));
        }
        int k = RandomCases.intBetween(random, 1, seriesCount - 1);
        int[] splits = {k, 0, Integer.MAX_VALUE, -1, -2};
        int sections = RandomCases.intBetween(random, 1, ColumnBlockCodec.TRADE_BLOCK_SECTIONS);
        boolean closeStores = random.nextBoolean();
        int n = splits.length;
        Path[] dirs = new Path[n];
        StoreEngine[] engines = new StoreEngine[n];
        BufferedStoreWriter[] writers = new BufferedStoreWriter[n];
        for (int w = 0; w < n; w++) {
            dirs[w] = tmp.resolve("store" + w);
            engines[w] = StoreEngine.open(dirs[w], config);
            writers[w] =
                    new BufferedStoreWriter(engines[w], 512, CommitCodec.NEVER, false, splits[w] == -2 ? 0 : sections);
            if (splits[w] >= 0) {
                writers[w].splitPreEncodeAfter(splits[w]);
            }
        }
        long[] ts = new long[seriesCount];
        long start = T0 + DAY - RandomCases.longBetween(random, 1, 60_000_000_000L);
        java.util.Arrays.fill(ts, start);
        long id = 0;
        int committedRows = 0;
        for (int c = RandomCases.intBetween(random, 3, 14); c > 0; c--) {
            boolean first = id == 0; // a large commit left in flight: every split has series to share
            int rows = first ? 20_000 : random.nextInt(4) == 0 ? random.nextInt(2_000) : random.nextInt(30_000);
            int unsorted = random.nextInt(3) == 0 ? random.nextInt(seriesCount) : -1;
            for (int i = 0; i < rows; i++) {
                // skewed: series 0 busiest, the last ones often under a block's minimum
                int s = Math.min(seriesCount - 1, (int) Math.abs(random.nextGaussian() * seriesCount / 3));
                ts[s] += s == unsorted && random.nextInt(50) == 0
                        ? -random.nextInt(1_000_000)
                        : random.nextInt(8) == 0 ? 0 : random.nextInt(3_000_000);
                Trade t = new Trade(
                        series.get(s),
                        ts[s],
                        ts[s] + (random.nextBoolean() ? random.nextInt(1_000_000) : 1_000 * random.nextInt(50)),
                        Decimal.of(6_000_000 + random.nextInt(2_000), 2),
                        Decimal.of(1 + random.nextInt(1_000_000), 8),
                        random.nextBoolean() ? Side.BUY : Side.SELL,
                        id++,
                        random.nextInt(20_000) == 0 ? "t" + id : null);
                for (BufferedStoreWriter writer : writers) {
                    writer.appendTrade(t);
                }
            }
            int action = first ? 7 : random.nextInt(8);
            for (BufferedStoreWriter writer : writers) {
                switch (action) {
                    case 0 -> writer.rollback();
                    case 1 -> writer.commit();
                    case 2, 3 -> writer.commitAsync().await();
                    default -> writer.commitAsync(); // in flight while the next rows are appended
                }
            }
            committedRows += action == 0 ? 0 : rows;
        }
        for (BufferedStoreWriter writer : writers) {
            writer.appendTrade(
                    new Trade(series.get(0), ts[0], ts[0], Decimal.of(1, 0), Decimal.of(1, 0), Side.BUY, id, null));
            writer.commitAsync(); // in flight at the close
        }
        committedRows++;
        if (closeStores) {
            for (int w = 0; w < n; w++) {
                engines[w].close(); // finishes the commit in flight, stops the writer's committer
                int row = w;
                writers[w].appendTrade(new Trade(
                        series.get(0), ts[0], ts[0], Decimal.of(1, 0), Decimal.of(1, 0), Side.BUY, id + 1, null));
                CommitTicket late = writers[w].commitAsync();
                assertThatThrownBy(late::await)
                        .as("%s: a commit after the store closed", NAMES[row])
                        .isInstanceOf(StorageException.class);
                writers[w].close(); // the failure was reported by the ticket: close is quiet
            }
        } else {
            for (BufferedStoreWriter writer : writers) {
                writer.close(); // waits for the commit in flight
            }
        }
        String[] logs = new String[n];
        for (int w = 0; w < n; w++) {
            logs[w] = TradeTilesTest.digest(dirs[w], false);
            if (!closeStores) {
                engines[w].close();
            }
        }
        List<List<Trade>> reference = new ArrayList<>();
        String[] chunks = new String[n];
        for (int w = 0; w < n; w++) {
            try (StoreEngine reopened = StoreEngine.open(dirs[w], config)) {
                int read = 0;
                for (int s = 0; s < seriesCount; s++) {
                    List<Trade> trades =
                            EncodedCommitTest.readAll(reopened, series.get(s), Long.MIN_VALUE, Long.MAX_VALUE);
                    read += trades.size();
                    if (w == 0) {
                        reference.add(trades);
                    } else {
                        assertThat(trades)
                                .as("%s, %s, seed %d k %d", NAMES[w], series.get(s), seed, k)
                                .isEqualTo(reference.get(s));
                    }
                }
                assertThat(read).as("%s, seed %d", NAMES[w], seed).isEqualTo(committedRows);
                reopened.flush();
            }
            chunks[w] = TradeTilesTest.digest(dirs[w], true);
        }
        for (int w = 1; w < n; w++) {
            assertThat(logs[w])
                    .as("log of %s against %s, seed %d k %d sections %d", NAMES[w], NAMES[0], seed, k, sections)
                    .isEqualTo(logs[0]);
            assertThat(chunks[w])
                    .as("chunks of %s against %s, seed %d k %d", NAMES[w], NAMES[0], seed, k)
                    .isEqualTo(chunks[0]);
        }
        for (int w = 0; w < 3; w++) {
            assertThat(writers[w].preEncodedSections())
                    .as("%s compressed raw sections", NAMES[w])
                    .isPositive();
        }
        assertThat(writers[4].preEncodedSections()).isZero();
    }

    /**
     * The writer pre-encodes exactly the first k series of its set and leaves the others to the committer, which
     * encodes them from the set's tiles into raw sections of its own; series the writer refused are not tried again.
     */
    @Test
    void theWriterEncodesKSeriesAndTheCommitterTheRest() {
        WriterBuffers set = new WriterBuffers();
        List<SeriesKey> keys = new ArrayList<>();
        for (int s = 0; s < 5; s++) {
            SeriesKey key = SeriesKey.of("binance", "S" + s);
            keys.add(key);
            TradeAppender appender = set.tradeAppender(key);
            int rows = s == 4 ? 100 : 600; // the last under the block minimum
            for (int i = 0; i < rows; i++) {
                appender.append(T0 + i, T0 + i + 3, 100 + i, 5, i, (byte) 2, (byte) 4, (byte) 1);
            }
        }
        List<Integer> asked = new ArrayList<>();
        set.preEncode(new TradePreEncoder(512, 9), encoded -> {
            asked.add(encoded);
            return encoded >= 2;
        });
        assertThat(asked).as("asked before each series until it stopped").containsExactly(0, 1, 2);
        int byWriter = 0;
        TradePreEncoder committer = new TradePreEncoder(512, 9);
        for (SeriesKey key : keys) {
            SlotKey slot = new SlotKey(Table.TRADES, key);
            PreEncodedTrades scratch = new PreEncodedTrades();
            PreEncodedTrades writers = set.preEncoded(slot);
            byWriter += writers != null ? 1 : 0;
            PreEncodedTrades pre = set.preEncodedOrEncode(slot, committer, scratch);
            if (key.symbol().equals("S4")) {
                assertThat(pre).as("too few rows: the codec encodes them").isNull();
            } else {
                assertThat(pre).isNotNull();
                assertThat(pre.rows()).isEqualTo(600);
                assertThat(pre == scratch)
                        .as("%s encoded by the committer", key)
                        .isEqualTo(writers == null);
            }
        }
        assertThat(byWriter).isEqualTo(2);
        assertThat(set.preEncodedOrEncode(new SlotKey(Table.BOOK, keys.get(0)), committer, new PreEncodedTrades()))
                .isNull();
    }

    /** A set the writer refused (out of time order) is not encoded by the committer either: the codec sorts it. */
    @Test
    void rowsTheWriterRefusedAreLeftToTheCodec() {
        WriterBuffers set = new WriterBuffers();
        SeriesKey key = SeriesKey.of("binance", "S");
        TradeAppender appender = set.tradeAppender(key);
        for (int i = 0; i < 600; i++) {
            long t = T0 + (i == 300 ? -5 : i);
            appender.append(t, t + 3, 100 + i, 5, i, (byte) 2, (byte) 4, (byte) 1);
        }
        set.preEncode(new TradePreEncoder(512, 9));
        SlotKey slot = new SlotKey(Table.TRADES, key);
        assertThat(set.preEncoded(slot)).isNull();
        TradePreEncoder committer = new TradePreEncoder(512, 9);
        PreEncodedTrades scratch = new PreEncodedTrades();
        assertThat(set.preEncodedOrEncode(slot, committer, scratch)).isNull();
        assertThat(scratch.rows()).as("not tried again").isEqualTo(-1);
        assertThat(scratch.refused(600)).isFalse();
    }
}
