package dev.tickvault.store.wal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickvault.store.Durability;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class WriteAheadLogConcurrencyTest {

    private static final int THREADS = 8;
    private static final int RECORDS_PER_THREAD = 400;

    @TempDir
    Path dir;

    /** Payload: thread (4 bytes), sequence (4 bytes), then filler derived from both. */
    private static byte[] payload(int thread, int sequence, int length) {
        ByteBuffer buffer = ByteBuffer.allocate(Math.max(8, length));
        buffer.putInt(thread).putInt(sequence);
        while (buffer.hasRemaining()) {
            buffer.put((byte) (thread * 31 + sequence + buffer.position()));
        }
        return buffer.array();
    }

    private static int length(Random random) {
        // Mostly small, now and then larger than half the small commit buffer (the direct-write path).
        return random.nextInt(50) == 0 ? 10_000 + random.nextInt(20_000) : 8 + random.nextInt(300);
    }

    @ParameterizedTest
    @EnumSource(Durability.class)
    void concurrentAppendersGetUniqueLsnsAndEveryRecordReplaysOnce(Durability durability) throws Exception {
        long seed = System.nanoTime();
        WalConfig config = new WalConfig(durability, 2, 64 * 1024, 8 * 1024);
        Map<Long, byte[]> written = new ConcurrentHashMap<>();
        try (WriteAheadLog log = WriteAheadLog.open(dir, config);
                ExecutorService pool = Executors.newFixedThreadPool(THREADS)) {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    Random random = new Random(seed + thread);
                    start.await();
                    long previous = 0;
                    for (int i = 0; i < RECORDS_PER_THREAD; i++) {
                        byte[] bytes = payload(thread, i, length(random));
                        long lsn = log.append(thread, bytes, 0, bytes.length);
                        assertThat(lsn).as("own LSNs increase, seed=%d", seed).isGreaterThan(previous);
                        previous = lsn;
                        assertThat(written.put(lsn, bytes))
                                .as("LSN %d unique, seed=%d", lsn, seed)
                                .isNull();
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> future : futures) {
                future.get();
            }
            assertThat(log.lastLsn()).isEqualTo((long) THREADS * RECORDS_PER_THREAD);
            checkReplay(log, written, seed);
        }
        try (WriteAheadLog log = WriteAheadLog.open(dir, config)) {
            assertThat(log.recoveryReport().clean()).isTrue();
            checkReplay(log, written, seed);
        }
    }

    private static void checkReplay(WriteAheadLog log, Map<Long, byte[]> written, long seed) {
        Map<Integer, Integer> nextSequenceByThread = new HashMap<>();
        long[] expectedLsn = {1};
        log.replay(1, (lsn, type, payload) -> {
            assertThat(lsn).as("seed=%d", seed).isEqualTo(expectedLsn[0]++);
            byte[] bytes = payload.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
            assertThat(bytes).as("lsn %d, seed=%d", lsn, seed).isEqualTo(written.get(lsn));
            int thread = ByteBuffer.wrap(bytes).getInt(0);
            int sequence = ByteBuffer.wrap(bytes).getInt(4);
            assertThat(type).isEqualTo(thread);
            // Each thread's records appear in the order it appended them.
            assertThat(sequence).isEqualTo(nextSequenceByThread.getOrDefault(thread, 0));
            nextSequenceByThread.put(thread, sequence + 1);
        });
        assertThat(expectedLsn[0] - 1).isEqualTo(written.size());
    }
}
