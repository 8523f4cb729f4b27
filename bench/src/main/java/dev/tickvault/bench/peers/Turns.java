package dev.tickvault.bench.peers;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * A child's side of the turns the side-by-side benchmark gives (its parent side: {@link TurnScheduler}). Before every
 * measured step the child announces it on stdout ({@value #PREFIX}{@code STEP <order> <label>}) and blocks until the
 * parent answers {@code GO} on stdin; before announcing it waits until its own process is quiet (the previous step's
 * background JIT compilation, GC, flush threads done), so that nothing of this JVM runs in another system's turn.
 *
 * <p>{@code order} places a step among every system's steps: {@link Step#order(int)}; the parent gives a turn to each
 * system whose next step has the lowest order, system by system, so equal steps alternate between systems and a system
 * without some step skips those turns.
 */
abstract class Turns {

    /** Marks the protocol's lines among a child's other output. */
    static final String PREFIX = "@@turn ";

    /** The measured steps of a child in the order it runs them (and the turns are given). */
    enum Step {
        INGEST_FIRST("ingest first run"),
        INGEST_WARM_UP("ingest warm-up runs"),
        INGEST_RUN("ingest run"),
        A_FIRST("(a) first run"),
        A_WARM_UP("(a) warm-up and repeats"),
        B_FIRST("(b) first run"),
        B_WARM_UP("(b) warm-up and repeats"),
        C_FIRST("(c) first run"),
        C_WARM_UP("(c) warm-up and repeats"),
        REAL_DATA("real data: bytes, archive"),
        BOOK_FIRST("book ingest first run"),
        BOOK_WARM_UP("book ingest warm-up runs"),
        BOOK_RUN("book ingest run"),
        D_FIRST("(d) first run"),
        D_WARM_UP("(d) warm-up and repeats");

        private final String label;

        Step(String label) {
            this.label = label;
        }

        /** Where step {@code number} (a run or repeat number, 0 for the others) of this kind goes among all steps. */
        long order(int number) {
            return ordinal() * 1_000_000L + number;
        }

        String label(int number) {
            return number == 0 ? label : label + " " + number;
        }
    }

    /**
     * The steps of an ingest or a query timed as {@link PeerBenchmark#time} does: the first run, the warm-up, and for
     * an ingest each timed run in a turn of its own ({@code repeat}). A query's timed repeats ({@code repeat} null)
     * run in the warm-up's turn, right after it and back to back, as a query repeated by a user runs: a pause before
     * each repeat (the other systems' turns) would time colder caches (measured in session 18: tickvault's (a)
     * querying-thread CPU 1.58–1.67 ms against 1.32–1.41 back to back).
     */
    record Phases(Step first, Step warmUp, Step repeat) {
        static final Phases INGEST = new Phases(Step.INGEST_FIRST, Step.INGEST_WARM_UP, Step.INGEST_RUN);
        static final Phases A = new Phases(Step.A_FIRST, Step.A_WARM_UP, null);
        static final Phases B = new Phases(Step.B_FIRST, Step.B_WARM_UP, null);
        static final Phases C = new Phases(Step.C_FIRST, Step.C_WARM_UP, null);
        static final Phases BOOK = new Phases(Step.BOOK_FIRST, Step.BOOK_WARM_UP, Step.BOOK_RUN);
        static final Phases D = new Phases(Step.D_FIRST, Step.D_WARM_UP, null);
    }

    /** Waits for this child's turn to run {@code step} number {@code number} (0: a step without a number). */
    abstract void await(Step step, int number) throws IOException;

    /** What the quiet waits took, for the report; null when there were none. */
    abstract String quietSummary();

    /** No turns: every step runs at once (the sequential run, {@code --interleave off}). */
    static final Turns NONE = new Turns() {
        @Override
        void await(Step step, int number) {}

        @Override
        String quietSummary() {
            return null;
        }
    };

    /** Turns asked of the parent on this JVM's stdout and stdin. */
    static Turns overStdio() {
        return new Asking(
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)),
                System.out,
                new Quiet(PeerBenchmark::processCpuNanos, Quiet.WINDOW_MILLIS, Quiet.CAP_NANOS));
    }

    /** Asks the parent for each turn: announces the step, waits for {@code GO}. */
    static final class Asking extends Turns {
        private final BufferedReader in;
        private final PrintStream out;
        private final Quiet quiet;
        private String previous = "its preparation";

        Asking(BufferedReader in, PrintStream out, Quiet quiet) {
            this.in = in;
            this.out = out;
            this.quiet = quiet;
        }

        @Override
        void await(Step step, int number) throws IOException {
            String label = step.label(number);
            quiet.await(previous, label);
            previous = label;
            out.println(PREFIX + "STEP " + step.order(number) + " " + label);
            out.flush();
            String answer = in.readLine();
            if (!"GO".equals(answer)) {
                throw new IllegalStateException("the parent answered " + answer + " instead of GO to " + label);
            }
        }

        @Override
        String quietSummary() {
            return quiet.summary();
        }
    }

    /**
     * Waits until the process has used less than {@value #QUIET_CPU_NANOS} ns of CPU in each of two consecutive
     * {@value #WINDOW_MILLIS} ms windows, {@value #CAP_NANOS} ns at most by default (said on stderr when the cap is
     * hit), and keeps what each wait took.
     */
    static final class Quiet {
        static final long QUIET_CPU_NANOS = 2_000_000L;
        static final long WINDOW_MILLIS = 50;
        static final long CAP_NANOS = 3_000_000_000L;

        private final LongSupplier processCpuNanos;
        private final long windowMillis;
        private final long capNanos;
        private final List<Long> waits = new ArrayList<>();
        private final Map<String, Long> afterFirstRuns = new LinkedHashMap<>();
        private String longestAfter;
        private long longest = -1;
        private int capped;

        Quiet(LongSupplier processCpuNanos, long windowMillis, long capNanos) {
            this.processCpuNanos = processCpuNanos;
            this.windowMillis = windowMillis;
            this.capNanos = capNanos;
        }

        /**
         * Returns the nanoseconds waited; {@code after} and {@code before} name the steps before and after the wait, for
         * the log and the summary.
         */
        long await(String after, String before) {
            long start = System.nanoTime();
            long cpu = processCpuNanos.getAsLong();
            int quietWindows = 0;
            while (quietWindows < 2) {
                if (System.nanoTime() - start >= capNanos) {
                    capped++;
                    System.err.printf(
                            Locale.ROOT,
                            "[turns] not quiet after %d ms, going on to %s%n",
                            capNanos / 1_000_000,
                            before);
                    break;
                }
                try {
                    Thread.sleep(windowMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for quiet", e);
                }
                long now = processCpuNanos.getAsLong();
                quietWindows = now - cpu < QUIET_CPU_NANOS ? quietWindows + 1 : 0;
                cpu = now;
            }
            long waited = System.nanoTime() - start;
            waits.add(waited);
            if (after.contains("first run")) {
                afterFirstRuns.put(after, waited);
            }
            if (waited > longest) {
                longest = waited;
                longestAfter = after;
            }
            System.err.printf(
                    Locale.ROOT, "[turns] quiet %d ms after %s, before %s%n", waited / 1_000_000, after, before);
            return waited;
        }

        /**
         * {@code N waits, median M ms, max X ms (after S), K at the C s cap; after the first runs: S M ms, …} (the
         * median and the maximum of all waits, then the waits after each first run, where JIT compilation is left).
         */
        String summary() {
            if (waits.isEmpty()) {
                return null;
            }
            List<Long> sorted = new ArrayList<>(waits);
            Collections.sort(sorted);
            StringBuilder out = new StringBuilder(String.format(
                    Locale.ROOT,
                    "%d waits, median %d ms, max %d ms (after %s), %d at the %.1f s cap",
                    sorted.size(),
                    sorted.get(sorted.size() / 2) / 1_000_000,
                    longest / 1_000_000,
                    longestAfter,
                    capped,
                    capNanos / 1e9));
            String separator = "; after the first runs: ";
            for (Map.Entry<String, Long> e : afterFirstRuns.entrySet()) {
                out.append(separator)
                        .append(e.getKey().replace(" first run", ""))
                        .append(' ')
                        .append(e.getValue() / 1_000_000)
                        .append(" ms");
                separator = ", ";
            }
            return out.toString();
        }
    }
}
