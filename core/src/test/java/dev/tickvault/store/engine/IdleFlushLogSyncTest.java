package dev.tickvault.store.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickvault.model.SeriesKey;
import dev.tickvault.model.Side;
import dev.tickvault.store.Durability;
import dev.tickvault.store.StoreConfig;
import dev.tickvault.store.Table;
import dev.tickvault.store.memtable.ColumnData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A flush with the writers idle fsyncs the log on the flush helper's {@code tickvault-log-sync} thread beside the
 * chunk writes; the roll after the checkpoint still starts a new segment, the next flush deletes the covered one, and
 * every row is there after a reopen.
 */
class IdleFlushLogSyncTest {

    private static final long T0 = 1_723_161_253_000_000_000L;
    private static final SeriesKey SPOT = SeriesKey.of("binance", "BTCUSDT");
    private static final SeriesKey USDM = SeriesKey.of("binance-futures", "BTCUSDT");

    @TempDir
    Path dir;

    @Test
    void idleFlushSyncsTheLogAheadAndStillRollsIt() throws IOException {
        StoreConfig config = StoreConfig.defaults().withDurability(Durability.OS);
        try (StoreEngine engine = StoreEngine.open(dir, config)) {
            commitThreeTimes(engine);
            assertThat(segments()).hasSize(1);
            engine.flush();
            assertThat(logSyncThreadStarted())
                    .as("the idle flush synced the log on its own thread")
                    .isTrue();
            assertThat(segments())
                    .as("rolled: the covered segment and a new one starting after the last record")
                    .containsExactly("00000000000000000001.wal", "00000000000000000004.wal");
            engine.flush();
            assertThat(segments())
                    .as("the next flush deletes the covered segment")
                    .containsExactly("00000000000000000004.wal");
        }
        try (StoreEngine engine = StoreEngine.open(dir, config)) {
            for (SeriesKey key : List.of(SPOT, USDM)) {
                MergingRowCursor cursor = engine.rows(Table.BOOK, key, Long.MIN_VALUE, Long.MAX_VALUE);
                long rows = 0;
                long expectedTs = T0;
                for (int n = cursor.nextRun(); n > 0; n = cursor.nextRun()) {
                    ColumnData data = cursor.data();
                    for (int i = cursor.row(); i < cursor.row() + n; i++, rows++, expectedTs += 1_000_000L) {
                        assertThat(data.ts(i)).isEqualTo(expectedTs);
                    }
                }
                assertThat(rows).isEqualTo(15_000);
            }
        }
    }

    @Test
    void theIdleFlushRollsTheLogBesideTheChunkWritesAndAFailedFlushStillRecoversEveryRow() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(
                Runtime.getRuntime().availableProcessors() >= 2, "the log-sync thread needs the flush helper");
        StoreConfig config = StoreConfig.defaults().withDurability(Durability.OS);
        // A file where USDM's series directory belongs: its chunk cannot be written, so the flush fails.
        Path blocker = PartitionPaths.seriesDirectory(dir, Table.BOOK, USDM);
        Files.createDirectories(blocker.getParent());
        Files.writeString(blocker, "not a directory");
        try (StoreEngine engine = StoreEngine.open(dir, config)) {
            commitThreeTimes(engine);
            org.assertj.core.api.Assertions.assertThatThrownBy(engine::flush)
                    .isInstanceOf(dev.tickvault.store.StorageException.class);
            assertThat(Files.exists(dir.resolve("CHECKPOINT")))
                    .as("no checkpoint: a series failed")
                    .isFalse();
            assertThat(segments())
                    .as("rolled by the log-sync task beside the chunk writes, without waiting for the checkpoint")
                    .containsExactly("00000000000000000001.wal", "00000000000000000004.wal");
            Files.delete(blocker); // the closing flush then writes everything
        }
        try (StoreEngine engine = StoreEngine.open(dir, config)) {
            for (SeriesKey key : List.of(SPOT, USDM)) {
                MergingRowCursor cursor = engine.rows(Table.BOOK, key, Long.MIN_VALUE, Long.MAX_VALUE);
                long rows = 0;
                for (int n = cursor.nextRun(); n > 0; n = cursor.nextRun()) {
                    rows += n;
                }
                assertThat(rows).isEqualTo(15_000);
            }
        }
    }

    /** Three commits of 5,000 book updates for each of the two series, one millisecond apart from {@link #T0}. */
    private static void commitThreeTimes(StoreEngine engine) {
        BufferedStoreWriter writer = new BufferedStoreWriter(
                engine, CommitCodec.DEFAULT_TRADE_BLOCK_MIN_ROWS, CommitCodec.DEFAULT_BOOK_BLOCK_MIN_ROWS, true);
        long ts = T0;
        for (int commit = 0; commit < 3; commit++) {
            for (int i = 0; i < 5000; i++, ts += 1_000_000L) {
                for (SeriesKey key : List.of(SPOT, USDM)) {
                    writer.appendBookUpdate(
                            key, ts, ts + 7, i % 2 == 0 ? Side.BUY : Side.SELL, 6_000_000 + i % 50, 2, i, 3, i, i, 4);
                }
            }
            writer.commit();
        }
    }

    private List<String> segments() throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("wal"))) {
            return files.map(p -> p.getFileName().toString())
                    .filter(name -> name.endsWith(".wal"))
                    .sorted()
                    .toList();
        }
    }

    private static boolean logSyncThreadStarted() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals("tickvault-log-sync"));
    }
}
