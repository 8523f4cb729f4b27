package dev.tickvault.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickvault.feed.Captures;
import dev.tickvault.model.BookUpdate;
import dev.tickvault.model.SeriesKey;
import dev.tickvault.query.BookAtQuery;
import dev.tickvault.query.BookNotAvailableException;
import dev.tickvault.query.BookQueryConfig;
import dev.tickvault.testing.StoreFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Binance depth recordings (spot and USD-M BTCUSDT, 2024-08-08: 571,611 level updates), ingested once in 8
 * flushes per series and archived: every row reads back the same and in the same order (in the live store right after
 * the swap, after reopening, and read-only), and the book at 4 instants per series is identical. The archived files'
 * bytes per level update are printed and must be at most 2 (whole files: header, index and trailer included).
 */
class RealBookArchiveTest {

    private static final SeriesKey SPOT = SeriesKey.of("binance", "BTCUSDT");
    private static final SeriesKey USDM = SeriesKey.of("binanceusdm", "BTCUSDT");
    private static final int FLUSHES = 8;
    private static final int INSTANTS = 4;
    /** SHA-256 of the archived files (see {@link ArchivedBytesTest}), taken with the in-memory writer. */
    private static final String GOLDEN = "fc659f7ed2817b7f2dd25e5be450179e4ec1b3b8f2068f4fb7b61bf194058019";

    @TempDir
    Path dir;

    @Test
    void realRecordingsArchivedReadTheSameAndTakeAtMostTwoBytesPerUpdate() throws IOException {
        Map<SeriesKey, List<BookUpdate>> recordings = new LinkedHashMap<>();
        recordings.put(SPOT, BinanceDepthUpdates.read(Captures.require(Captures.BINANCE_SPOT), SPOT));
        recordings.put(USDM, BinanceDepthUpdates.read(Captures.require(Captures.BINANCE_USDM), USDM));
        Path store = dir.resolve("store");
        try (TickStore tick = TickStore.open(store, StoreConfig.defaults());
                StoreWriter writer = tick.newWriter()) {
            for (List<BookUpdate> updates : recordings.values()) {
                int per = (updates.size() + FLUSHES - 1) / FLUSHES;
                for (int i = 0; i < updates.size(); i++) {
                    writer.appendBookUpdate(updates.get(i));
                    if ((i + 1) % per == 0 || i == updates.size() - 1) {
                        writer.commit();
                        tick.flush();
                    }
                }
            }
        }
        long updates = recordings.values().stream().mapToLong(List::size).sum();
        Map<SeriesKey, List<BookUpdate>> rows = new LinkedHashMap<>();
        Map<SeriesKey, List<String>> books = new LinkedHashMap<>();
        long bytesBefore;
        try (TickStore tick = TickStore.open(store, StoreConfig.defaults())) {
            bytesBefore = bookBytes(tick);
            for (SeriesKey series : recordings.keySet()) {
                rows.put(series, rowsOf(tick, series));
                assertThat(rows.get(series)).hasSameSizeAs(recordings.get(series));
                books.put(series, booksAt(tick, series, rows.get(series)));
            }
            ArchiveReport report = tick.archive(LocalDate.now(ZoneOffset.UTC));
            assertThat(report.rows()).isEqualTo(updates);
            assertThat(report.filesMerged()).isGreaterThanOrEqualTo(2L * FLUSHES);
            assertThat(report.bytesBefore()).isEqualTo(bytesBefore);
            assertThat(report.bytesAfter()).isEqualTo(bookBytes(tick));
            double perUpdate = (double) report.bytesAfter() / updates;
            System.out.printf(
                    "real Binance depth, %d updates: %d files %.4f B/update -> %d archived file(s) %.4f B/update, "
                            + "archive CPU %.2f us/update%n",
                    updates,
                    report.filesMerged(),
                    (double) report.bytesBefore() / updates,
                    report.partitions().size(),
                    perUpdate,
                    report.cpuNanos() / 1000.0 / updates);
            assertThat(perUpdate).isLessThanOrEqualTo(2.0);
            assertSame(tick, rows, books);
        }
        try (TickStore tick = TickStore.open(store, StoreConfig.defaults())) {
            for (SeriesKey series : rows.keySet()) {
                assertThat(rowsOf(tick, series)).isEqualTo(rows.get(series));
            }
        }
        try (TickStore tick = TickStore.openReadOnly(store)) {
            for (SeriesKey series : rows.keySet()) {
                assertThat(rowsOf(tick, series)).isEqualTo(rows.get(series));
            }
        }
        assertThat(TickStore.verify(store).problems()).isEmpty();
        List<Path> archived = ArchiveTest.chunkFiles(store).stream()
                .filter(f -> f.getFileName().toString().contains("-archive"))
                .toList();
        assertThat(StoreFiles.sha256(store, archived))
                .as("the archived files' bytes, as the in-memory writer wrote them (main at f9b8da7)")
                .isEqualTo(GOLDEN);
    }

    private static void assertSame(
            TickStore tick, Map<SeriesKey, List<BookUpdate>> rows, Map<SeriesKey, List<String>> books) {
        for (SeriesKey series : rows.keySet()) {
            assertThat(rowsOf(tick, series)).as("rows of %s", series).isEqualTo(rows.get(series));
            assertThat(booksAt(tick, series, rows.get(series)))
                    .as("books of %s", series)
                    .isEqualTo(books.get(series));
        }
    }

    private static long bookBytes(TickStore tick) {
        return tick.stats().partitions().stream()
                .filter(p -> p.table().equals(Table.BOOK.directoryName()))
                .mapToLong(StoreStats.PartitionStats::bytesOnDisk)
                .sum();
    }

    private static List<BookUpdate> rowsOf(TickStore tick, SeriesKey series) {
        List<BookUpdate> rows = new ArrayList<>();
        tick.bookUpdates(series, Long.MIN_VALUE, Long.MAX_VALUE, rows::add);
        return rows;
    }

    /** The whole book at {@link #INSTANTS} instants spread over the rows' times (as text, or the error). */
    private static List<String> booksAt(TickStore tick, SeriesKey series, List<BookUpdate> rows) {
        BookAtQuery query = new BookAtQuery(tick, BookQueryConfig.defaults());
        List<String> books = new ArrayList<>();
        for (int i = 0; i < INSTANTS; i++) {
            long at = rows.get((int) ((long) (rows.size() - 1) * i / (INSTANTS - 1)))
                            .tsNanos()
                    + (i % 2);
            try {
                books.add(query.at(series, at, 1_000_000).toString());
            } catch (BookNotAvailableException e) {
                books.add(e.getMessage());
            }
        }
        return books;
    }
}
