package dev.tickvault.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * CPU time of every thread of this process, JVM threads included (GC workers, JIT compilers), read from
 * {@code /proc/self/task/*}: the Java management beans do not see the JVM's own threads. Threads are grouped by
 * name with trailing digits dropped ({@code "GC Thread#1"} counts as {@code "GC Thread#"}). Linux only; elsewhere
 * a snapshot is empty. Resolution is the kernel's clock tick (usually 10 ms).
 */
public final class ThreadCpuBreakdown {

    private static final Path TASKS = Path.of("/proc/self/task");
    private static final long NANOS_PER_TICK = 10_000_000L; // USER_HZ is 100 on every Linux the bench runs on

    private final Map<String, Long> nanosByGroup;

    private ThreadCpuBreakdown(Map<String, Long> nanosByGroup) {
        this.nanosByGroup = nanosByGroup;
    }

    /** CPU time (user + system) so far of every live thread, by group. */
    public static ThreadCpuBreakdown snapshot() {
        Map<String, Long> groups = new TreeMap<>();
        if (!Files.isDirectory(TASKS)) {
            return new ThreadCpuBreakdown(groups);
        }
        try (Stream<Path> tasks = Files.list(TASKS)) {
            for (Path task : tasks.toList()) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    int open = stat.indexOf('(');
                    int close = stat.lastIndexOf(')');
                    String name = stat.substring(open + 1, close).replaceAll("[0-9]+$", "");
                    String[] fields = stat.substring(close + 2).split(" ");
                    // fields[0] is the state (stat field 3): utime and stime are stat fields 14 and 15
                    long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                    groups.merge(name, ticks * NANOS_PER_TICK, Long::sum);
                } catch (IOException | RuntimeException e) {
                    // the thread ended between listing and reading
                }
            }
        } catch (IOException e) {
            return new ThreadCpuBreakdown(groups);
        }
        return new ThreadCpuBreakdown(groups);
    }

    /**
     * This snapshot, plus the groups of {@code earlier} that have no live thread any more (e.g. a writer's committer
     * thread, which ends when the writer closes): take {@code earlier} just before such threads end.
     */
    ThreadCpuBreakdown withEndedThreadsOf(ThreadCpuBreakdown earlier) {
        Map<String, Long> merged = new TreeMap<>(nanosByGroup);
        earlier.nanosByGroup.forEach(merged::putIfAbsent);
        return new ThreadCpuBreakdown(merged);
    }

    /**
     * CPU per row by group between {@code before} and this snapshot, largest first. A thread that ended in between is
     * missing from this snapshot, so its time is lost (its group can come out negative and is then left out).
     */
    public String perRowSince(ThreadCpuBreakdown before, long rows) {
        Map<String, Long> delta = new TreeMap<>();
        nanosByGroup.forEach((name, nanos) -> delta.put(name, nanos - before.nanosByGroup.getOrDefault(name, 0L)));
        StringBuilder out = new StringBuilder();
        delta.entrySet().stream()
                .filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> out.append(String.format(
                        Locale.ROOT,
                        "%s%s %.1f",
                        out.isEmpty() ? "" : ", ",
                        e.getKey(),
                        (double) e.getValue() / rows)));
        return out.toString();
    }
}
