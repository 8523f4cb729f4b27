package dev.tickvault.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.tickvault.model.Decimal;
import dev.tickvault.model.SeriesKey;
import dev.tickvault.model.Side;
import dev.tickvault.model.Trade;
import dev.tickvault.testing.StoreFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Flips bytes in every chunk file and log segment of a store: {@code verify} must name the file, and reads must either
 * fail with an error naming it or return only rows that were written — never garbage.
 */
class CorruptionTest {

    private static final long T0 = 1_723_161_253_000_000_000L;
    private static final long DAY = 86_400_000_000_000L;

    @TempDir
    Path work;

    private final List<SeriesKey> series =
            List.of(SeriesKey.of("binance", "BTCUSDT"), SeriesKey.of("kraken", "XBT/USD"));

    @Test
    void flippedBytesAreCaughtByVerifyAndByReadsNeverReturnedAsData() throws IOException {
        Path pristine = work.resolve("pristine");
        Set<Trade> written = buildStore(pristine);
        assertThat(TickStore.verify(pristine).clean()).isTrue();

        List<Path> files;
        try (Stream<Path> walk = Files.walk(pristine)) {
            files = walk.filter(Files::isRegularFile)
                    .filter(p -> p.toString().endsWith(".tvc") || p.toString().endsWith(".wal"))
                    .sorted()
                    .toList();
        }
        assertThat(files).anyMatch(p -> p.toString().endsWith(".tvc")).anyMatch(p -> p.toString()
                .endsWith(".wal"));

        Random random = new Random(7);
        int caseNumber = 0;
        for (Path file : files) {
            long size = Files.size(file);
            List<Long> offsets = new ArrayList<>(List.of(0L, size / 2, size - 1));
            for (int i = 0; i < 12; i++) {
                offsets.add((long) random.nextInt((int) size));
            }
            for (long offset : offsets) {
                Path copy = work.resolve("case-" + caseNumber++);
                StoreFiles.copyTree(pristine, copy);
                Path damaged = copy.resolve(pristine.relativize(file));
                flipByte(damaged, offset);
                String context = damaged.getFileName() + " @" + offset;

                VerifyReport report = TickStore.verify(copy);
                assertThat(report.problems())
                        .as("verify after flipping %s", context)
                        .isNotEmpty();
                assertThat(report.problems())
                        .extracting(VerifyReport.Problem::file)
                        .as(context)
                        .contains(damaged);

                readBackNeverReturnsGarbage(copy, damaged, written, context);
            }
        }
    }

    private void readBackNeverReturnsGarbage(Path dir, Path damaged, Set<Trade> written, String context) {
        try (TickStore store = TickStore.open(dir, StoreConfig.defaults())) {
            for (SeriesKey key : series) {
                try {
                    for (Trade t : StoreTestRows.readAll(store, key)) {
                        if (!written.contains(t)) {
                            fail("a row never written was read after flipping " + context + ": " + t);
                        }
                    }
                } catch (StorageException e) {
                    assertThat(e.getMessage())
                            .as(context)
                            .contains(damaged.getFileName().toString());
                }
            }
        } catch (StorageException e) {
            assertThat(e.getMessage())
                    .as("open after flipping %s", context)
                    .contains(damaged.getFileName().toString());
        }
    }

    /**
     * Two days of flushed trades for two series, then commits that stay in the log (copied while open): one logged as
     * blocks (record type 9), the others as columns (type 8).
     */
    private Set<Trade> buildStore(Path dir) throws IOException {
        Set<Trade> written = new HashSet<>();
        Path live = work.resolve("live");
        try (TickStore store = TickStore.open(live, StoreConfig.defaults().withDurability(Durability.OS));
                StoreWriter writer = store.newWriter()) {
            for (int i = 0; i < 40_000; i++) {
                Trade t = trade(series.get(i % 2), T0 - DAY / 2 + i * 1_000_000_000L, i);
                writer.appendTrade(t);
                written.add(t);
            }
            writer.commit();
            store.flush();
            for (int c = 0; c < 5; c++) {
                // the first commit's large sections are logged as chunk-file blocks (asynchronous: record type 9)
                int rows = c == 0 ? 3000 : 300;
                for (int i = 0; i < rows; i++) {
                    Trade t = trade(series.get(i % 2), T0 + DAY + c * 10_000_000L + i, 1_000_000 + c * 10_000 + i);
                    writer.appendTrade(t);
                    written.add(t);
                }
                if (c == 0) {
                    writer.commitAsync().await();
                } else {
                    writer.commit();
                }
            }
            StoreFiles.copyTree(live, dir); // as a crash would leave it: chunk files plus a log with unflushed commits
        }
        return written;
    }

    private static Trade trade(SeriesKey key, long ts, long id) {
        return new Trade(
                key,
                ts,
                ts + 99,
                Decimal.of(6_000_000 + id % 1000, 2),
                Decimal.of(id * 13 % 100_000, 8),
                Side.values()[(int) (id % 3)],
                id);
    }

    private static void flipByte(Path file, long offset) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        bytes[(int) offset] ^= (byte) 0x5A;
        Files.write(file, bytes);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
        if (Files.exists(dir)) {
            fail("could not delete " + dir);
        }
    }
}
