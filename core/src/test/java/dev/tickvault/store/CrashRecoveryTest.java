package dev.tickvault.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickvault.model.SeriesKey;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a writing child JVM with SIGKILL at random moments, many times over; after each kill the store must hold
 * every acknowledged row exactly once, intact, and no row that was never written. A commit that was in flight when
 * the process died may be present or absent, but only whole. With asynchronous commits the child acknowledges a batch
 * once its ticket completes; unacknowledged rows present must still directly follow the acknowledged ones (a writer's
 * commits become durable in call order).
 */
class CrashRecoveryTest {

    @TempDir
    Path dir;

    @Test
    void acknowledgedCommitsSurviveSigkill() throws Exception {
        runKillLoop(Integer.getInteger("tickvault.crash.iterations", 12), 42);
    }

    @Test
    @Tag("slow")
    void acknowledgedCommitsSurviveManySigkills() throws Exception {
        runKillLoop(Integer.getInteger("tickvault.crash.iterations", 150), System.nanoTime());
    }

    /** The child commits with commitAsync and acknowledges a batch when its ticket completes. */
    @Test
    void acknowledgedAsyncCommitsSurviveSigkill() throws Exception {
        runKillLoop(Integer.getInteger("tickvault.crash.iterations", 12), 43, true);
    }

    @Test
    @Tag("slow")
    void acknowledgedAsyncCommitsSurviveManySigkills() throws Exception {
        runKillLoop(Integer.getInteger("tickvault.crash.iterations", 150), System.nanoTime(), true);
    }

    private void runKillLoop(int iterations, long seed) throws Exception {
        runKillLoop(iterations, seed, false);
    }

    private void runKillLoop(int iterations, long seed, boolean async) throws Exception {
        Random random = new Random(seed);
        // Commit id ranges: acknowledged ones must be present; unacknowledged ones may be present, whole.
        TreeMap<Long, Long> acknowledged = new TreeMap<>();
        long nextId = 0;
        for (int i = 0; i < iterations; i++) {
            long killAfterMillis = 20 + random.nextInt(400);
            nextId = runAndKill(nextId, random.nextLong(), killAfterMillis, acknowledged, async);
            nextId = checkStore(acknowledged, nextId, "iteration " + i + " seed " + seed);
        }
        assertThat(acknowledged).as("the child acknowledged commits").isNotEmpty();
    }

    private long runAndKill(
            long firstId, long childSeed, long killAfterMillis, TreeMap<Long, Long> acknowledged, boolean async)
            throws Exception {
        String javaCommand = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(
                javaCommand,
                "--enable-native-access=ALL-UNNAMED",
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                CrashWorkload.class.getName(),
                dir.toString(),
                Long.toString(firstId),
                Long.toString(childSeed),
                async ? "async" : "sync"));
        Path childErr = dir.resolve("child-stderr.txt"); // the store ignores files it does not own
        Process child = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.to(childErr.toFile()))
                .start();
        long deadline = 0;
        try (BufferedReader lines =
                new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII))) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.equals("OPEN")) {
                    deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(killAfterMillis);
                } else if (line.startsWith("ACK ")) {
                    String[] f = line.split(" ");
                    acknowledged.put(Long.parseLong(f[1]), Long.parseLong(f[2]));
                }
                if (deadline != 0 && System.nanoTime() >= deadline) {
                    child.destroyForcibly(); // SIGKILL on Linux
                    break;
                }
            }
        } finally {
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
        }
        assertThat(deadline)
                .as("child opened the store; its stderr:%n%s", Files.readString(childErr))
                .isNotZero();
        return firstId;
    }

    /** Checks the store after a kill and returns the next id the child should use. */
    private long checkStore(TreeMap<Long, Long> acknowledged, long firstIdOfRun, String context) {
        TreeMap<Long, Boolean> present = new TreeMap<>();
        try (TickStore store = TickStore.open(dir, StoreConfig.defaults())) {
            for (SeriesKey series : CrashWorkload.SERIES) {
                try (TradeCursor c = store.trades(series, Long.MIN_VALUE, Long.MAX_VALUE)) {
                    while (c.next()) {
                        long id = c.tradeId();
                        assertThat(present.put(id, Boolean.TRUE))
                                .as("%s: id %d read twice", context, id)
                                .isNull();
                        assertThat(c.series()).isEqualTo(CrashWorkload.seriesOf(id));
                        assertThat(c.tsNanos()).as(context).isEqualTo(CrashWorkload.tsOf(id));
                        assertThat(c.recvTsNanos()).isEqualTo(CrashWorkload.tsOf(id) + 17);
                        assertThat(c.priceMantissa()).isEqualTo(CrashWorkload.priceOf(id));
                        assertThat(c.priceScale()).isEqualTo(CrashWorkload.priceScaleOf(id));
                        assertThat(c.quantityMantissa()).isEqualTo(CrashWorkload.qtyOf(id));
                        assertThat(c.quantityScale()).isEqualTo(8);
                        assertThat(c.side()).isEqualTo(CrashWorkload.sideOf(id));
                    }
                }
            }
        }
        for (var range : acknowledged.entrySet()) {
            for (long id = range.getKey(); id <= range.getValue(); id++) {
                assertThat(present)
                        .as("%s: acknowledged id %d lost", context, id)
                        .containsKey(id);
            }
        }
        // Everything present is either acknowledged or the whole of the one commit in flight, right after the last
        // acknowledged id of this run; ids never appended cannot appear.
        long lastAcknowledged =
                acknowledged.isEmpty() ? -1 : acknowledged.lastEntry().getValue();
        long expectedNext = lastAcknowledged + 1;
        long highest = present.isEmpty() ? -1 : present.lastKey();
        if (highest > lastAcknowledged) {
            for (long id = expectedNext; id <= highest; id++) {
                assertThat(present)
                        .as("%s: in-flight commit present only in part (id %d)", context, id)
                        .containsKey(id);
            }
            acknowledged.put(expectedNext, highest);
            expectedNext = highest + 1;
        }
        assertThat(present.size()).as(context).isEqualTo(expectedNext);
        return Math.max(expectedNext, firstIdOfRun);
    }
}
