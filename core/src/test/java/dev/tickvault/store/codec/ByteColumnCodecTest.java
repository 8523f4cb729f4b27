package dev.tickvault.store.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickvault.testing.RandomCases;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ByteColumnCodecTest {
    enum Shape {
        CONSTANT,
        RUNS,
        TWO_BITS,
        FULL_RANGE,
        NEGATIVE_AND_POSITIVE
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("dev.tickvault.testing.RandomCases#seeds")
    void everyShapeRoundTrips(long seed) {
        RandomGenerator random = RandomCases.random(seed);
        Shape shape = RandomCases.oneOf(random, Shape.values());
        int length = random.nextBoolean()
                ? RandomCases.oneOf(random, 0, 1, 2, 7, 8, 9, 127, 128, 129, 65_536)
                : RandomCases.intBetween(random, 0, 3000);
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

    /**
     * The bit-packed form packs the bytes directly (EncodeKernels.packUnsignedBytes); its body must be exactly what
     * BitPacking.pack writes for the same values widened to longs, at every width and at lengths across word edges.
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("dev.tickvault.testing.RandomCases#seeds")
    void bitPackedBodyEqualsLongPacking(long seed) {
        RandomGenerator random = RandomCases.random(seed);
        int width = RandomCases.intBetween(random, 1, 8);
        int min = RandomCases.intBetween(random, 0, 255 - ((1 << width) - 1));
        int length = RandomCases.intBetween(random, 2, 20_000);
        byte[] values = new byte[length];
        long[] widened = new long[length];
        for (int i = 0; i < length; i++) {
            int offset = i < 2 ? i * ((1 << width) - 1) : random.nextInt(1 << width); // spans the full width
            values[i] = (byte) (min + offset);
            widened[i] = offset;
        }
        ByteSink encoded = new ByteSink(16);
        new ByteColumnCodec().encode(values, 0, length, encoded);
        ByteSink expected = new ByteSink(16);
        expected.putByte(ByteColumnCodec.BIT_PACKED);
        expected.putByte(width);
        expected.putByte(min);
        BitPacking.pack(widened, 0, length, width, expected);
        if ((encoded.array()[0] & 0xFF) == ByteColumnCodec.BIT_PACKED) {
            assertThat(java.util.Arrays.copyOf(encoded.array(), encoded.position()))
                    .as("seed %d, width %d, min %d, %d values", seed, width, min, length)
                    .isEqualTo(java.util.Arrays.copyOf(expected.array(), expected.position()));
        } else {
            assertThat(width).as("run-length chosen only for few distinct runs").isEqualTo(1);
        }
        assertRoundTrip(values);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("dev.tickvault.testing.RandomCases#seeds")
    void arbitraryArraysRoundTrip(long seed) {
        RandomGenerator random = RandomCases.random(seed);
        byte[] values = new byte[RandomCases.intBetween(random, 0, 300)];
        random.nextBytes(values);
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

        // decodeRows: the rows of a few windows right, the bytes consumed exact when the encoding was read whole
        int n = values.length;
        int k = Math.min(n, 130);
        int[][] windows = {{0, n}, {k, n}, {0, n - k}, {k / 2, n - k / 2}, {n / 2, n / 2}, {n - k / 3, n}, {0, k / 3}};
        for (int[] window : windows) {
            int from = Math.min(window[0], window[1]);
            int to = window[1];
            byte[] rows = new byte[n];
            java.util.Arrays.fill(rows, (byte) 0x5A);
            long read = new ByteColumnCodec().decodeRows(Segments.at3(sink), Segments.OFFSET, n, rows, 0, from, to);
            assertThat(java.util.Arrays.copyOfRange(rows, from, to))
                    .as("rows [%d, %d) of %d", from, to, n)
                    .isEqualTo(java.util.Arrays.copyOfRange(values, from, to));
            if (from == 0 && to == n) {
                assertThat(read).isEqualTo(written);
            } else {
                assertThat(read).isIn(LongColumnCodec.PARTIAL, (long) written);
            }
        }
    }
}
