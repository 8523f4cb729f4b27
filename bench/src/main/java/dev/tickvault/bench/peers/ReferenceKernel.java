package dev.tickvault.bench.peers;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * A fixed piece of work whose thread CPU time tells how fast the machine runs code right now, the same in every child
 * JVM: four independent multiply-xor chains over an 8 KB array (L1-resident, no allocation, no memory traffic beyond
 * L1, compiled the same way in every JVM). On the shared 2-vCPU benchmark machine the querying thread's CPU time per
 * query moves between two levels ~1.6× apart from one minute (one JVM) to the next, and this kernel's time moves by
 * the same factor at the same moments (docs/BENCHMARKS.md, session 13): what runs beside the query on the host, not
 * the query's code. Run beside a query's timed repeats (after each repeat's clocks have stopped), its median says in
 * which state the machine was while that system was measured.
 */
final class ReferenceKernel {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final long[] DATA = new long[1024];

    static {
        for (int k = 0; k < DATA.length; k++) {
            DATA[k] = k * 0x9E3779B97F4A7C15L;
        }
    }

    /** Keeps the result alive so that the JIT cannot drop the work. */
    private static long sink;

    private ReferenceKernel() {}

    /** Runs the kernel once; returns the calling thread's CPU time for it (ns). */
    static long cpuNanos() {
        long before = THREADS.getCurrentThreadCpuTime();
        sink += run(DATA, 1600);
        return THREADS.getCurrentThreadCpuTime() - before;
    }

    /** {@code rounds} passes over {@code data}, four independent chains (so the core's throughput counts). */
    static long run(long[] data, int rounds) {
        long a = 0;
        long b = 0;
        long c = 0;
        long d = 0;
        for (int round = 0; round < rounds; round++) {
            for (int k = 0; k < data.length; k += 4) {
                a = a * 31 + (data[k] ^ (data[k] >>> 7));
                b = b * 37 + (data[k + 1] ^ (data[k + 1] >>> 9));
                c = c * 41 + (data[k + 2] ^ (data[k + 2] >>> 11));
                d = d * 43 + (data[k + 3] ^ (data[k + 3] >>> 13));
            }
        }
        return a + b + c + d;
    }

    /** For tests: the value the kernel computes (the sum of its chains), so the work cannot be dropped. */
    static long sink() {
        return sink;
    }
}
