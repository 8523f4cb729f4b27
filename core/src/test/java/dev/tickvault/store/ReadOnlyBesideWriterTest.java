package dev.tickvault.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.tickvault.model.SeriesKey;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A separate writer process ({@link LiveWriterWorkload}: commits of 1 to 1,500 trades, fsynced, 64 KiB log segments, a
 * 256 KiB memtable, so the log rolls and the writer flushes and deletes segments every few commits) runs while this
 * test reads the same directory through {@link TickStore#openReadOnly}, many times over. Every read must be exactly a
 * prefix of the committed sequence, made of whole commits: no id twice, no id missing below the highest, every
 * commit acknowledged before the refresh visible, every row's fields intact.
 */
class ReadOnlyBesideWriterTest {

    private static final int READS = 60;

    @TempDir
    Path dir;

    @Test
    void readsAreAlwaysAPrefixOfTheCommitsOfALiveWriter() throws Exception {
        // ACK first -> last, from the child's stdout, as they arrive.
        ConcurrentSkipListMap<Long, Long> acknowledged = new ConcurrentSkipListMap<>();
        Path writerErr = Files.createTempFile("readonly-writer", ".stderr");
        Process child = startWriter(writerErr);
        List<Long> highestSeen = new ArrayList<>();
        TreeSet<String> segmentsSeen = new TreeSet<>();
        try (BufferedReader lines =
                new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII))) {
            assertThat(lines.readLine()).as("child opened the store").isEqualTo("OPEN");
            Thread pump = Thread.ofPlatform().daemon().start(() -> readAcks(lines, acknowledged));
            waitForAcks(acknowledged, 20);
            try (TickStore store = TickStore.openReadOnly(dir, TimeUnit.DAYS.toMillis(1))) {
                assertThat(store.isReadOnly()).isTrue();
                for (int read = 0; read < READS; read++) {
                    long lastAckedBefore = acknowledged.isEmpty()
                            ? -1
                            : acknowledged.lastEntry().getValue();
                    store.refresh();
                    long highest = checkPrefix(store, lastAckedBefore, "read " + read);
                    highestSeen.add(highest);
                    segmentsSeen.addAll(walSegments());
                    Thread.sleep(read % 3 == 0 ? 0 : 40);
                }
            }
            assertThat(child.isAlive())
                    .as("the writer ran through all reads; its stderr: %s", Files.readString(writerErr))
                    .isTrue();
            child.destroy();
            pump.join(TimeUnit.SECONDS.toMillis(30));
        } finally {
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
        }
        // Each read ended on a commit boundary: its highest id is the last id of a commit the writer acknowledged
        // (or of the one in flight when the writer was stopped, which only the last reads can have seen).
        long lastAcked = acknowledged.lastEntry().getValue();
        TreeSet<Long> commitEnds = new TreeSet<>(acknowledged.values());
        for (long highest : highestSeen) {
            if (highest >= 0 && highest <= lastAcked) {
                assertThat(commitEnds).as("reads end on a commit boundary").contains(highest);
            }
        }
        assertThat(highestSeen).as("reads saw the store grow").isSorted();
        assertThat(highestSeen.getLast()).isGreaterThan(highestSeen.getFirst());
        // The writer rolled and deleted log segments, and flushed partition files, while the reads went on.
        assertThat(segmentsSeen).as("log segments seen during the reads").hasSizeGreaterThan(3);
        assertThat(walSegments()).doesNotContainAnyElementsOf(List.of(segmentsSeen.first()));
        try (Stream<Path> files = Files.walk(dir.resolve("trades"))) {
            assertThat(files.filter(p -> p.toString().endsWith(".tvc")).count())
                    .as("chunk files flushed by the writer")
                    .isGreaterThan(4);
        }
    }

    /** Reads every trade; asserts a whole-commit prefix containing every id acknowledged before; returns its top. */
    private long checkPrefix(TickStore store, long lastAckedBefore, String context) {
        BitSet present = new BitSet();
        long count = 0;
        long highest = -1;
        for (SeriesKey series : CrashWorkload.SERIES) {
            long previousTs = Long.MIN_VALUE;
            try (TradeCursor c = store.trades(series, Long.MIN_VALUE, Long.MAX_VALUE)) {
                while (c.next()) {
                    long id = c.tradeId();
                    if (id < 0 || present.get(Math.toIntExact(id))) {
                        fail(context + ": id " + id + " read twice (or invalid)");
                    }
                    present.set(Math.toIntExact(id));
                    count++;
                    highest = Math.max(highest, id);
                    // Plain checks: AssertJ per field per row would dominate the run time.
                    if (!c.series().equals(CrashWorkload.seriesOf(id))
                            || c.tsNanos() != CrashWorkload.tsOf(id)
                            || c.tsNanos() < previousTs
                            || c.recvTsNanos() != CrashWorkload.tsOf(id) + 17
                            || c.priceMantissa() != CrashWorkload.priceOf(id)
                            || c.priceScale() != CrashWorkload.priceScaleOf(id)
                            || c.quantityMantissa() != CrashWorkload.qtyOf(id)
                            || c.quantityScale() != 8
                            || c.side() != CrashWorkload.sideOf(id)) {
                        fail(context + ": trade " + id + " differs from what was written, or is out of time order: "
                                + c.toTrade());
                    }
                    previousTs = c.tsNanos();
                }
            }
        }
        assertThat(count)
                .as("%s: ids 0..%d all present (a prefix, nothing missing)", context, highest)
                .isEqualTo(highest + 1);
        assertThat(highest)
                .as("%s: every commit acknowledged before the refresh is visible", context)
                .isGreaterThanOrEqualTo(lastAckedBefore);
        return highest;
    }

    private Process startWriter(Path stderr) throws IOException {
        String javaCommand = ProcessHandle.current().info().command().orElse("java");
        List<String> command = List.of(
                javaCommand,
                "--enable-native-access=ALL-UNNAMED",
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                LiveWriterWorkload.class.getName(),
                dir.toString(),
                "11");
        return new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.to(stderr.toFile()))
                .start();
    }

    private static void readAcks(BufferedReader lines, ConcurrentSkipListMap<Long, Long> acknowledged) {
        try {
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.startsWith("ACK ")) {
                    String[] f = line.split(" ");
                    acknowledged.put(Long.parseLong(f[1]), Long.parseLong(f[2]));
                }
            }
        } catch (IOException e) {
            // the child was stopped
        }
    }

    private static void waitForAcks(ConcurrentSkipListMap<Long, Long> acknowledged, int commits)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (acknowledged.size() < commits) {
            assertThat(System.nanoTime()).as("writer commits within 60 s").isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    private List<String> walSegments() throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("wal"))) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".wal"))
                    .sorted()
                    .toList();
        }
    }
}
