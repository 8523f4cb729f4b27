package dev.tickvault.store.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickvault.testing.RandomCases;
import java.util.Arrays;
import java.util.random.RandomGenerator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link EncodeKernels#packUnsignedBits} (width 1, eight values a multiplication) writes the bytes of the general
 * {@link EncodeKernels#packUnsignedBytes} at width 1, for two codes at any base (0 to 254), any alignment and
 * lengths around multiples of 8, and {@link ByteColumnCodec} still decodes what it packs.
 */
class PackUnsignedBitsTest {
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("dev.tickvault.testing.RandomCases#manySeeds")
    void packsTheBytesOfTheGeneralPacker(long seed) {
        RandomGenerator random = RandomCases.random(seed);
        int from = RandomCases.intBetween(random, 0, 9);
        int count = random.nextBoolean()
                ? RandomCases.intBetween(random, 1, 40)
                : 8 * RandomCases.intBetween(random, 1, 1_200) + RandomCases.intBetween(random, -1, 1);
        int base = random.nextInt(8) == 0 ? RandomCases.<Integer>oneOf(random, 0, 127, 128, 254) : random.nextInt(255);
        byte[] values = new byte[from + count + RandomCases.intBetween(random, 0, 9)];
        random.nextBytes(values); // bytes outside the range must not matter
        for (int i = from; i < from + count; i++) {
            values[i] = (byte) (base + random.nextInt(2));
        }
        int bytes = BitPacking.packedBytes(count, 1);
        ByteSink general = new ByteSink(bytes + 16);
        EncodeKernels.packUnsignedBytes(values, from, from + count, base, 1, general, 3);
        byte[] fast = new byte[bytes + 16];
        EncodeKernels.packUnsignedBits(values, from, from + count, base, fast, 3);
        assertThat(Arrays.copyOfRange(fast, 3, 3 + bytes))
                .as("seed %d count %d base %d", seed, count, base)
                .isEqualTo(Arrays.copyOfRange(general.array(), 3, 3 + bytes));
        assertThat(fast[3 + bytes]).as("nothing written past the packed bytes").isZero();
    }
}
