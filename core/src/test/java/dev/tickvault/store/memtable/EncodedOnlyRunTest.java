package dev.tickvault.store.memtable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tickvault.store.Table;
import dev.tickvault.store.codec.ByteSink;
import dev.tickvault.store.partition.ColumnBlockCodec;
import dev.tickvault.testing.RandomCases;
import java.util.Arrays;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Run#encodedOnly}: a part held as its chunk-file blocks only reports the size and times of its rows without
 * decoding, decodes to exactly those rows, and appends to and merges with parts held as columns as they would.
 */
class EncodedOnlyRunTest {

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("dev.tickvault.testing.RandomCases#seeds")
    void encodedOnlyPartsBehaveAsTheirRows(long seed) {
        RandomGenerator random = RandomCases.random(seed);
        int level = RandomCases.oneOf(random, 0, 3);
        long[] clock = {RandomCases.longBetween(random, 0, 1L << 50)};
        ColumnData first = sortedTrades(random, clock, RandomCases.intBetween(random, 1, 20_000));
        ColumnData second = sortedTrades(random, clock, RandomCases.intBetween(random, 1, 20_000));
        EncodedBlocks firstBlocks = encode(first, level, random);
        EncodedBlocks secondBlocks = encode(second, level, random);

        Run a = Run.encodedOnly(Table.TRADES, firstBlocks, 3);
        assertThat(a.size()).isEqualTo(first.size());
        assertThat(a.minTs()).isEqualTo(first.ts(0));
        assertThat(a.maxTs()).isEqualTo(first.ts(first.size() - 1));
        assertThat(a.sizeBytes()).isEqualTo(firstBlocks.sizeBytes());
        assertThat(a.encodedOnly(0)).isTrue();
        assertThat(a.encoded(0)).isSameAs(firstBlocks);
        assertSameRows(a.part(0), first);
        assertSameRows(a.rows(), first);

        // appended beside a part held as columns (either order): the parts keep their form
        Run columns = new Run(second, secondBlocks, 5);
        Run joined = random.nextBoolean()
                ? a.append(columns)
                : new Run(first, 2).append(Run.encodedOnly(Table.TRADES, secondBlocks, 5));
        assertThat(joined.partCount()).isEqualTo(2);
        assertThat(joined.size()).isEqualTo(first.size() + second.size());
        assertThat(joined.lsn()).isEqualTo(5);
        ColumnData all = new ColumnData(Table.TRADES, 1);
        all.appendRange(first, 0, first.size());
        all.appendRange(second, 0, second.size());
        assertSameRows(joined.rows(), all);
        ColumnData[] parts = joined.parts();
        assertSameRows(parts[0], first);
        assertSameRows(parts[1], second);
        assertThat(joined.partMaxTs(1)).isEqualTo(second.ts(second.size() - 1));

        // merged with overlapping rows: decoded, merged stably, no blocks left
        ColumnData overlap = sortedTrades(random, new long[] {first.ts(0)}, RandomCases.intBetween(random, 1, 3_000));
        Run newer = new Run(overlap, 9);
        boolean appends = a.canAppend(newer); // all of the first rows at one time: appended, not merged
        Run merged = Run.merge(a, newer);
        ColumnData both = new ColumnData(Table.TRADES, 1);
        both.appendRange(first, 0, first.size());
        both.appendRange(overlap, 0, overlap.size());
        assertSameRows(merged.rows(), both.sortedByTime());
        assertThat(merged.encoded(0)).isSameAs(appends ? firstBlocks : null);
        assertThat(merged.encodedOnly(0)).isEqualTo(appends);
    }

    @Test
    void refusesWhatCannotBeHeldAsBlocks() {
        ColumnData rows = sortedTrades(RandomCases.random(1), new long[] {1_000}, 10);
        EncodedBlocks blocks = encode(rows, 0, RandomCases.random(1));
        assertThatThrownBy(() -> Run.encodedOnly(Table.GAPS, blocks, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Run(new ColumnData[] {null}, null, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Run(new ColumnData[] {rows, null}, new EncodedBlocks[2], 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static ColumnData sortedTrades(RandomGenerator random, long[] clock, int n) {
        ColumnData rows = new ColumnData(Table.TRADES, n);
        rows.reserve(n);
        for (int i = 0; i < n; i++) {
            clock[0] += random.nextInt(4) == 0 ? random.nextInt(3_000_000) : 0;
            rows.longs(Table.TS)[i] = clock[0];
            rows.longs(Table.RECV_TS)[i] = clock[0] + 1_000_000 + random.nextInt(50_000);
            rows.longs(Table.PRICE)[i] = 6_000_000 + random.nextInt(1_000);
            rows.longs(Table.QTY)[i] = 1 + random.nextInt(1 << 20);
            rows.longs(Table.TRADE_ID)[i] = 1_000 + i;
            rows.bytes(Table.PRICE_SCALE)[i] = 2;
            rows.bytes(Table.QTY_SCALE)[i] = 8;
            rows.bytes(Table.SIDE)[i] = (byte) random.nextInt(2);
        }
        return rows;
    }

    /** Blocks of 1 to 8,192 rows, as a commit cuts them (sizes at random here). */
    private static EncodedBlocks encode(ColumnData rows, int level, RandomGenerator random) {
        ColumnBlockCodec codec = new ColumnBlockCodec(level);
        ByteSink out = new ByteSink(1 << 16);
        int n = rows.size();
        int[] counts = new int[n];
        int[] offsets = new int[n];
        long[] minTs = new long[n];
        long[] maxTs = new long[n];
        int blocks = 0;
        for (int start = 0; start < n; blocks++) {
            int size = Math.min(n - start, RandomCases.intBetween(random, 1, 8_192));
            offsets[blocks] = out.position();
            codec.encodeTradeBlock(rows, start, size, out);
            counts[blocks] = size;
            minTs[blocks] = rows.ts(start);
            maxTs[blocks] = rows.ts(start + size - 1);
            start += size;
        }
        return new EncodedBlocks(
                Arrays.copyOf(out.array(), out.position()),
                Arrays.copyOf(counts, blocks),
                Arrays.copyOf(offsets, blocks),
                Arrays.copyOf(minTs, blocks),
                Arrays.copyOf(maxTs, blocks));
    }

    private static void assertSameRows(ColumnData actual, ColumnData expected) {
        assertThat(actual.size()).isEqualTo(expected.size());
        for (int c = 0; c < Table.TRADES.longColumns().size(); c++) {
            assertThat(Arrays.copyOf(actual.longs(c), actual.size()))
                    .isEqualTo(Arrays.copyOf(expected.longs(c), expected.size()));
        }
        for (int c = 0; c < Table.TRADES.byteColumns().size(); c++) {
            assertThat(Arrays.copyOf(actual.bytes(c), actual.size()))
                    .isEqualTo(Arrays.copyOf(expected.bytes(c), expected.size()));
        }
    }
}
