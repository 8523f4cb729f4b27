package dev.tickvault.store.memtable;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickvault.store.Table;
import dev.tickvault.testing.RandomCases;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.random.RandomGenerator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link ColumnData#sortedByTime} (into a new copy and into a used scratch) and {@link ColumnData#sortedCopy} against a
 * stable library sort of whole rows, on rows in order, nearly in order (stretches of earlier times spliced in, as a
 * venue snapshot stamped with its receive time is), in reverse, and in any order, with many equal times (stability)
 * and strings.
 */
class ColumnDataSortTest {

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("dev.tickvault.testing.RandomCases#seeds")
    void sortsLikeAStableSortOfWholeRows(long seed) {
        RandomGenerator random = RandomCases.random(seed);
        int n = RandomCases.oneOf(random, 0, 1, 2, 3, 17, RandomCases.intBetween(random, 1, 5_000), 40_000);
        Table table = RandomCases.oneOf(random, Table.BOOK, Table.TRADES);
        ColumnData rows = new ColumnData(table, RandomCases.intBetween(random, 1, n + 1));
        rows.reserve(n);
        long[] ts = rows.longs(Table.TS);
        String shape = RandomCases.oneOf(random, "sorted", "spliced", "reversed", "any");
        long t = RandomCases.longBetween(random, -1_000_000, 1_000_000);
        for (int i = 0; i < n; i++) {
            switch (shape) {
                case "sorted" -> t += random.nextInt(3);
                case "spliced" -> t += random.nextInt(50) == 0 ? -random.nextInt(5_000) : random.nextInt(3);
                case "reversed" -> t -= random.nextInt(3);
                default -> t = random.nextInt(1 + random.nextInt(1_000));
            }
            ts[i] = t;
            for (int c = 1; c < table.longColumns().size(); c++) {
                rows.longs(c)[i] = i * 31L + c; // the row's identity, to check that rows move whole
            }
            for (int c = 0; c < table.byteColumns().size(); c++) {
                rows.bytes(c)[i] = (byte) (i + c);
            }
            if (table == Table.TRADES && random.nextInt(4) == 0) {
                rows.setString(Table.TRADE_ID_TEXT, i, "id-" + i);
            }
        }
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            expected.add(i);
        }
        expected.sort(Comparator.comparingLong(i -> ts[i])); // List.sort is stable

        // a scratch that holds rows (and strings) of an earlier sort, as a reused one does
        ColumnData scratch = new ColumnData(table, RandomCases.intBetween(random, 1, 100));
        for (int i = 0, junk = random.nextInt(3_000); i < junk; i++) {
            int row = scratch.reserve(1);
            scratch.longs(Table.TS)[row] = random.nextLong();
            if (table == Table.TRADES) {
                scratch.setString(Table.TRADE_ID_TEXT, row, "junk-" + i);
            }
        }
        ColumnData intoScratch = rows.sortedByTime(scratch);
        assertThat(intoScratch).isSameAs(rows.isSortedByTime() ? rows : scratch);
        for (ColumnData sorted : List.of(rows.sortedByTime(), rows.sortedCopy(), intoScratch)) {
            assertThat(sorted.size()).isEqualTo(n);
            assertThat(sorted.isSortedByTime()).isTrue();
            for (int c = 0; c < table.longColumns().size(); c++) {
                long[] want = new long[n];
                for (int i = 0; i < n; i++) {
                    want[i] = rows.longs(c)[expected.get(i)];
                }
                assertThat(Arrays.copyOf(sorted.longs(c), n))
                        .as("long column %d", c)
                        .isEqualTo(want);
            }
            for (int c = 0; c < table.byteColumns().size(); c++) {
                byte[] want = new byte[n];
                for (int i = 0; i < n; i++) {
                    want[i] = rows.bytes(c)[expected.get(i)];
                }
                assertThat(Arrays.copyOf(sorted.bytes(c), n))
                        .as("byte column %d", c)
                        .isEqualTo(want);
            }
            for (int c = 0; c < table.stringColumns().size(); c++) {
                String[] want = new String[n];
                String[] got = new String[n];
                for (int i = 0; i < n; i++) {
                    want[i] = rows.string(c, expected.get(i));
                    got[i] = sorted.string(c, i);
                }
                assertThat(got).as("string column %d", c).isEqualTo(want);
            }
        }
        assertThat(rows.sortedCopy()).isNotSameAs(rows);
        assertThat(Arrays.copyOf(rows.longs(Table.TS), n))
                .as("the input is left as it was")
                .isEqualTo(Arrays.copyOf(ts, n));
    }
}
