package dev.tickvault.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** What every benchmark report states about where it ran, and the scratch-directory cleanup they share. */
public final class BenchEnvironment {

    private BenchEnvironment() {}

    /** JVM name, version, vendor and the flags this process was started with. */
    public static String jvm() {
        return jvmVersion() + ", flags " + ManagementFactory.getRuntimeMXBean().getInputArguments();
    }

    /** JVM name, version and vendor. */
    public static String jvmVersion() {
        return System.getProperty("java.vm.name") + ' ' + Runtime.version() + " (" + System.getProperty("java.vendor")
                + ")";
    }

    /** The CPU model from {@code /proc/cpuinfo}, or "unknown". */
    public static String cpuModel() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            return lines.filter(l -> l.startsWith("model name"))
                    .findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .orElse("unknown");
        } catch (IOException | UncheckedIOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    /** The 1/5/15-minute load averages from {@code /proc/loadavg}, or "unknown". */
    public static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return parts[0] + " / " + parts[1] + " / " + parts[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** Deletes {@code root} and everything below it, if it exists. */
    public static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root, e);
        }
    }
}
