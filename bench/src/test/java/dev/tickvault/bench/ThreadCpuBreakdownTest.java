package dev.tickvault.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The hand-written parse of {@code /proc/self/task/N/stat} lines: names with spaces and ')' , fields by number. */
class ThreadCpuBreakdownTest {

    @Test
    void readsUtimeAndStimeAfterANameWithSpacesAndParentheses() {
        // fields: 1 pid, 2 (comm), 3 state, 4 ppid, ... 14 utime, 15 stime, 16 cutime
        String stat = "4242 (C2 Compiler) x) S 1 4242 4242 0 -1 4194368 100 0 0 0 1234 567 0 0 20 0 1 0 99 0 0";
        int close = stat.lastIndexOf(')');
        assertThat(ThreadCpuBreakdown.statField(stat, close, 4)).isEqualTo(1);
        assertThat(ThreadCpuBreakdown.statField(stat, close, 14)).isEqualTo(1234);
        assertThat(ThreadCpuBreakdown.statField(stat, close, 15)).isEqualTo(567);
        assertThat(ThreadCpuBreakdown.statField(stat, close, 23)).isEqualTo(0);
    }

    @Test
    void dropsTrailingDigitsOnly() {
        assertThat(ThreadCpuBreakdown.withoutTrailingDigits("GC Thread#12")).isEqualTo("GC Thread#");
        assertThat(ThreadCpuBreakdown.withoutTrailingDigits("C2 CompilerThre")).isEqualTo("C2 CompilerThre");
        assertThat(ThreadCpuBreakdown.withoutTrailingDigits("G1 Conc#0")).isEqualTo("G1 Conc#");
        assertThat(ThreadCpuBreakdown.withoutTrailingDigits("42")).isEmpty();
        assertThat(ThreadCpuBreakdown.withoutTrailingDigits("a1b2")).isEqualTo("a1b");
    }

    @Test
    void countsTheJitCompilerThreadsOnlyAndNeverATimeThatWentDown() {
        ThreadCpuBreakdown before = ThreadCpuBreakdown.of(
                Map.of("C1 CompilerThre", 100L, "C2 CompilerThre", 1_000L, "java", 5_000L, "GC Thread#", 10L));
        ThreadCpuBreakdown after = ThreadCpuBreakdown.of(
                Map.of("C1 CompilerThre", 300L, "C2 CompilerThre", 1_800L, "java", 9_000L, "GC Thread#", 50L));
        assertThat(after.jitNanosPerRowSince(before, 10)).isEqualTo(100.0); // (200 + 800) / 10 rows

        ThreadCpuBreakdown c1Ended = ThreadCpuBreakdown.of(Map.of("C2 CompilerThre", 1_400L, "java", 9_000L));
        assertThat(c1Ended.jitNanosPerRowSince(before, 4)).isEqualTo(100.0); // C2's 400 only; C1's -100 is none
    }

    @Test
    void givesNoJitFigureWhereNoThreadCouldBeRead() {
        ThreadCpuBreakdown before = ThreadCpuBreakdown.of(Map.of());
        assertThat(ThreadCpuBreakdown.of(Map.of()).jitNanosPerRowSince(before, 10))
                .isNaN();
    }

    @Test
    void seesThisJvmsOwnCompilerThreadsOnLinux() { // a JVM that loaded JUnit has compiled for far more than 10 ms
        Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self/task")));
        ThreadCpuBreakdown now = ThreadCpuBreakdown.snapshot();
        assertThat(now.jitNanosPerRowSince(ThreadCpuBreakdown.of(Map.of()), 1)).isGreaterThan(0);
    }
}
