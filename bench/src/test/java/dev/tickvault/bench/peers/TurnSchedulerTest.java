package dev.tickvault.bench.peers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link TurnScheduler} with small shell children speaking the protocol: the turn order, dead and silent children. */
class TurnSchedulerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void twoSystemsAlternateStepByStepAndOneRunsAtATime() throws Exception {
        List<TurnScheduler.Child> children = List.of(child("tickvault", 1, 2, 3), child("questdb", 1, 2, 3));
        List<String> given = TurnScheduler.run(children, TIMEOUT, turn -> {});
        List<String> expected = List.of(
                "tickvault: step 1",
                "questdb: step 1",
                "tickvault: step 2",
                "questdb: step 2",
                "tickvault: step 3",
                "questdb: step 3");
        assertThat(given).isEqualTo(expected);
        // each child's step ends (it sleeps, then writes) before the next child's begins: the trace has the same order
        assertThat(trace()).isEqualTo(expected);
    }

    @Test
    void fourSystemsSkipTheStepsTheyDoNotHave() throws Exception {
        List<TurnScheduler.Child> children =
                List.of(child("a", 1, 2, 3), child("b", 1, 2, 3), child("c", 1, 3), child("d", 1, 2, 3, 4));
        List<String> given = TurnScheduler.run(children, TIMEOUT, turn -> {});
        List<String> expected = List.of(
                "a: step 1",
                "b: step 1",
                "c: step 1",
                "d: step 1", // first steps, in the children's order
                "a: step 2",
                "b: step 2",
                "d: step 2", // c has no step 2: c waits, announcing step 3
                "a: step 3",
                "b: step 3",
                "c: step 3",
                "d: step 3",
                "d: step 4"); // only d has it: it runs in d's turn
        assertThat(given).isEqualTo(expected);
        assertThat(trace()).isEqualTo(expected);
    }

    @Test
    void aChildThatDiesFailsTheRunNamingItAndTheStep() throws Exception {
        TurnScheduler.Child healthy = child("tickvault", 1, 2, 3);
        TurnScheduler.Child dying =
                shell("questdb", "echo '@@turn STEP 1 step 1'; read go; echo 'out of memory, say'; exit 3");
        assertThatThrownBy(() -> TurnScheduler.run(List.of(healthy, dying), TIMEOUT, turn -> {}))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("questdb failed (exit 3) after step 1: see its log above");
        assertThat(Files.readString(dying.log())).contains("out of memory, say");
        healthy.process().waitFor();
        assertThat(healthy.process().isAlive()).isFalse(); // the others are killed with it
    }

    @Test
    void aChildThatDiesWhilePreparingFailsTheRunToo() {
        TurnScheduler.Child dying = shell("duckdb", "echo 'cannot generate'; exit 2");
        assertThatThrownBy(() -> TurnScheduler.run(List.of(child("tickvault", 1), dying), TIMEOUT, turn -> {}))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("duckdb failed (exit 2) after its preparation: see its log above");
    }

    @Test
    void aChildThatNeverAnswersFailsTheRunAfterTheTimeout() throws Exception {
        TurnScheduler.Child silent = shell("questdb", "echo '@@turn STEP 1 step 1'; read go; sleep 60");
        long start = System.nanoTime();
        assertThatThrownBy(() -> TurnScheduler.run(List.of(silent), Duration.ofSeconds(1), turn -> {}))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("questdb said nothing within 1 s after step 1 (hung?): see its log above");
        assertThat(System.nanoTime() - start).isLessThan(20_000_000_000L);
        silent.process().waitFor();
        assertThat(silent.process().isAlive()).isFalse();
    }

    @Test
    void aChildThatSaysSomethingElseFailsTheRun() {
        TurnScheduler.Child confused = shell("duckdb", "echo '@@turn READY'; read go");
        assertThatThrownBy(() -> TurnScheduler.run(List.of(confused), TIMEOUT, turn -> {}))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("duckdb said @@turn READY after its preparation");
    }

    @Test
    void aChildWhoseStepOrderIsNotANumberFailsTheRunByName() throws Exception {
        TurnScheduler.Child confused = shell("parquet", "echo '@@turn STEP soon ingest first run'; read go");
        assertThatThrownBy(() -> TurnScheduler.run(List.of(confused), TIMEOUT, turn -> {}))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("parquet said @@turn STEP soon ingest first run after its preparation: its"
                        + " step order is not a number");
        assertThat(confused.process().waitFor(10, java.util.concurrent.TimeUnit.SECONDS))
                .isTrue(); // killed
    }

    /** A child with the given step orders: each step sleeps 50 ms, then appends {@code name: step k} to the trace. */
    private TurnScheduler.Child child(String name, int... steps) {
        StringBuilder script = new StringBuilder();
        for (int k : steps) {
            script.append("echo '@@turn STEP ")
                    .append(k)
                    .append(" step ")
                    .append(k)
                    .append("'; read go; [ \"$go\" = GO ] || exit 9; sleep 0.05; echo '")
                    .append(name)
                    .append(": step ")
                    .append(k)
                    .append("' >> '")
                    .append(dir.resolve("trace"))
                    .append("'; ");
        }
        return shell(name, script + "exit 0");
    }

    private TurnScheduler.Child shell(String name, String script) {
        try {
            Process p = new ProcessBuilder("bash", "-c", script)
                    .redirectErrorStream(true)
                    .start();
            return new TurnScheduler.Child(name, p, dir.resolve(name + ".log"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private List<String> trace() throws IOException {
        return new ArrayList<>(Files.readAllLines(dir.resolve("trace")));
    }
}
