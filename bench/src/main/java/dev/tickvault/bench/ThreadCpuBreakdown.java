package dev.tickvault.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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

    /** HotSpot's JIT compiler threads ("C1 CompilerThread0", ...) as the kernel names them: 15 bytes at most. */
    private static final List<String> JIT_GROUPS = List.of("C1 CompilerThre", "C2 CompilerThre");

    private final Map<String, Long> nanosByGroup;

    private ThreadCpuBreakdown(Map<String, Long> nanosByGroup) {
        this.nanosByGroup = nanosByGroup;
    }

    /** A snapshot of the given CPU nanoseconds by group, for tests. */
    static ThreadCpuBreakdown of(Map<String, Long> nanosByGroup) {
        return new ThreadCpuBreakdown(new TreeMap<>(nanosByGroup));
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
                    String name = withoutTrailingDigits(stat.substring(open + 1, close));
                    long ticks = statField(stat, close, 14) + statField(stat, close, 15); // utime, stime
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

    /*
     * Parsed by hand, with no regex or String.split: this runs between the timed runs, and C2 compiled split's and the
     * regex engine's paths late, 40-190 ms inside timed runs 7-9 of StoreBenchmark (counted as those runs' "C2" time;
     * session 18).
     */

    /** {@code name} without its trailing digits. */
    static String withoutTrailingDigits(String name) {
        int end = name.length();
        while (end > 0 && name.charAt(end - 1) >= '0' && name.charAt(end - 1) <= '9') {
            end--;
        }
        return name.substring(0, end);
    }

    /**
     * Field {@code field} (numbered from 1 as in proc(5); at least 3) of a {@code /proc/.../stat} line whose name
     * field ends at {@code close} (its ')').
     */
    static long statField(String stat, int close, int field) {
        int start = close + 2; // field 3
        for (int f = 3; f < field; f++) {
            start = stat.indexOf(' ', start) + 1;
            if (start == 0) {
                throw new IllegalArgumentException("no field " + field + " in " + stat);
            }
        }
        int end = stat.indexOf(' ', start);
        return Long.parseLong(
                stat.substring(start, end < 0 ? stat.length() : end).trim());
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
     * missing from this snapshot, so its time is lost (its group then counts as none and is left out).
     */
    public String perRowSince(ThreadCpuBreakdown before, long rows) {
        Map<String, Long> delta = new TreeMap<>();
        nanosByGroup.keySet().forEach(name -> delta.put(name, nanosSince(before, name)));
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

    /**
     * CPU per row, in ns, of the JIT compiler threads (C1 and C2 together) between {@code before} and this snapshot;
     * NaN where no thread could be read (not Linux). A group whose time went down — HotSpot ends extra compiler
     * threads when they idle — counts as none, so a figure may fall short, never exceed.
     */
    public double jitNanosPerRowSince(ThreadCpuBreakdown before, long rows) {
        if (nanosByGroup.isEmpty()) {
            return Double.NaN;
        }
        long nanos = 0;
        for (String group : JIT_GROUPS) {
            nanos += nanosSince(before, group);
        }
        return (double) nanos / rows;
    }

    /** {@code group}'s CPU time between {@code before} and this snapshot; none if it went down (a thread ended). */
    private long nanosSince(ThreadCpuBreakdown before, String group) {
        return Math.max(0, nanosByGroup.getOrDefault(group, 0L) - before.nanosByGroup.getOrDefault(group, 0L));
    }
}
