package dev.tickvault.store.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A JVM where the literals-only producer cannot be made still compresses a literals-only section: as an ordinary zstd
 * frame that reads back, with one warning naming the cause. The section is a repeated pattern of random bytes: literals
 * only cannot shrink it (stored RAW), ordinary zstd can (its matches). In a child JVM, because the state is per JVM.
 */
class LiteralsOnlyFallbackTest {

    @TempDir
    Path dir;

    @Test
    void withoutTheProducerTheSectionIsAnOrdinaryZstdFrame() throws Exception {
        List<String> lines = runChild(true);
        assertThat(lines).contains("DONE", "METHOD " + BlockCompressor.ZSTD);
        assertThat(lines)
                .filteredOn(line -> line.contains("literals-only compression unavailable"))
                .hasSize(1)
                .allMatch(line -> line.contains("no linker in this test"));
    }

    @Test
    void withTheProducerNothingIsSaid() throws Exception {
        List<String> lines = runChild(false);
        assertThat(lines).contains("DONE", "METHOD " + BlockCompressor.RAW);
        assertThat(lines).noneMatch(line -> line.contains("literals-only compression unavailable"));
    }

    private List<String> runChild(boolean unavailable) throws Exception {
        String javaCommand = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(
                javaCommand,
                "--enable-native-access=ALL-UNNAMED",
                "-Xmx128m",
                "-cp",
                System.getProperty("java.class.path"),
                LiteralsOnlyFallback.class.getName()));
        if (unavailable) {
            command.add("unavailable");
        }
        Path output = dir.resolve(unavailable ? "unavailable.txt" : "available.txt");
        Process child = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        boolean ended = child.waitFor(60, TimeUnit.SECONDS);
        if (!ended) {
            child.destroyForcibly();
        }
        assertThat(ended).as("the child ended").isTrue();
        assertThat(child.exitValue()).as("the child's exit status").isZero();
        return Files.readAllLines(output, StandardCharsets.UTF_8);
    }
}
