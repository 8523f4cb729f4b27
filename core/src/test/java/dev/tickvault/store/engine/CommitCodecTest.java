package dev.tickvault.store.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tickvault.model.SeriesKey;
import dev.tickvault.store.StorageException;
import dev.tickvault.store.Table;
import dev.tickvault.store.memtable.ColumnData;
import dev.tickvault.testing.RandomCases;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Commit records round-trip: every section of every table comes back column by column, in the record type written
 * today ({@link CommitCodec#RECORD_COMMIT_BOOK_FORMAT_3}) and in record type 2, which logs written before it hold and
 * recovery and followers must still read.
 */
class CommitCodecTest {

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("dev.tickvault.testing.RandomCases#seeds")
    void everySectionRoundTripsInTheWrittenAndTheOlderRecordType(long seed) {
        RandomGenerator random = RandomCases.random(seed);
        Map<SlotKey, ColumnData> sections = new LinkedHashMap<>();
        int count = RandomCases.intBetween(random, 1, 6);
        for (int s = 0; s < count; s++) {
            Table table = RandomCases.oneOf(random, Table.BOOK, Table.BOOK, Table.TRADES, Table.GAPS, Table.BARS);
            SeriesKey series = SeriesKey.of("venue" + s, "SYM" + random.nextInt(3));
            int rows = random.nextInt(4) == 0 ? 0 : RandomCases.intBetween(random, 1, 5_000);
            sections.put(new SlotKey(table, series), randomRows(random, table, rows));
        }
        for (int type : new int[] {
            CommitCodec.RECORD_COMMIT_BOOK_FORMAT_3, CommitCodec.RECORD_COMMIT_V2, CommitCodec.RECORD_COMMIT_BLOCKS
        }) {
            boolean blocks = type == CommitCodec.RECORD_COMMIT_BLOCKS;
            CommitCodec codec = blocks ? new CommitCodec(3, 1, 1_000) : new CommitCodec(type);
            List<CommitCodec.Section> encoded = codec.encode(sections, blocks);
            boolean anyBlocks = encoded.stream().anyMatch(section -> section.blocks() != null);
            int written = blocks && anyBlocks ? type : (blocks ? CommitCodec.RECORD_COMMIT_BOOK_FORMAT_3 : type);
            assertThat(codec.recordType()).isEqualTo(written);
            MemorySegment payload = MemorySegment.ofArray(Arrays.copyOf(codec.buffer(), codec.length()));
            Map<SlotKey, ColumnData> decoded = new LinkedHashMap<>();
            Map<SlotKey, Boolean> decodedBlocks = new LinkedHashMap<>();
            CommitCodec.decode(written, payload, (key, rows, b) -> {
                decoded.put(key, rows);
                decodedBlocks.put(key, b != null);
            });
            List<SlotKey> nonEmpty = new ArrayList<>();
            sections.forEach((key, rows) -> {
                if (rows.size() > 0) {
                    nonEmpty.add(key);
                }
            });
            assertThat(decoded.keySet()).as("type %d", type).containsExactlyElementsOf(nonEmpty);
            for (CommitCodec.Section section : encoded) {
                SlotKey key = section.key();
                assertSameRows(decoded.get(key), sections.get(key).sortedCopy(), "type " + type + ", " + key);
                assertThat(decodedBlocks.get(key)).as("blocks of %s", key).isEqualTo(section.blocks() != null);
                if (blocks) {
                    boolean expectBlocks = (key.table() == Table.TRADES
                                    || (key.table() == Table.BOOK
                                            && section.rows().size() >= 1_000))
                            && CommitCodec.blockEncodable(key.table(), section.rows());
                    assertThat(section.blocks() != null).as("blocks of %s", key).isEqualTo(expectBlocks);
                }
            }
        }
    }

    @Test
    void theWrittenTypeIsEight() {
        assertThat(new CommitCodec().recordType()).isEqualTo(8);
        assertThat(CommitCodec.isCommitRecord(1)).isTrue();
        assertThat(CommitCodec.isCommitRecord(2)).isTrue();
        assertThat(CommitCodec.isCommitRecord(8)).isTrue();
        assertThat(CommitCodec.isCommitRecord(9)).isTrue();
        assertThat(CommitCodec.isCommitRecord(6)).isFalse();
        assertThat(CommitCodec.isCommitRecord(3)).isFalse();
    }

    @Test
    void anUnknownRecordTypeIsCorruption() {
        Map<SlotKey, ColumnData> sections = new LinkedHashMap<>();
        sections.put(
                new SlotKey(Table.BOOK, SeriesKey.of("venue", "SYM")),
                randomRows(RandomCases.random(7), Table.BOOK, 3_000));
        CommitCodec codec = new CommitCodec();
        codec.encode(sections);
        MemorySegment payload = MemorySegment.ofArray(Arrays.copyOf(codec.buffer(), codec.length()));
        assertThatThrownBy(() -> CommitCodec.decode(3, payload, (k, r, b) -> {}))
                .isInstanceOfSatisfying(
                        StorageException.class, e -> assertThat(e.kind()).isEqualTo(StorageException.Kind.CORRUPT));
    }

    private static void assertSameRows(ColumnData actual, ColumnData expected, String what) {
        assertThat(actual.size()).as(what).isEqualTo(expected.size());
        int n = expected.size();
        Table table = expected.table();
        for (int c = 0; c < table.longColumns().size(); c++) {
            assertThat(Arrays.copyOf(actual.longs(c), n))
                    .as("%s, %s", what, table.longColumns().get(c))
                    .isEqualTo(Arrays.copyOf(expected.longs(c), n));
        }
        for (int c = 0; c < table.byteColumns().size(); c++) {
            assertThat(Arrays.copyOf(actual.bytes(c), n))
                    .as("%s, %s", what, table.byteColumns().get(c))
                    .isEqualTo(Arrays.copyOf(expected.bytes(c), n));
        }
        for (int c = 0; c < table.stringColumns().size(); c++) {
            for (int i = 0; i < n; i++) {
                assertThat(actual.string(c, i))
                        .as("%s, %s row %d", what, table.stringColumns().get(c), i)
                        .isEqualTo(expected.string(c, i));
            }
        }
    }

    /**
     * Rows of any table: runs of rows sharing their first two long columns and the book's update ids (a venue event),
     * prices stepping by ticks, and now and then any long or byte at all; strings sometimes set.
     */
    private static ColumnData randomRows(RandomGenerator random, Table table, int n) {
        ColumnData rows = new ColumnData(table, n);
        rows.reserve(n);
        boolean wild = random.nextInt(3) == 0;
        long[] current = new long[table.longColumns().size()];
        for (int c = 0; c < current.length; c++) {
            current[c] = RandomCases.anyLong(random);
        }
        int row = 0;
        while (row < n) {
            int length = Math.min(n - row, RandomCases.intBetween(random, 1, 30));
            current[0] += wild && random.nextInt(4) == 0 ? RandomCases.anyLong(random) : random.nextInt(3) * 1000L;
            current[1] =
                    wild && random.nextInt(4) == 0 ? RandomCases.anyLong(random) : current[0] + random.nextInt(999);
            for (int i = 0; i < length; i++, row++) {
                for (int c = 0; c < current.length; c++) {
                    boolean eventColumn = c < 2 || (table == Table.BOOK && c >= Table.FIRST_UPDATE_ID);
                    long value = eventColumn ? current[c] : current[c] + 10L * (random.nextInt(41) - 20);
                    if (wild && random.nextInt(15) == 0) {
                        value = RandomCases.anyLong(random);
                    }
                    if (!eventColumn) {
                        current[c] = value;
                    }
                    rows.longs(c)[row] = value;
                }
                for (int c = 0; c < table.byteColumns().size(); c++) {
                    rows.bytes(c)[row] =
                            (byte) (wild && random.nextInt(10) == 0 ? random.nextInt(256) : 1 + random.nextInt(2));
                }
                for (int c = 0; c < table.stringColumns().size(); c++) {
                    if (random.nextInt(3) == 0) {
                        rows.setString(c, row, RandomCases.stringOf(random, "abc-é", 0, 12));
                    }
                }
            }
        }
        return rows;
    }
}
