package dev.tickvault.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickvault.model.BookUpdate;
import dev.tickvault.model.Decimal;
import dev.tickvault.model.SeriesKey;
import dev.tickvault.model.Side;
import dev.tickvault.store.StoreConfig;
import dev.tickvault.store.StoreWriter;
import dev.tickvault.store.TickStore;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tickvault archive}: archives the closed days before {@code --before} and prints what it did; a missing or
 * malformed {@code --before}, a cutoff after today and a missing store are refused with a message and a non-zero exit,
 * leaving the store as it was.
 */
class ArchiveCommandTest {

    private static final SeriesKey SERIES = SeriesKey.of("binance", "BTCUSDT");
    private static final long DAY = 86_400_000_000_000L;

    @TempDir
    Path dir;

    @Test
    void archivesTheDaysBeforeTheCutoffAndPrintsTheReport() {
        Path data = dir.resolve("data");
        long day0 = LocalDate.of(2024, 8, 7).toEpochDay() * DAY;
        List<BookUpdate> written = new ArrayList<>();
        try (TickStore store = TickStore.open(data, StoreConfig.defaults());
                StoreWriter writer = store.newWriter()) {
            for (int flush = 0; flush < 3; flush++) {
                for (int i = 0; i < 300; i++) {
                    long ts = day0 + (flush * 300L + i) * (DAY / 400); // 2024-08-07 to 2024-08-09
                    BookUpdate u = new BookUpdate(
                            SERIES,
                            ts,
                            ts + 1_000,
                            i % 2 == 0 ? Side.BUY : Side.SELL,
                            Decimal.of(6_000_000 + i, 2),
                            Decimal.of(i * 7L, 5),
                            i,
                            i,
                            BookUpdate.EVENT_END);
                    writer.appendBookUpdate(u);
                    written.add(u);
                }
                writer.commit();
                store.flush();
            }
        }

        CliRun run = CliRun.run("archive", "--data", data.toString(), "--before", "2024-08-09");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out())
                .contains("book binance BTCUSDT 2024-08-07: 2 files, 400 rows")
                .contains("book binance BTCUSDT 2024-08-08: 2 files, 400 rows")
                .contains("archive: 2 partitions before 2024-08-09, 4 files merged, 800 rows");
        assertThat(run.out()).doesNotContain("2024-08-09:");
        try (TickStore store = TickStore.openReadOnly(data)) {
            List<BookUpdate> read = new ArrayList<>();
            store.bookUpdates(SERIES, Long.MIN_VALUE, Long.MAX_VALUE, read::add);
            assertThat(read).isEqualTo(written);
            assertThat(store.stats().partitions())
                    .extracting(p -> p.day() + "=" + p.files())
                    .containsExactly("2024-08-07=1", "2024-08-08=1", "2024-08-09=1");
        }
    }

    @Test
    void badInputIsRefusedWithAMessage() {
        Path data = dir.resolve("data");
        try (TickStore store = TickStore.open(data, StoreConfig.defaults())) {
            store.flush();
        }
        CliRun missing = CliRun.run("archive", "--data", data.toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("--before");

        CliRun malformed = CliRun.run("archive", "--data", data.toString(), "--before", "2024-13-01");
        assertThat(malformed.exitCode()).isEqualTo(2);
        assertThat(malformed.err()).contains("2024-13-01");

        String tomorrow = LocalDate.now(ZoneOffset.UTC).plusDays(1).toString();
        CliRun future = CliRun.run("archive", "--data", data.toString(), "--before", tomorrow);
        assertThat(future.exitCode()).isEqualTo(2);
        assertThat(future.err()).contains("after today");

        CliRun noStore = CliRun.run("archive", "--data", dir.resolve("none").toString(), "--before", "2024-08-09");
        assertThat(noStore.exitCode()).isEqualTo(1);
        assertThat(noStore.err()).contains("no store");

        CliRun today = CliRun.run(
                "archive",
                "--data",
                data.toString(),
                "--before",
                LocalDate.now(ZoneOffset.UTC).toString());
        assertThat(today.exitCode()).as(today.err()).isZero();
        assertThat(today.out()).contains("archive: 0 partitions");
    }
}
