package dev.tickvault.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Heap bytes allocated by every live Java thread ({@code com.sun.management.ThreadMXBean#getThreadAllocatedBytes}),
 * by thread id, reported grouped by name with trailing digits dropped as {@link ThreadCpuBreakdown} does (with its
 * {@link ThreadCpuBreakdown#withoutTrailingDigits}, no regex: this runs between timed runs). JVM threads
 * (GC, JIT) allocate no Java objects and are not listed. A thread that ends between two snapshots loses its count
 * unless an earlier snapshot is merged in with {@link #withEndedThreadsOf}.
 */
public final class ThreadAllocationBreakdown {

    private final Map<Long, Long> bytesById;
    private final Map<Long, String> groupById;

    private ThreadAllocationBreakdown(Map<Long, Long> bytesById, Map<Long, String> groupById) {
        this.bytesById = bytesById;
        this.groupById = groupById;
    }

    /** Bytes allocated so far by every live thread; empty where the JVM does not measure them. */
    public static ThreadAllocationBreakdown snapshot() {
        Map<Long, Long> bytes = new HashMap<>();
        Map<Long, String> groups = new HashMap<>();
        if (!(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads)
                || !threads.isThreadAllocatedMemorySupported()
                || !threads.isThreadAllocatedMemoryEnabled()) {
            return new ThreadAllocationBreakdown(bytes, groups);
        }
        long[] ids = threads.getAllThreadIds();
        long[] allocated = threads.getThreadAllocatedBytes(ids);
        ThreadInfo[] infos = threads.getThreadInfo(ids);
        for (int i = 0; i < ids.length; i++) {
            if (infos[i] != null && allocated[i] >= 0) {
                bytes.put(ids[i], allocated[i]);
                groups.put(ids[i], ThreadCpuBreakdown.withoutTrailingDigits(infos[i].getThreadName()));
            }
        }
        return new ThreadAllocationBreakdown(bytes, groups);
    }

    /** This snapshot plus the threads of {@code earlier} that are no longer alive (their last count). */
    ThreadAllocationBreakdown withEndedThreadsOf(ThreadAllocationBreakdown earlier) {
        Map<Long, Long> bytes = new HashMap<>(bytesById);
        Map<Long, String> groups = new HashMap<>(groupById);
        earlier.bytesById.forEach(bytes::putIfAbsent);
        earlier.groupById.forEach(groups::putIfAbsent);
        return new ThreadAllocationBreakdown(bytes, groups);
    }

    /** Bytes allocated per row by group between {@code before} and this snapshot, largest first, and the total. */
    public String perRowSince(ThreadAllocationBreakdown before, long rows) {
        Map<String, Long> delta = new TreeMap<>();
        bytesById.forEach((id, bytes) ->
                delta.merge(groupById.get(id), bytes - before.bytesById.getOrDefault(id, 0L), Long::sum));
        long total = delta.values().stream().mapToLong(Long::longValue).sum();
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "total %.2f", (double) total / rows));
        delta.entrySet().stream()
                .filter(e -> e.getValue() * 100 >= rows) // 0.01 bytes/row or more
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e ->
                        out.append(String.format(Locale.ROOT, ", %s %.2f", e.getKey(), (double) e.getValue() / rows)));
        return out.toString();
    }
}
