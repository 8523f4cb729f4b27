package dev.tickvault.bench.peers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WarmUpTest {

    /** A fake clock advanced by each run, and a fake JIT whose total compilation time each run may raise. */
    private static final class Fake {
        long now;
        long compiledMillis;
        int runs;
    }

    private static WarmUp.Outcome warmUp(Fake fake, long runNanos, int lastCompilingRun) throws Exception {
        WarmUp warmUp = new WarmUp(() -> fake.now, () -> fake.compiledMillis, 3_000, 500, 30_000);
        return warmUp.run(() -> {
            fake.runs++;
            fake.now += runNanos;
            if (fake.runs <= lastCompilingRun) {
                fake.compiledMillis += 7;
            }
        });
    }

    @Test
    void aQuietJitStopsTheWarmUpAtTheMinimum() throws Exception {
        Fake fake = new Fake();
        WarmUp.Outcome outcome = warmUp(fake, 1_000, 0);
        assertThat(outcome).isEqualTo(new WarmUp.Outcome(3, 3_000, false));
    }

    @Test
    void compilationsKeepItGoingUntilHalfASecondOfRunsSeesNone() throws Exception {
        Fake fake = new Fake();
        // runs of 200: compilations finish in runs 1..20 (up to 4,000), then 500 more without one: 23 runs in all
        WarmUp.Outcome outcome = warmUp(fake, 200, 20);
        assertThat(outcome).isEqualTo(new WarmUp.Outcome(23, 4_600, false));
    }

    @Test
    void aLongRunAfterTheLastCompilationIsEnoughWhenItIsLongerThanTheQuietTime() throws Exception {
        Fake fake = new Fake();
        // runs of 1,000 compiling in runs 1..4: run 5 ends 1,000 after the last change
        WarmUp.Outcome outcome = warmUp(fake, 1_000, 4);
        assertThat(outcome).isEqualTo(new WarmUp.Outcome(5, 5_000, false));
    }

    @Test
    void aJitThatNeverGoesQuietMeetsTheCap() throws Exception {
        Fake fake = new Fake();
        WarmUp.Outcome outcome = warmUp(fake, 1_000, Integer.MAX_VALUE);
        assertThat(outcome).isEqualTo(new WarmUp.Outcome(30, 30_000, true));
        assertThat(outcome.summary()).isEqualTo("30 runs, 0.0 s (cap)");
    }

    @Test
    void atLeastOneRunEvenWhenTheFirstOutlastsEverything() throws Exception {
        Fake fake = new Fake();
        WarmUp.Outcome outcome = warmUp(fake, 100_000, 0);
        assertThat(outcome).isEqualTo(new WarmUp.Outcome(1, 100_000, true));
    }

    @Test
    void theBenchmarkRefusesAWarmUpCapThatIsNotAPositiveNumber() {
        assertThatThrownBy(() -> PeerBenchmark.main(new String[] {"--warm-up-cap", "0"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--warm-up-cap must be positive");
        assertThatThrownBy(() -> PeerBenchmark.main(new String[] {"--warm-up-cap", "soon"}))
                .isInstanceOf(NumberFormatException.class);
    }
}
