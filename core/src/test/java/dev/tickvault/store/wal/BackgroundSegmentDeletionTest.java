package dev.tickvault.store.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tickvault.store.Durability;
import dev.tickvault.store.StorageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An open told where the needed records start does not read the segments before them — whether a closing store or a
 * crash left them, damaged or not — and deletes them on a background thread that the log's close waits for.
 */
class BackgroundSegmentDeletionTest {

    private static final WalConfig CONFIG = new WalConfig(Durability.OS, 100, 1 << 20);

    @TempDir
    Path dir;

    @Test
    void closeWaitsForTheOpensBackgroundDeletions() throws IOException {
        try (WriteAheadLog log = WriteAheadLog.open(dir, CONFIG)) {
            appendAndRoll(log, 1, 10);
            appendAndRoll(log, 11, 20);
            log.append(1, new byte[] {21}, 0, 1);
        }
        assertThat(segmentNames()).hasSize(3);
        // Closed at once: the unlinks the open queued must be done when close returns.
        WriteAheadLog.open(dir, CONFIG, 21).close();
        assertThat(segmentNames()).containsExactly("00000000000000000021.wal");
        try (WriteAheadLog log = WriteAheadLog.open(dir, CONFIG)) {
            assertThat(log.lastLsn()).isEqualTo(21);
        }
        assertThat(WriteAheadLog.verify(dir)).isEmpty();
    }

    @Test
    void openFromANeededLsnDoesNotReadTheSegmentsBeforeIt() throws IOException {
        try (WriteAheadLog log = WriteAheadLog.open(dir, CONFIG)) {
            appendAndRoll(log, 1, 10);
            for (int i = 11; i <= 15; i++) {
                log.append(1, new byte[] {(byte) i}, 0, 1);
            }
        }
        Path covered = dir.resolve(WalLayout.segmentName(1));
        byte[] bytes = Files.readAllBytes(covered);
        bytes[WalLayout.SEGMENT_HEADER_BYTES + 20] ^= 0x55; // damage a record in the middle of the older segment
        Files.write(covered, bytes);
        assertThatThrownBy(() -> WriteAheadLog.open(dir, CONFIG).close())
                .as("read whole, the damaged older segment is refused")
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("not the newest");
        assertThatThrownBy(() -> WriteAheadLog.open(dir, CONFIG, 10).close())
                .as("record 10 is still needed: the segment holding it is read")
                .isInstanceOf(StorageException.class);
        try (WriteAheadLog log = WriteAheadLog.open(dir, CONFIG, 11)) {
            assertThat(log.lastLsn()).isEqualTo(15);
            assertThat(log.recoveryReport().segmentsScanned()).isEqualTo(1);
            List<Long> replayed = new ArrayList<>();
            log.replay(11, (lsn, type, payload) -> replayed.add(lsn));
            assertThat(replayed).containsExactly(11L, 12L, 13L, 14L, 15L);
            assertThat(log.append(1, new byte[] {1}, 0, 1)).isEqualTo(16);
            log.awaitBackgroundDeletions();
            assertThat(segmentNames())
                    .as("deleted in the background by the open")
                    .hasSize(1);
        }
        assertThat(segmentNames()).containsExactly("00000000000000000011.wal");
    }

    private static void appendAndRoll(WriteAheadLog log, int first, int last) {
        for (int i = first; i <= last; i++) {
            assertThat(log.append(1, new byte[] {(byte) i, 2, 3, 4, 5, 6, 7, 8}, 0, 8))
                    .isEqualTo(i);
        }
        assertThat(log.rollIfCoveredBy(last)).isTrue();
    }

    private List<String> segmentNames() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(name -> name.endsWith(".wal"))
                    .sorted()
                    .toList();
        }
    }
}
