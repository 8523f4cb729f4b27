package dev.tickvault.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tickvault.model.BookUpdate;
import dev.tickvault.model.Decimal;
import dev.tickvault.model.SeriesKey;
import dev.tickvault.model.Side;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link StoreConfig#archiveAfterDays()}: a real store archives the book partitions of days more than N days old on
 * its own while a writer keeps appending and committing (rows read back identical, live and reopened; the days within
 * N and today are left alone; bytes drop); a close while the archiver is inside a partition leaves the old files and
 * no temp file; with the option off (the default) nothing is archived and no archiver thread runs.
 */
class AutoArchiveTest {

    private static final SeriesKey SERIES = SeriesKey.of("binance", "BTCUSDT");
    private static final long DAY = 86_400_000_000_000L;

    @TempDir
    Path dir;

    @Test
    void oldDaysAreArchivedWhileNewRowsKeepBeingCommitted() throws Exception {
        Path store = dir.resolve("store");
        long today = LocalDate.now(ZoneOffset.UTC).toEpochDay();
        writeDays(store, today - 5, 5, 3_000); // today-5 .. today-1
        long cutoffDay = today - 2; // N = 2: days before today-2 are archived
        List<BookUpdate> before = rowsOf(store);
        long oldBytesBefore = bookBytes(store, cutoffDay);

        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong committed = new AtomicLong();
        List<BookUpdate> fresh = new ArrayList<>();
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (TickStore tick = TickStore.open(store, StoreConfig.defaults().withArchiveAfterDays(2))) {
            Thread writer = Thread.ofPlatform().start(() -> {
                try (StoreWriter w = tick.newWriter()) {
                    long id = 1L << 40;
                    long ts = today * DAY + 1_000_000_000L; // today's partition: never archived
                    while (!stop.get()) {
                        for (int i = 0; i < 50; i++) {
                            BookUpdate u = update(ts++, id++, new SplittableRandom(id));
                            w.appendBookUpdate(u);
                            fresh.add(u);
                        }
                        w.commit();
                        committed.addAndGet(50);
                        if (committed.get() % 1000 == 0) {
                            tick.flush();
                        }
                    }
                } catch (Throwable t) {
                    failures.add(t);
                }
            });
            waitFor(() -> tick.stats().autoArchivedPartitions() == 3 || !failures.isEmpty());
            long atArchive = committed.get();
            waitFor(() -> committed.get() > atArchive + 500 || !failures.isEmpty());
            stop.set(true);
            writer.join();
            assertThat(failures).isEmpty();
            assertThat(tick.stats().autoArchivedPartitions()).isEqualTo(3);
            assertThat(tick.stats().autoArchiveFailures()).isZero();
            List<BookUpdate> live = allRows(tick);
            assertThat(live.subList(0, before.size())).isEqualTo(before);
            assertThat(live.subList(before.size(), live.size())).isEqualTo(fresh);
        }
        assertThat(archiveFiles(store))
                .extracting(f -> f.getParent().getFileName().toString())
                .containsExactlyInAnyOrder(
                        LocalDate.ofEpochDay(today - 5).toString(),
                        LocalDate.ofEpochDay(today - 4).toString(),
                        LocalDate.ofEpochDay(today - 3).toString());
        assertThat(bookBytes(store, cutoffDay)).isLessThan(oldBytesBefore);
        List<BookUpdate> reopened = rowsOf(store);
        assertThat(reopened.subList(0, before.size())).isEqualTo(before);
        assertThat(reopened.subList(before.size(), reopened.size())).isEqualTo(fresh);
        assertThat(TickStore.verify(store).problems()).isEmpty();
    }

    @Test
    void aCloseWhileTheArchiverIsInsideAPartitionLeavesTheOldFiles() throws Exception {
        Path store = dir.resolve("store");
        long today = LocalDate.now(ZoneOffset.UTC).toEpochDay();
        writeDays(store, today - 3, 1, 300_000);
        List<BookUpdate> before = rowsOf(store);
        List<Path> filesBefore = ArchiveTest.chunkFiles(store);
        Path dayDir = filesBefore.getFirst().getParent();
        boolean sawTemp;
        long closeNanos;
        TickStore tick = TickStore.open(store, StoreConfig.defaults().withArchiveAfterDays(0));
        try {
            long deadline = System.nanoTime() + 30_000_000_000L;
            do {
                sawTemp = names(dayDir).stream().anyMatch(n -> n.contains("-archive.tvc.tmp-"));
            } while (!sawTemp && System.nanoTime() < deadline);
            assertThat(archiveFiles(store)).as("still inside the partition").isEmpty();
        } finally {
            closeNanos = System.nanoTime();
            tick.close();
        }
        closeNanos = System.nanoTime() - closeNanos;
        System.out.printf("closed %.1f ms after the archiver's temp file appeared%n", closeNanos / 1e6);
        assertThat(sawTemp).as("the archiver started writing").isTrue();
        assertThat(names(dayDir)).noneMatch(n -> n.contains(".tmp-"));
        assertThat(ArchiveTest.chunkFiles(store)).isEqualTo(filesBefore);
        assertThat(rowsOf(store)).isEqualTo(before);
        assertThat(TickStore.verify(store).problems()).isEmpty();
    }

    @Test
    void offByDefaultNothingIsArchived() throws Exception {
        Path store = dir.resolve("store");
        long today = LocalDate.now(ZoneOffset.UTC).toEpochDay();
        writeDays(store, today - 4, 3, 1_000);
        List<BookUpdate> before = rowsOf(store);
        for (StoreConfig config :
                List.of(StoreConfig.defaults(), StoreConfig.defaults().withArchiveAfterDays(StoreConfig.ARCHIVE_OFF))) {
            try (TickStore tick = TickStore.open(store, config);
                    StoreWriter writer = tick.newWriter()) {
                assertThat(archiverRunning()).isFalse();
                writer.appendBookUpdate(update(today * DAY + 5, 1, new SplittableRandom(1)));
                writer.commit();
                tick.flush(); // would nudge an archiver
                Thread.sleep(200);
                assertThat(archiverRunning()).isFalse();
            }
        }
        // With the option on but N longer than the data's age, the thread runs and archives nothing either.
        try (TickStore tick = TickStore.open(store, StoreConfig.defaults().withArchiveAfterDays(4))) {
            assertThat(archiverRunning()).isTrue();
            tick.flush();
            Thread.sleep(200);
            assertThat(tick.stats().autoArchivedPartitions()).isZero();
        }
        assertThat(archiverRunning()).as("stopped by close").isFalse();
        assertThat(archiveFiles(store)).isEmpty();
        assertThat(rowsOf(store)).hasSize(before.size() + 2);
    }

    @Test
    void aNegativeNumberOfDaysIsRefused() {
        assertThatThrownBy(() -> StoreConfig.defaults().withArchiveAfterDays(-2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("archiveAfterDays must be 0 or more");
        assertThat(StoreConfig.defaults().archiveAfterDays()).isEqualTo(StoreConfig.ARCHIVE_OFF);
        assertThat(StoreConfig.defaults().withArchiveAfterDays(0).archiveAfterDays())
                .isZero();
    }

    /** {@code rowsPerDay} random book updates on each of {@code days} UTC days from {@code firstDay}, 2 flushes a day. */
    private static void writeDays(Path store, long firstDay, int days, int rowsPerDay) {
        SplittableRandom random = new SplittableRandom(firstDay * 31 + rowsPerDay);
        try (TickStore tick = TickStore.open(store, StoreConfig.defaults());
                StoreWriter writer = tick.newWriter()) {
            long id = 0;
            for (long day = firstDay; day < firstDay + days; day++) {
                for (int i = 0; i < rowsPerDay; i++) {
                    writer.appendBookUpdate(update(day * DAY + (DAY - 1) / rowsPerDay * i, id++, random));
                    if (i == rowsPerDay / 2 || i == rowsPerDay - 1) {
                        writer.commit();
                        tick.flush();
                    }
                }
            }
        }
    }

    private static BookUpdate update(long ts, long id, SplittableRandom random) {
        return new BookUpdate(
                SERIES,
                ts,
                ts + random.nextLong(0, 5_000_000),
                random.nextBoolean() ? Side.BUY : Side.SELL,
                Decimal.of(6_000_000 + random.nextInt(0, 2_000), 2),
                Decimal.of(random.nextInt(4) == 0 ? 0 : random.nextLong(1, 100_000_000), 8),
                id,
                id,
                random.nextInt(3) == 0 ? BookUpdate.EVENT_END : 0);
    }

    private static boolean archiverRunning() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals("tickvault-archiver") && t.isAlive());
    }

    private static List<Path> archiveFiles(Path store) {
        try {
            return ArchiveTest.chunkFiles(store).stream()
                    .filter(f -> f.getFileName().toString().endsWith("-archive.tvc"))
                    .toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<String> names(Path dayDir) throws IOException {
        try (Stream<Path> list = Files.list(dayDir)) {
            return list.map(p -> p.getFileName().toString()).toList();
        }
    }

    /** Bytes on disk of the book partitions of days before {@code cutoffDay}. */
    private static long bookBytes(Path store, long cutoffDay) {
        try (TickStore tick = TickStore.openReadOnly(store)) {
            return tick.stats().partitions().stream()
                    .filter(p -> p.table().equals(Table.BOOK.directoryName()))
                    .filter(p -> LocalDate.parse(p.day()).toEpochDay() < cutoffDay)
                    .mapToLong(StoreStats.PartitionStats::bytesOnDisk)
                    .sum();
        }
    }

    private static List<BookUpdate> rowsOf(Path store) {
        try (TickStore tick = TickStore.open(store, StoreConfig.defaults())) {
            return allRows(tick);
        }
    }

    private static List<BookUpdate> allRows(TickStore tick) {
        return ArchiveTest.allRows(tick);
    }

    private static void waitFor(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out");
            }
            Thread.sleep(5);
        }
    }
}
