package dev.tickvault.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a test's {@code main} class in a child JVM on the test's class path (for checks of per-JVM state: classes
 * loaded, native libraries, one-time switches) and returns its output lines after asserting that it ended, within
 * {@code timeoutSeconds}, with status 0 (the failure message shows its last lines).
 */
public final class ChildJvm {

    private ChildJvm() {}

    /**
     * @param jvmOptions options before the class path (e.g. {@code -Xmx128m}, {@code -Xlog:…}); native access is
     *     always enabled, as the launcher enables it
     * @param output where the child's stdout and stderr go (overwritten)
     */
    public static List<String> run(
            List<String> jvmOptions, Class<?> mainClass, List<String> args, Path output, int timeoutSeconds)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("--enable-native-access=ALL-UNNAMED");
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass.getName()));
        command.addAll(args);
        Process child = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        boolean ended = child.waitFor(timeoutSeconds, TimeUnit.SECONDS);
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
