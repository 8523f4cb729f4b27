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
        // counted against the memory limit as what its rows decode into, besides its blocks
        long firstColumns = ColumnData.columnBytes(Table.TRADES, first.size());
        assertThat(firstColumns).isLessThanOrEqualTo(first.sizeBytes());
        assertThat(a.chargedBytes()).isEqualTo(firstBlocks.sizeBytes() + firstColumns);
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
        assertThat(joined.chargedBytes() - joined.sizeBytes())
                .isEqualTo(ColumnData.columnBytes(Table.TRADES, joined.encodedOnly(0) ? first.size() : second.size()));

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
        // a merge never holds more than its runs were counted at
        assertThat(merged.sizeBytes()).isLessThanOrEqualTo(a.chargedBytes() + newer.chargedBytes());
        assertThat(merged.chargedBytes()).isLessThanOrEqualTo(a.chargedBytes() + newer.chargedBytes());
    }

    /**
     * A merge copies only the parts whose times overlap: the older run's parts that end before the newer run starts
     * and the newer run's parts that start after the older run ends keep their form (blocks only stay blocks only);
     * the rows are those of a stable merge of all rows, older first on equal times.
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("dev.tickvault.testing.RandomCases#seeds")
    void mergeCopiesOnlyTheOverlappingParts(long seed) {
        RandomGenerator random = RandomCases.random(seed);
        long[] clock = {RandomCases.longBetween(random, 0, 1L << 50)};
        Run older = runOfParts(random, clock, 7);
        // the newer run starts somewhere inside the older one (or before it) and may end before or after it
        long[] newerClock = {older.minTs() + random.nextLong(1 + older.maxTs() - older.minTs()) - random.nextInt(2)};
        Run newer = runOfParts(random, newerClock, 9);
        ColumnData all = new ColumnData(Table.TRADES, 1);
        ColumnData olderRows = older.rows();
        ColumnData newerRows = newer.rows();
        all.appendRange(olderRows, 0, olderRows.size());
        all.appendRange(newerRows, 0, newerRows.size());

        Run merged = Run.merge(older, newer);
        assertSameRows(merged.rows(), all.sortedByTime());
        assertThat(merged.size()).isEqualTo(older.size() + newer.size());
        assertThat(merged.lsn()).isEqualTo(Math.max(older.lsn(), newer.lsn()));
        for (int p = 1; p < merged.partCount(); p++) {
            assertThat(merged.partMinTs(p)).isGreaterThanOrEqualTo(merged.partMaxTs(p - 1));
        }
        if (older.canAppend(newer)) {
            assertThat(merged.partCount()).isEqualTo(older.partCount() + newer.partCount());
            return;
        }
        int olderKept = 0;
        while (older.partMaxTs(olderKept) <= newer.minTs()) {
            olderKept++;
        }
        int newerKept = 0;
        while (newerKept < newer.partCount() && newer.partMinTs(newer.partCount() - 1 - newerKept) >= older.maxTs()) {
            newerKept++;
        }
        assertThat(merged.partCount()).isEqualTo(olderKept + 1 + newerKept);
        for (int p = 0; p < olderKept; p++) {
            assertSamePart(merged, p, older, p);
        }
        assertThat(merged.encoded(olderKept)).isNull();
        assertThat(merged.encodedOnly(olderKept)).isFalse();
        for (int k = 0; k < newerKept; k++) {
            assertSamePart(merged, olderKept + 1 + k, newer, newer.partCount() - newerKept + k);
        }
        assertThat(merged.sizeBytes()).isLessThanOrEqualTo(older.chargedBytes() + newer.chargedBytes());
        assertThat(merged.chargedBytes()).isLessThanOrEqualTo(older.chargedBytes() + newer.chargedBytes());
    }

    /** Part {@code p} of {@code merged} is part {@code q} of {@code source}, kept as it was (not copied). */
    private static void assertSamePart(Run merged, int p, Run source, int q) {
        assertThat(merged.encodedOnly(p)).isEqualTo(source.encodedOnly(q));
        assertThat(merged.encoded(p)).isSameAs(source.encoded(q));
        if (!source.encodedOnly(q)) {
            assertThat(merged.part(p)).isSameAs(source.part(q));
        }
    }

    /** 1 to {@code maxParts} in-order parts, each held at random as columns, columns with blocks, or blocks only. */
    private static Run runOfParts(RandomGenerator random, long[] clock, int maxParts) {
        Run run = null;
        for (int p = 0, n = RandomCases.intBetween(random, 1, maxParts); p < n; p++) {
            ColumnData rows = sortedTrades(random, clock, RandomCases.intBetween(random, 1, 3_000));
            long lsn = 1 + random.nextInt(100);
            Run part =
                    switch (random.nextInt(3)) {
                        case 0 -> new Run(rows, lsn);
                        case 1 -> new Run(rows, encode(rows, 0, random), lsn);
                        default -> Run.encodedOnly(Table.TRADES, encode(rows, 0, random), lsn);
                    };
            run = run == null ? part : run.append(part);
        }
        return run;
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
