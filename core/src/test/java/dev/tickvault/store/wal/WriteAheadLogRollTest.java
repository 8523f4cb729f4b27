package dev.tickvault.store.wal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickvault.store.Durability;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** After a checkpoint the store rolls the log, so segments holding only flushed records can be deleted. */
class WriteAheadLogRollTest {

    @TempDir
    Path dir;

    @Test
    void rollsOnlyWhenEveryRecordIsCoveredAndLsnsContinueAcrossReopen() throws IOException {
        WalConfig config = new WalConfig(Durability.SYNC_EVERY_COMMIT, 100, 1 << 20);
        try (WriteAheadLog log = WriteAheadLog.open(dir, config)) {
            assertThat(log.rollIfCoveredBy(0)).as("empty segment").isFalse();
            for (int i = 0; i < 10; i++) {
                log.append(1, new byte[] {(byte) i}, 0, 1);
            }
            assertThat(log.rollIfCoveredBy(9)).as("record 10 not covered").isFalse();
            assertThat(log.rollIfCoveredBy(10)).isTrue();
            assertThat(log.deleteSegmentsBefore(11)).isEqualTo(1);
            assertThat(segments()).hasSize(1);
            assertThat(log.append(1, new byte[] {42}, 0, 1)).isEqualTo(11);
        }
        try (WriteAheadLog log = WriteAheadLog.open(dir, config)) {
            assertThat(log.lastLsn()).isEqualTo(11);
            List<Long> replayed = new ArrayList<>();
            log.replay(1, (lsn, type, payload) -> replayed.add(lsn));
            assertThat(replayed).containsExactly(11L);
            assertThat(log.rollIfCoveredBy(11)).isTrue();
            assertThat(log.deleteSegmentsBefore(12)).isEqualTo(1);
        }
        try (WriteAheadLog log = WriteAheadLog.open(dir, config)) {
            assertThat(log.lastLsn())
                    .as("an empty newest segment still carries the sequence")
                    .isEqualTo(11);
            assertThat(log.append(1, new byte[] {7}, 0, 1)).isEqualTo(12);
        }
        assertThat(WriteAheadLog.verify(dir)).isEmpty();
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".wal")).toList();
        }
    }
}
