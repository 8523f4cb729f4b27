package dev.tickvault.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickvault.store.wal.WalConfig;
import dev.tickvault.store.wal.WriteAheadLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code verify} beside a live writer: a record that is being appended (its bytes complete a moment later) is not
 * reported; one that stays cut off (a crash's torn tail) still is.
 */
class VerifyLiveLogTest {

    @TempDir
    Path dir;

    @Test
    void aRecordBeingAppendedIsNotReportedButATornTailIs() throws Exception {
        Path wal = dir.resolve("wal");
        try (WriteAheadLog log = WriteAheadLog.open(wal, new WalConfig(Durability.OS, 100, 1 << 20))) {
            for (int i = 0; i < 3; i++) {
                log.append(2, new byte[300], 0, 300);
            }
        }
        Path segment;
        try (Stream<Path> files = Files.list(wal)) {
            segment = files.findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(segment);
        int cut = bytes.length - 100;
        Files.write(segment, Arrays.copyOf(bytes, cut));

        // The writer's append completes 50 ms after verify starts.
        CompletableFuture<VerifyReport> live = CompletableFuture.supplyAsync(() -> TickStore.verify(dir));
        Thread.sleep(50);
        Files.write(segment, Arrays.copyOfRange(bytes, cut, bytes.length), StandardOpenOption.APPEND);
        VerifyReport report = live.get(30, TimeUnit.SECONDS);
        assertThat(report.problems()).as("an append in progress is not damage").isEmpty();

        // Cut off for good: reported (as a torn tail).
        Files.write(segment, Arrays.copyOf(bytes, cut));
        VerifyReport torn = TickStore.verify(dir);
        assertThat(torn.problems()).singleElement().satisfies(p -> assertThat(p.description())
                .startsWith("TORN_TAIL"));
    }
}
