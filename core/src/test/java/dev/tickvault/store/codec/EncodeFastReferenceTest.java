package dev.tickvault.store.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickvault.testing.RandomCases;
import java.util.Arrays;
import java.util.random.RandomGenerator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link LongColumnCodec#encodeFast} and {@link LongColumnCodec#encodedSizeFast} against a plain reference of the
 * format they must keep writing byte for byte (the planning they did before it was fused into one pass per frame):
 * divide by the common power of ten, size FRAME_OF_REFERENCE and DELTA frame by frame (width of max - min, zigzag
 * varint base), pick the smaller (FRAME_OF_REFERENCE on a tie) and write it. Columns are shaped like the trade
 * block's (sorted times with bursts, consecutive ids, jittery latencies, decimal multiples) plus wrapping extremes,
 * at lengths around frame boundaries. Likewise {@link LongColumnCodec#encodeBytePlanes}, whose divide and min/max
 * passes were fused.
 */
class EncodeFastReferenceTest {
    private static final int FRAME = LongColumnCodec.FRAME_SIZE;

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("dev.tickvault.testing.RandomCases#manySeeds")
    void encodeFastWritesTheReferenceBytes(long seed) {
        RandomGenerator random = RandomCases.random(seed);
        LongColumnCodec codec = new LongColumnCodec();
        for (int round = 0; round < 6; round++) {
            int count = lengthNearFrames(random);
            int offset = RandomCases.intBetween(random, 0, 3);
            long[] values = column(random, offset + count);
            ByteSink actual = new ByteSink();
            int written = codec.encodeFast(values, offset, count, actual);
            byte[] expected = reference(values, offset, count);
            assertThat(Arrays.copyOf(actual.array(), actual.position()))
                    .as("seed %d round %d count %d", seed, round, count)
                    .isEqualTo(expected);
            assertThat(written).isEqualTo(expected.length);
            assertThat(codec.encodedSizeFast(values, offset, count)).isEqualTo(expected.length);
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("dev.tickvault.testing.RandomCases#seeds")
    void bytePlanesWriteTheReferenceBytes(long seed) {
        RandomGenerator random = RandomCases.random(seed);
        LongColumnCodec codec = new LongColumnCodec();
        for (int round = 0; round < 6; round++) {
            int count = lengthNearFrames(random);
            int offset = RandomCases.intBetween(random, 0, 3);
            long[] values = column(random, offset + count);
            ByteSink actual = new ByteSink();
            codec.encodeBytePlanes(values, offset, count, actual);
            ByteSink expected = new ByteSink();
            if (count == 0
                    || Arrays.stream(values, offset, offset + count).distinct().count() == 1) {
                codec.encode(values, offset, count, expected); // EMPTY or CONSTANT, as encode writes them
            } else {
                referenceBytePlanes(values, offset, count, expected);
            }
            assertThat(Arrays.copyOf(actual.array(), actual.position()))
                    .as("seed %d round %d count %d", seed, round, count)
                    .isEqualTo(Arrays.copyOf(expected.array(), expected.position()));
        }
    }

    /** BYTE_PLANES of a column that is not constant, written plainly (the format's definition). */
    private static void referenceBytePlanes(long[] values, int offset, int count, ByteSink out) {
        int exponent = commonExponent(values, offset, count);
        long[] v = new long[count];
        for (int i = 0; i < count; i++) {
            v[i] = DecimalScaling.divideExact(values[offset + i], exponent);
        }
        long min = min(v, 0, count);
        int width = (width(v, 0, count, min) + 7) / 8;
        out.putByte(LongColumnCodec.BYTE_PLANES | (exponent > 0 ? LongColumnCodec.DECIMAL_FLAG : 0));
        if (exponent > 0) {
            out.putByte(exponent);
        }
        out.putZigZagVarLong(min);
        out.putByte(width);
        for (int plane = 0; plane < width; plane++) {
            for (long value : v) {
                out.putByte((int) ((value - min) >>> (8 * plane)));
            }
        }
    }

    /** The largest power of ten (up to 18) dividing every value, 0 when all are zero. */
    private static int commonExponent(long[] values, int offset, int count) {
        int exponent = DecimalScaling.MAX_EXPONENT;
        boolean allZero = true;
        for (int i = offset; i < offset + count; i++) {
            allZero &= values[i] == 0;
            while (exponent > 0 && !DecimalScaling.divisible(values[i], exponent)) {
                exponent--;
            }
        }
        return allZero ? 0 : exponent;
    }

    private static int lengthNearFrames(RandomGenerator random) {
        return switch (random.nextInt(4)) {
            case 0 -> RandomCases.intBetween(random, 0, 3);
            case 1 ->
                Math.max(0, FRAME * RandomCases.intBetween(random, 1, 70) + RandomCases.intBetween(random, -2, 2));
            default -> RandomCases.intBetween(random, 2, 9_000);
        };
    }

    private static long[] column(RandomGenerator random, int n) {
        long[] v = new long[n];
        int shape = random.nextInt(7);
        long unit = RandomCases.<Long>oneOf(random, 1L, 10L, 100L, 1_000_000L, 7L);
        long x = RandomCases.longBetween(random, -1L << 40, 1L << 50) * unit;
        for (int i = 0; i < n; i++) {
            switch (shape) {
                case 0 -> x += random.nextInt(4) == 0 ? 0 : unit * RandomCases.intBetween(random, 1, 2_000); // times
                case 1 -> x += 1; // trade ids
                case 2 -> x = unit * RandomCases.intBetween(random, -50_000, 50_000); // latencies, steps
                case 3 -> x = RandomCases.anyLong(random); // anything, wrapping steps
                case 4 ->
                    x = random.nextBoolean() ? Long.MAX_VALUE - random.nextInt(3) : Long.MIN_VALUE + random.nextInt(3);
                case 5 -> x += i % 300 == 299 ? -unit * 1_000 : unit; // sorted runs with drops
                default -> x = i % 2 == 0 ? 5 * unit : unit; // alternating
            }
            v[i] = x;
        }
        return v;
    }

    /** The reference encoder: the FRAME_OF_REFERENCE / DELTA choice of {@code encodeFast}, written plainly. */
    private static byte[] reference(long[] values, int offset, int count) {
        ByteSink out = new ByteSink();
        if (count == 0) {
            out.putByte(LongColumnCodec.EMPTY);
            return Arrays.copyOf(out.array(), out.position());
        }
        boolean constant = true;
        for (int i = offset + 1; i < offset + count; i++) {
            constant &= values[i] == values[offset];
        }
        if (constant) {
            out.putByte(LongColumnCodec.CONSTANT);
            out.putZigZagVarLong(values[offset]);
            return Arrays.copyOf(out.array(), out.position());
        }
        int exponent = commonExponent(values, offset, count);
        long[] v = new long[count];
        for (int i = 0; i < count; i++) {
            v[i] = DecimalScaling.divideExact(values[offset + i], exponent);
        }
        long[] steps = new long[count - 1];
        for (int i = 1; i < count; i++) {
            steps[i - 1] = v[i] - v[i - 1];
        }
        long forSize = framesSize(v);
        long deltaSize = ZigZag.varLongSize(ZigZag.encode(v[0])) + framesSize(steps);
        boolean delta = forSize > deltaSize;
        out.putByte((delta ? LongColumnCodec.DELTA : LongColumnCodec.FRAME_OF_REFERENCE)
                | (exponent > 0 ? LongColumnCodec.DECIMAL_FLAG : 0));
        if (exponent > 0) {
            out.putByte(exponent);
        }
        if (delta) {
            out.putZigZagVarLong(v[0]);
        }
        writeFrames(delta ? steps : v, out);
        return Arrays.copyOf(out.array(), out.position());
    }

    private static long framesSize(long[] values) {
        long size = 0;
        for (int from = 0; from < values.length; from += FRAME) {
            int to = Math.min(values.length, from + FRAME);
            long min = min(values, from, to);
            size += 1
                    + ZigZag.varLongSize(ZigZag.encode(min))
                    + BitPacking.packedBytes(to - from, width(values, from, to, min));
        }
        return size;
    }

    private static void writeFrames(long[] values, ByteSink out) {
        for (int from = 0; from < values.length; from += FRAME) {
            int to = Math.min(values.length, from + FRAME);
            long min = min(values, from, to);
            int width = width(values, from, to, min);
            out.putByte(width);
            out.putZigZagVarLong(min);
            BitPacking.packRelative(values, from, to - from, min, width, out);
        }
    }

    private static long min(long[] values, int from, int to) {
        long min = Long.MAX_VALUE;
        for (int i = from; i < to; i++) {
            min = Math.min(min, values[i]);
        }
        return min;
    }

    private static int width(long[] values, int from, int to, long min) {
        long max = Long.MIN_VALUE;
        for (int i = from; i < to; i++) {
            max = Math.max(max, values[i]);
        }
        return BitPacking.bitWidth(max - min);
    }
}
