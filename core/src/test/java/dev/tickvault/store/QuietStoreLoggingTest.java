package dev.tickvault.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store that has nothing to report does not start the logging backend: opening, writing with asynchronous commits,
 * flushing, closing, reopening and reading in a fresh JVM load none of logback's classes (it cost 50-110 ms of a
 * process's first open; see {@code LazyLog}). Checked in a child JVM with {@code -Xlog:class+load}, once quiet and
 * once logging a message at the end (which must load them: the check can see logback start).
 */
class QuietStoreLoggingTest {

    /** Created when logback starts (binds as SLF4J's provider), never before. */
    private static final String LOGBACK_CONTEXT = "ch.qos.logback.classic.LoggerContext";

    @TempDir
    Path dir;

    @Test
    void aQuietStoreLoadsNoLoggingBackend() throws Exception {
        List<String> out = runChild(dir.resolve("quiet"), false);
        assertThat(out).contains("DONE 120000");
        assertThat(out).noneMatch(line -> line.contains(LOGBACK_CONTEXT + " "));
    }

    @Test
    void theCheckSeesTheBackendStartWhenSomethingLogs() throws Exception {
        List<String> out = runChild(dir.resolve("logs"), true);
        assertThat(out).contains("DONE 120000");
        assertThat(out).anyMatch(line -> line.contains(LOGBACK_CONTEXT + " "));
    }

    private static List<String> runChild(Path storeDir, boolean log) throws IOException, InterruptedException {
        String javaCommand = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(
                javaCommand,
                "--enable-native-access=ALL-UNNAMED",
                "-Xmx256m",
                "-Xlog:class+load=info:stdout",
                "-cp",
                System.getProperty("java.class.path"),
                QuietStoreWorkload.class.getName(),
                storeDir.toString()));
        if (log) {
            command.add("log");
        }
        Path output = storeDir.resolveSibling(storeDir.getFileName() + "-child.txt");
        Process child = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        boolean ended = child.waitFor(120, TimeUnit.SECONDS);
        if (!ended) {
            child.destroyForcibly();
        }
        List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
        assertThat(ended).as("the child ended").isTrue();
        assertThat(child.exitValue())
                .as(
                        "the child's exit status; its last lines: %s",
                        lines.subList(Math.max(0, lines.size() - 20), lines.size()))
                .isZero();
        return lines;
    }
}
