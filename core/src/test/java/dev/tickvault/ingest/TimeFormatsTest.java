package dev.tickvault.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tickvault.testing.RandomCases;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class TimeFormatsTest {

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("dev.tickvault.testing.RandomCases#manySeeds")
    void formatThenParseIsIdentityOverTheWholeLongRange(long seed) {
        long nanos = RandomCases.anyLong(RandomCases.random(seed));
        String iso = TimeFormats.format(nanos);
        assertThat(iso).hasSize(30).endsWith("Z");
        assertThat(TimeFormats.parse(iso)).isEqualTo(nanos);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("dev.tickvault.testing.RandomCases#manySeeds")
    void formatAgreesWithJavaTime(long seed) {
        long nanos = RandomCases.anyLong(RandomCases.random(seed));
        Instant instant =
                Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
        // java.time prints 0, 3, 6 or 9 fractional digits; both must parse to the same value.
        assertThat(TimeFormats.parse(instant.toString())).isEqualTo(nanos);
        assertThat(Instant.parse(TimeFormats.format(nanos))).isEqualTo(instant);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("dev.tickvault.testing.RandomCases#manySeeds")
    void epochNanosIntegersParseAsThemselves(long seed) {
        long nanos = RandomCases.anyLong(RandomCases.random(seed));
        assertThat(TimeFormats.parse(Long.toString(nanos))).isEqualTo(nanos);
    }

    @Test
    void formatsWithExactlyNineFractionalDigits() {
        assertThat(TimeFormats.format(1_723_161_253_123_000_000L)).isEqualTo("2024-08-08T23:54:13.123000000Z");
        assertThat(TimeFormats.format(0)).isEqualTo("1970-01-01T00:00:00.000000000Z");
        assertThat(TimeFormats.format(-1)).isEqualTo("1969-12-31T23:59:59.999999999Z");
        assertThat(TimeFormats.format(Long.MIN_VALUE)).isEqualTo(TimeFormats.MIN_ISO);
        assertThat(TimeFormats.format(Long.MAX_VALUE)).isEqualTo(TimeFormats.MAX_ISO);
    }

    @Test
    void parsesIsoForms() {
        long expected = 1_723_161_253_123_456_789L;
        assertThat(TimeFormats.parse("2024-08-08T23:54:13.123456789Z")).isEqualTo(expected);
        assertThat(TimeFormats.parse("2024-08-08T23:54:13.123456789+00:00")).isEqualTo(expected);
        assertThat(TimeFormats.parse("2024-08-08 23:54:13.123456789Z")).isEqualTo(expected);
        assertThat(TimeFormats.parse("2024-08-08T23:54:13.1Z")).isEqualTo(1_723_161_253_100_000_000L);
        assertThat(TimeFormats.parse("2024-08-08T23:54:13Z")).isEqualTo(1_723_161_253_000_000_000L);
        assertThat(TimeFormats.parse("2024-08-08")).isEqualTo(1_723_075_200_000_000_000L);
        assertThat(TimeFormats.parse("2024-02-29"))
                .isEqualTo(Instant.parse("2024-02-29T00:00:00Z").toEpochMilli() * 1_000_000L);
        assertThat(TimeFormats.parse("1969-07-20T20:17:40Z")).isEqualTo(-14_182_940L * 1_000_000_000L);
        assertThat(TimeFormats.parse(TimeFormats.MIN_ISO)).isEqualTo(Long.MIN_VALUE);
        assertThat(TimeFormats.parse(TimeFormats.MAX_ISO)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void parsesFromBytesWithoutCopying() {
        byte[] line = "x,2024-08-08T00:00:00.5Z,y".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertThat(TimeFormats.parse(line, 2, 22)).isEqualTo(1_723_075_200_500_000_000L);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "-",
                "abc",
                "2024-08-08T23:54:13",
                "2024-08-08T23:54:13.Z",
                "2024-08-08T23:54:13.1234567890Z",
                "2024-08-08T23:54:13+01:00",
                "2024-08-08T24:00:00Z",
                "2024-08-08T23:60:00Z",
                "2024-08-08T23:59:60Z",
                "2024-13-01",
                "2024-00-01",
                "2023-02-29",
                "2024-04-31",
                "2024-8-8",
                "2024-08-08X",
                "1677-09-21T00:12:43.145224191Z",
                "2262-04-11T23:47:16.854775808Z",
                "9223372036854775808",
                "12x4",
            })
    void rejectsWithAClearMessage(String text) {
        assertThatThrownBy(() -> TimeFormats.parse(text))
                .isInstanceOf(TimeFormatException.class)
                .hasMessageStartingWith("invalid time \"" + text + "\": ");
    }

    @Test
    void userTimeMessageListsTheAcceptedForms() {
        assertThat(TimeFormats.parseUserTime(" 2024-08-08 ")).isEqualTo(1_723_075_200_000_000_000L);
        assertThatThrownBy(() -> TimeFormats.parseUserTime("yesterday"))
                .isInstanceOf(TimeFormatException.class)
                .hasMessageContaining("\"yesterday\"")
                .hasMessageContaining("ISO-8601")
                .hasMessageContaining("nanoseconds since the epoch");
    }
}
