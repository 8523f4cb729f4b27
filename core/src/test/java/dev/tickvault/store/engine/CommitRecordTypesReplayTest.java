package dev.tickvault.store.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickvault.model.SeriesKey;
import dev.tickvault.store.StoreConfig;
import dev.tickvault.store.Table;
import dev.tickvault.store.memtable.ColumnData;
import dev.tickvault.testing.StoreFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A log written by an older writer (book sections in commit record type 2) and continued by today's synchronous
 * commits (type 8) and asynchronous ones (type 9: book sections as compressed chunk-file blocks) is read back whole: by recovery after a crash (the log replayed on open) and by a read-only follower tailing the log.
 */
class CommitRecordTypesReplayTest {

    private static final SeriesKey SERIES = SeriesKey.of("binance", "BTCUSDT");

    @TempDir
    Path dir;

    @TempDir
    Path crashCopy;

    @Test
    void aLogOfRecordTypesTwoEightAndNineReplaysAndIsFollowed() throws IOException {
        ColumnData older = bookRows(0, 3_000);
        ColumnData newer = bookRows(3_000, 5_000);
        ColumnData newest = bookRows(5_000, 9_000);
        StoreConfig config = StoreConfig.defaults().withMemtableLimitBytes(1L << 30);
        try (StoreEngine engine = StoreEngine.open(dir, config)) {
            engine.commit(sections(older), new CommitCodec(CommitCodec.RECORD_COMMIT_V2), false);
            engine.commit(sections(newer), new CommitCodec(), false);
            CommitCodec blocks = new CommitCodec(config.compressionLevel(), 512, 1_000);
            engine.commit(sections(newest), blocks, true);
            assertThat(blocks.recordType()).isEqualTo(CommitCodec.RECORD_COMMIT_BLOCKS);
            try (ReadOnlyStore follower = ReadOnlyStore.open(dir, config, 0)) {
                assertThat(read(follower.current())).isEqualTo(read(engine));
            }
            StoreFiles.copyTree(dir, crashCopy); // a crash now: the rows only in the log
            assertThat(read(engine)).isEqualTo(expected(older, newer, newest));
        }
        try (StoreEngine replayed = StoreEngine.open(crashCopy, config)) {
            assertThat(replayed.stats().memtableRows())
                    .as("replayed from the log")
                    .isEqualTo(9_000);
            assertThat(read(replayed)).isEqualTo(expected(older, newer, newest));
        }
    }

    /** Book rows {@code [from, to)} of a synthetic series: events of 7 rows, in time order. */
    private static ColumnData bookRows(int from, int to) {
        ColumnData rows = new ColumnData(Table.BOOK, to - from);
        rows.reserve(to - from);
        for (int i = from; i < to; i++) {
            int row = i - from;
            int event = i / 7;
            rows.longs(Table.TS)[row] = 1_723_161_253_000_000_000L + event * 1_000_000L;
            rows.longs(Table.RECV_TS)[row] = 1_723_161_253_001_000_000L + event * 1_000_000L + event % 5;
            rows.longs(Table.PRICE)[row] = 6_183_763_000_000L + (i % 13 - 6) * 10_000_000L;
            rows.longs(Table.QTY)[row] = i % 4 == 0 ? 0 : 1_000L * (i % 977);
            rows.longs(Table.FIRST_UPDATE_ID)[row] = 1_000L + event * 3L;
            rows.longs(Table.LAST_UPDATE_ID)[row] = 1_002L + event * 3L;
            rows.bytes(Table.PRICE_SCALE)[row] = 8;
            rows.bytes(Table.QTY_SCALE)[row] = 8;
            rows.bytes(Table.SIDE)[row] = (byte) (1 + (i % 7) / 4);
            rows.bytes(Table.FLAGS)[row] = (byte) (i % 7 == 6 ? 4 : 0);
        }
        return rows;
    }

    private static Map<SlotKey, ColumnData> sections(ColumnData rows) {
        Map<SlotKey, ColumnData> sections = new LinkedHashMap<>();
        sections.put(new SlotKey(Table.BOOK, SERIES), rows);
        return sections;
    }

    /** Every row as one string per row, all columns. */
    private static String[] expected(ColumnData... parts) {
        return Stream.of(parts)
                .flatMap(
                        part -> java.util.stream.IntStream.range(0, part.size()).mapToObj(row -> rowText(part, row)))
                .toArray(String[]::new);
    }

    private static String[] read(StoreEngine engine) {
        MergingRowCursor cursor = engine.rows(Table.BOOK, SERIES, Long.MIN_VALUE, Long.MAX_VALUE);
        java.util.List<String> rows = new java.util.ArrayList<>();
        for (int n = cursor.nextRun(); n > 0; n = cursor.nextRun()) {
            for (int row = cursor.row(); row < cursor.row() + n; row++) {
                rows.add(rowText(cursor.data(), row));
            }
        }
        return rows.toArray(String[]::new);
    }

    private static String rowText(ColumnData data, int row) {
        long[] longs = new long[Table.BOOK.longColumns().size()];
        byte[] bytes = new byte[Table.BOOK.byteColumns().size()];
        for (int c = 0; c < longs.length; c++) {
            longs[c] = data.longs(c)[row];
        }
        for (int c = 0; c < bytes.length; c++) {
            bytes[c] = data.bytes(c)[row];
        }
        return Arrays.toString(longs) + Arrays.toString(bytes);
    }
}
