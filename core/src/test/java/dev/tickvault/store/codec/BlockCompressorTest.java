package dev.tickvault.store.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.luben.zstd.Zstd;
import dev.tickvault.testing.RandomCases;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.Random;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class BlockCompressorTest {
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("dev.tickvault.testing.RandomCases#fewSeeds")
    void roundTripsAtAnyLevel(long seed) {
        RandomGenerator random = RandomCases.random(seed);
        int level = RandomCases.intBetween(random, 0, 9);
        int length = RandomCases.intBetween(random, 0, 20_000);
        boolean compressible = random.nextBoolean();
        byte[] raw = bytes(length, compressible, seed);
        ByteSink sink = new ByteSink(0);
        sink.putByte(1);
        BlockCompressor compressor = new BlockCompressor(level);
        int written = compressor.compress(raw, 0, raw.length, sink);
        assertThat(sink.position()).isEqualTo(1 + written);

        BlockCompressor reader = new BlockCompressor(level);
        long consumed = reader.decompress(Segments.at3(sink), Segments.OFFSET + 1);
        assertThat(consumed).isEqualTo(written);
        assertThat(reader.result().toArray(ValueLayout.JAVA_BYTE)).isEqualTo(raw);
    }

    @Test
    void compressesOnlyWhereItPays() {
        BlockCompressor compressor = new BlockCompressor(3);
        ByteSink sink = new ByteSink();
        byte[] repetitive = bytes(10_000, true, 1);
        compressor.compress(repetitive, 0, repetitive.length, sink);
        assertThat(sink.array()[0]).isEqualTo((byte) BlockCompressor.ZSTD);
        assertThat(sink.position()).isLessThan(5_000);

        sink.reset();
        byte[] random = bytes(10_000, false, 1);
        compressor.compress(random, 0, random.length, sink);
        assertThat(sink.array()[0]).isEqualTo((byte) BlockCompressor.RAW);
        assertThat(sink.position()).isEqualTo(1 + 2 + 10_000);

        sink.reset();
        new BlockCompressor(0).compress(repetitive, 0, repetitive.length, sink);
        assertThat(sink.array()[0]).isEqualTo((byte) BlockCompressor.RAW);
    }

    @Test
    void decompressesFromAReadOnlyNativeSegmentLikeAMappedFile() {
        byte[] raw = bytes(50_000, true, 5);
        ByteSink sink = new ByteSink();
        new BlockCompressor(3).compress(raw, 0, raw.length, sink);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment mapped = arena.allocate(sink.position() + 7);
            MemorySegment.copy(sink.array(), 0, mapped, ValueLayout.JAVA_BYTE, 7, sink.position());
            BlockCompressor reader = new BlockCompressor(3);
            assertThat(reader.decompress(mapped.asReadOnly(), 7)).isEqualTo(sink.position());
            assertThat(reader.result().toArray(ValueLayout.JAVA_BYTE)).isEqualTo(raw);
            // A second, smaller block reuses the buffer.
            byte[] small = bytes(500, true, 6);
            ByteSink second = new ByteSink();
            new BlockCompressor(3).compress(small, 0, small.length, second);
            reader.decompress(MemorySegment.ofArray(second.array()), 0);
            assertThat(reader.result().toArray(ValueLayout.JAVA_BYTE)).isEqualTo(small);
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("dev.tickvault.testing.RandomCases#fewSeeds")
    void sectionsRoundTripAtAnyMinimumMatch(long seed) {
        RandomGenerator random = RandomCases.random(seed);
        int level = RandomCases.intBetween(random, 1, 4);
        int minMatch = RandomCases.oneOf(random, 0, 3, 4, 5, 6, 7);
        byte[] raw = bytes(RandomCases.intBetween(random, 0, 20_000), random.nextBoolean(), seed);
        ByteSink section = new ByteSink(0);
        section.putBytes(raw, 0, raw.length);
        ByteSink sink = new ByteSink(0);
        BlockCompressor compressor = new BlockCompressor(3);
        int written = compressor.compressSection(section, sink, level, minMatch);
        assertThat(sink.position()).isEqualTo(4 + written);
        boolean zstd = sink.array()[4] == BlockCompressor.ZSTD;
        if (raw.length < 32) {
            assertThat(zstd).isFalse();
        } else if (zstd) {
            assertThat(written).as("a zstd block is kept only when smaller").isLessThan(raw.length);
        }

        BlockCompressor reader = new BlockCompressor(0);
        assertThat(reader.decompress(MemorySegment.ofArray(sink.array()), 4)).isEqualTo(written);
        assertThat(reader.result().toArray(ValueLayout.JAVA_BYTE)).isEqualTo(raw);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("dev.tickvault.testing.RandomCases#fewSeeds")
    void sectionsRoundTripAtAnyHashLog(long seed) {
        RandomGenerator random = RandomCases.random(seed);
        int level = RandomCases.intBetween(random, 1, 4);
        int minMatch = RandomCases.oneOf(random, 0, 7);
        int hashLog = RandomCases.oneOf(random, 0, BlockCompressor.HASH_LOG_LOWEST, 10, 12, 16);
        byte[] raw = bytes(RandomCases.intBetween(random, 0, 40_000), random.nextBoolean(), seed);
        ByteSink section = new ByteSink(0);
        section.putBytes(raw, 0, raw.length);
        ByteSink sink = new ByteSink(0);
        BlockCompressor compressor = new BlockCompressor(3);
        int written = compressor.compressSection(section, sink, level, minMatch, hashLog);
        assertThat(sink.position()).isEqualTo(4 + written);
        if (raw.length >= 32 && sink.array()[4] == BlockCompressor.ZSTD) {
            assertThat(written).as("a zstd block is kept only when smaller").isLessThan(raw.length);
        }
        // The same settings again reuse their context and write the same bytes; the default hash log still works.
        ByteSink again = new ByteSink(0);
        compressor.compressSection(section, new ByteSink(0), level, minMatch, 0);
        assertThat(compressor.compressSection(section, again, level, minMatch, hashLog))
                .isEqualTo(written);
        assertThat(Arrays.copyOf(again.array(), again.position()))
                .isEqualTo(Arrays.copyOf(sink.array(), sink.position()));

        BlockCompressor reader = new BlockCompressor(0);
        assertThat(reader.decompress(MemorySegment.ofArray(sink.array()), 4)).isEqualTo(written);
        assertThat(reader.result().toArray(ValueLayout.JAVA_BYTE)).isEqualTo(raw);
    }

    @Test
    void compressibleSectionsStayZstdFramesWithASmallHashTable() {
        byte[] raw = bytes(20_000, true, 5);
        ByteSink section = new ByteSink(0);
        section.putBytes(raw, 0, raw.length);
        ByteSink sink = new ByteSink(0);
        int written = new BlockCompressor(3).compressSection(section, sink, 1, 7, 12);
        assertThat(sink.array()[4]).isEqualTo((byte) BlockCompressor.ZSTD);
        BlockCompressor reader = new BlockCompressor(0);
        assertThat(reader.decompress(MemorySegment.ofArray(sink.array()), 4)).isEqualTo(written);
        assertThat(reader.result().toArray(ValueLayout.JAVA_BYTE)).isEqualTo(raw);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("dev.tickvault.testing.RandomCases#fewSeeds")
    void sampledSectionsRoundTripAndEqualUnsampledOnesWhenTheSamplePays(long seed) {
        RandomGenerator random = RandomCases.random(seed);
        int level = RandomCases.intBetween(random, 1, 3);
        int hashLog = RandomCases.oneOf(random, 0, 12);
        boolean compressible = random.nextBoolean();
        byte[] raw = bytes(RandomCases.intBetween(random, 0, 30_000), compressible, seed);
        ByteSink section = new ByteSink(0);
        section.putBytes(raw, 0, raw.length);
        ByteSink sampled = new ByteSink(0);
        BlockCompressor compressor = new BlockCompressor(3);
        int written = compressor.compressSectionSampled(section, sampled, level, 0, hashLog);
        assertThat(sampled.position()).isEqualTo(4 + written);
        ByteSink whole = new ByteSink(0);
        compressor.compressSection(section, whole, level, 0, hashLog);
        if (compressible || raw.length < BlockCompressor.SAMPLED_MIN_BYTES) {
            assertThat(Arrays.copyOf(sampled.array(), sampled.position()))
                    .as("a sample that pays, or no sample, gives the bytes of compressSection")
                    .isEqualTo(Arrays.copyOf(whole.array(), whole.position()));
        } else {
            assertThat(sampled.array()[4]).as("random bytes").isEqualTo((byte) BlockCompressor.RAW);
        }
        BlockCompressor reader = new BlockCompressor(0);
        assertThat(reader.decompress(MemorySegment.ofArray(sampled.array()), 4)).isEqualTo(written);
        assertThat(reader.result().toArray(ValueLayout.JAVA_BYTE)).isEqualTo(raw);
    }

    @Test
    void aSampledSectionIsRawWhenItsFirstEighthDoesNotCompress() {
        // Random first 5,000 bytes, then 30,000 that zstd shrinks: the first eighth (4,375 bytes) decides alone.
        byte[] noise = bytes(5000, false, 8);
        byte[] rest = bytes(30_000, true, 9);
        ByteSink section = new ByteSink(0);
        section.putBytes(noise, 0, noise.length);
        section.putBytes(rest, 0, rest.length);
        ByteSink sampled = new ByteSink(0);
        ByteSink whole = new ByteSink(0);
        new BlockCompressor(3).compressSectionSampled(section, sampled, 2, 0, 12);
        new BlockCompressor(3).compressSection(section, whole, 2, 0, 12);
        assertThat(sampled.array()[4]).isEqualTo((byte) BlockCompressor.RAW);
        assertThat(whole.array()[4]).isEqualTo((byte) BlockCompressor.ZSTD);
        // The same section always gives the same bytes, whatever the compressor did before.
        BlockCompressor used = new BlockCompressor(3);
        used.compressSection(whole, new ByteSink(0), 2, 0, 12);
        ByteSink again = new ByteSink(0);
        used.compressSectionSampled(section, again, 2, 0, 12);
        assertThat(Arrays.copyOf(again.array(), again.position()))
                .isEqualTo(Arrays.copyOf(sampled.array(), sampled.position()));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("dev.tickvault.testing.RandomCases#seeds")
    void literalsOnlySectionsRoundTripAndAreOrdinaryZstdFrames(long seed) {
        RandomGenerator random = RandomCases.random(seed);
        int level = RandomCases.intBetween(random, 0, 3);
        // Up to 300,000 bytes: zstd asks the producer for sequences once per block of at most 128 KB.
        int length = RandomCases.intBetween(random, 0, random.nextInt(4) == 0 ? 300_000 : 70_000);
        byte[] raw = skewed(length, RandomCases.intBetween(random, 1, 8), random);
        int offset = RandomCases.intBetween(random, 0, 100);
        byte[] padded = new byte[offset + raw.length + 7];
        random.nextBytes(padded);
        System.arraycopy(raw, 0, padded, offset, raw.length);
        BlockCompressor compressor = new BlockCompressor(3);
        ByteSink sink = new ByteSink(0);
        sink.putByte(9);
        int written = compressor.compressSectionLiterals(padded, offset, raw.length, sink, level);
        assertThat(sink.position()).isEqualTo(1 + 4 + written);
        int method = sink.array()[5];
        if (level == 0 || raw.length < 32) {
            assertThat(method).isEqualTo(BlockCompressor.RAW);
        }
        if (method == BlockCompressor.ZSTD) {
            assertThat(written).as("a zstd block is kept only when smaller").isLessThan(raw.length);
            // An ordinary frame: zstd's own decoder reads it (the header is method, raw length, stored length).
            ByteSource header = new ByteSource().reset(MemorySegment.ofArray(sink.array()), 6, "test");
            int rawLength = header.readVarInt(BlockCompressor.MAX_RAW_BYTES, "raw");
            int stored = header.readVarInt(BlockCompressor.MAX_RAW_BYTES, "stored");
            int at = (int) header.position();
            assertThat(at + stored).isEqualTo(sink.position());
            assertThat(Zstd.decompress(Arrays.copyOfRange(sink.array(), at, at + stored), rawLength))
                    .isEqualTo(raw);
        }
        // The ByteSink overload writes the same bytes, and so does a compressor that compressed other sections before.
        ByteSink section = new ByteSink(0);
        section.putBytes(raw, 0, raw.length);
        compressor.compressSection(section, new ByteSink(0), 1, 7, 12);
        ByteSink again = new ByteSink(0);
        again.putByte(9);
        assertThat(compressor.compressSectionLiterals(section, again, level)).isEqualTo(written);
        assertThat(Arrays.copyOf(again.array(), again.position()))
                .isEqualTo(Arrays.copyOf(sink.array(), sink.position()));

        BlockCompressor reader = new BlockCompressor(0);
        assertThat(reader.decompress(MemorySegment.ofArray(sink.array()), 5)).isEqualTo(written);
        assertThat(reader.result().toArray(ValueLayout.JAVA_BYTE)).isEqualTo(raw);
    }

    @Test
    void literalsOnlyFramesFindNoMatches() {
        // A random 1,000-byte pattern repeated: zstd's matches shrink it to about the pattern, while literals alone
        // cannot go below the bytes' order-0 entropy (more than 7.5 bits a byte here).
        Random random = new Random(14);
        byte[] pattern = new byte[1000];
        random.nextBytes(pattern);
        byte[] raw = new byte[40_000];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = pattern[i % pattern.length];
        }
        ByteSink section = new ByteSink(0);
        section.putBytes(raw, 0, raw.length);
        ByteSink matches = new ByteSink(0);
        ByteSink literals = new ByteSink(0);
        BlockCompressor compressor = new BlockCompressor(3);
        assertThat(compressor.compressSection(section, matches, 1, 7, 12)).isLessThan(2_000);
        assertThat(compressor.compressSectionLiterals(section, literals, 1)).isGreaterThan(36_000);

        // Skewed bytes without repeats beyond their frequencies: literals only compress them, to about their entropy.
        byte[] skewed = skewed(40_000, 2, random);
        ByteSink skewedSection = new ByteSink(0);
        skewedSection.putBytes(skewed, 0, skewed.length);
        ByteSink out = new ByteSink(0);
        int written = compressor.compressSectionLiterals(skewedSection, out, 1);
        assertThat(out.array()[4]).isEqualTo((byte) BlockCompressor.ZSTD);
        assertThat((double) written).isLessThan(entropyBytes(skewed) * 1.05 + 300);
        BlockCompressor reader = new BlockCompressor(0);
        reader.decompress(MemorySegment.ofArray(out.array()), 4);
        assertThat(reader.result().toArray(ValueLayout.JAVA_BYTE)).isEqualTo(skewed);
    }

    @Test
    void incompressibleLiteralsOnlySectionsAreStoredRaw() {
        byte[] raw = bytes(10_000, false, 21);
        ByteSink section = new ByteSink(0);
        section.putBytes(raw, 0, raw.length);
        ByteSink out = new ByteSink(0);
        int written = new BlockCompressor(3).compressSectionLiterals(section, out, 1);
        assertThat(out.array()[4]).isEqualTo((byte) BlockCompressor.RAW);
        assertThat(written).isEqualTo(1 + 2 + raw.length);
        BlockCompressor reader = new BlockCompressor(0);
        reader.decompress(MemorySegment.ofArray(out.array()), 4);
        assertThat(reader.result().toArray(ValueLayout.JAVA_BYTE)).isEqualTo(raw);
    }

    /** Bytes of a geometric-like distribution: small values common, {@code bits} random low bits, then a skew. */
    private static byte[] skewed(int length, int bits, RandomGenerator random) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            int v = random.nextInt(1 << bits);
            bytes[i] = (byte) (random.nextInt(4) == 0 ? v * 3 + 1 : v);
        }
        return bytes;
    }

    /** The order-0 entropy of {@code bytes}, in bytes. */
    private static double entropyBytes(byte[] bytes) {
        int[] counts = new int[256];
        for (byte b : bytes) {
            counts[b & 0xFF]++;
        }
        double bits = 0;
        for (int c : counts) {
            if (c > 0) {
                bits -= c * Math.log((double) c / bytes.length) / Math.log(2);
            }
        }
        return bits / 8;
    }

    @Test
    void rejectsOutOfRangeHashLogs() {
        byte[] raw = bytes(1000, true, 3);
        ByteSink section = new ByteSink(0);
        section.putBytes(raw, 0, raw.length);
        assertThatThrownBy(() -> new BlockCompressor(3)
                        .compressSection(section, new ByteSink(0), 1, 7, BlockCompressor.HASH_LOG_LOWEST - 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BlockCompressor(3)
                        .compressSection(section, new ByteSink(0), 1, 7, BlockCompressor.HASH_LOG_HIGHEST + 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsOutOfRangeMinimumMatches() {
        byte[] raw = bytes(1000, true, 3);
        ByteSink section = new ByteSink(0);
        section.putBytes(raw, 0, raw.length);
        assertThatThrownBy(() -> new BlockCompressor(3).compressSection(section, new ByteSink(0), 1, 8))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BlockCompressor(3).compressSection(section, new ByteSink(0), 1, 2))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsOutOfRangeLevels() {
        assertThatThrownBy(() -> new BlockCompressor(99)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BlockCompressor(BlockCompressor.MAX_LEVEL + 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BlockCompressor(BlockCompressor.MIN_LEVEL - 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new BlockCompressor(BlockCompressor.MAX_LEVEL).level()).isEqualTo(BlockCompressor.MAX_LEVEL);
        assertThat(new BlockCompressor(BlockCompressor.MIN_LEVEL).level()).isEqualTo(BlockCompressor.MIN_LEVEL);
    }

    @Test
    void levelRangeIsZstds() {
        assertThat(BlockCompressor.MIN_LEVEL).isEqualTo(Zstd.minCompressionLevel());
        assertThat(BlockCompressor.MAX_LEVEL).isEqualTo(Zstd.maxCompressionLevel());
    }

    @Test
    void theExtremeLevelsCompress() {
        byte[] raw = bytes(5000, true, 11);
        for (int level : new int[] {BlockCompressor.MIN_LEVEL, BlockCompressor.MAX_LEVEL}) {
            ByteSink out = new ByteSink(0);
            new BlockCompressor(level).compress(raw, 0, raw.length, out);
            BlockCompressor reader = new BlockCompressor(0);
            reader.decompress(MemorySegment.ofArray(Arrays.copyOf(out.array(), out.position())), 0);
            assertThat(reader.result().toArray(ValueLayout.JAVA_BYTE))
                    .as("level %d", level)
                    .isEqualTo(raw);
        }
    }

    static byte[] bytes(int length, boolean compressible, long seed) {
        Random random = new Random(seed);
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (compressible ? (i / 50) % 7 + random.nextInt(2) : random.nextInt());
        }
        return bytes;
    }
}
