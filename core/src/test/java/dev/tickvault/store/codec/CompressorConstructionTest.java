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
 * Building a compressor (as a store's open and a new writer do) does not load zstd's native library, which {@code
 * ZstdPreload} loads in the background meanwhile; the first compression does. Checked in a child JVM with {@code
 * -Xlog:class+load}: zstd-jni's {@code Native} class is loaded exactly when the library is.
 */
class CompressorConstructionTest {

    private static final String NATIVE_LOADER = "com.github.luben.zstd.util.Native ";

    @TempDir
    Path dir;

    @Test
    void buildingACompressorLoadsNoNativeLibrary() throws Exception {
        assertThat(runChild(false)).contains("DONE").noneMatch(line -> line.contains(NATIVE_LOADER));
    }

    @Test
    void theFirstCompressionLoadsIt() throws Exception {
        assertThat(runChild(true)).contains("DONE").anyMatch(line -> line.contains(NATIVE_LOADER));
    }

    private List<String> runChild(boolean compress) throws Exception {
        String javaCommand = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(
                javaCommand,
                "--enable-native-access=ALL-UNNAMED",
                "-Xmx128m",
                "-Xlog:class+load=info:stdout",
                "-cp",
                System.getProperty("java.class.path"),
                ZstdFreeConstruction.class.getName()));
        if (compress) {
            command.add("compress");
        }
        Path output = dir.resolve(compress ? "compress.txt" : "construct.txt");
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
