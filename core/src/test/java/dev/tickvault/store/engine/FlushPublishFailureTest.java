package dev.tickvault.store.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tickvault.model.SeriesKey;
import dev.tickvault.model.Side;
import dev.tickvault.store.Durability;
import dev.tickvault.store.StorageException;
import dev.tickvault.store.StoreConfig;
import dev.tickvault.store.Table;
import dev.tickvault.store.io.DurableFiles;
import dev.tickvault.store.memtable.ColumnData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A chunk file that cannot be published (its name is taken by a non-empty directory, so the rename fails after the
 * file was written and fsynced on a publishing thread): the flush fails, the series keeps its rows in memory and no
 * file of its own behind, the other series is flushed; once the name is free the next flush writes the rows, and a
 * reopened store holds every row once.
 */
class FlushPublishFailureTest {

    private static final long T0 = 1_723_161_253_000_000_000L;
    private static final SeriesKey SPOT = SeriesKey.of("binance", "BTCUSDT");
    private static final SeriesKey USDM = SeriesKey.of("binance-futures", "BTCUSDT");

    @TempDir
    Path dir;

    @Test
    void aChunkThatCannotBePublishedLeavesItsRowsInMemoryAndNoFileBehind() throws IOException {
        StoreConfig config = StoreConfig.defaults().withDurability(Durability.OS);
        Path spotDay = PartitionPaths.seriesDirectory(dir, Table.BOOK, SPOT)
                .resolve(PartitionPaths.dayName(PartitionPaths.dayOf(T0)));
        // The first flush numbers the two series' chunks 1 and 2, in the order the flush threads reach them.
        List<Path> blockers = List.of(
                PartitionPaths.chunkPath(spotDay.getParent(), PartitionPaths.dayOf(T0), 1, 0, 1),
                PartitionPaths.chunkPath(spotDay.getParent(), PartitionPaths.dayOf(T0), 2, 0, 1));
        try (StoreEngine engine = StoreEngine.open(dir, config)) {
            BufferedStoreWriter writer = new BufferedStoreWriter(
                    engine, CommitCodec.DEFAULT_TRADE_BLOCK_MIN_ROWS, CommitCodec.DEFAULT_BOOK_BLOCK_MIN_ROWS, true);
            append(writer, 0, 6000);
            writer.commit();
            for (Path blocker : blockers) {
                DurableFiles.createDirectories(blocker);
                Files.writeString(blocker.resolve("keep"), "a non-empty directory cannot be renamed over");
            }
            assertThatThrownBy(engine::flush).isInstanceOf(StorageException.class);
            assertThat(chunkFiles(spotDay))
                    .as("no chunk file of the failed series")
                    .isEmpty();
            assertThat(tempFiles()).as("no temporary file left").isEmpty();
            assertThat(chunkFiles(dir.resolve("book").resolve("binance-futures")))
                    .as("the other series was flushed")
                    .hasSize(1);
            assertRows(engine, SPOT, 6000);
            assertRows(engine, USDM, 6000);

            for (Path blocker : blockers) {
                Files.delete(blocker.resolve("keep"));
                Files.delete(blocker);
            }
            append(writer, 6000, 2000);
            writer.commit();
            engine.flush();
            assertThat(chunkFiles(spotDay)).hasSize(1);
            assertRows(engine, SPOT, 8000);
            assertRows(engine, USDM, 8000);
        }
        try (StoreEngine engine = StoreEngine.open(dir, config)) {
            assertRows(engine, SPOT, 8000);
            assertRows(engine, USDM, 8000);
        }
    }

    private static void append(BufferedStoreWriter writer, int from, int rows) {
        for (int i = from; i < from + rows; i++) {
            long ts = T0 + i * 1_000_000L;
            for (SeriesKey key : List.of(SPOT, USDM)) {
                writer.appendBookUpdate(
                        key, ts, ts + 7, i % 2 == 0 ? Side.BUY : Side.SELL, 6_000_000 + i % 50, 2, i, 3, i, i, 4);
            }
        }
    }

    /** Every row once, in time order, one per millisecond from {@code T0}. */
    private static void assertRows(StoreEngine engine, SeriesKey key, long expected) {
        MergingRowCursor cursor = engine.rows(Table.BOOK, key, Long.MIN_VALUE, Long.MAX_VALUE);
        long rows = 0;
        for (int n = cursor.nextRun(); n > 0; n = cursor.nextRun()) {
            ColumnData data = cursor.data();
            for (int i = cursor.row(); i < cursor.row() + n; i++, rows++) {
                assertThat(data.ts(i)).as("%s row %d", key, rows).isEqualTo(T0 + rows * 1_000_000L);
            }
        }
        assertThat(rows).as("%s rows", key).isEqualTo(expected);
    }

    private static List<Path> chunkFiles(Path under) throws IOException {
        if (!Files.isDirectory(under)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(under)) {
            return files.filter(p -> p.toString().endsWith(".tvc") && Files.isRegularFile(p))
                    .toList();
        }
    }

    private List<Path> tempFiles() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> p.getFileName().toString().contains(DurableFiles.TEMP_MARKER))
                    .toList();
        }
    }
}
