package dev.tickvault.bench.peers;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** {@link TwinJarProbe} refuses bad options with a message before it loads either jar. */
class TwinJarProbeOptionsTest {

    @Test
    void refusesFewerThanTwoJars() {
        assertThatThrownBy(() -> TwinJarProbe.main(new String[] {"a.jar"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("usage");
    }

    @Test
    void refusesAnOptionWithoutValue() {
        assertThatThrownBy(() -> TwinJarProbe.main(new String[] {"a.jar", "b.jar", "--rounds"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--rounds needs a value");
    }

    @Test
    void refusesAnUnknownOption() {
        assertThatThrownBy(() -> TwinJarProbe.main(new String[] {"a.jar", "b.jar", "--round", "3"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown option --round");
    }

    @Test
    void refusesNonPositiveCounts() {
        for (String option : new String[] {"--rounds", "--block", "--trades"}) {
            assertThatThrownBy(() -> TwinJarProbe.main(new String[] {"a.jar", "b.jar", option, "0"}))
                    .as(option)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("must be positive");
        }
    }
}
