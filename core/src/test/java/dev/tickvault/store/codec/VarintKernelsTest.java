package dev.tickvault.store.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickvault.testing.RandomCases;
import java.util.Arrays;
import java.util.random.RandomGenerator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link DecodeKernels#readVarints} against a byte-by-byte reference: the same values, position, last value and the
 * same refusal (-1) of a varint longer than 10 bytes, a 10th byte over 1 or a varint that runs to the end, for runs of
 * 0 to 32 varints of 1 to 10 bytes (also non-minimal ones), with and without room after them, delta or not (written in
 * session 19 for a faster kernel that was measured no faster in the query and not kept; see docs/BENCHMARKS.md).
 */
class VarintKernelsTest {

    /** The longest valid varint: 10 bytes (64 bits, 7 a byte). */
    private static final int MAX_VARINT_BYTES = 10;

    /** What the reference read: the position after the values, or -1. */
    private record Read(int position, long[] values, long last) {}

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("dev.tickvault.testing.RandomCases#manySeeds")
    void readVarintsMatchesAByteByByteReference(long seed) {
        RandomGenerator random = RandomCases.random(seed);
        int n = random.nextInt(DecodeKernels.CHUNK + 1);
        int p = random.nextInt(4);
        byte[] bytes = new byte[p + n * 11 + 400];
        int q = p;
        for (int i = 0; i < n; i++) {
            q = writeVarint(random, bytes, q);
        }
        int end =
                switch (random.nextInt(4)) {
                    case 0 -> q; // the section ends right after the varints
                    case 1 -> Math.min(bytes.length, q + random.nextInt(MAX_VARINT_BYTES * n + 2));
                    case 2 -> p + random.nextInt(q - p + 1); // truncated
                    default -> bytes.length; // far from the end: the fast path
                };
        boolean delta = random.nextBoolean();
        long factor = random.nextInt(4) == 0 ? RandomCases.anyLong(random) : DecimalScaling.pow10(random.nextInt(10));
        long start = random.nextBoolean() ? 0 : RandomCases.anyLong(random);
        int at = random.nextInt(3);

        Read expected = reference(bytes, p, end, n, start, delta, factor);
        long[] dst = new long[at + n + 1];
        long[] state = {start};
        int position = DecodeKernels.readVarints(bytes, p, end, dst, at, n, state, delta, factor);

        assertThat(position).isEqualTo(expected.position());
        if (expected.position() >= 0) {
            assertThat(Arrays.copyOfRange(dst, at, at + n)).containsExactly(expected.values());
            assertThat(state[0]).isEqualTo(expected.last());
        }
    }

    /**
     * Writes one varint at {@code q}: mostly 1 or 2 bytes as in price steps, sometimes up to 10 (a non-minimal one at
     * times: continuation bytes of zero bits), one time in 30 a malformed one (11 bytes, or a 10th byte over 1).
     */
    private static int writeVarint(RandomGenerator random, byte[] bytes, int q) {
        int kind = random.nextInt(30);
        if (kind == 0) {
            boolean tooLong = random.nextBoolean();
            for (int b = 0; b < 9; b++) {
                bytes[q++] = (byte) (0x80 | random.nextInt(128));
            }
            if (tooLong) {
                bytes[q++] = (byte) 0x81;
                bytes[q++] = 0;
            } else {
                bytes[q++] = (byte) random.nextInt(2, 128);
            }
            return q;
        }
        int length = kind < 18 ? 1 : kind < 26 ? 2 : random.nextInt(3, MAX_VARINT_BYTES + 1);
        for (int b = 0; b < length - 1; b++) {
            bytes[q++] = (byte) (0x80 | (random.nextInt(3) == 0 ? 0 : random.nextInt(128)));
        }
        bytes[q++] = (byte) (length == MAX_VARINT_BYTES ? random.nextInt(2) : random.nextInt(128));
        return q;
    }

    /** LEB128 byte by byte: at most 10 bytes, the 10th at most 1, none reaching {@code end}; zigzag, delta, factor. */
    private static Read reference(byte[] bytes, int p, int end, int n, long start, boolean delta, long factor) {
        long[] values = new long[n];
        long previous = start;
        for (int i = 0; i < n; i++) {
            long raw = 0;
            for (int b = 0; ; b++) {
                if (p >= end || b == MAX_VARINT_BYTES) {
                    return new Read(-1, null, 0);
                }
                int u = bytes[p++] & 0xFF;
                if (b == MAX_VARINT_BYTES - 1 && u > 1) {
                    return new Read(-1, null, 0);
                }
                raw |= (long) (u & 0x7F) << (7 * b);
                if (u < 0x80) {
                    break;
                }
            }
            long value = (raw >>> 1) ^ -(raw & 1);
            previous = delta ? previous + value : value;
            values[i] = previous * factor;
        }
        return new Read(p, values, previous);
    }
}
