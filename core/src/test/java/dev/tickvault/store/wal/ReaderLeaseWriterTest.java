package dev.tickvault.store.wal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickvault.model.SeriesKey;
import dev.tickvault.model.Side;
import dev.tickvault.store.Durability;
import dev.tickvault.store.StoreConfig;
import dev.tickvault.store.StoreWriter;
import dev.tickvault.store.TickStore;
import dev.tickvault.store.TradeCursor;
import dev.tickvault.store.VerifyReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A writing store beside reader leases: a live lease keeps the log from its LSN on, up to the memtable limit's worth
 * of segments; a crashed reader's lease, a damaged lease file or an unreadable one never keep the log nor fail a
 * flush.
 */
class ReaderLeaseWriterTest {

    private static final SeriesKey SERIES = SeriesKey.of("binance", "BTCUSDT");
    private static final long T0 = 1_723_161_253_000_000_000L;
    private static final long MEMTABLE_LIMIT = 1 << 18;

    @TempDir
    Path dir;

    private long nextId;

    private final StoreConfig config = StoreConfig.defaults()
            .withDurability(Durability.OS)
            .withMemtableLimitBytes(MEMTABLE_LIMIT)
            .withWalSegmentSizeBytes(1 << 16)
            .withCompressionLevel(0);

    private Path wal() {
        return dir.resolve("wal");
    }

    @Test
    void withoutLeasesTheLogKeepsOneFlushIntervalOnly() throws IOException {
        try (TickStore store = TickStore.open(dir, config);
                StoreWriter writer = store.newWriter()) {
            commitAndFlush(store, writer, 10);
            assertThat(firstLsns()).hasSizeLessThanOrEqualTo(2);
            assertThat(firstLsns().getFirst()).isGreaterThan(1);
        }
    }

    @Test
    void aLiveLeaseKeepsTheLogFromItsLsnUpToTheBound() throws IOException {
        try (TickStore store = TickStore.open(dir, config);
                StoreWriter writer = store.newWriter()) {
            ReaderLease lease = ReaderLease.forLog(wal());
            assertThat(lease.hold(1)).isTrue();
            commitAndFlush(store, writer, 2);
            assertThat(logBytes()).as("within the bound").isLessThan(MEMTABLE_LIMIT);
            assertThat(firstLsns().getFirst())
                    .as("the segment holding LSN 1 is kept")
                    .isEqualTo(1);
            assertThat(firstLsns()).as("more than one flush interval").hasSizeGreaterThan(2);
            while (logBytes() < 2 * MEMTABLE_LIMIT && firstLsns().getFirst() == 1) {
                commitAndFlush(store, writer, 1);
                lease.renew();
            }
            assertThat(firstLsns().getFirst())
                    .as("past the bound the oldest segments go anyway")
                    .isGreaterThan(1);
            assertThat(logBytes())
                    .as("the log kept for the lease stays within the bound (plus the writer's own two segments)")
                    .isLessThanOrEqualTo(MEMTABLE_LIMIT + 2 * config.walSegmentSizeBytes());
            lease.close();
            commitAndFlush(store, writer, 2);
            assertThat(firstLsns()).as("the lease closed: trimmed as before").hasSizeLessThanOrEqualTo(2);
        }
        assertAllRowsRead();
    }

    @Test
    void aCrashedReadersLeaseDoesNotKeepTheLog() throws Exception {
        Process child = new ProcessBuilder(
                        ProcessHandle.current().info().command().orElse("java"), "-version")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        long self = ProcessHandle.current().pid();
        Path leases = Files.createDirectories(wal().resolve(LeaseLayout.DIRECTORY));
        Path crashed = Files.write(
                leases.resolve(child.pid() + "-00000000000000aa.lease"),
                LeaseLayout.encode(child.pid(), System.currentTimeMillis(), 1));
        Path abandoned = Files.write(
                leases.resolve(self + "-00000000000000bb.lease"),
                LeaseLayout.encode(self, System.currentTimeMillis() - ReaderLeases.STALE_AFTER_MILLIS - 1, 1));
        try (TickStore store = TickStore.open(dir, config);
                StoreWriter writer = store.newWriter()) {
            commitAndFlush(store, writer, 10);
            assertThat(firstLsns()).hasSizeLessThanOrEqualTo(2);
            assertThat(firstLsns().getFirst()).isGreaterThan(1);
        }
        assertThat(crashed).as("a lease of a process that is gone is deleted").doesNotExist();
        assertThat(abandoned).as("a lease not renewed for the bound is deleted").doesNotExist();
        assertAllRowsRead();
    }

    @Test
    void damagedAndUnreadableLeasesNeitherKeepTheLogNorFailTheWriter() throws IOException {
        long self = ProcessHandle.current().pid();
        Path leases = Files.createDirectories(wal().resolve(LeaseLayout.DIRECTORY));
        byte[] damaged = LeaseLayout.encode(self, System.currentTimeMillis(), 1);
        damaged[30] ^= 0x10;
        Files.write(leases.resolve(self + "-0000000000000001.lease"), damaged);
        Files.write(leases.resolve(self + "-0000000000000002.lease"), new byte[] {9, 9, 9});
        Files.createDirectory(leases.resolve(self + "-0000000000000003.lease"));
        Files.writeString(leases.resolve("notes.txt"), "not a lease");
        try (TickStore store = TickStore.open(dir, config);
                StoreWriter writer = store.newWriter()) {
            commitAndFlush(store, writer, 10);
            assertThat(firstLsns()).hasSizeLessThanOrEqualTo(2);
            assertThat(firstLsns().getFirst()).isGreaterThan(1);
        }
        VerifyReport report = TickStore.verify(dir);
        assertThat(report.problems()).as("leases are not the log").isEmpty();
        long logBytes = logBytes() + Files.size(dir.resolve("CHECKPOINT"));
        assertThat((long) report.filesChecked())
                .as("files counted by verify: chunk files, the checkpoint and log segments, no lease")
                .isEqualTo(chunkFiles() + 1 + firstLsns().size());
        assertThat(report.bytesChecked()).isGreaterThan(logBytes);
        assertAllRowsRead();
    }

    private void commitAndFlush(TickStore store, StoreWriter writer, int flushes) {
        for (int f = 0; f < flushes; f++) {
            for (int c = 0; c < 3; c++) {
                for (int i = 0; i < 1_000; i++) {
                    long id = nextId++;
                    long noise = id * 0x9E3779B97F4A7C15L >>> 20; // spreads the log's bytes: fewer flushes
                    writer.appendTrade(
                            SERIES, T0 + id * 1_000, T0 + id * 1_000 + 5, noise, 2, noise >>> 7, 3, Side.SELL, id);
                }
                writer.commit();
            }
            store.flush();
        }
    }

    private void assertAllRowsRead() {
        try (TickStore store = TickStore.open(dir, config);
                TradeCursor cursor = store.trades(SERIES, Long.MIN_VALUE, Long.MAX_VALUE)) {
            long expected = 0;
            while (cursor.next()) {
                assertThat(cursor.tradeId()).isEqualTo(expected);
                assertThat(cursor.priceMantissa()).isEqualTo(expected * 0x9E3779B97F4A7C15L >>> 20);
                expected++;
            }
            assertThat(expected).as("every row after reopening").isEqualTo(nextId);
        }
    }

    private List<Long> firstLsns() throws IOException {
        return WalTestSupport.segmentFiles(wal()).stream()
                .map(WalLayout::firstLsnFromName)
                .toList();
    }

    private long chunkFiles() throws IOException {
        try (Stream<Path> files = Files.walk(dir.resolve("trades"))) {
            return files.filter(f -> f.toString().endsWith(".tvc")).count();
        }
    }

    private long logBytes() throws IOException {
        long total = 0;
        for (Path file : WalTestSupport.segmentFiles(wal())) {
            total += Files.size(file);
        }
        return total;
    }
}
