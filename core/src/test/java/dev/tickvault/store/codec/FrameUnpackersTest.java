package dev.tickvault.store.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickvault.testing.RandomCases;
import java.util.Arrays;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The straight-line unpackers and the frame kernels of the warm read path against plain references: a value read bit
 * by bit from the packed words, and the unpack, integrate and scale steps done one after another.
 */
class FrameUnpackersTest {

    /** Value {@code index} of {@code width} bits packed from bit {@code firstBit} of {@code words}, bit by bit. */
    private static long referenceValue(long[] words, long firstBit, int width, int index) {
        long value = 0;
        for (int b = 0; b < width; b++) {
            long bit = firstBit + (long) index * width + b;
            value |= ((words[(int) (bit >>> 6)] >>> (bit & 63)) & 1L) << b;
        }
        return value;
    }

    private static long[] randomWords(RandomGenerator random, int count) {
        long[] words = new long[count];
        for (int i = 0; i < count; i++) {
            words[i] = RandomCases.anyLong(random);
        }
        return words;
    }

    @Test
    void everyWidthUnpacksSixtyFourValuesFromAnyWord() {
        RandomGenerator random = RandomCases.random(16);
        for (int width = 1; width < 64; width++) {
            long[] words = randomWords(random, width + 5);
            for (int k : new int[] {0, 1, 5}) {
                long[] dst = new long[FrameUnpackers.VALUES + 3];
                Arrays.fill(dst, 0x5A5A);
                FrameUnpackers.unpack(width, words, k, dst, 2);
                for (int i = 0; i < FrameUnpackers.VALUES; i++) {
                    assertThat(dst[2 + i])
                            .as("width %d, word %d, value %d", width, k, i)
                            .isEqualTo(referenceValue(words, 64L * k, width, i));
                }
                assertThat(dst[0]).isEqualTo(0x5A5A);
                assertThat(dst[1]).isEqualTo(0x5A5A);
                assertThat(dst[FrameUnpackers.VALUES + 2]).isEqualTo(0x5A5A);
            }
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("dev.tickvault.testing.RandomCases#manySeeds")
    void realignedGroupsAtAnyBitUnpackAsTheGenericKernel(long seed) {
        RandomGenerator random = RandomCases.random(seed);
        int width = RandomCases.intBetween(random, 1, 63);
        long[] words = randomWords(random, width + 8);
        long firstBit = RandomCases.intBetween(random, 0, 64 * 4);
        int k = (int) (firstBit >>> 6);
        int shift = (int) firstBit & 63;
        long[] aligned = new long[64];
        long[] source = words;
        int from = k;
        if (shift != 0) {
            DecodeKernels.realign(words, k, shift, aligned, width);
            source = aligned;
            from = 0;
        }
        long[] fast = new long[FrameUnpackers.VALUES];
        FrameUnpackers.unpack(width, source, from, fast, 0);
        long[] generic = new long[FrameUnpackers.VALUES];
        DecodeKernels.unpack(words, firstBit, width, 0, generic, 0, 32);
        DecodeKernels.unpack(words, firstBit + 32L * width, width, 0, generic, 32, 32);
        for (int i = 0; i < FrameUnpackers.VALUES; i++) {
            assertThat(fast[i]).as("value %d", i).isEqualTo(referenceValue(words, firstBit, width, i));
        }
        assertThat(generic).isEqualTo(fast);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("dev.tickvault.testing.RandomCases#manySeeds")
    void fusedKernelsEqualUnpackThenIntegrateOrScale(long seed) {
        RandomGenerator random = RandomCases.random(seed);
        int width = RandomCases.intBetween(random, 1, 63);
        int n = RandomCases.intBetween(random, 0, DecodeKernels.CHUNK);
        int at = RandomCases.intBetween(random, 0, 5);
        long firstBit = RandomCases.intBetween(random, 0, 64 * 3);
        long[] words = randomWords(random, width + 8);
        long base = RandomCases.anyLong(random);
        long factor = random.nextBoolean() ? 1 : RandomCases.anyLong(random);
        long previous = RandomCases.anyLong(random);

        long[] expected = new long[at + n + 2];
        long last = previous;
        for (int i = 0; i < n; i++) {
            long value = referenceValue(words, firstBit, width, i) + base;
            last += value;
            expected[at + i] = last * factor;
        }
        long[] integrated = new long[at + n + 2];
        assertThat(DecodeKernels.unpackIntegrated(words, firstBit, width, base, previous, factor, integrated, at, n))
                .isEqualTo(last);
        assertThat(integrated).isEqualTo(expected);
        long[] twoPasses = new long[at + n + 2];
        DecodeKernels.unpack(words, firstBit, width, 0, twoPasses, at, n);
        assertThat(DecodeKernels.integrate(twoPasses, at, n, previous, base, factor))
                .isEqualTo(last);
        assertThat(twoPasses).isEqualTo(expected);

        long[] scaledExpected = new long[at + n + 2];
        for (int i = 0; i < n; i++) {
            scaledExpected[at + i] = (referenceValue(words, firstBit, width, i) + base) * factor;
        }
        long[] scaled = new long[at + n + 2];
        DecodeKernels.unpackScaled(words, firstBit, width, base, factor, scaled, at, n);
        assertThat(scaled).isEqualTo(scaledExpected);
        long[] rebased = new long[at + n + 2];
        DecodeKernels.unpack(words, firstBit, width, 0, rebased, at, n);
        DecodeKernels.rebase(rebased, at, n, base, factor);
        assertThat(rebased).isEqualTo(scaledExpected);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("dev.tickvault.testing.RandomCases#seeds")
    void rampEqualsRepeatedSteps(long seed) {
        RandomGenerator random = RandomCases.random(seed);
        int n = RandomCases.intBetween(random, 0, DecodeKernels.CHUNK);
        int at = RandomCases.intBetween(random, 0, 3);
        long previous = RandomCases.anyLong(random);
        long step = RandomCases.anyLong(random);
        long factor = random.nextBoolean() ? 1 : RandomCases.anyLong(random);
        long[] expected = new long[at + n + 1];
        long last = previous;
        for (int i = 0; i < n; i++) {
            last += step;
            expected[at + i] = last * factor;
        }
        long[] dst = new long[at + n + 1];
        assertThat(DecodeKernels.ramp(dst, at, n, previous, step, factor)).isEqualTo(last);
        assertThat(dst).isEqualTo(expected);
    }

    /**
     * Whole columns whose frames take every width 0..64 (each frame's values span exactly its width), as frame of
     * reference and as steps (DELTA), with decimal scaling or without, odd lengths and partial row ranges: decoded as
     * written, whatever mix of 64-value groups, realigned groups and short tails the frames give.
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("dev.tickvault.testing.RandomCases#seeds")
    void framesOfEveryWidthDecodeAsWritten(long seed) {
        RandomGenerator random = RandomCases.random(seed);
        int length = RandomCases.intBetween(random, 1, 1500);
        boolean steps = random.nextBoolean();
        long scale = random.nextBoolean() ? 1 : 1000;
        long[] values = new long[length];
        long previous = RandomCases.anyLong(random);
        for (int frame = 0; frame * LongColumnCodec.FRAME_SIZE < length; frame++) {
            int width = RandomCases.intBetween(random, 0, steps ? 40 : 64);
            long mask = width == 64 ? -1L : (1L << width) - 1;
            long base = RandomCases.anyLong(random);
            int from = frame * LongColumnCodec.FRAME_SIZE;
            int to = Math.min(length, from + LongColumnCodec.FRAME_SIZE);
            for (int i = from; i < to; i++) {
                long bits = (i == from ? mask : random.nextLong()) & mask; // the first value spans the width
                if (steps) {
                    previous += bits;
                    values[i] = previous * scale;
                } else {
                    values[i] = (base + bits) * scale;
                }
            }
        }
        LongColumnCodec codec = new LongColumnCodec();
        for (boolean fast : new boolean[] {false, true}) {
            ByteSink sink = new ByteSink(8);
            sink.putByte(0x7F);
            sink.putByte(0x7F);
            sink.putByte(0x7F); // an odd start: the packed frames begin inside a word
            if (fast) {
                codec.encodeFast(values, 0, length, sink);
            } else {
                codec.encode(values, 0, length, sink);
            }
            byte[] bytes = Arrays.copyOf(sink.array(), sink.position());
            int fromRow = random.nextBoolean() ? 0 : RandomCases.intBetween(random, 0, length);
            int toRow = random.nextBoolean() ? length : RandomCases.intBetween(random, fromRow, length);
            long[] decoded = new long[length + 1];
            Arrays.fill(decoded, 0x5A5A);
            new LongColumnCodec()
                    .decodeRows(java.lang.foreign.MemorySegment.ofArray(bytes), 3, length, decoded, 1, fromRow, toRow);
            assertThat(Arrays.copyOfRange(decoded, 1 + fromRow, 1 + toRow))
                    .as("rows [%d, %d) of %d, fast %s", fromRow, toRow, length, fast)
                    .isEqualTo(Arrays.copyOfRange(values, fromRow, toRow));
        }
    }
}
