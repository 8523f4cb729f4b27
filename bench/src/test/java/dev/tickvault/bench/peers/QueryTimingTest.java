package dev.tickvault.bench.peers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link PeerBenchmark#time}: every answer checked, the checks outside the timed runs. */
class QueryTimingTest {

    @Test
    void everyAnswerIsCheckedAndTheChecksAreNotTimed() throws Exception {
        int repeats = 3;
        int[] runs = {0};
        List<Integer> checked = new ArrayList<>();
        long[] times = PeerBenchmark.time(repeats, () -> ++runs[0], answer -> {
            if (checked.isEmpty()) {
                Thread.sleep(300); // a slow first check (as a record's first equals is): must not count
            }
            checked.add(answer);
        });
        // each run's own answer, in order: first run, warm-up runs, timed repeats
        assertThat(checked).hasSize(runs[0]);
        for (int i = 0; i < checked.size(); i++) {
            assertThat(checked.get(i)).isEqualTo(i + 1);
        }
        assertThat(runs[0]).isGreaterThan(repeats + 1); // warm-up runs happened too
        assertThat(times).hasSize(3 * (repeats + 1));
        // the first run's wall time would hold the 300 ms sleep if its check were inside the timed window
        assertThat(times[0]).isLessThan(250_000_000L);
    }

    @Test
    void theReferenceKernelRunsAfterEachTimedRepeatOutsideItsClocks() throws Exception {
        int repeats = 5;
        long[] reference = new long[repeats];
        long[] times = PeerBenchmark.time(repeats, () -> 1, answer -> {}, reference);
        for (long r : reference) {
            assertThat(r).isPositive();
        }
        // the kernel is ~10^6 multiply-adds, a trivial query none: had the kernel run inside a timed repeat's clock,
        // that repeat's CPU would hold it
        long[] sorted = reference.clone();
        java.util.Arrays.sort(sorted);
        for (int i = 1; i <= repeats; i++) {
            assertThat(times[repeats + 1 + i]).isLessThan(sorted[0]);
        }
    }

    @Test
    void theReferenceKernelIsFixedWork() {
        long[] data = new long[1024];
        for (int k = 0; k < data.length; k++) {
            data[k] = k * 0x9E3779B97F4A7C15L;
        }
        assertThat(ReferenceKernel.run(data, 3)).isEqualTo(ReferenceKernel.run(data, 3));
        assertThat(ReferenceKernel.run(data, 3)).isNotEqualTo(ReferenceKernel.run(data, 4));
        long before = ReferenceKernel.sink();
        ReferenceKernel.cpuNanos();
        assertThat(ReferenceKernel.sink()).isNotEqualTo(before);
    }

    @Test
    void aWrongFirstAnswerStopsTheTimingAtOnce() {
        int[] runs = {0};
        assertThatThrownBy(() -> PeerBenchmark.time(2, () -> ++runs[0], answer -> {
                    throw new GroundTruth.WrongAnswer("wrong: " + answer);
                }))
                .isInstanceOf(GroundTruth.WrongAnswer.class)
                .hasMessage("wrong: 1");
        assertThat(runs[0]).isEqualTo(1);
    }

    @Test
    void aWrongRepeatedAnswerIsFoundToo() {
        int[] runs = {0};
        assertThatThrownBy(() -> PeerBenchmark.time(2, () -> ++runs[0], answer -> {
                    if (answer == 3) {
                        throw new GroundTruth.WrongAnswer("wrong: " + answer);
                    }
                }))
                .isInstanceOf(GroundTruth.WrongAnswer.class)
                .hasMessage("wrong: 3");
    }
}
