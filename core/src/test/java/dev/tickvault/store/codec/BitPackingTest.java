package dev.tickvault.store.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tickvault.store.StorageException;
import dev.tickvault.testing.RandomCases;
import java.lang.foreign.MemorySegment;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class BitPackingTest {
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("dev.tickvault.testing.RandomCases#seeds")
    void everyWidthRoundTripsFromAnUnalignedOffset(long seed) {
        RandomGenerator random = RandomCases.random(seed);
        int width = RandomCases.intBetween(random, 0, 64);
        int count = RandomCases.intBetween(random, 0, 700);
        long mask = width == 64 ? -1L : (1L << width) - 1;
        long[] values = new long[count];
        for (int i = 0; i < count; i++) {
            values[i] = random.nextLong() & mask;
        }
        ByteSink sink = new ByteSink(0);
        sink.putByte(0x7F); // packing must append, not overwrite
        BitPacking.pack(values, 0, count, width, sink);
        assertThat(sink.position()).isEqualTo(1 + BitPacking.packedBytes(count, width));

        MemorySegment segment = Segments.at3(sink);
        long[] decoded = new long[count];
        int read = BitPacking.unpack(segment, Segments.OFFSET + 1, count, width, decoded, 0);
        assertThat(read).isEqualTo(BitPacking.packedBytes(count, width));
        assertThat(decoded).isEqualTo(values);

        // Exactly sized segment: the last values must be read without over-reading.
        MemorySegment exact = Segments.prefixAt3(sink, sink.position());
        long[] again = new long[count];
        BitPacking.unpack(exact, Segments.OFFSET + 1, count, width, again, 0);
        assertThat(again).isEqualTo(values);
    }

    @Test
    void packKeepsOnlyTheLowBits() {
        ByteSink sink = new ByteSink();
        BitPacking.pack(new long[] {-1L, 0x1234_5678_9ABCL}, 0, 2, 4, sink);
        long[] decoded = new long[2];
        BitPacking.unpack(MemorySegment.ofArray(sink.array()), 0, 2, 4, decoded, 0);
        assertThat(decoded).containsExactly(0xFL, 0xCL);
        assertThat(sink.position()).isEqualTo(1);
        assertThat(sink.array()[0]).isEqualTo((byte) 0xCF);
    }

    @Test
    void rejectsAbsurdWidthAndTruncatedInput() {
        MemorySegment segment = MemorySegment.ofArray(new byte[16]);
        long[] dst = new long[16];
        assertThatThrownBy(() -> BitPacking.unpack(segment, 0, 1, 65, dst, 0))
                .isInstanceOfSatisfying(
                        StorageException.class, e -> assertThat(e.kind()).isEqualTo(StorageException.Kind.CORRUPT));
        assertThatThrownBy(() -> BitPacking.unpack(segment, 1, 16, 8, dst, 0))
                .isInstanceOfSatisfying(
                        StorageException.class, e -> assertThat(e.kind()).isEqualTo(StorageException.Kind.CORRUPT));
    }
}
