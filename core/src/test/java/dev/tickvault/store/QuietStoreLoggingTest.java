package dev.tickvault.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickvault.testing.ChildJvm;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
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
        List<String> args = log ? List.of(storeDir.toString(), "log") : List.of(storeDir.toString());
        return ChildJvm.run(
                List.of("-Xmx256m", "-Xlog:class+load=info:stdout"),
                QuietStoreWorkload.class,
                args,
                storeDir.resolveSibling(storeDir.getFileName() + "-child.txt"),
                120);
    }
}
