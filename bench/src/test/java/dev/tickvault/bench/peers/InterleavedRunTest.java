package dev.tickvault.bench.peers;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A tiny side-by-side run with real child JVMs taking turns (~30 s). */
class InterleavedRunTest {

    @Test
    void tickvaultAndQuestDbTakeTurnsAndTheReportGivesPerTurnRatios() throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream out = System.out;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            PeerBenchmark.main(new String[] {
                "--systems", "tickvault,questdb",
                "--trades", "20000",
                "--repeats", "2",
                "--ingest-runs", "2",
                "--captures", "none",
                "--tickvault-aot", "off",
                "--step-timeout", "120",
                "--warm-up-cap", "3" // 3 s flat, as before session 18: a tiny run's JIT is busy far longer
            });
        } finally {
            System.setOut(out);
        }
        String report = captured.toString(StandardCharsets.UTF_8);
        out.print(report);
        assertThat(report).contains("taking turns step by step");
        assertThat(report)
                .containsPattern("\\| ingest, same, median of 1 runs .*\\| [0-9.]+ \\(per turn [0-9.]+\\) \\|");
        // a query's repeats run in its warm-up's turn: no per-turn figure for (a)
        assertThat(report).containsPattern("\\| \\(a\\) same, median of 2 repeats .*\\| [0-9.]+ \\|\n");
        // one quiet wait before each step (the first after the preparation): the first ingest run, the warm-up and
        // 1 timed run; a first run and a warm-up with the repeats for each of (a), (b) and (c)
        assertThat(report).contains("tickvault 9 waits,").contains("QuestDB 9 waits,");
    }
}
