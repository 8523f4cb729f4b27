package dev.tickvault.store.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickvault.store.partition.ChunkLayout;
import dev.tickvault.testing.RandomCases;
import java.util.Arrays;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link LongColumnCodec#reserveScratch()}: a reserved codec encodes any column of up to a chunk block's rows without
 * growing its scratch or frame plans (so a new writer's encoder never takes the growth branches in compiled code),
 * and writes the same bytes as a fresh codec.
 */
class ReservedScratchTest {

    @Test
    void reservesABlocksRows() {
        LongColumnCodec codec = new LongColumnCodec();
        assertThat(codec.scratchCapacity()).isZero();
        codec.reserveScratch();
        assertThat(codec.scratchCapacity()).isGreaterThanOrEqualTo(ChunkLayout.DEFAULT_ROWS_PER_BLOCK);
        assertThat(codec.planCapacity()).isGreaterThanOrEqualTo(ChunkLayout.DEFAULT_ROWS_PER_BLOCK);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("dev.tickvault.testing.RandomCases#seeds")
    void aReservedCodecNeverGrowsForABlockAndWritesTheSameBytes(long seed) {
        RandomGenerator random = RandomCases.random(seed);
        LongColumnCodec reserved = new LongColumnCodec();
        reserved.reserveScratch();
        int scratch = reserved.scratchCapacity();
        int plans = reserved.planCapacity();
        for (int column = 0; column < 4; column++) {
            LongArrays shape = RandomCases.oneOf(random, LongArrays.values());
            int rows = random.nextBoolean()
                    ? ChunkLayout.DEFAULT_ROWS_PER_BLOCK
                    : RandomCases.intBetween(random, 1, ChunkLayout.DEFAULT_ROWS_PER_BLOCK);
            long[] values = shape.build(rows, seed + column);
            boolean fast = random.nextBoolean();
            assertThat(encode(reserved, values, fast))
                    .as("%s, %d rows", shape, rows)
                    .isEqualTo(encode(new LongColumnCodec(), values, fast));
            assertThat(reserved.scratchCapacity()).as("scratch grew").isEqualTo(scratch);
            assertThat(reserved.planCapacity()).as("frame plans grew").isEqualTo(plans);
        }
    }

    private static byte[] encode(LongColumnCodec codec, long[] values, boolean fast) {
        ByteSink out = new ByteSink(64);
        if (fast) {
            codec.encodeFast(values, 0, values.length, out);
        } else {
            codec.encode(values, 0, values.length, out);
        }
        return Arrays.copyOf(out.array(), out.position());
    }
}
