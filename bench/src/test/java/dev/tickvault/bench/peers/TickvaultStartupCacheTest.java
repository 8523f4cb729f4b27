package dev.tickvault.bench.peers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The side-by-side benchmark's tickvault children and the product's startup cache (JDK 25 AOT cache). */
class TickvaultStartupCacheTest {

    private static final List<String> FLAGS = List.of("--enable-native-access=ALL-UNNAMED", "-Xmx6g");
    private static final List<String> CHILD_ARGS = List.of("--child", "tickvault", "--out", "x.properties");

    @TempDir
    Path dir;

    @Test
    void theTickvaultChildStartsWithTheCacheWhenThereIsOne() {
        Path cache = dir.resolve("tickvault.aot");
        List<String> command = PeerBenchmark.childCommand("java", FLAGS, "bench.jar", "tickvault", cache, CHILD_ARGS);
        assertThat(command).contains("-XX:AOTCache=" + cache);
        // a JVM option: before the main class
        assertThat(command.indexOf("-XX:AOTCache=" + cache)).isLessThan(command.indexOf(PeerBenchmark.class.getName()));
        assertThat(command).containsSequence("-XX:+UnlockExperimentalVMOptions", "-XX:+AOTCompileEagerly");
        assertThat(command.subList(command.indexOf("-cp"), command.indexOf("-cp") + 2))
                .containsExactly("-cp", "bench.jar");
    }

    @Test
    void noCacheOptionWhenOffOrForOtherSystems() {
        List<String> off = PeerBenchmark.childCommand("java", FLAGS, "bench.jar", "tickvault", null, CHILD_ARGS);
        List<String> questdb =
                PeerBenchmark.childCommand("java", FLAGS, "bench.jar", "questdb", dir.resolve("x.aot"), CHILD_ARGS);
        assertThat(off).noneMatch(a -> a.contains("AOT"));
        assertThat(questdb).noneMatch(a -> a.contains("AOT"));
        assertThat(off).containsSequence(FLAGS).endsWith(CHILD_ARGS.toArray(String[]::new));
    }

    @Test
    void theOptionTakesOnlyOnOrOff() {
        assertThat(PeerBenchmark.onOff("--tickvault-aot", "on")).isTrue();
        assertThat(PeerBenchmark.onOff("--tickvault-aot", "off")).isFalse();
        assertThatThrownBy(() -> PeerBenchmark.main(new String[] {"--tickvault-aot", "yes"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--tickvault-aot");
        assertThatThrownBy(() -> PeerBenchmark.main(new String[] {"--tickvault-aot", "ON"}))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aFailedCacheBuildFallsBackAndSaysSo() throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Path cache = dir.resolve("tickvault.aot");
        // a class path without the training class: the training JVM fails
        Files.createDirectories(dir.resolve("empty"));
        TickvaultStartupCache.Outcome outcome = TickvaultStartupCache.build(
                java, List.of(), dir.resolve("empty").toString(), cache);
        assertThat(outcome.built()).isFalse();
        assertThat(outcome.cache()).isNull();
        assertThat(outcome.note()).contains("could not be created").contains("without it");
        assertThat(PeerBenchmark.childCommand("java", FLAGS, "bench.jar", "tickvault", outcome.cache(), CHILD_ARGS))
                .noneMatch(a -> a.startsWith("-XX:AOT"));
    }

    @Test
    void aJvmThatCannotStartFallsBackToo() {
        TickvaultStartupCache.Outcome outcome = TickvaultStartupCache.build(
                dir.resolve("no-such-java").toString(), List.of(), "x.jar", dir.resolve("tickvault.aot"));
        assertThat(outcome.built()).isFalse();
        assertThat(outcome.note()).contains("could not start");
    }

    @Test
    void theParentsOwnCacheOptionsAreNotPassedOn() {
        assertThat(TickvaultStartupCache.withoutAotOptions(
                        List.of("-Xmx6g", "-XX:AOTCache=/a.aot", "-XX:AOTMode=on", "-XX:SharedArchiveFile=/b.jsa")))
                .containsExactly("-Xmx6g");
    }

    @Test
    void cacheProblemsInAChildLogAreFound() throws Exception {
        Path log = dir.resolve("tickvault.log");
        // as JDK 25 prints a class path mismatch (levels are padded to the longest, "warning")
        Files.writeString(
                log,
                "[0.262s][warning][aot] The name of app classpath [1] does not match: expected 'a.jar', got 'b.jar'\n"
                        + "[0.262s][error  ][aot] An error has occurred while processing the AOT cache.\n"
                        + "[peers] fine\n[0.02s][info][aot] Opened AOT cache x.aot.\n");
        assertThat(TickvaultStartupCache.cacheProblems(log))
                .hasSize(2)
                .allMatch(l -> l.contains("[aot]"))
                .first()
                .asString()
                .contains("does not match");
    }
}
