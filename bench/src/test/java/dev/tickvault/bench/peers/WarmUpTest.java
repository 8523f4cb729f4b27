package dev.tickvault.bench.peers;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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

    /**
     * Minimum 3,000, quiet time 500, cap 30,000 (fake nanoseconds). Cases: a quiet JIT stops at the minimum; runs of
     * 200 compiling in runs 1..20 (up to 4,000) need 500 more without a compilation (23 runs); a run of 1,000 after the
     * last compilation is enough on its own; a JIT that never goes quiet meets the cap; one run even when it outlasts
     * everything.
     */
    @ParameterizedTest
    @CsvSource({
        "1000,   0,          3, 3000,   false",
        "200,    20,         23, 4600,  false",
        "1000,   4,          5, 5000,   false",
        "1000,   2147483647, 30, 30000, true",
        "100000, 0,          1, 100000, true"
    })
    void theWarmUpStopsWhenTheJitIsQuietOrAtTheCap(
            long runNanos, int lastCompilingRun, int runs, long nanos, boolean capped) throws Exception {
        assertThat(warmUp(new Fake(), runNanos, lastCompilingRun)).isEqualTo(new WarmUp.Outcome(runs, nanos, capped));
    }

    @Test
    void theSummarySaysWhenTheCapStoppedIt() {
        assertThat(new WarmUp.Outcome(30, 30_000_000_000L, true).summary()).isEqualTo("30 runs, 30.0 s (cap)");
        assertThat(new WarmUp.Outcome(4, 3_200_000_000L, false).summary()).isEqualTo("4 runs, 3.2 s");
    }
}
