package dev.tickvault.store.memtable;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickvault.store.Table;
import dev.tickvault.testing.RandomCases;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Run#append} shares the arrays of the run it extends (see the class comment of {@link Run}): every run made,
 * the older ones included, must keep exactly its own parts in order — whichever run is appended to next, from one or
 * several threads, and whatever form (columns, columns with blocks, blocks only) the parts have.
 */
class RunAppendSharingTest {

    /** A run and the parts (columns, blocks) it must hold. */
    private record Expected(Run run, List<ColumnData> parts, List<EncodedBlocks> blocks) {}

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("dev.tickvault.testing.RandomCases#seeds")
    void everyRunKeepsItsOwnPartsWhicheverRunIsAppendedTo(long seed) {
        RandomGenerator random = RandomCases.random(seed);
        long[] clock = {RandomCases.longBetween(random, 0, 1L << 40)};
        List<Expected> made = new ArrayList<>();
        made.add(single(random, clock));
        int appends = RandomCases.intBetween(random, 1, 300);
        for (int i = 0; i < appends; i++) {
            // mostly the newest run (a series' in-order commits), sometimes an older one (a run that was replaced:
            // after a failed flush, a merge, a retried publish), whose free entries another run already claimed
            Expected base = random.nextInt(4) > 0 ? made.get(made.size() - 1) : made.get(random.nextInt(made.size()));
            Expected newer = random.nextInt(8) > 0
                    ? single(random, clock)
                    : appended(single(random, clock), single(random, clock));
            if (!base.run().canAppend(newer.run())) {
                continue; // times went back: appended only from the newest run's end
            }
            made.add(appended(base, newer));
        }
        for (Expected expected : made) {
            assertHolds(expected);
        }
    }

    @Test
    void runsGrownOnePartAtATimeEachKeepTheirParts() {
        List<Expected> all = grownOneAtATime(RandomCases.random(7), 5_000, false);
        assertThat(all.getLast().run().partCount()).isEqualTo(5_001);
        for (int i = 0; i < all.size(); i += 97) {
            assertHolds(all.get(i));
        }
        assertHolds(all.getLast());
    }

    @Test
    void runsAppendedToTheSameRunFromSeveralThreadsEachKeepTheirParts() throws Exception {
        RandomGenerator random = RandomCases.random(11);
        for (int round = 0; round < 200; round++) {
            Expected base = grownOneAtATime(random, random.nextInt(20), false).getLast();
            long[] clock = {base.run().maxTs()};
            int threads = 4;
            List<Expected> newer = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                newer.add(single(random, clock));
            }
            Expected from = base;
            CountDownLatch start = new CountDownLatch(1);
            try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
                List<Future<Expected>> results = new ArrayList<>();
                for (Expected part : newer) {
                    results.add(pool.submit(() -> {
                        start.await();
                        return appended(from, part);
                    }));
                }
                start.countDown();
                for (Future<Expected> result : results) {
                    assertHolds(result.get());
                }
            }
            assertHolds(base);
        }
    }

    @Test
    void partsReturnsExactlyTheRunsParts() {
        Expected run = grownOneAtATime(RandomCases.random(3), 10, true).getLast();
        ColumnData[] parts = run.run().parts();
        assertThat(parts).containsExactlyElementsOf(run.parts());
    }

    /**
     * A run of one part and the runs made from it by appending one more part {@code appends} times, each to the one
     * before; the parts held as columns only with {@code columnsOnly}, else in any form.
     */
    private static List<Expected> grownOneAtATime(RandomGenerator random, int appends, boolean columnsOnly) {
        long[] clock = {1_000};
        List<Expected> all = new ArrayList<>();
        all.add(columnsOnly ? columnsOnly(random, clock) : single(random, clock));
        for (int i = 0; i < appends; i++) {
            Expected part = columnsOnly ? columnsOnly(random, clock) : single(random, clock);
            all.add(appended(all.getLast(), part));
        }
        return all;
    }

    /** {@code base} followed by {@code newer}, and what the result must hold. */
    private static Expected appended(Expected base, Expected newer) {
        List<ColumnData> parts = new ArrayList<>(base.parts());
        parts.addAll(newer.parts());
        List<EncodedBlocks> blocks = new ArrayList<>(base.blocks());
        blocks.addAll(newer.blocks());
        return new Expected(base.run().append(newer.run()), parts, blocks);
    }

    /** One part, at random held as columns, as columns with blocks, or as blocks only. */
    private static Expected single(RandomGenerator random, long[] clock) {
        return switch (random.nextInt(3)) {
            case 0 -> columnsOnly(random, clock);
            case 1 -> {
                ColumnData rows = rows(random, clock);
                EncodedBlocks blocks = blocksOf(rows);
                yield new Expected(new Run(rows, blocks, clock[0]), List.of(rows), List.of(blocks));
            }
            default -> {
                ColumnData rows = rows(random, clock);
                EncodedBlocks blocks = blocksOf(rows);
                List<ColumnData> parts = new ArrayList<>();
                parts.add(null); // encoded only
                yield new Expected(Run.encodedOnly(Table.TRADES, blocks, clock[0]), parts, List.of(blocks));
            }
        };
    }

    private static Expected columnsOnly(RandomGenerator random, long[] clock) {
        ColumnData rows = rows(random, clock);
        List<EncodedBlocks> none = new ArrayList<>();
        none.add(null);
        return new Expected(new Run(rows, clock[0]), List.of(rows), none);
    }

    /** Trade rows in time order from {@code clock[0]} on (only their times matter here). */
    private static ColumnData rows(RandomGenerator random, long[] clock) {
        int n = RandomCases.intBetween(random, 1, 5);
        ColumnData rows = new ColumnData(Table.TRADES, n);
        rows.setSize(n);
        for (int r = 0; r < n; r++) {
            clock[0] += random.nextInt(3);
            rows.longs(Table.TS)[r] = clock[0];
        }
        return rows;
    }

    /**
     * Stand-in blocks for {@code rows}: the right row count and times, bytes that are not read here (the parts are
     * compared by identity, never decoded).
     */
    private static EncodedBlocks blocksOf(ColumnData rows) {
        return new EncodedBlocks(
                new byte[8], new int[] {rows.size()}, new int[] {0}, new long[] {rows.ts(0)}, new long[] {
                    rows.ts(rows.size() - 1)
                });
    }

    private static void assertHolds(Expected expected) {
        Run run = expected.run();
        int count = expected.parts().size();
        assertThat(run.partCount()).isEqualTo(count);
        int rows = 0;
        for (int p = 0; p < count; p++) {
            ColumnData part = expected.parts().get(p);
            EncodedBlocks blocks = expected.blocks().get(p);
            assertThat(run.encoded(p)).as("blocks of part %d of %d", p, count).isSameAs(blocks);
            assertThat(run.encodedOnly(p)).isEqualTo(part == null);
            if (part != null) {
                assertThat(run.part(p)).as("part %d of %d", p, count).isSameAs(part);
            }
            rows += part != null ? part.size() : blocks.totalRows();
        }
        assertThat(run.size()).isEqualTo(rows);
        long lastTs = expected.parts().get(count - 1) != null
                ? expected.parts()
                        .get(count - 1)
                        .ts(expected.parts().get(count - 1).size() - 1)
                : expected.blocks().get(count - 1).blockMaxTs(0);
        assertThat(run.maxTs()).isEqualTo(lastTs);
    }
}
