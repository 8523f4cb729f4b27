package dev.tickvault.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tickvault.model.BookUpdate;
import dev.tickvault.model.Decimal;
import dev.tickvault.model.SeriesKey;
import dev.tickvault.model.Side;
import dev.tickvault.testing.RandomCases;
import dev.tickvault.testing.StoreFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link TickStore#archive}: random books spread over three UTC days, written in several flushes (rows out of time
 * order, equal times across flushes, flushes that span a midnight) read back the same rows in the same order after
 * archiving, after reopening, and read-only; a crash left at each step of the swap (temp file only; archive file and
 * every old file; archive file and some old files; archive file only) reopens to exactly the same rows; a flipped byte
 * in an archived file is reported by {@code verify} and by reads, naming the file; bad cutoffs are refused.
 */
class ArchiveTest {

    private static final SeriesKey SERIES = SeriesKey.of("binance", "BTCUSDT");
    private static final long DAY = 86_400_000_000_000L;
    /** 2024-08-07T00:00Z. */
    private static final long DAY0 = LocalDate.of(2024, 8, 7).toEpochDay() * DAY;

    @TempDir
    Path dir;

    /** Each case writes, archives and reopens stores several times: a dozen seeds. */
    static java.util.stream.LongStream seeds() {
        return RandomCases.seeds(12);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void randomBooksReadTheSameAfterArchiving(long seed) throws IOException {
        RandomGenerator random = RandomCases.random(seed);
        Path store = dir.resolve("store");
        List<BookUpdate> written = writeRandomBook(store, random);
        List<BookUpdate> before = rowsOf(store);
        assertThat(before).hasSameSizeAs(written);
        long filesBefore = chunkFiles(store).size();

        LocalDate cutoff = LocalDate.ofEpochDay(DAY0 / DAY + RandomCases.intBetween(random, 1, 3));
        ArchiveReport report;
        try (TickStore tick = TickStore.open(store, StoreConfig.defaults())) {
            report = tick.archive(cutoff);
            assertThat(allRows(tick)).isEqualTo(before); // the live store, right after the swap
            for (int i = 0; i < 5; i++) {
                long from = DAY0 + RandomCases.longBetween(random, -DAY, 3 * DAY);
                long to = from + RandomCases.longBetween(random, 1, DAY);
                assertThat(tick.countTrades(SERIES, from, to)).isZero();
                List<BookUpdate> range = new ArrayList<>();
                tick.bookUpdates(SERIES, from, to, range::add);
                assertThat(range)
                        .isEqualTo(before.stream()
                                .filter(u -> u.tsNanos() >= from && u.tsNanos() < to)
                                .toList());
            }
            // A second call finds nothing more to do.
            assertThat(tick.archive(cutoff).partitions()).isEmpty();
        }
        long archivedDays = before.stream()
                .map(u -> Math.floorDiv(u.tsNanos(), DAY))
                .filter(d -> d < cutoff.toEpochDay())
                .distinct()
                .count();
        assertThat(report.partitions()).hasSize((int) archivedDays);
        assertThat(report.rows())
                .isEqualTo(before.stream()
                        .filter(u -> Math.floorDiv(u.tsNanos(), DAY) < cutoff.toEpochDay())
                        .count());
        assertThat(chunkFiles(store).size()).isEqualTo(filesBefore - report.filesMerged() + archivedDays);
        assertThat(rowsOf(store)).isEqualTo(before);
        assertThat(readOnlyRows(store)).isEqualTo(before);
        assertThat(TickStore.verify(store).problems()).isEmpty();
    }

    /**
     * The files a crash leaves at each step of the swap, built from a store before and after archiving: each reopens
     * (read-only, which changes nothing, then writable, which deletes the leftovers) to the same rows.
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void aCrashAtEachStepOfTheSwapReopensToTheSameRows(long seed) throws IOException {
        RandomGenerator random = RandomCases.random(seed);
        Path old = dir.resolve("old");
        writeRandomBook(old, random);
        List<BookUpdate> expected = rowsOf(old);
        Path archived = dir.resolve("archived");
        StoreFiles.copyTree(old, archived);
        try (TickStore tick = TickStore.open(archived, StoreConfig.defaults())) {
            assertThat(tick.archive(LocalDate.ofEpochDay(DAY0 / DAY + 3)).partitions())
                    .isNotEmpty();
        }
        List<Path> archiveFiles = chunkFiles(archived).stream()
                .filter(f -> f.getFileName().toString().contains("-archive"))
                .toList();
        assertThat(archiveFiles).isNotEmpty();

        for (String step : List.of("temp", "new+old", "new+some old", "new")) {
            Path crashed = dir.resolve("crash-" + step.replace(' ', '-').replace('+', '-'));
            StoreFiles.copyTree(old, crashed);
            for (Path archive : archiveFiles) {
                Path relative = archived.relativize(archive);
                Path target = crashed.resolve(relative.toString());
                switch (step) {
                    case "temp" -> Files.copy(archive, target.resolveSibling(target.getFileName() + ".tmp-crash1"));
                    case "new+old" -> Files.copy(archive, target);
                    case "new+some old", "new" -> {
                        Files.copy(archive, target);
                        List<Path> superseded = chunkFiles(target.getParent()).stream()
                                .filter(f -> !f.equals(target))
                                .toList();
                        for (int i = 0; i < superseded.size(); i++) {
                            if (step.equals("new") || i % 2 == 0) {
                                Files.delete(superseded.get(i));
                            }
                        }
                    }
                    default -> throw new AssertionError(step);
                }
            }
            List<Path> leftBehind = listAll(crashed);
            assertThat(readOnlyRows(crashed)).as(step).isEqualTo(expected);
            assertThat(listAll(crashed)).as("a read-only open changes nothing").isEqualTo(leftBehind);
            assertThat(rowsOf(crashed)).as(step).isEqualTo(expected);
            assertThat(rowsOf(crashed)).as(step + ", reopened again").isEqualTo(expected);
            List<Path> files = chunkFiles(crashed);
            assertThat(files).noneMatch(f -> f.getFileName().toString().contains(".tmp-"));
            if (step.equals("temp")) {
                assertThat(files).noneMatch(f -> f.getFileName().toString().contains("-archive"));
            } else {
                assertThat(files.size()).isEqualTo(chunkFiles(archived).size());
            }
        }
    }

    /**
     * Rows that arrive for an archived day (late data) land in a new flush file beside the archive file; the next
     * archive call merges both into a new archive file, which supersedes the first; reopened, the rows are the same.
     */
    @Test
    void lateRowsForAnArchivedDayAreArchivedAgain() throws IOException {
        Path store = dir.resolve("store");
        writeRandomBook(store, RandomCases.random(11));
        LocalDate cutoff = LocalDate.ofEpochDay(DAY0 / DAY + 3);
        List<BookUpdate> withLate;
        BookUpdate late;
        try (TickStore tick = TickStore.open(store, StoreConfig.defaults());
                StoreWriter writer = tick.newWriter()) {
            assertThat(tick.archive(cutoff).partitions()).isNotEmpty();
            List<BookUpdate> before = allRows(tick);
            late = new BookUpdate(
                    SERIES,
                    before.getFirst().tsNanos(), // ties the first row: comes after it (a later commit)
                    before.getFirst().tsNanos() + 1,
                    Side.BUY,
                    Decimal.of(12345, 2),
                    Decimal.of(1, 0),
                    1,
                    1,
                    BookUpdate.EVENT_END);
            writer.appendBookUpdate(late);
            writer.commit();
            tick.flush();
            withLate = allRows(tick);
            assertThat(withLate).hasSize(before.size() + 1);
            assertThat(withLate.get(0)).isEqualTo(before.get(0));
            ArchiveReport again = tick.archive(cutoff);
            assertThat(again.partitions()).hasSize(1);
            assertThat(again.filesMerged()).isEqualTo(2);
            assertThat(allRows(tick)).isEqualTo(withLate);
        }
        assertThat(rowsOf(store)).isEqualTo(withLate);
        String day = LocalDate.ofEpochDay(Math.floorDiv(late.tsNanos(), DAY)).toString();
        assertThat(chunkFiles(store))
                .filteredOn(f -> f.getParent().getFileName().toString().equals(day))
                .hasSize(1)
                .allMatch(f -> f.getFileName().toString().endsWith("-archive.tvc"));
    }

    @Test
    void aFlippedByteInAnArchivedFileIsReportedNamingIt() throws IOException {
        Path store = dir.resolve("store");
        writeRandomBook(store, RandomCases.random(42));
        try (TickStore tick = TickStore.open(store, StoreConfig.defaults())) {
            tick.archive(LocalDate.ofEpochDay(DAY0 / DAY + 3));
        }
        Path archive = chunkFiles(store).stream()
                .filter(f -> f.getFileName().toString().contains("-archive"))
                .findFirst()
                .orElseThrow();
        byte[] bytes = Files.readAllBytes(archive);
        bytes[64 + 40] ^= 0x10; // inside the first block
        Files.write(archive, bytes);

        VerifyReport report = TickStore.verify(store);
        assertThat(report.problems()).hasSize(1);
        assertThat(report.problems().getFirst().file()).isEqualTo(archive);
        assertThat(report.problems().getFirst().description()).contains(archive.toString());
        try (TickStore tick = TickStore.open(store, StoreConfig.defaults())) {
            assertThatThrownBy(() -> allRows(tick))
                    .isInstanceOfSatisfying(
                            StorageException.class, e -> assertThat(e.kind()).isEqualTo(StorageException.Kind.CORRUPT))
                    .hasMessageContaining(archive.toString());
        }
    }

    @Test
    void aCutoffAfterTodayAndReadOnlyStoresAreRefused() throws IOException {
        Path store = dir.resolve("store");
        writeRandomBook(store, RandomCases.random(7));
        LocalDate tomorrow = LocalDate.now(ZoneOffset.UTC).plusDays(1);
        try (TickStore tick = TickStore.open(store, StoreConfig.defaults())) {
            assertThatThrownBy(() -> tick.archive(tomorrow))
                    .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.kind())
                            .isEqualTo(StorageException.Kind.INVALID_ARGUMENT))
                    .hasMessageContaining("today");
        }
        try (TickStore tick = TickStore.openReadOnly(store)) {
            assertThatThrownBy(() -> tick.archive(LocalDate.of(2024, 1, 1)))
                    .isInstanceOf(StorageException.class)
                    .hasMessageContaining("read-only");
        }
        assertThat(chunkFiles(store)).noneMatch(f -> f.getFileName().toString().contains("-archive"));
    }

    /**
     * Writes 1 to 4 thousand random book rows over three UTC days in 3 to 12 flushes: times drawn from few values
     * (ties within and across flushes), each flush's rows in random order (the store sorts them, ties in commit order),
     * so flushes overlap in time and most span a midnight. Returns the rows written.
     */
    static List<BookUpdate> writeRandomBook(Path store, RandomGenerator random) {
        List<BookUpdate> written = new ArrayList<>();
        int flushes = RandomCases.intBetween(random, 3, 12);
        long[] times = new long[RandomCases.intBetween(random, 5, 400)];
        for (int i = 0; i < times.length; i++) {
            times[i] = DAY0 + RandomCases.longBetween(random, 0, 3 * DAY - 1);
        }
        try (TickStore tick = TickStore.open(store, StoreConfig.defaults());
                StoreWriter writer = tick.newWriter()) {
            for (int f = 0; f < flushes; f++) {
                int rows = RandomCases.intBetween(random, 1, 400);
                for (int r = 0; r < rows; r++) {
                    long ts = times[random.nextInt(times.length)];
                    long id = RandomCases.longBetween(random, 0, 1L << 40);
                    BookUpdate u = new BookUpdate(
                            SERIES,
                            ts,
                            ts + RandomCases.longBetween(random, 0, 1_000_000_000L),
                            random.nextBoolean() ? Side.BUY : Side.SELL,
                            Decimal.of(RandomCases.longBetween(random, 1, 10_000_000), random.nextInt(3)),
                            Decimal.of(RandomCases.longBetween(random, 0, 1_000_000), random.nextInt(9)),
                            id,
                            id + random.nextInt(5),
                            random.nextInt(16));
                    writer.appendBookUpdate(u);
                    written.add(u);
                    if (random.nextInt(50) == 0) {
                        writer.commit();
                    }
                }
                writer.commit();
                tick.flush();
            }
        }
        return written;
    }

    static List<BookUpdate> allRows(TickStore tick) {
        List<BookUpdate> rows = new ArrayList<>();
        tick.bookUpdates(SERIES, Long.MIN_VALUE, Long.MAX_VALUE, rows::add);
        return rows;
    }

    private static List<BookUpdate> rowsOf(Path store) {
        try (TickStore tick = TickStore.open(store, StoreConfig.defaults())) {
            return allRows(tick);
        }
    }

    private static List<BookUpdate> readOnlyRows(Path store) {
        try (TickStore tick = TickStore.openReadOnly(store)) {
            return allRows(tick);
        }
    }

    static List<Path> chunkFiles(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile)
                    .filter(f -> f.getFileName().toString().contains(".tvc"))
                    .sorted()
                    .toList();
        }
    }

    private static List<Path> listAll(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(f -> !f.toString().contains("leases")).sorted().toList();
        }
    }
}
