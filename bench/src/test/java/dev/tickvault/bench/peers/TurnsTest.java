package dev.tickvault.bench.peers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A child's side of the turns ({@link Turns}), the quiet wait and the per-turn ratio. */
class TurnsTest {

    @Test
    void aChildAnnouncesEachStepAfterTheQuietWaitAndWaitsForGo() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AtomicLong cpu = new AtomicLong();
        Turns turns = new Turns.Asking(
                new BufferedReader(new StringReader("GO\nGO\n")),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new Turns.Quiet(cpu::get, 1, 1_000_000_000L));
        turns.await(Turns.Step.INGEST_FIRST, 0);
        turns.await(Turns.Step.INGEST_RUN, 3);
        assertThat(out.toString(StandardCharsets.UTF_8))
                .isEqualTo("@@turn STEP " + Turns.Step.INGEST_FIRST.order(0) + " ingest first run\n" + "@@turn STEP "
                        + Turns.Step.INGEST_RUN.order(3) + " ingest run 3\n");
        assertThat(turns.quietSummary())
                .startsWith("2 waits,")
                .contains("0 at the 1.0 s cap; after the first runs: ingest ")
                .doesNotContain("ingest run 3"); // the wait after ingest run 3 is not one, it has not happened
        // the parent has gone: no GO
        assertThatThrownBy(() -> turns.await(Turns.Step.INGEST_RUN, 4))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("the parent answered null instead of GO to ingest run 4");
    }

    @Test
    void stepsAreOrderedAsAChildRunsThem() {
        // the last ingest run comes before (a)'s first run, (a)'s warm-up and repeats before (b)'s first run, and so on
        assertThat(Turns.Step.INGEST_RUN.order(999)).isLessThan(Turns.Step.A_FIRST.order(0));
        assertThat(Turns.Step.A_WARM_UP.order(0)).isLessThan(Turns.Step.B_FIRST.order(0));
        assertThat(Turns.Step.INGEST_RUN.order(1)).isLessThan(Turns.Step.INGEST_RUN.order(2));
        assertThat(Turns.Step.BOOK_RUN.order(4)).isLessThan(Turns.Step.D_FIRST.order(0));
        assertThat(Turns.Step.C_WARM_UP.order(0)).isLessThan(Turns.Step.REAL_DATA.order(0));
    }

    @Test
    void theQuietWaitEndsAfterTwoQuietWindowsInARow() {
        // busy (5 ms a window) for four windows, then one quiet window, busy again, then quiet for good
        long[] readings = {0, 5, 10, 15, 20, 21, 30, 31, 32, 33};
        int[] calls = {0};
        Turns.Quiet quiet = new Turns.Quiet(
                () -> readings[Math.min(calls[0]++, readings.length - 1)] * 1_000_000L, 1, 10_000_000_000L);
        quiet.await("(a) first run", "(a) warm-up");
        // the first reading, then windows ending at 5, 10, 15, 20, 21 (quiet), 30 (busy), 31, 32 (two quiet)
        assertThat(calls[0]).isEqualTo(9);
        assertThat(quiet.summary())
                .startsWith("1 waits, median ")
                .contains("(after (a) first run), 0 at the 10.0 s cap; after the first runs: (a) ");
    }

    @Test
    void aProcessThatNeverGetsQuietIsWaitedForUpToTheCap() {
        AtomicLong cpu = new AtomicLong();
        Turns.Quiet quiet = new Turns.Quiet(() -> cpu.addAndGet(10_000_000L), 5, 200_000_000L);
        long waited = quiet.await("ingest run 1", "ingest run 2");
        assertThat(waited).isBetween(200_000_000L, 5_000_000_000L);
        assertThat(quiet.summary()).startsWith("1 waits,").endsWith("(after ingest run 1), 1 at the 0.2 s cap");
    }

    @Test
    void theMedianOfThePerTurnRatiosPairsRunIWithRunI() {
        // rates: the runs are nanoseconds, the ratio is the peer's time / tickvault's (tickvault's rate / the peer's)
        // pairs: 200/100 = 2, 200/200 = 1, 600/300 = 2, 100/400 = 0.25 → sorted 0.25 1 2 2 → (1 + 2) / 2
        assertThat(PeerBenchmark.perTurnRatio("100,200,300,400", "200,200,600,100", true))
                .isEqualTo(1.5);
        // times: tickvault's / the peer's: 0.5 1 0.5 4 → sorted 0.5 0.5 1 4 → 0.75 (the ratio of the medians: 300/200)
        assertThat(PeerBenchmark.perTurnRatio("100,200,300,400", "200,200,600,100", false))
                .isEqualTo(0.75);
        assertThat(PeerBenchmark.perTurnRatio("1,2,3", "2,2,2", false)).isEqualTo(1.0);
        assertThat(PeerBenchmark.perTurnRatio("1,2,3", "2,2", false)).isNaN();
        assertThat(PeerBenchmark.perTurnRatio(null, "2,2", true)).isNaN();
    }
}
