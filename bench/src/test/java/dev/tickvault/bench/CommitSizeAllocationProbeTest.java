package dev.tickvault.bench;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The probe refuses bad options before generating anything (a commit size of 0 looped for ever). */
class CommitSizeAllocationProbeTest {

    @ParameterizedTest
    @ValueSource(strings = {"--trades", "--commit-rows", "--runs"})
    void aCountThatIsNotPositiveIsRefused(String option) {
        for (String value : new String[] {"0", "-1"}) {
            assertThatThrownBy(() -> CommitSizeAllocationProbe.main(new String[] {option, value}))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("--trades, --commit-rows and --runs must be positive");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"--commit-rows", "--bogus"})
    void anOptionWithoutItsValueOrUnknownIsRefused(String option) {
        assertThatThrownBy(() -> CommitSizeAllocationProbe.main(new String[] {option}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("option " + option + " needs a value");
        assertThatThrownBy(() -> CommitSizeAllocationProbe.main(new String[] {"--bogus", "1"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown option --bogus");
    }
}
