package dev.tickvault.store.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickvault.model.SeriesKey;
import dev.tickvault.model.Side;
import dev.tickvault.store.Durability;
import dev.tickvault.store.StoreConfig;
import dev.tickvault.store.StoreWriter;
import dev.tickvault.store.TickStore;
import dev.tickvault.store.TradeBatchCursor;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A writer that commits and flushes (new chunk files, a checkpoint, a log roll, and the deletion of the segments the
 * checkpoint before covered) each time a read-only follower building a snapshot lists a series' day directory: the
 * writer's steps run inside the follower's directory listing, on its thread, so the interleaving is the same every
 * run — the "writer busy while a loaded follower lists" of {@code ReadOnlyFollowerStressTest}, without the timing
 * luck.
 *
 * <p>Before session 12 every snapshot build failed here: the follower listed the whole tree until two listings agreed
 * (each pair was a flush apart, so after 11 listings it gave up on the build), and the two flushes of one listing
 * deleted the log after the checkpoint it had read; after 50 builds the refresh failed ("the store kept changing while
 * it was read"). Now each series is listed twice and the second listing is cut at the newest flush complete in the
 * first, and the log after the checkpoint is held open from before the listing: each snapshot is built the first time,
 * and shows exactly the rows of ids 0..n-1 for a whole number of commits, every acknowledged one included.
 */
class ReadOnlySnapshotBesideFlushesTest {

    private static final long T0 = 1_723_161_253_000_000_000L;
    private static final SeriesKey[] SERIES = {SeriesKey.of("binance", "BTCUSDT"), SeriesKey.of("kraken", "XBT/USD")};
    private static final int ROWS_PER_COMMIT = 3;
    private static final int ROUNDS = 5;

    @TempDir
    Path dir;

    private StoreWriter writer;
    private TickStore writerStore;
    private long nextId;
    private int interferingFlushes;

    /**
     * @param days UTC days a commit's rows span (2: every flush of a series has two parts, one per day directory)
     * @param flushesPerListing writer flushes each time a day directory is listed
     */
    @ParameterizedTest(name = "{0} day(s), {1} flush(es) per listing")
    @CsvSource({"1, 1", "1, 2", "2, 1"})
    void aSnapshotIsBuiltAtOnceAndWholeWhileTheWriterFlushesDuringItsListing(int days, int flushesPerListing) {
        StoreConfig config = StoreConfig.defaults()
                .withDurability(Durability.OS)
                .withWalSegmentSizeBytes(1 << 16)
                .withCompressionLevel(0);
        boolean[] interfere = {false};
        Function<Path, List<Path>> lister = path -> {
            if (interfere[0] && dir.relativize(path).getNameCount() == 4) { // <table>/<exchange>/<symbol>/<day>
                for (int i = 0; i < flushesPerListing; i++) {
                    commit(days);
                    writerStore.flush();
                    interferingFlushes++;
                }
            }
            return StoreEngine.list(path);
        };
        try (TickStore store = TickStore.open(dir, config)) {
            writerStore = store;
            writer = store.newWriter();
            for (int i = 0; i < 4; i++) {
                commit(days);
                store.flush();
            }
            commit(days); // in the log only
            try (ReadOnlyStore reader = ReadOnlyStore.open(dir, config, TimeUnit.DAYS.toMillis(1), lister, true)) {
                assertWholePrefix(reader.current(), nextId, days);
                interfere[0] = true;
                for (int round = 0; round < ROUNDS; round++) {
                    commit(days);
                    writerStore.flush();
                    commit(days); // in the log only
                    long acked = nextId;
                    reader.refresh(); // the checkpoint moved: a new snapshot, built while the writer flushes
                    assertWholePrefix(reader.current(), acked, days);
                }
                assertThat(interferingFlushes)
                        .as("the writer flushed inside the listings")
                        .isGreaterThanOrEqualTo(ROUNDS * flushesPerListing * SERIES.length * days);
                assertThat(reader.snapshotCount()).as("a snapshot per round").isEqualTo(ROUNDS + 1);
                assertThat(reader.retryCount()).as("snapshot builds retried").isZero();
            }
            writer.close();
        }
    }

    /**
     * Three flushes inside each listing: the segment the second flush starts is deleted by the fourth before the
     * follower pins again, so pinning alone cannot hold the log after the checkpoint the build read. Without a reader
     * lease the build finds the log moved and is retried (every attempt would fail alike: the writer's flushes are
     * limited to the first listings of each round so that the fallback gets through); with the lease the writer keeps
     * that log and every snapshot is built at once.
     */
    @ParameterizedTest(name = "leases {0}")
    @CsvSource({"true", "false"})
    void aLeaseKeepsTheLogOfABuildThatPinningCannotHold(boolean leases) throws Exception {
        int days = 1;
        int flushesPerListing = 3;
        int listingsPerRound = 2;
        StoreConfig config = StoreConfig.defaults()
                .withDurability(Durability.OS)
                .withWalSegmentSizeBytes(1 << 16)
                .withCompressionLevel(0);
        int[] interferingListings = {0};
        Function<Path, List<Path>> lister = path -> {
            if (interferingListings[0] > 0 && dir.relativize(path).getNameCount() == 4) {
                interferingListings[0]--;
                for (int i = 0; i < flushesPerListing; i++) {
                    commit(days);
                    writerStore.flush();
                    interferingFlushes++;
                }
            }
            return StoreEngine.list(path);
        };
        try (TickStore store = TickStore.open(dir, config)) {
            writerStore = store;
            writer = store.newWriter();
            for (int i = 0; i < 4; i++) {
                commit(days);
                store.flush();
            }
            commit(days);
            Path leaseFile;
            try (ReadOnlyStore reader = ReadOnlyStore.open(dir, config, TimeUnit.DAYS.toMillis(1), lister, leases)) {
                assertWholePrefix(reader.current(), nextId, days);
                for (int round = 0; round < ROUNDS; round++) {
                    commit(days);
                    writerStore.flush();
                    commit(days);
                    long acked = nextId;
                    interferingListings[0] = listingsPerRound;
                    reader.refresh();
                    assertWholePrefix(reader.current(), acked, days);
                }
                assertThat(interferingFlushes)
                        .as("the writer flushed inside the listings")
                        .isEqualTo(ROUNDS * listingsPerRound * flushesPerListing);
                try (Stream<Path> files = Files.list(dir.resolve("wal").resolve("leases"))) {
                    List<Path> leaseFiles = files.toList();
                    assertThat(leaseFiles).as("lease files").hasSize(leases ? 1 : 0);
                    leaseFile = leases ? leaseFiles.getFirst() : null;
                } catch (NoSuchFileException e) {
                    assertThat(leases).as("no lease directory").isFalse();
                    leaseFile = null;
                }
                if (leases) {
                    assertThat(reader.retryCount())
                            .as("snapshot builds retried")
                            .isZero();
                    assertThat(reader.snapshotCount())
                            .as("a snapshot per round")
                            .isEqualTo(ROUNDS + 1);
                } else {
                    assertThat(reader.retryCount())
                            .as("without the lease, a build per round at least is retried")
                            .isGreaterThanOrEqualTo(ROUNDS);
                }
            }
            if (leaseFile != null) {
                assertThat(leaseFile).as("the lease is deleted on close").doesNotExist();
            }
            writer.close();
        }
    }

    private void commit(int days) {
        for (int i = 0; i < ROWS_PER_COMMIT; i++) {
            long id = nextId++;
            writer.appendTrade(
                    seriesOf(id), tsOf(id, days), tsOf(id, days) + 5, 100 + id, 2, 1 + id % 7, 3, Side.BUY, id);
        }
        writer.commit();
    }

    private static SeriesKey seriesOf(long id) {
        return SERIES[(int) (id % SERIES.length)];
    }

    private static long tsOf(long id, int days) {
        return T0 + (id / SERIES.length) % days * PartitionPaths.NANOS_PER_DAY + id * 1000;
    }

    /** The snapshot holds exactly ids 0..n-1, each once with its own fields, n a whole number of commits >= acked. */
    private void assertWholePrefix(StoreEngine snapshot, long acked, int days) {
        BitSet present = new BitSet();
        long count = 0;
        long highest = -1;
        for (SeriesKey series : SERIES) {
            try (TradeBatchCursor batches =
                    StoreTradeBatchCursor.open(snapshot, series, Long.MIN_VALUE, Long.MAX_VALUE)) {
                for (int n = batches.next(); n > 0; n = batches.next()) {
                    for (int i = batches.offset(); i < batches.offset() + n; i++) {
                        long id = batches.tradeIds()[i];
                        assertThat(id).as("trade id").isBetween(0L, nextId - 1);
                        assertThat(present.get((int) id))
                                .as("id %d read twice", id)
                                .isFalse();
                        assertThat(seriesOf(id)).as("series of id %d", id).isEqualTo(series);
                        assertThat(batches.tsNanos()[i]).as("ts of id %d", id).isEqualTo(tsOf(id, days));
                        assertThat(batches.priceMantissas()[i])
                                .as("price of id %d", id)
                                .isEqualTo(100 + id);
                        present.set((int) id);
                        count++;
                        highest = Math.max(highest, id);
                    }
                }
            }
        }
        assertThat(count)
                .as("no hole: ids up to %d, first missing %d", highest, present.nextClearBit(0))
                .isEqualTo(highest + 1);
        assertThat(count % ROWS_PER_COMMIT).as("whole commits").isZero();
        assertThat(count).as("every acknowledged commit").isGreaterThanOrEqualTo(acked);
    }
}
