package dev.tickvault.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickvault.model.SeriesKey;
import dev.tickvault.testing.RandomCases;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Many short runs of a writer beside a read-only reader of the same directory, shaped to hit the races of {@link
 * dev.tickvault.store.engine.ReadOnlyStore} often: 64 KiB log segments, a flush (checkpoint, log roll, deletion of
 * the flushed segments) every eight commits on average, so that the log rolls by size a few times between
 * checkpoints, commits of 1 to 20,000 trades (a large one is a log record bigger
 * than a segment, written directly rather than through the group-commit buffer), every durability policy, and a live
 * trade listener that parks now and then, so that reading the log takes long enough for checkpoints to land in the
 * middle of a refresh (as in a cold JVM, whose first refreshes decode in the interpreter). After each
 * single {@link TickStore#refresh()} the reader checks that what it sees is exactly ids 0..highest (no hole, nothing
 * twice) and that every commit acknowledged before the refresh began is there.
 *
 * <p>The writer runs on a thread of this JVM rather than in a child process: the reader shares nothing with it but
 * the files (it has its own {@code ReadOnlyStore}, channels and maps), and starting a JVM per run would make each run
 * cost a second. {@link ReadOnlyBesideWriterTest} covers the separate-process case.
 *
 * <p>What it found (before the fix, and without the second pass {@code refresh()} used to make): 3 of the 8 short
 * runs had a refresh end short of a commit acknowledged before it began. The follower read a sealed segment to its
 * end while the writer checkpointed and deleted that segment and its successor, and took the missing successor for
 * the end of the log (see {@code WalFollower}; {@code WalFollowerTest} shows the same step deterministically). The
 * same step in a new snapshot can leave a hole rather than a short read; that was not seen here.
 *
 * <p>Session 12: 2 of the 40 long runs once failed on a loaded machine, the follower giving up after 50 snapshot
 * builds ("partition files kept changing while they were listed"). Counted at load 17-21, 76 of 672 builds were
 * retried (up to 4 in a row), each because two checkpoints deleted the log after the one the build had read before it
 * got there; at load 13-16 some listings also needed 3-4 passes to agree. Since then a build lists each series twice
 * (no settle loop) and holds the log open from before the listing: 41 of 751 builds retried (up to 3 in a row), when
 * the writer started and deleted a segment between two pins ({@code ReadOnlySnapshotBesideFlushesTest} reproduces
 * the old failure deterministically).
 *
 * <p>Session 13: with reader leases (the writer keeps the log from the checkpoint a build read) no build was retried:
 * 0 of 3,229 builds in 200 long runs beside 2 busy loops of this test's own (load 10-19), against 110 of 1,210 (at
 * most 3 in a row) for the pinning alone, measured the same way. At load 5-9 a follower slower than the writer then
 * chased the log (kept by its lease) for 10 s, until the lease went stale (3 of 706 builds retried); a read now ends
 * with the segments that existed when it began (WalFollower): 0 of 2,047 in 80 runs at load 7-10. Each retried
 * build logs a line ("retrying [attempt=...]"), and each closed reader its counts ("closed read-only [...
 * snapshots=..., retries=...]").
 */
class ReadOnlyFollowerStressTest {

    private static final SeriesKey[] SERIES = CrashWorkload.SERIES;

    @TempDir
    Path dir;

    /** Default suite: a few seconds in all. */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("shortSeeds")
    void shortRunsSeeOnlyWholeCommittedPrefixes(long seed) throws Exception {
        run(seed, 400);
    }

    /** {@code ./build slow}: 40 runs of 3 s. */
    @Tag("slow")
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("dev.tickvault.testing.RandomCases#fewSeeds")
    void longRunsSeeOnlyWholeCommittedPrefixes(long seed) throws Exception {
        run(seed, 3_000);
    }

    static java.util.stream.LongStream shortSeeds() {
        return RandomCases.seeds(8);
    }

    private void run(long seed, long durationMillis) throws Exception {
        RandomGenerator random = RandomCases.random(seed);
        Durability durability = Durability.values()[random.nextInt(Durability.values().length)];
        StoreConfig config = StoreConfig.defaults()
                .withDurability(durability)
                .withSyncIntervalMillis(5)
                .withMemtableLimitBytes(8 << 20)
                .withWalSegmentSizeBytes(1 << 16)
                .withCompressionLevel(0);
        AtomicLong lastAcked = new AtomicLong(-1);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> writerFailure = new AtomicReference<>();
        long writerSeed = random.nextLong();
        int refreshes = 0;
        try (TickStore writerStore = TickStore.open(dir, config)) {
            Thread writer = Thread.ofPlatform()
                    .name("stress-writer")
                    .start(() -> write(writerStore, writerSeed, stop, lastAcked, writerFailure));
            try (TickStore reader = TickStore.openReadOnly(dir, TimeUnit.DAYS.toMillis(1))) {
                // A live-trade listener that takes its time (as a cold JVM's first refreshes, or a slow consumer,
                // do): it runs while the log is read, so the writer's checkpoints land in the middle of a refresh.
                // Not so slow that the reader falls behind for good: a follower that cannot read the log after a
                // checkpoint before the writer's next flush deletes it retries, and gives up after 50 attempts
                // (ReadOnlyStore) — with a pause every 64 trades it did, at load ~2, against this writer's flush
                // every few commits.
                AtomicLong delivered = new AtomicLong();
                reader.onCommittedTrades(trade -> {
                    if (delivered.incrementAndGet() % 512 == 0) {
                        LockSupport.parkNanos(200_000);
                    }
                });
                long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(durationMillis);
                long previousHighest = -1;
                while (System.nanoTime() < deadline && writerFailure.get() == null) {
                    long ackedBefore = lastAcked.get();
                    reader.refresh();
                    refreshes++;
                    long highest = checkWholePrefix(reader, "seed " + seed + " refresh " + refreshes);
                    assertThat(highest)
                            .as(
                                    "seed %d refresh %d: every commit acknowledged before the refresh is visible (%s)",
                                    seed, refreshes, durability)
                            .isGreaterThanOrEqualTo(ackedBefore);
                    assertThat(highest).as("reads never go back").isGreaterThanOrEqualTo(previousHighest);
                    previousHighest = highest;
                }
            } finally {
                stop.set(true); // not an interrupt: that would close the log's channel
                writer.join();
            }
        }
        assertThat(writerFailure.get()).as("writer failure").isNull();
        assertThat(refreshes).isPositive();
    }

    /** Commits until stopped; publishes the last id of each commit once {@code commit()} returned. */
    private static void write(
            TickStore store, long seed, AtomicBoolean stop, AtomicLong lastAcked, AtomicReference<Throwable> failure) {
        RandomGenerator random = RandomCases.random(seed);
        long nextId = 0;
        try (StoreWriter writer = store.newWriter()) {
            while (!stop.get()) {
                int shape = random.nextInt(100);
                int rows = shape < 3 ? 5_000 + random.nextInt(15_000) : shape < 20 ? 1 : 1 + random.nextInt(2_000);
                for (int i = 0; i < rows; i++) {
                    long id = nextId++;
                    writer.appendTrade(
                            CrashWorkload.seriesOf(id),
                            CrashWorkload.tsOf(id),
                            CrashWorkload.tsOf(id) + 17,
                            CrashWorkload.priceOf(id),
                            CrashWorkload.priceScaleOf(id),
                            CrashWorkload.qtyOf(id),
                            8,
                            CrashWorkload.sideOf(id),
                            id);
                }
                writer.commit();
                lastAcked.set(nextId - 1);
                if (random.nextInt(8) == 0) {
                    store.flush();
                }
            }
        } catch (Throwable e) {
            failure.set(e);
        }
    }

    /** Asserts the reader sees exactly ids 0..highest, each once with its own fields; returns highest (-1: none). */
    private static long checkWholePrefix(TickStore store, String context) {
        BitSet present = new BitSet();
        long count = 0;
        long highest = -1;
        for (SeriesKey series : SERIES) {
            try (TradeBatchCursor batches = store.tradeBatches(series, Long.MIN_VALUE, Long.MAX_VALUE)) {
                for (int n = batches.next(); n > 0; n = batches.next()) {
                    long[] ids = batches.tradeIds();
                    long[] ts = batches.tsNanos();
                    long[] prices = batches.priceMantissas();
                    for (int i = batches.offset(); i < batches.offset() + n; i++) {
                        long id = ids[i];
                        if (id < 0 || present.get(Math.toIntExact(id))) {
                            throw new AssertionError(context + ": id " + id + " read twice (or invalid)");
                        }
                        if (CrashWorkload.seriesOf(id) != series
                                || ts[i] != CrashWorkload.tsOf(id)
                                || prices[i] != CrashWorkload.priceOf(id)) {
                            throw new AssertionError(context + ": trade " + id + " differs from what was written");
                        }
                        present.set(Math.toIntExact(id));
                        count++;
                        highest = Math.max(highest, id);
                    }
                }
            }
        }
        if (count != highest + 1) {
            throw new AssertionError(context + ": a hole: " + count + " trades but ids up to " + highest
                    + "; first missing id " + present.nextClearBit(0));
        }
        return highest;
    }
}
