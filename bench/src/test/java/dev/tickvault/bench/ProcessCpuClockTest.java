package dev.tickvault.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** {@link ProcessCpuClock}: finer than 10 ms, and counting the work of every thread. */
class ProcessCpuClockTest {

    @Test
    void countsEveryThreadsWorkAtFineResolution() throws Exception {
        Thread other =
                new Thread(() -> spin(30_000_000L)); // made first: a first lambda's linking costs this thread CPU
        ProcessCpuClock.nanos(); // the class's first use (its native lookup) on this thread, outside the readings
        long before = ProcessCpuClock.nanos();
        long threadBefore = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        other.start();
        other.join();
        long threadSpent = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - threadBefore;
        long after = ProcessCpuClock.nanos();
        assertThat(before).isPositive();
        // the other thread's 30 ms of CPU is in the process's figure, besides whatever this thread spent meanwhile
        assertThat(after - before).isGreaterThanOrEqualTo(threadSpent + 25_000_000L);
        // two readings a few microseconds of work apart differ by less than the 10 ms steps of the JDK's bean, and
        // more than nothing
        long a = ProcessCpuClock.nanos();
        spin(200_000L);
        long b = ProcessCpuClock.nanos();
        assertThat(b - a).isBetween(1L, 9_000_000L);
    }

    private static void spin(long cpuNanos) {
        var threads = ManagementFactory.getThreadMXBean();
        long until = threads.getCurrentThreadCpuTime() + cpuNanos;
        while (threads.getCurrentThreadCpuTime() < until) {
            Thread.onSpinWait();
        }
    }
}
