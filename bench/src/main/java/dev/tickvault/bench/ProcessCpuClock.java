package dev.tickvault.bench;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.management.ManagementFactory;

/**
 * The CPU time of the whole process (every thread) in nanoseconds, from {@code clock_gettime(CLOCK_PROCESS_CPUTIME_ID)}
 * through {@code java.lang.foreign}: nanosecond resolution, where {@code OperatingSystemMXBean.getProcessCpuTime()}
 * moves in 10 ms steps on Linux, too coarse for a query of a few milliseconds. Falls back to that bean where the C
 * library has no {@code clock_gettime} (then -1 if it does not report either). Thread-safe.
 */
@SuppressWarnings("restricted") // Linker.downcallHandle: the benchmark runs with --enable-native-access
public final class ProcessCpuClock {

    /** Linux's clock id ({@code <time.h>}). */
    private static final int CLOCK_PROCESS_CPUTIME_ID = 2;

    private static final MethodHandle CLOCK_GETTIME = lookUp();

    private ProcessCpuClock() {}

    private static MethodHandle lookUp() {
        try {
            Linker linker = Linker.nativeLinker();
            return linker.defaultLookup()
                    .find("clock_gettime")
                    .map(symbol -> linker.downcallHandle(symbol, FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS)))
                    .orElse(null);
        } catch (RuntimeException e) { // native access refused: fall back
            return null;
        }
    }

    /** The process's CPU time so far (ns), or -1 if this platform reports none. */
    public static long nanos() {
        if (CLOCK_GETTIME != null) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment timespec = arena.allocate(16, 8);
                int rc = (int) CLOCK_GETTIME.invokeExact(CLOCK_PROCESS_CPUTIME_ID, timespec);
                if (rc == 0) {
                    return timespec.get(JAVA_LONG, 0) * 1_000_000_000L + timespec.get(JAVA_LONG, 8);
                }
            } catch (Throwable e) {
                throw new IllegalStateException("clock_gettime failed", e);
            }
        }
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime()
                : -1;
    }
}
