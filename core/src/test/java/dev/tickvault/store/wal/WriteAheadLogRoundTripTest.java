package dev.tickvault.store.wal;

import static dev.tickvault.store.wal.WalTestSupport.assertReplayMatches;
import static dev.tickvault.store.wal.WalTestSupport.randomPayload;
import static dev.tickvault.store.wal.WalTestSupport.replayAll;
import static dev.tickvault.store.wal.WalTestSupport.segmentFiles;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tickvault.store.Durability;
import dev.tickvault.store.StorageException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class WriteAheadLogRoundTripTest {

    @TempDir
    Path dir;

    private static int randomSize(Random random) {
        int pick = random.nextInt(100);
        if (pick < 5) {
            return 0;
        }
        if (pick < 85) {
            return random.nextInt(2_000);
        }
        if (pick < 97) {
            return random.nextInt(200_000);
        }
        return 1_000_000 + random.nextInt(2_500_000);
    }

    @ParameterizedTest
    @EnumSource(Durability.class)
    void recordsOfRandomSizesReplayInOrderFromAnyLsnAndAcrossReopen(Durability durability) throws IOException {
        long seed = System.nanoTime();
        String seedText = Long.toString(seed);
        Random random = new Random(seed);
        WalConfig config = new WalConfig(durability, 5, 256 * 1024, 64 * 1024);
        List<byte[]> payloads = new ArrayList<>();
        List<Integer> types = new ArrayList<>();

        try (WriteAheadLog log = WriteAheadLog.open(dir, config)) {
            assertThat(log.lastLsn()).isZero();
            for (int i = 0; i < 300; i++) {
                byte[] payload = randomPayload(random, randomSize(random));
                int type = random.nextInt(256);
                long lsn = log.append(type, payload, 0, payload.length);
                assertThat(lsn).as("seed=%s", seedText).isEqualTo(i + 1);
                payloads.add(payload);
                types.add(type);
            }
            assertThat(log.lastLsn()).isEqualTo(300);
            assertReplayMatches(replayAll(log, 1), payloads, 1, seedText);
            assertThat(replayAll(log, 1).stream().map(WalTestSupport.Replayed::type))
                    .containsExactlyElementsOf(types);
            for (int k = 0; k < 10; k++) {
                int from = 1 + random.nextInt(301);
                assertReplayMatches(replayAll(log, from), payloads.subList(from - 1, payloads.size()), from, seedText);
            }
            assertThat(replayAll(log, 1_000)).isEmpty();
            assertThat(log.sizeBytes()).isEqualTo(totalSize(dir));
        }
        assertThat(segmentFiles(dir)).as("seed=%s", seedText).hasSizeGreaterThan(3);
        assertThat(WriteAheadLog.verify(dir)).isEmpty();

        try (WriteAheadLog log = WriteAheadLog.open(dir, config)) {
            assertThat(log.recoveryReport().recordsRecovered()).isEqualTo(300);
            assertThat(log.recoveryReport().clean()).isTrue();
            assertThat(log.lastLsn()).isEqualTo(300);
            byte[] more = randomPayload(random, 100);
            assertThat(log.append(7, more, 0, more.length)).isEqualTo(301);
            payloads.add(more);
            assertReplayMatches(replayAll(log, 1), payloads, 1, seedText);
        }
    }

    @Test
    void byteBufferAndMemorySegmentPayloadsAndSlices() {
        try (WriteAheadLog log = WriteAheadLog.open(dir, WalConfig.defaults());
                Arena arena = Arena.ofConfined()) {
            byte[] array = {1, 2, 3, 4, 5};
            log.append(1, array, 1, 3);
            ByteBuffer buffer = ByteBuffer.wrap(array, 2, 2);
            log.append(2, buffer);
            assertThat(buffer.position()).isEqualTo(2);
            MemorySegment memory = arena.allocate(3_000_000);
            memory.fill((byte) 9);
            log.append(3, memory);
            List<WalTestSupport.Replayed> all = replayAll(log, 1);
            assertThat(all.get(0).payload()).containsExactly(2, 3, 4);
            assertThat(all.get(1).payload()).containsExactly(3, 4);
            assertThat(all.get(2).payload()).hasSize(3_000_000).containsOnly(9);
            assertThat(all).extracting(WalTestSupport.Replayed::type).containsExactly(1, 2, 3);
        }
    }

    @Test
    void rejectsBadTypeAndWorkAfterClose() {
        WriteAheadLog log = WriteAheadLog.open(dir, WalConfig.defaults());
        assertThatThrownBy(() -> log.append(256, new byte[0], 0, 0))
                .isInstanceOf(StorageException.class)
                .extracting(e -> ((StorageException) e).kind())
                .isEqualTo(StorageException.Kind.INVALID_ARGUMENT);
        log.append(0, new byte[1], 0, 1);
        log.close();
        log.close();
        assertThatThrownBy(() -> log.append(0, new byte[1], 0, 1))
                .isInstanceOf(StorageException.class)
                .extracting(e -> ((StorageException) e).kind())
                .isEqualTo(StorageException.Kind.CLOSED);
    }

    @Test
    void deleteSegmentsBeforeKeepsEverySegmentWithANeededRecordAndTheActiveOne() throws IOException {
        WalConfig config = new WalConfig(Durability.OS, 100, 4096, 4096);
        List<byte[]> payloads = new ArrayList<>();
        Random random = new Random(42);
        try (WriteAheadLog log = WriteAheadLog.open(dir, config)) {
            for (int i = 0; i < 200; i++) {
                byte[] payload = randomPayload(random, 500);
                log.append(1, payload, 0, payload.length);
                payloads.add(payload);
            }
            List<Path> before = segmentFiles(dir);
            assertThat(before.size()).isGreaterThan(5);

            long keepFrom = 101;
            int deleted = log.deleteSegmentsBefore(keepFrom);
            assertThat(deleted).isPositive();
            assertThat(segmentFiles(dir)).hasSize(before.size() - deleted);
            List<WalTestSupport.Replayed> rest = replayAll(log, 1);
            long first = rest.getFirst().lsn();
            assertThat(first).isLessThanOrEqualTo(keepFrom);
            assertReplayMatches(rest, payloads.subList((int) first - 1, 200), first, "42");
            assertThat(log.sizeBytes()).isEqualTo(totalSize(dir));

            log.deleteSegmentsBefore(Long.MAX_VALUE);
            assertThat(segmentFiles(dir)).hasSize(1);
            assertThat(log.append(1, new byte[3], 0, 3)).isEqualTo(201);
        }
        try (WriteAheadLog log = WriteAheadLog.open(dir, config)) {
            assertThat(log.lastLsn()).isEqualTo(201);
        }
    }

    @Test
    void recordLargerThanASegmentStartsItsOwnSegmentAndTheNextRecordRollsAgain() throws IOException {
        WalConfig config = new WalConfig(Durability.SYNC_EVERY_COMMIT, 100, 4096, 4096);
        try (WriteAheadLog log = WriteAheadLog.open(dir, config)) {
            log.append(1, new byte[100], 0, 100);
            log.append(2, new byte[50_000], 0, 50_000);
            log.append(3, new byte[100], 0, 100);
            assertThat(segmentFiles(dir))
                    .extracting(p -> p.getFileName().toString())
                    .containsExactly(
                            "00000000000000000001.wal", "00000000000000000002.wal", "00000000000000000003.wal");
            assertThat(replayAll(log, 2))
                    .extracting(WalTestSupport.Replayed::type)
                    .containsExactly(2, 3);
        }
    }

    @Test
    void replayWhileOtherThreadsAppendSeesAConsistentPrefix() throws Exception {
        WalConfig config = new WalConfig(Durability.OS, 100, 16 * 1024, 4096);
        try (WriteAheadLog log = WriteAheadLog.open(dir, config)) {
            Thread appender = new Thread(() -> {
                for (int i = 0; i < 3_000; i++) {
                    byte[] payload = ByteBuffer.allocate(8).putLong(i + 1).array();
                    log.append(1, payload, 0, payload.length);
                }
            });
            appender.start();
            while (appender.isAlive()) {
                long[] expected = {1};
                log.replay(1, (lsn, type, payload) -> {
                    assertThat(lsn).isEqualTo(expected[0]++);
                    assertThat(payload.get(
                                    java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED.withOrder(
                                            java.nio.ByteOrder.BIG_ENDIAN),
                                    0))
                            .isEqualTo(lsn);
                });
            }
            appender.join();
            assertThat(replayAll(log, 1)).hasSize(3_000);
        }
    }

    private static long totalSize(Path dir) throws IOException {
        long total = 0;
        for (Path file : segmentFiles(dir)) {
            total += Files.size(file);
        }
        return total;
    }
}
