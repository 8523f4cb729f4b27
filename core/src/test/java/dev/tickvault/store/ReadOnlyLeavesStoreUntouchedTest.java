package dev.tickvault.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tickvault.model.SeriesKey;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store left by a writer killed with SIGKILL, plus everything recovery would repair (a torn log tail, a temp file,
 * the part of a flush that did not complete): opening it read-only, querying, refreshing and verifying it changes
 * no byte, no name and no modification time in the directory, and shows exactly the rows the writer's own recovery
 * then shows.
 */
class ReadOnlyLeavesStoreUntouchedTest {

    @TempDir
    Path dir;

    @Test
    void readOnlyOpenQueryAndVerifyChangeNothing() throws Exception {
        long lastAcked = runWriterAndKill(1500);
        Path dayDir;
        Path someChunk;
        try (Stream<Path> files = Files.walk(dir.resolve("trades"))) {
            someChunk =
                    files.filter(p -> p.toString().endsWith(".tvc")).findFirst().orElseThrow();
        }
        dayDir = someChunk.getParent();
        Files.writeString(dayDir.resolve("000000000001-0-1.tvc.tmp-123"), "half-written");
        Files.copy(someChunk, dayDir.resolve("999999999999-0-2.tvc"));
        Path newestSegment;
        try (Stream<Path> files = Files.list(dir.resolve("wal"))) {
            // a SIGKILL during a roll can leave the next segment's temporary file (`*.wal.tmp-…`), which sorts last
            // but is no segment: the torn tail goes on the newest real one
            newestSegment = files.filter(p -> p.getFileName().toString().endsWith(".wal"))
                    .sorted()
                    .toList()
                    .getLast();
        }
        Files.write(newestSegment, new byte[] {40, 0, 0, 0, 1, 2, 3}, StandardOpenOption.APPEND);

        Map<String, String> before = snapshot();
        TreeSet<Long> readOnlyIds;
        try (TickStore store = TickStore.openReadOnly(dir, 0)) {
            readOnlyIds = readIds(store);
            store.refresh();
            assertThat(readIds(store)).isEqualTo(readOnlyIds);
            assertThat(store.stats().totalRows() + store.stats().memtableRows()).isEqualTo(readOnlyIds.size());
            assertThat(store.tradeSeries()).containsExactlyInAnyOrder(CrashWorkload.SERIES);
            assertThatThrownBy(store::newWriter).hasMessageContaining("read-only");
            assertThatThrownBy(store::flush).hasMessageContaining("read-only");
        }
        VerifyReport report = TickStore.verify(dir);
        assertThat(report.problems())
                .as("the torn tail is still reported by verify (it did not change between checks)")
                .anySatisfy(p -> assertThat(p.description()).contains("TORN_TAIL"));
        assertThat(snapshot()).as("names, sizes, bytes and times of every file").isEqualTo(before);

        assertThat(readOnlyIds.size()).as("a prefix of the commits").isEqualTo(readOnlyIds.last() + 1);
        assertThat(readOnlyIds.last()).as("every acknowledged commit").isGreaterThanOrEqualTo(lastAcked);
        try (TickStore recovered = TickStore.open(dir, StoreConfig.defaults())) {
            assertThat(readIds(recovered)).as("what recovery shows").isEqualTo(readOnlyIds);
        }
        assertThat(snapshot())
                .as("recovery, unlike read-only, repairs the store")
                .isNotEqualTo(before);
    }

    private static TreeSet<Long> readIds(TickStore store) {
        TreeSet<Long> ids = new TreeSet<>();
        for (SeriesKey series : CrashWorkload.SERIES) {
            try (TradeCursor c = store.trades(series, Long.MIN_VALUE, Long.MAX_VALUE)) {
                while (c.next()) {
                    assertThat(ids.add(c.tradeId()))
                            .as("id %d once", c.tradeId())
                            .isTrue();
                    assertThat(c.priceMantissa()).isEqualTo(CrashWorkload.priceOf(c.tradeId()));
                }
            }
        }
        return ids;
    }

    /** Every file and directory under the store: size, SHA-256 and modification time. */
    private Map<String, String> snapshot() throws Exception {
        Map<String, String> entries = new TreeMap<>();
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(dir)) {
            paths = walk.filter(p -> !p.getFileName().toString().startsWith("child-"))
                    .toList();
        }
        for (Path path : paths) {
            String key = dir.relativize(path).toString();
            String time = Files.getLastModifiedTime(path).toString();
            if (Files.isDirectory(path)) {
                entries.put(key + "/", time);
            } else {
                byte[] digest = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(path));
                entries.put(key, Files.size(path) + " " + HexFormat.of().formatHex(digest) + " " + time);
            }
        }
        return entries;
    }

    /** Runs {@link CrashWorkload} for about {@code millis} ms, kills it with SIGKILL, returns its last acked id. */
    private long runWriterAndKill(long millis) throws Exception {
        String javaCommand = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(List.of(
                        javaCommand,
                        "--enable-native-access=ALL-UNNAMED",
                        "-Xmx256m",
                        "-cp",
                        System.getProperty("java.class.path"),
                        LiveWriterWorkload.class.getName(),
                        dir.toString(),
                        "5"))
                .redirectError(ProcessBuilder.Redirect.to(
                        dir.resolve("child-stderr.txt").toFile()))
                .start();
        long lastAcked = -1;
        long deadline = 0;
        try (BufferedReader lines =
                new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII))) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.equals("OPEN")) {
                    deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
                } else if (line.startsWith("ACK ")) {
                    lastAcked = Long.parseLong(line.split(" ")[2]);
                }
                if (deadline != 0 && System.nanoTime() >= deadline && lastAcked > 1000) {
                    child.destroyForcibly();
                    break;
                }
            }
        } finally {
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
        }
        assertThat(lastAcked)
                .as("child acknowledged commits; stderr: %s", readStderr())
                .isGreaterThan(1000);
        return lastAcked;
    }

    private String readStderr() throws IOException {
        Path err = dir.resolve("child-stderr.txt");
        return Files.exists(err) ? Files.readString(err) : "";
    }
}
