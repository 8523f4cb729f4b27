package dev.tickvault.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickvault.model.BookUpdate;
import dev.tickvault.model.Decimal;
import dev.tickvault.model.SeriesKey;
import dev.tickvault.model.Side;
import dev.tickvault.testing.StoreFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The archived files' bytes are those of chunk format 4 as the archive step wrote them before it streamed them to
 * disk block by block (session 15): the SHA-256 of the files archived from a fixed pseudo-random book (three UTC days
 * of several blocks each, written in flushes that overlap in time) was taken with the in-memory writer and must not
 * change. A change of the format needs a new version, not a new digest.
 */
class ArchivedBytesTest {

    private static final SeriesKey SERIES = SeriesKey.of("binance", "ETHUSDT");
    private static final long DAY = 86_400_000_000_000L;
    private static final long DAY0 = LocalDate.of(2024, 8, 7).toEpochDay() * DAY;
    private static final int ROWS = 60_000;
    private static final int FLUSHES = 5;

    /** Taken on main at f9b8da7 (the whole file built in memory, then written). */
    private static final String GOLDEN = "28677db19aa4f38693aec9eac0c8fea4e7fd16ca4a3513b66885ba2549310067";

    @TempDir
    Path dir;

    @Test
    void archivedFilesHaveTheBytesOfTheInMemoryWriter() throws IOException {
        Path store = dir.resolve("store");
        SplittableRandom random = new SplittableRandom(20261130L);
        try (TickStore tick = TickStore.open(store, StoreConfig.defaults());
                StoreWriter writer = tick.newWriter()) {
            long price = 2_500_00;
            for (int i = 0; i < ROWS; i++) {
                // times rise over three days, but each flush also reaches back a little (overlapping files)
                long ts = DAY0 + (3 * DAY - 1) / ROWS * i - random.nextLong(0, 50_000_000_000L);
                price = Math.max(1, price + random.nextInt(-3, 4));
                long id = 1_000_000L + i;
                writer.appendBookUpdate(new BookUpdate(
                        SERIES,
                        Math.max(DAY0, ts),
                        Math.max(DAY0, ts) + random.nextLong(0, 5_000_000),
                        random.nextBoolean() ? Side.BUY : Side.SELL,
                        Decimal.of(price + random.nextInt(0, 20), 2),
                        Decimal.of(random.nextInt(4) == 0 ? 0 : random.nextLong(1, 1_000_000), 4),
                        id,
                        id,
                        random.nextInt(4) == 0 ? BookUpdate.EVENT_END : 0));
                if ((i + 1) % (ROWS / FLUSHES) == 0) {
                    writer.commit();
                    tick.flush();
                }
            }
            writer.commit();
        }
        List<Path> archived;
        try (TickStore tick = TickStore.open(store, StoreConfig.defaults())) {
            ArchiveReport report = tick.archive(LocalDate.ofEpochDay(DAY0 / DAY + 3));
            assertThat(report.partitions()).hasSize(3);
            assertThat(report.rows()).isEqualTo(ROWS);
            archived = ArchiveTest.chunkFiles(store).stream()
                    .filter(f -> f.getFileName().toString().contains("-archive"))
                    .toList();
        }
        assertThat(archived).hasSize(3);
        assertThat(StoreFiles.sha256(store, archived)).isEqualTo(GOLDEN);
    }
}
