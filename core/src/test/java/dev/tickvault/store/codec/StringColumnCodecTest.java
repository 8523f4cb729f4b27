package dev.tickvault.store.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class StringColumnCodecTest {
    @Provide
    Arbitrary<List<String>> columns() {
        Arbitrary<String> value = Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(40),
                Arbitraries.strings().all().ofMaxLength(10), // any code points, surrogate pairs included
                Arbitraries.just(""));
        return value.injectNull(0.3).list().ofMaxSize(300);
    }

    @Property(tries = 300)
    void nullableStringsRoundTrip(@ForAll("columns") List<String> column) {
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
