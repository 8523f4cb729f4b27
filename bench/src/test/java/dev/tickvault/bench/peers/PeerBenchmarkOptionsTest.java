package dev.tickvault.bench.peers;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bad options are refused before any child JVM starts, with a message naming the option. */
class PeerBenchmarkOptionsTest {

    @ParameterizedTest
    @ValueSource(strings = {"--warm-up-cap", "--step-timeout", "--trades", "--repeats", "--ingest-runs"})
    void aNumberOptionThatIsNotPositiveIsRefused(String option) {
        for (String value : new String[] {"0", "-5"}) {
            assertThatThrownBy(() -> PeerBenchmark.main(new String[] {option, value}))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(option)
                    .hasMessageContaining("must be positive");
        }
        assertThatThrownBy(() -> PeerBenchmark.main(new String[] {option, "soon"}))
                .isInstanceOf(NumberFormatException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"--interleave", "--tickvault-aot"})
    void anOnOffOptionTakesOnlyOnOrOff(String option) {
        assertThatThrownBy(() -> PeerBenchmark.main(new String[] {option, "yes"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(option + " takes on or off, not yes");
    }

    @ParameterizedTest
    @ValueSource(strings = {"--bogus", "--warm-up"})
    void anUnknownOptionIsRefused(String option) {
        assertThatThrownBy(() -> PeerBenchmark.main(new String[] {option, "1"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown option " + option);
    }

    @Test
    void aWriteFileThatIsMissingOrHasNoMarkersIsRefused(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("missing.md");
        assertThatThrownBy(() -> PeerBenchmark.main(new String[] {"--write", missing.toString()}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--write " + missing)
                .hasMessageContaining("no such file");
        Path plain = Files.writeString(dir.resolve("plain.md"), "# no markers\n");
        assertThatThrownBy(() -> PeerBenchmark.main(new String[] {"--write", plain.toString()}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has no line");
    }
}
