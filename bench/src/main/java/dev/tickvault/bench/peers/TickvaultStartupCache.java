package dev.tickvault.bench.peers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The product's startup cache for the side-by-side benchmark's tickvault children: a JDK 25 AOT cache (JEP 483/514/515)
 * built as the {@code ./tickvault} launcher builds it, by a separate training JVM that runs {@value #TRAINING_CLASS}
 * (the product's own training: its own small generated data set and seed, not the benchmark's workload) with
 * {@code -XX:AOTCacheOutput}. The children then start with {@code -XX:AOTCache=}: classes come loaded and linked from
 * the cache and the JIT starts from the training's method profiles.
 *
 * <p>An AOT cache is only used by a JVM with the same class path and compatible flags, so the training JVM is given
 * exactly the children's class path and flags. When the cache cannot be created, {@link #build} says why and the
 * benchmark runs without it. Used by the benchmark's parent JVM, one thread.
 */
final class TickvaultStartupCache {

    static final String TRAINING_CLASS = "dev.tickvault.cli.AotTraining";

    /** Options of the parent JVM that must not reach the training JVM or the children (they would fight the cache). */
    private static final List<String> AOT_OPTION_PREFIXES =
            List.of("-XX:AOTCache", "-XX:AOTMode", "-XX:AOTConfiguration", "-XX:SharedArchiveFile");

    /** A unified-logging line of level warning or error (padded: {@code [error  ]}) tagged aot or cds. */
    private static final Pattern CACHE_PROBLEM = Pattern.compile("\\[(warning|error)\\s*\\]\\[(aot|cds)");

    /**
     * What {@link #build} did.
     *
     * @param cache the cache file, or {@code null} when it could not be created
     * @param note one sentence for the report: what the cache is and how it was trained, or why there is none
     */
    record Outcome(Path cache, String note) {
        boolean built() {
            return cache != null;
        }
    }

    private TickvaultStartupCache() {}

    /**
     * The options a JVM is started with to use {@code cache}, as the {@code ./tickvault} launcher starts every command:
     * the cache, and {@code -XX:+AOTCompileEagerly} (experimental in JDK 25), which has the JIT compile the methods the
     * training recorded as soon as they are first used, from the recorded profiles, instead of interpreting them
     * until their counters reach the thresholds (measured: the first one-hour read after an ingest in a fresh JVM
     * 10-12 ms of thread CPU with it, 24-45 without, 23-48 without the cache; {@code ReadPathProbe --ingest 1000000}).
     */
    static List<String> jvmOptions(Path cache) {
        return List.of("-XX:AOTCache=" + cache, "-XX:+UnlockExperimentalVMOptions", "-XX:+AOTCompileEagerly");
    }

    /**
     * Runs the training JVM ({@code javaCommand} + {@code flags} + {@code -XX:AOTCacheOutput=cacheFile} + {@code -cp
     * classPath} + {@value #TRAINING_CLASS}) and waits for it; its output goes to {@code cacheFile}'s name + {@code
     * .log}. Never throws for a failed training: the outcome then has no cache and a note saying why.
     */
    static Outcome build(String javaCommand, List<String> flags, String classPath, Path cacheFile) {
        Path log = cacheFile.resolveSibling(cacheFile.getFileName() + ".log");
        List<String> command = new ArrayList<>();
        command.add(javaCommand);
        command.addAll(flags);
        command.add("-XX:AOTCacheOutput=" + cacheFile);
        command.addAll(List.of("-cp", classPath, TRAINING_CLASS));
        long start = System.nanoTime();
        int exit;
        try {
            Process training = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            exit = training.waitFor();
        } catch (IOException e) {
            return failed("the training JVM could not start: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed("interrupted while the training JVM ran");
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (exit != 0) {
            return failed("the training JVM exited with status " + exit + lastLine(log));
        }
        if (!Files.isRegularFile(cacheFile)) {
            return failed("the training JVM wrote no cache file" + lastLine(log));
        }
        return new Outcome(
                cacheFile,
                String.format(
                        Locale.ROOT,
                        "tickvault's children start with the product's startup cache, as the `./tickvault` launcher"
                                + " starts every command: a JDK 25 AOT cache (`-XX:AOTCache`; classes loaded and linked,"
                                + " method profiles recorded; with `-XX:+AOTCompileEagerly` the JIT compiles the trained"
                                + " methods from those profiles when first used) built once per benchmark run, before"
                                + " anything is timed,"
                                + " by a separate training JVM running `%s` (the product's own training on its own"
                                + " small generated data set and seed, not the benchmark's workload; same class path"
                                + " and flags as the children; %.1f s)",
                        TRAINING_CLASS,
                        seconds));
    }

    private static Outcome failed(String why) {
        return new Outcome(
                null,
                "the startup cache (JDK 25 AOT cache) could not be created (" + why + "): tickvault's children"
                        + " ran without it");
    }

    /** The note of a run with {@code --tickvault-aot off}. */
    static String offNote() {
        return "tickvault's children ran without the product's startup cache (`--tickvault-aot off`; the"
                + " `./tickvault` launcher starts every command with a JDK 25 AOT cache trained by `"
                + TRAINING_CLASS + "`)";
    }

    /** {@code flags} without options that select or create an AOT or CDS cache. */
    static List<String> withoutAotOptions(List<String> flags) {
        return flags.stream()
                .filter(f -> AOT_OPTION_PREFIXES.stream().noneMatch(f::startsWith))
                .toList();
    }

    /**
     * Lines of a child's output in which the JVM reports a problem with its AOT cache or CDS archive (e.g. a class
     * path mismatch that disables the cache); JDK 25 prints them at warning level, which is on by default.
     */
    static List<String> cacheProblems(Path childLog) {
        try (Stream<String> lines = Files.lines(childLog)) {
            return lines.filter(l -> CACHE_PROBLEM.matcher(l).find()).limit(5).toList();
        } catch (IOException | UncheckedIOException e) {
            return List.of("could not read " + childLog + ": " + e.getMessage());
        }
    }

    private static String lastLine(Path log) {
        try (Stream<String> lines = Files.lines(log)) {
            List<String> all = lines.filter(l -> !l.isBlank()).toList();
            return all.isEmpty() ? "" : "; its last line: " + all.getLast().strip();
        } catch (IOException | UncheckedIOException e) {
            return "";
        }
    }
}
