package dev.tickvault.store.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickvault.testing.RandomCases;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class LongColumnCodecTest {
    private final LongColumnCodec codec = new LongColumnCodec();

    private static int length(RandomGenerator random) {
        return random.nextBoolean()
                ? RandomCases.oneOf(random, 0, 1, 2, 3, 127, 128, 129, 255, 256, 257, 65_536)
                : RandomCases.intBetween(random, 0, 3000);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("dev.tickvault.testing.RandomCases#seeds")
    void everyShapeRoundTripsFromAnUnalignedOffset(long seed) {
        RandomGenerator random = RandomCases.random(seed);
        LongArrays shape = RandomCases.oneOf(random, LongArrays.values());
        long[] values = shape.build(length(random), seed);
        assertRoundTrip(values);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("dev.tickvault.testing.RandomCases#seeds")
    void arbitraryArraysRoundTrip(long seed) {
        RandomGenerator random = RandomCases.random(seed);
        long[] values = new long[RandomCases.intBetween(random, 0, 300)];
        for (int i = 0; i < values.length; i++) {
            values[i] = RandomCases.anyLong(random);
        }
        assertRoundTrip(values);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("dev.tickvault.testing.RandomCases#seeds")
    void framesWhoseOffsetsShareAPowerOfTenRoundTrip(long seed) {
        RandomGenerator random = RandomCases.random(seed);
        int length = length(random);
        long base = RandomCases.anyLong(random);
        int exponent = RandomCases.intBetween(random, 1, 18);
        long step = 1;
        for (int i = 0; i < exponent; i++) {
            step *= 10;
        }
        long[] values = new long[length];
        long bound = Math.max(2, Long.MAX_VALUE / step);
        long previous = base;
        for (int i = 0; i < length; i++) {
            switch (random.nextInt(4)) {
                case 0 -> values[i] = base + random.nextLong(Math.min(bound, 1L << 20)) * step; // FOR-friendly
                case 1 -> values[i] = previous + random.nextLong(Math.min(bound, 1000)) * step; // DELTA-friendly
                case 2 -> values[i] = base + random.nextLong(bound) * step; // wide offsets up to 2^63
                default -> values[i] = previous + (random.nextInt(100) == 0 ? random.nextLong() : 0); // breaks a frame
            }
            previous = values[i];
        }
        assertRoundTrip(values);
    }

    @Test
    void frameExponentsPayOnReceiveTimeLikeDeltas() {
        long[] values = new long[1000];
        long t = 1_723_161_254_347_673_567L;
        for (int i = 0; i < values.length; i++) {
            t += (i % 7 == 0 ? 7_529_100 : 500 + 100 * (i % 5));
            values[i] = t;
        }
        ByteSink sink = new ByteSink();
        codec.encode(values, 0, values.length, sink);
        // the deltas (multiples of 100 up to 7.5e6) need 17 bits divided, 23 bits undivided
        assertThat(sink.position()).isLessThan(values.length * 18 / 8);
        assertRoundTrip(values);
    }

    @Test
    void extremeValuesRoundTrip() {
        assertRoundTrip(new long[] {Long.MIN_VALUE});
        assertRoundTrip(new long[] {Long.MAX_VALUE, Long.MIN_VALUE});
        assertRoundTrip(new long[] {Long.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE, 0, -1, 1});
        assertRoundTrip(new long[] {0, 0, 0, 1_000_000_000_000_000_000L, -1_000_000_000_000_000_000L});
    }

    @Test
    void decodesFromANativeReadOnlySegmentAndAtAnOffsetInTheDestination() {
        long[] values = LongArrays.SMALL_DELTAS.build(1000, 7);
        ByteSink sink = new ByteSink();
        int written = codec.encode(values, 0, values.length, sink);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment segment = arena.allocate(written + 11);
            MemorySegment.copy(sink.array(), 0, segment, ValueLayout.JAVA_BYTE, 11, written);
            long[] decoded = new long[values.length + 5];
            long consumed = codec.decode(segment.asReadOnly(), 11, values.length, decoded, 5);
            assertThat(consumed).isEqualTo(written);
            assertThat(java.util.Arrays.copyOfRange(decoded, 5, decoded.length)).isEqualTo(values);
        }
    }

    @Test
    void picksCompactEncodingsForTypicalColumns() {
        assertThat(encodedSize(LongArrays.CONSTANT.build(65_536, 1))).isLessThanOrEqualTo(11);
        long[] ids = new long[65_536];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = 5_000_000_000L + i;
        }
        // DELTA_OF_DELTA: every frame is width 0, base 0.
        assertThat(encodedSize(ids)).isLessThanOrEqualTo(20 + 2 * 512);
        long[] millis = LongArrays.TIMESTAMPS_MS_IN_NS.build(65_536, 3);
        // ms-granular ns timestamps: the 10^6 divisor is found, a couple of bits per value remain
        assertThat(encodedSize(millis)).isLessThan(65_536 * 3 / 8 + 2000);
    }

    @Test
    void encodingAppendsAfterExistingBytesAndReportsItsSize() {
        ByteSink sink = new ByteSink(1);
        sink.putInt(0xCAFEBABE);
        long[] values = LongArrays.BIG_JUMPS.build(300, 9);
        int written = codec.encode(values, 0, values.length, sink);
        assertThat(sink.position()).isEqualTo(4 + written);
        long[] decoded = new long[values.length];
        assertThat(codec.decode(MemorySegment.ofArray(sink.array()), 4, values.length, decoded, 0))
                .isEqualTo(written);
        assertThat(decoded).isEqualTo(values);
    }

    private int encodedSize(long[] values) {
        ByteSink sink = new ByteSink();
        int written = codec.encode(values, 0, values.length, sink);
        assertRoundTrip(values);
        return written;
    }

    private void assertRoundTrip(long[] values) {
        // encode a sub-range of a larger array to check the offset handling too
        long[] padded = new long[values.length + 2];
        System.arraycopy(values, 0, padded, 1, values.length);
        ByteSink sink = new ByteSink(8);
        int written = codec.encode(padded, 1, values.length, sink);
        assertThat(written).isEqualTo(sink.position());
        assertThat(codec.encodedSize(padded, 1, values.length))
                .as("size without writing")
                .isEqualTo(written);

        long[] decoded = new long[values.length];
        LongColumnCodec reader = new LongColumnCodec();
        long consumed = reader.decode(Segments.at3(sink), Segments.OFFSET, values.length, decoded, 0);
        assertThat(consumed).isEqualTo(written);
        assertThat(decoded).isEqualTo(values);
        assertDecodesRows(sink, values);

        // the same values as VARINTS (the book layout's price and quantity sections) and with the fast choice (the log)
        ByteSink varints = new ByteSink(8);
        int varintsWritten = codec.encodeVarints(padded, 1, values.length, varints);
        assertThat(varintsWritten).isEqualTo(varints.position());
        long[] decodedVarints = new long[values.length];
        assertThat(reader.decode(Segments.at3(varints), Segments.OFFSET, values.length, decodedVarints, 0))
                .isEqualTo(varintsWritten);
        assertThat(decodedVarints).isEqualTo(values);
        assertDecodesRows(varints, values);

        ByteSink fast = new ByteSink(8);
        int fastWritten = codec.encodeFast(padded, 1, values.length, fast);
        assertThat(fastWritten).isEqualTo(fast.position());
        assertThat(codec.encodedSizeFast(padded, 1, values.length)).isEqualTo(fastWritten);
        long[] decodedFast = new long[values.length];
        assertThat(reader.decode(Segments.at3(fast), Segments.OFFSET, values.length, decodedFast, 0))
                .isEqualTo(fastWritten);
        assertThat(decodedFast).isEqualTo(values);
        assertDecodesRows(fast, values);

        // the trade layout's forms (chunk format 3): DELTA_VARINTS and SCALED_VARINTS, from heap and native bytes
        ByteSink deltaVarints = new ByteSink(8);
        int deltaWritten = codec.encodeDeltaVarints(padded, 1, values.length, deltaVarints);
        assertThat(deltaWritten).isEqualTo(deltaVarints.position());
        assertDecodes(deltaVarints, values);
        assertDecodesRows(deltaVarints, values);
        ByteSink planes = new ByteSink(8);
        int planesWritten = codec.encodeBytePlanes(padded, 1, values.length, planes);
        assertThat(planesWritten).isEqualTo(planes.position());
        assertDecodes(planes, values);
        assertDecodesRows(planes, values);
        int dominant = LongColumnCodec.dominantExponent(padded, 1, values.length);
        assertThat(dominant).isBetween(0, LongColumnCodec.MAX_SCALED_EXPONENT);
        for (int scale : new int[] {Math.max(1, dominant), 2, 18}) {
            ByteSink scaled = new ByteSink(8);
            int scaledWritten = codec.encodeScaledVarints(padded, 1, values.length, scale, scaled);
            assertThat(scaledWritten).isEqualTo(scaled.position());
            if (values.length > 0) {
                assertThat(LongColumnCodec.scaledVarintsSize(padded, 1, values.length, scale))
                        .isEqualTo(scaledWritten);
            }
            assertDecodes(scaled, values);
            assertDecodesRows(scaled, values);
        }
    }

    /**
     * {@code decodeRows} of the encoding in {@code sink} gets the rows of a few windows right (the other places are
     * free), from heap and native bytes, and reports the bytes consumed exactly when it read the whole encoding.
     */
    private static void assertDecodesRows(ByteSink sink, long[] values) {
        int n = values.length;
        int k = Math.min(n, 130);
        int[][] windows = {{0, n}, {k, n}, {0, n - k}, {k / 2, n - k / 2}, {n / 2, n / 2}, {n - k / 3, n}, {0, k / 3}};
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment heap = Segments.at3(sink);
            MemorySegment off = arena.allocate(heap.byteSize());
            off.copyFrom(heap);
            for (MemorySegment segment : new MemorySegment[] {heap, off}) {
                for (int[] window : windows) {
                    int from = Math.min(window[0], window[1]);
                    int to = window[1];
                    long[] decoded = new long[n];
                    java.util.Arrays.fill(decoded, 0x5A5A);
                    long consumed = new LongColumnCodec().decodeRows(segment, Segments.OFFSET, n, decoded, 0, from, to);
                    assertThat(java.util.Arrays.copyOfRange(decoded, from, to))
                            .as("rows [%d, %d) of %d", from, to, n)
                            .isEqualTo(java.util.Arrays.copyOfRange(values, from, to));
                    if (from == 0 && to == n) {
                        assertThat(consumed).isEqualTo(sink.position());
                    } else {
                        assertThat(consumed).isIn(LongColumnCodec.PARTIAL, (long) sink.position());
                    }
                }
            }
        }
    }

    /** Decodes {@code sink} from a heap segment (the fast array path) and from a native one (the checked path). */
    private static void assertDecodes(ByteSink sink, long[] values) {
        long[] fromHeap = new long[values.length];
        assertThat(new LongColumnCodec().decode(Segments.at3(sink), Segments.OFFSET, values.length, fromHeap, 0))
                .isEqualTo(sink.position());
        assertThat(fromHeap).isEqualTo(values);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment memory = arena.allocate(sink.position() + 1L);
            MemorySegment.copy(sink.array(), 0, memory, ValueLayout.JAVA_BYTE, 1, sink.position());
            long[] fromNative = new long[values.length];
            assertThat(new LongColumnCodec().decode(memory, 1, values.length, fromNative, 0))
                    .isEqualTo(sink.position());
            assertThat(fromNative).isEqualTo(values);
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("dev.tickvault.testing.RandomCases#seeds")
    void mostlyMultiplesOfAPowerOfTenRoundTripAsScaledVarints(long seed) {
        RandomGenerator random = RandomCases.random(seed);
        int length = length(random);
        int exponent = RandomCases.intBetween(random, 1, 9);
        long step = LongColumnCodecTest.pow10(exponent);
        long[] values = new long[length];
        for (int i = 0; i < length; i++) {
            values[i] = switch (random.nextInt(20)) {
                case 0 -> RandomCases.anyLong(random); // escapes, extremes included
                case 1 -> random.nextLong(1_000_000) * step + 1 + random.nextLong(step - 1); // not a multiple
                default -> (random.nextLong(4_000) - 2_000) * step;
            };
        }
        assertRoundTrip(values);
        ByteSink scaled = new ByteSink();
        codec.encodeScaledVarints(values, 0, length, Math.max(1, exponent), scaled);
        assertDecodes(scaled, values);
    }

    private static long pow10(int exponent) {
        long p = 1;
        for (int i = 0; i < exponent; i++) {
            p *= 10;
        }
        return p;
    }

    @Test
    void scaledVarintsTakeOneByteForSmallMultiplesAndFindTheirScale() {
        long[] steps = new long[1000];
        for (int i = 0; i < steps.length; i++) {
            steps[i] = i % 100 == 0 ? 1_234_567 : 100L * (i % 30 + 1); // 1 % outliers that are not multiples
        }
        assertThat(LongColumnCodec.dominantExponent(steps, 0, steps.length)).isEqualTo(2);
        assertThat(LongColumnCodec.dominantExponent(steps, 0, 0)).isZero();
        ByteSink scaled = new ByteSink();
        int written = codec.encodeScaledVarints(steps, 0, steps.length, 2, scaled);
        assertThat(written).isLessThanOrEqualTo(2 + 990 + 10 * 5);
        assertDecodes(scaled, steps);
    }
}
