package dev.tickvault.store.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class ByteColumnCodecTest {
    enum Shape {
        CONSTANT,
        RUNS,
        TWO_BITS,
        FULL_RANGE,
        NEGATIVE_AND_POSITIVE
    }

    @Provide
    Arbitrary<Integer> lengths() {
        return Arbitraries.oneOf(
                Arbitraries.of(0, 1, 2, 7, 8, 9, 127, 128, 129, 65_536),
                Arbitraries.integers().between(0, 3000));
    }

    @Property(tries = 300)
    void everyShapeRoundTrips(@ForAll Shape shape, @ForAll("lengths") int length, @ForAll long seed) {
        Random random = new Random(seed);
        byte[] values = new byte[length];
        byte current = (byte) random.nextInt();
        for (int i = 0; i < length; i++) {
            values[i] = switch (shape) {
                case CONSTANT -> current;
                case RUNS -> random.nextInt(20) == 0 ? current = (byte) random.nextInt(3) : current;
                case TWO_BITS -> (byte) random.nextInt(3);
                case FULL_RANGE -> (byte) random.nextInt();
                case NEGATIVE_AND_POSITIVE -> (byte) (random.nextBoolean() ? -128 : 127);
            };
        }
        assertRoundTrip(values);
    }

    @Property(tries = 200)
    void arbitraryArraysRoundTrip(@ForAll byte[] values) {
        assertRoundTrip(values);
    }

    @Test
    void sizes() {
        assertThat(encode(new byte[65_536]).position()).isEqualTo(2);
        byte[] sides = new byte[65_536];
        for (int i = 0; i < sides.length; i++) {
            sides[i] = (byte) (i % 3);
        }
        assertThat(encode(sides).position()).isEqualTo(3 + 65_536 / 4);
        byte[] runs = new byte[65_536];
        for (int i = 0; i < runs.length; i++) {
            runs[i] = (byte) ((i / 1000) & 1);
        }
        assertThat(encode(runs).position()).isLessThan(200);
    }

    private static ByteSink encode(byte[] values) {
        ByteSink sink = new ByteSink();
        new ByteColumnCodec().encode(values, 0, values.length, sink);
        assertRoundTrip(values);
        return sink;
    }

    private static void assertRoundTrip(byte[] values) {
        byte[] padded = new byte[values.length + 3];
        System.arraycopy(values, 0, padded, 2, values.length);
        ByteSink sink = new ByteSink(0);
        int written = new ByteColumnCodec().encode(padded, 2, values.length, sink);
        assertThat(written).isEqualTo(sink.position());
        byte[] decoded = new byte[values.length];
        long consumed = new ByteColumnCodec().decode(Segments.at3(sink), Segments.OFFSET, values.length, decoded, 0);
        assertThat(consumed).isEqualTo(written);
        assertThat(decoded).isEqualTo(values);
    }
}
