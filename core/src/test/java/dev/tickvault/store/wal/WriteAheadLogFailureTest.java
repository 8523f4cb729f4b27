package dev.tickvault.store.wal;

import static dev.tickvault.store.wal.WalTestSupport.replayAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tickvault.store.Durability;
import dev.tickvault.store.StorageException;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WriteAheadLogFailureTest {

    @TempDir
    Path dir;

    /** Fails the next write or fsync once armed. */
    private static final class ArmedFaults implements IoFaults {
        volatile boolean failWrite;
        volatile boolean failForce;

        @Override
        public void beforeWrite(Path file) throws IOException {
            if (failWrite) {
                throw new IOException("injected write failure");
            }
        }

        @Override
        public void beforeForce(Path file) throws IOException {
            if (failForce) {
                throw new IOException("injected fsync failure");
            }
        }
    }

    private static StorageException.Kind kindOf(Throwable e) {
        return ((StorageException) e).kind();
    }

    @Test
    void failedFsyncFailsThatAppendAndRefusesEveryLaterOne() {
        ArmedFaults faults = new ArmedFaults();
        WalConfig config = new WalConfig(Durability.SYNC_EVERY_COMMIT, 100, 1 << 20);
        WriteAheadLog log = WriteAheadLog.open(dir, config, faults);
        assertThat(log.append(1, new byte[10], 0, 10)).isEqualTo(1);

        faults.failForce = true;
        assertThatThrownBy(() -> log.append(1, new byte[10], 0, 10))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("injected fsync failure")
                .hasMessageContaining(dir.toString())
                .satisfies(e -> assertThat(kindOf(e)).isEqualTo(StorageException.Kind.IO));

        faults.failForce = false;
        assertThatThrownBy(() -> log.append(1, new byte[10], 0, 10))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("earlier write failure")
                .hasMessageContaining("injected fsync failure")
                .satisfies(e -> assertThat(kindOf(e)).isEqualTo(StorageException.Kind.CLOSED));
        assertThatThrownBy(log::sync).satisfies(e -> assertThat(kindOf(e)).isEqualTo(StorageException.Kind.CLOSED));
        log.close();

        // Reopening recovers from disk: record 1 for sure; record 2 was written before its fsync failed.
        try (WriteAheadLog reopened = WriteAheadLog.open(dir, config)) {
            assertThat(reopened.lastLsn()).isEqualTo(2);
            assertThat(reopened.append(1, new byte[1], 0, 1)).isEqualTo(3);
        }
    }

    @Test
    void failedWriteOfALargeDirectRecordRefusesLaterAppends() {
        ArmedFaults faults = new ArmedFaults();
        WalConfig config = new WalConfig(Durability.OS, 100, 1 << 20, 4096);
        try (WriteAheadLog log = WriteAheadLog.open(dir, config, faults)) {
            log.append(1, new byte[10], 0, 10);
            faults.failWrite = true;
            assertThatThrownBy(() -> log.append(1, new byte[100_000], 0, 100_000))
                    .satisfies(e -> assertThat(kindOf(e)).isEqualTo(StorageException.Kind.IO));
            faults.failWrite = false;
            assertThatThrownBy(() -> log.append(1, new byte[10], 0, 10))
                    .satisfies(e -> assertThat(kindOf(e)).isEqualTo(StorageException.Kind.CLOSED));
        }
        try (WriteAheadLog reopened = WriteAheadLog.open(dir, config)) {
            assertThat(replayAll(reopened, 1)).hasSize(1);
        }
    }

    @Test
    void failedBackgroundSyncRefusesLaterAppends() throws InterruptedException {
        ArmedFaults faults = new ArmedFaults();
        faults.failForce = true;
        WalConfig config = new WalConfig(Durability.SYNC_INTERVAL, 1, 1 << 20);
        try (WriteAheadLog log = WriteAheadLog.open(dir, config, faults)) {
            log.append(1, new byte[10], 0, 10);
            // No timing assumption: keep appending until the background fsync has failed.
            Throwable refused = null;
            while (refused == null) {
                try {
                    log.append(1, new byte[10], 0, 10);
                    Thread.sleep(1);
                } catch (StorageException e) {
                    refused = e;
                }
            }
            assertThat(kindOf(refused)).isIn(StorageException.Kind.CLOSED, StorageException.Kind.IO);
            assertThatThrownBy(() -> log.append(1, new byte[10], 0, 10))
                    .satisfies(e -> assertThat(kindOf(e)).isEqualTo(StorageException.Kind.CLOSED));
        }
    }
}
