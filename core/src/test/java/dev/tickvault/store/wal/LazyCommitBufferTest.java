package dev.tickvault.store.wal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickvault.store.Durability;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A log allocates its two commit buffers with its first buffered record, not when it is opened. */
class LazyCommitBufferTest {

    @TempDir
    Path dir;

    @Test
    void openingLogsAllocatesNoCommitBuffersAndTheFirstRecordsStillRoundTrip() {
        WalConfig config = new WalConfig(Durability.OS, 100, 1 << 20);
        long before = directBytes();
        List<WriteAheadLog> logs = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                logs.add(WriteAheadLog.open(dir.resolve("log" + i), config));
            }
            assertThat(directBytes() - before)
                    .as("4 logs opened: no 2 x 1 MiB commit buffers each")
                    .isLessThan(config.commitBufferBytes());
            WriteAheadLog log = logs.getFirst();
            assertThat(log.append(3, new byte[] {1, 2, 3}, 0, 3)).isEqualTo(1);
            assertThat(log.append(3, new byte[600_000], 0, 600_000))
                    .as("a direct record")
                    .isEqualTo(2);
            assertThat(log.append(3, new byte[] {4}, 0, 1)).isEqualTo(3);
            log.sync();
            List<Integer> lengths = new ArrayList<>();
            log.replay(1, (lsn, type, payload) -> lengths.add((int) payload.byteSize()));
            assertThat(lengths).containsExactly(3, 600_000, 1);
            WriteAheadLog direct = logs.get(1);
            assertThat(direct.append(3, new byte[600_000], 0, 600_000))
                    .as("a direct record before any buffered one")
                    .isEqualTo(1);
        } finally {
            logs.forEach(WriteAheadLog::close);
        }
        try (WriteAheadLog reopened = WriteAheadLog.open(dir.resolve("log0"), config)) {
            assertThat(reopened.lastLsn()).isEqualTo(3);
        }
        try (WriteAheadLog reopened = WriteAheadLog.open(dir.resolve("log1"), config)) {
            assertThat(reopened.lastLsn()).isEqualTo(1);
        }
    }

    private static long directBytes() {
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (pool.getName().equals("direct")) {
                return pool.getMemoryUsed();
            }
        }
        throw new IllegalStateException("no direct buffer pool");
    }
}
