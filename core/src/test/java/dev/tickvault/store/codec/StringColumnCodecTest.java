package dev.tickvault.store.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickvault.testing.RandomCases;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class StringColumnCodecTest {
    /** Up to 300 values: 30% null, else short printable-or-any text, any UTF-16 units (lone surrogates too), or "". */
    private static List<String> column(RandomGenerator random) {
        int size = RandomCases.intBetween(random, 0, 300);
        List<String> column = new java.util.ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            if (random.nextInt(10) < 3) {
                column.add(null);
                continue;
            }
            column.add(
                    switch (random.nextInt(3)) {
                        case 0 -> RandomCases.stringOf(random, RandomCases.charRange(' ', '~'), 0, 40);
                        case 1 -> anyUnits(random, RandomCases.intBetween(random, 0, 10));
                        default -> "";
                    });
        }
        return column;
    }

    private static String anyUnits(RandomGenerator random, int length) {
        char[] units = new char[length];
        for (int i = 0; i < length; i++) {
            units[i] = (char) random.nextInt(Character.MAX_VALUE + 1);
        }
        return new String(units);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("dev.tickvault.testing.RandomCases#seeds")
    void nullableStringsRoundTrip(long seed) {
        List<String> column = column(RandomCases.random(seed));
        String[] values = column.toArray(String[]::new);
        // Unpaired surrogates cannot survive UTF-8; compare against what UTF-8 can carry.
        String[] expected = Arrays.stream(values)
                .map(s -> s == null
                        ? null
                        : new String(
                                s.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                                java.nio.charset.StandardCharsets.UTF_8))
                .toArray(String[]::new);
        assertThat(roundTrip(values)).isEqualTo(expected);
    }

    @Test
    void allNullColumnCostsOneByte() {
        ByteSink sink = new ByteSink();
        new StringColumnCodec().encode(new String[65_536], 0, 65_536, sink);
        assertThat(sink.position()).isEqualTo(1);
        assertThat(roundTrip(new String[65_536])).containsOnlyNulls();
        assertThat(roundTrip(new String[0])).isEmpty();
    }

    @Test
    void mixedColumn() {
        String[] values = {"abc", null, "", "trade-42", null, "\u00e9\u20ac\uD83D\uDE00", null, null, "x"};
        assertThat(roundTrip(values)).isEqualTo(values);
        String[] dense = {"a", "b", "c"};
        assertThat(roundTrip(dense)).isEqualTo(dense);
    }

    private static String[] roundTrip(String[] values) {
        ByteSink sink = new ByteSink(0);
        int written = new StringColumnCodec().encode(values, 0, values.length, sink);
        String[] decoded = new String[values.length + 1];
        decoded[0] = "sentinel";
        long consumed = new StringColumnCodec().decode(Segments.at3(sink), Segments.OFFSET, values.length, decoded, 1);
        assertThat(consumed).isEqualTo(written);
        assertThat(decoded[0]).isEqualTo("sentinel");
        return Arrays.copyOfRange(decoded, 1, decoded.length);
    }
}
