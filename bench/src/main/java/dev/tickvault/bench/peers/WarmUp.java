package dev.tickvault.bench.peers;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * How long a system's untimed warm-up runs last, the same rule for every system: at least {@value #MIN_NANOS} ns, and
 * then on until no JIT compilation has finished for {@value #QUIET_NANOS} ns of runs (the JVM's total compilation
 * time unchanged), {@value #CAP_NANOS} ns at most. Until session 17 the warm-up was 3 s flat, which under load or in the
 * machine's slow mode ended while the JIT was still compiling code that runs once per commit or per flush, so the
 * first timed runs paid for it (session 18, {@code perf18}: 0–36 ns/row of C2 in a timed run, on one of the two
 * cores). A system whose JIT never goes quiet gets the cap ({@code --warm-up-cap}), and the report says so.
 */
final class WarmUp {

    static final long MIN_NANOS = 3_000_000_000L;
    static final long QUIET_NANOS = 500_000_000L;
    static final long CAP_NANOS = 30_000_000_000L;

    /** One untimed run. */
    interface Run {
        void run() throws Exception;
    }

    /** What one warm-up did: its runs, its wall time, and whether it stopped at the cap rather than on a quiet JIT. */
    record Outcome(int runs, long nanos, boolean capped) {
        String summary() {
            return String.format(Locale.ROOT, "%d runs, %.1f s%s", runs, nanos / 1e9, capped ? " (cap)" : "");
        }
    }

    private final LongSupplier clock;
    private final LongSupplier compileMillis;
    private final long minNanos;
    private final long quietNanos;
    private final long capNanos;

    WarmUp(LongSupplier clock, LongSupplier compileMillis, long minNanos, long quietNanos, long capNanos) {
        this.clock = clock;
        this.compileMillis = compileMillis;
        this.minNanos = minNanos;
        this.quietNanos = quietNanos;
        this.capNanos = capNanos;
    }

    /**
     * The rule above on this JVM's clock and compilation time (3 s flat where the JVM does not report the latter), at
     * most {@code capNanos} (a cap below {@link #MIN_NANOS} makes it the warm-up's length: at least one run).
     */
    static WarmUp ofThisJvm(long capNanos) {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        LongSupplier compileMillis =
                jit != null && jit.isCompilationTimeMonitoringSupported() ? jit::getTotalCompilationTime : () -> 0L;
        return new WarmUp(System::nanoTime, compileMillis, MIN_NANOS, QUIET_NANOS, capNanos);
    }

    /**
     * Runs {@code run} at least once, then until the rule above says stop. A compilation seen finished after a run is
     * taken as finishing at that run's end, so the JIT must then stay quiet for {@code quietNanos} of further runs.
     */
    Outcome run(Run run) throws Exception {
        long start = clock.getAsLong();
        long compiled = compileMillis.getAsLong();
        long lastChange = start;
        int runs = 0;
        while (true) {
            run.run();
            runs++;
            long now = clock.getAsLong();
            long c = compileMillis.getAsLong();
            if (c != compiled) {
                compiled = c;
                lastChange = now;
            }
            if (now - start >= capNanos) {
                return new Outcome(runs, now - start, true);
            }
            if (now - start >= minNanos && now - lastChange >= quietNanos) {
                return new Outcome(runs, now - start, false);
            }
        }
    }
}
