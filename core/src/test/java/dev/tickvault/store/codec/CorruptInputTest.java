package dev.tickvault.store.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tickvault.store.StorageException;
import java.lang.foreign.MemorySegment;
import java.util.Random;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Corrupt input must end in StorageException(CORRUPT) or a structurally valid decode, never garbage or IOOBE. */
class CorruptInputTest {
    private static final int ROWS = 300;

    @Test
    void everyTruncationOfEveryLongEncodingIsCorrupt() {
        for (LongArrays shape : LongArrays.values()) {
            long[] values = shape.build(ROWS, 11);
            ByteSink sink = new ByteSink();
            new LongColumnCodec().encode(values, 0, ROWS, sink);
            ByteSink deltaVarints = new ByteSink();
            new LongColumnCodec().encodeDeltaVarints(values, 0, ROWS, deltaVarints);
            ByteSink scaled = new ByteSink();
            new LongColumnCodec().encodeScaledVarints(values, 0, ROWS, 2, scaled);
            ByteSink planes = new ByteSink();
            new LongColumnCodec().encodeBytePlanes(values, 0, ROWS, planes);
            for (ByteSink encoded : new ByteSink[] {sink, deltaVarints, scaled, planes}) {
                for (int length = 0; length < encoded.position(); length++) {
                    MemorySegment prefix = Segments.prefixAt3(encoded, length);
                    assertCorrupt(() -> new LongColumnCodec().decode(prefix, Segments.OFFSET, ROWS, new long[ROWS], 0));
                }
            }
        }
    }

    @Test
    void malformedScaledVarintsAreCorrupt() {
        long[] longs = new long[4];
        // scale outside 1..18, DECIMAL flag, an odd code other than the escape 1, an over-long varint
        for (int scale : new int[] {0, 19, 255}) {
            assertCorrupt(() -> new LongColumnCodec()
                    .decode(segment(LongColumnCodec.SCALED_VARINTS, scale, 0, 0, 0, 0), 0, 4, longs, 0));
        }
        assertCorrupt(() -> new LongColumnCodec()
                .decode(segment(LongColumnCodec.SCALED_VARINTS | 0x10, 2, 2, 0, 0, 0, 0), 0, 4, longs, 0));
        for (int width : new int[] {0, 9, 255}) {
            assertCorrupt(() -> new LongColumnCodec()
                    .decode(segment(LongColumnCodec.BYTE_PLANES, 0, width, 0, 0, 0, 0), 0, 4, longs, 0));
        }
        for (int padding : new int[] {0, 20}) {
            int[] odd = new int[7 + padding];
            odd[0] = LongColumnCodec.SCALED_VARINTS;
            odd[1] = 2;
            odd[2] = 0;
            odd[3] = 3; // odd code that is not the escape
            assertCorrupt(() -> new LongColumnCodec().decode(segment(odd), 0, 4, longs, 0));
            int[] longVarint = new int[14 + padding];
            longVarint[0] = LongColumnCodec.DELTA_VARINTS;
            java.util.Arrays.fill(longVarint, 1, 12, 0x80); // 11 continuation bytes
            assertCorrupt(() -> new LongColumnCodec().decode(segment(longVarint), 0, 4, longs, 0));
            int[] overflow = new int[14 + padding];
            overflow[0] = LongColumnCodec.VARINTS;
            java.util.Arrays.fill(overflow, 1, 10, 0xFF);
            overflow[10] = 0x02; // tenth byte sets bit 64
            assertCorrupt(() -> new LongColumnCodec().decode(segment(overflow), 0, 4, longs, 0));
        }
    }

    @Test
    void everyTruncationOfByteStringAndCompressedEncodingsIsCorrupt() {
        byte[] bytes = BlockCompressorTest.bytes(ROWS, true, 3);
        for (int i = 0; i < ROWS; i++) {
            bytes[i] &= 3;
        }
        ByteSink byteColumn = new ByteSink();
        new ByteColumnCodec().encode(bytes, 0, ROWS, byteColumn);
        ByteSink runs = new ByteSink();
        new ByteColumnCodec().encode(new byte[] {1, 1, 1, 2, 2, 2, 2, 0, 0, 0}, 0, 10, runs);
        String[] strings = {"a", null, "bc", "", null, "def"};
        ByteSink stringColumn = new ByteSink();
        new StringColumnCodec().encode(strings, 0, strings.length, stringColumn);
        ByteSink compressed = new ByteSink();
        new BlockCompressor(3).compress(BlockCompressorTest.bytes(5000, true, 4), 0, 5000, compressed);
        ByteSink raw = new ByteSink();
        new BlockCompressor(0).compress(bytes, 0, 100, raw);

        for (int length = 0; length < byteColumn.position(); length++) {
            MemorySegment prefix = Segments.prefixAt3(byteColumn, length);
            assertCorrupt(() -> new ByteColumnCodec().decode(prefix, Segments.OFFSET, ROWS, new byte[ROWS], 0));
        }
        for (int length = 0; length < runs.position(); length++) {
            MemorySegment prefix = Segments.prefixAt3(runs, length);
            assertCorrupt(() -> new ByteColumnCodec().decode(prefix, Segments.OFFSET, 10, new byte[10], 0));
        }
        for (int length = 0; length < stringColumn.position(); length++) {
            MemorySegment prefix = Segments.prefixAt3(stringColumn, length);
            assertCorrupt(() -> new StringColumnCodec().decode(prefix, Segments.OFFSET, 6, new String[6], 0));
        }
        for (ByteSink block : new ByteSink[] {compressed, raw}) {
            for (int length = 0; length < block.position(); length++) {
                MemorySegment prefix = Segments.prefixAt3(block, length);
                assertCorrupt(() -> new BlockCompressor(3).decompress(prefix, Segments.OFFSET));
            }
        }
    }

    @Test
    void unknownTagsAreCorrupt() {
        long[] longs = new long[4];
        for (int tag : new int[] {9, 0x0F, 0x19, 0x20, 0x80, 0xFF}) {
            MemorySegment segment = segment(tag, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
            assertCorrupt(() -> new LongColumnCodec().decode(segment, 0, 4, longs, 0));
        }
        assertCorrupt(() -> new LongColumnCodec().decode(segment(LongColumnCodec.CONSTANT, 0), 0, 0, longs, 0));
        assertCorrupt(() -> new LongColumnCodec().decode(segment(LongColumnCodec.EMPTY), 0, 4, longs, 0));
        assertCorrupt(() -> new ByteColumnCodec().decode(segment(4, 0, 0), 0, 4, new byte[4], 0));
        assertCorrupt(() -> new StringColumnCodec().decode(segment(3, 0, 0), 0, 4, new String[4], 0));
        assertCorrupt(() -> new BlockCompressor(0).decompress(segment(2, 1, 0), 0));
    }

    @Test
    void absurdWidthsExponentsAndLengthsAreCorrupt() {
        long[] longs = new long[4];
        // FRAME_OF_REFERENCE, frame width 65
        assertCorrupt(() -> new LongColumnCodec()
                .decode(segment(LongColumnCodec.FRAME_OF_REFERENCE, 65, 0, 0, 0, 0, 0, 0, 0, 0), 0, 4, longs, 0));
        assertCorrupt(() -> new LongColumnCodec()
                .decode(segment(LongColumnCodec.DELTA, 0, 200, 0, 0, 0, 0, 0, 0, 0, 0), 0, 4, longs, 0));
        // frame decimal exponent 0, 19, and any exponent on a 64-bit-wide frame
        for (int[] frame : new int[][] {{4, 0}, {4, 19}, {64, 2}}) {
            assertCorrupt(() -> new LongColumnCodec()
                    .decode(
                            segment(
                                    LongColumnCodec.FRAME_OF_REFERENCE,
                                    frame[0] | LongColumnCodec.FRAME_DECIMAL_FLAG,
                                    frame[1],
                                    0,
                                    0,
                                    0,
                                    0,
                                    0,
                                    0,
                                    0,
                                    0,
                                    0,
                                    0,
                                    0,
                                    0,
                                    0,
                                    0,
                                    0,
                                    0,
                                    0,
                                    0,
                                    0,
                                    0,
                                    0,
                                    0,
                                    0,
                                    0,
                                    0,
                                    0,
                                    0,
                                    0,
                                    0,
                                    0,
                                    0,
                                    0,
                                    0),
                            0,
                            4,
                            longs,
                            0));
        }
        // decimal exponent 19 and 0
        for (int exponent : new int[] {0, 19}) {
            assertCorrupt(() -> new LongColumnCodec()
                    .decode(
                            segment(LongColumnCodec.CONSTANT | LongColumnCodec.DECIMAL_FLAG, exponent, 2),
                            0,
                            4,
                            longs,
                            0));
        }
        // an 11-byte varint
        assertCorrupt(() -> new LongColumnCodec()
                .decode(
                        segment(
                                LongColumnCodec.CONSTANT,
                                0x80,
                                0x80,
                                0x80,
                                0x80,
                                0x80,
                                0x80,
                                0x80,
                                0x80,
                                0x80,
                                0x80,
                                1),
                        0,
                        4,
                        longs,
                        0));
        // byte column: widths 0 and 9; run longer than the column; run of length 0
        assertCorrupt(() ->
                new ByteColumnCodec().decode(segment(ByteColumnCodec.BIT_PACKED, 9, 0, 0, 0), 0, 4, new byte[4], 0));
        assertCorrupt(() ->
                new ByteColumnCodec().decode(segment(ByteColumnCodec.BIT_PACKED, 0, 0, 0, 0), 0, 4, new byte[4], 0));
        assertCorrupt(
                () -> new ByteColumnCodec().decode(segment(ByteColumnCodec.RUN_LENGTH, 1, 5), 0, 4, new byte[4], 0));
        assertCorrupt(() ->
                new ByteColumnCodec().decode(segment(ByteColumnCodec.RUN_LENGTH, 1, 0, 1, 4), 0, 4, new byte[4], 0));
        // string column: a length far beyond the segment
        assertCorrupt(() -> new StringColumnCodec()
                .decode(segment(StringColumnCodec.ALL_PRESENT, 0xFF, 0x7F), 0, 1, new String[1], 0));
        // byte column: a packed value that overflows a byte once the base is added (base 200 + 63)
        assertCorrupt(() ->
                new ByteColumnCodec().decode(segment(ByteColumnCodec.BIT_PACKED, 6, 200, 0x3F), 0, 1, new byte[1], 0));
        // ... also at width 1 (its own kernel: a set bit over base 255), in a row after the first, and from a slice
        assertCorrupt(() ->
                new ByteColumnCodec().decode(segment(ByteColumnCodec.BIT_PACKED, 1, 255, 0x04), 0, 8, new byte[8], 0));
        assertCorrupt(() -> new ByteColumnCodec()
                .decodeRows(
                        segment(7, 7, ByteColumnCodec.BIT_PACKED, 1, 255, 0x00, 0x10)
                                .asSlice(1),
                        1,
                        16,
                        new byte[16],
                        0,
                        9,
                        16));
        // string column: bytes that are not UTF-8
        assertCorrupt(() -> new StringColumnCodec()
                .decode(segment(StringColumnCodec.ALL_PRESENT, 2, 0xC3, 0x28), 0, 1, new String[1], 0));
        // compressed block: raw length 2^30, and a zstd frame whose content size disagrees with the header
        assertCorrupt(() -> new BlockCompressor(3).decompress(segment(1, 0x80, 0x80, 0x80, 0x80, 0x04, 1, 0), 0));
        ByteSink compressed = new ByteSink();
        new BlockCompressor(3).compress(BlockCompressorTest.bytes(5000, true, 4), 0, 5000, compressed);
        byte[] lying = java.util.Arrays.copyOf(compressed.array(), compressed.position());
        lying[1] = (byte) (lying[1] + 1); // raw length varint, low byte
        assertCorrupt(() -> new BlockCompressor(3).decompress(MemorySegment.ofArray(lying), 0));
        // compressed block: a zstd block stored in 0 bytes at the very end of the array (zstd-jni threw
        // ArrayIndexOutOfBoundsException for an offset at the array's end), and one too short for a zstd magic number
        assertCorrupt(() -> new BlockCompressor(3).decompress(segment(1, 2, 0), 0));
        assertCorrupt(() -> new BlockCompressor(3).decompress(segment(1, 2, 3, 0x28, 0xB5, 0x2F), 0));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("dev.tickvault.testing.RandomCases#seeds")
    void flippedBytesNeverEscapeAsAnythingButCorrupt(long seed) {
        Random random = new Random(seed);
        LongArrays shape = LongArrays.values()[random.nextInt(LongArrays.values().length)];
        long[] values = shape.build(random.nextInt(400), seed);
        ByteSink longs = new ByteSink();
        new LongColumnCodec().encode(values, 0, values.length, longs);
        byte[] mutated = mutate(longs, random);
        decodeOrCorrupt(() -> new LongColumnCodec()
                .decode(MemorySegment.ofArray(mutated), 0, values.length, new long[values.length], 0));
        ByteSink deltaVarints = new ByteSink();
        new LongColumnCodec().encodeDeltaVarints(values, 0, values.length, deltaVarints);
        ByteSink scaled = new ByteSink();
        new LongColumnCodec().encodeScaledVarints(values, 0, values.length, 1 + random.nextInt(3), scaled);
        ByteSink planes = new ByteSink();
        new LongColumnCodec().encodeBytePlanes(values, 0, values.length, planes);
        for (ByteSink varints : new ByteSink[] {deltaVarints, scaled, planes}) {
            byte[] mutatedVarints = mutate(varints, random);
            decodeOrCorrupt(() -> new LongColumnCodec()
                    .decode(MemorySegment.ofArray(mutatedVarints), 0, values.length, new long[values.length], 0));
        }

        byte[] bytes = BlockCompressorTest.bytes(random.nextInt(400), random.nextBoolean(), seed);
        ByteSink byteColumn = new ByteSink();
        new ByteColumnCodec().encode(bytes, 0, bytes.length, byteColumn);
        byte[] mutatedBytes = mutate(byteColumn, random);
        decodeOrCorrupt(() -> new ByteColumnCodec()
                .decode(MemorySegment.ofArray(mutatedBytes), 0, bytes.length, new byte[bytes.length], 0));

        String[] strings = {"alpha", null, "\u20ac", "", "trade-" + seed};
        ByteSink stringColumn = new ByteSink();
        new StringColumnCodec().encode(strings, 0, strings.length, stringColumn);
        byte[] mutatedStrings = mutate(stringColumn, random);
        decodeOrCorrupt(() -> new StringColumnCodec()
                .decode(MemorySegment.ofArray(mutatedStrings), 0, strings.length, new String[strings.length], 0));

        ByteSink block = new ByteSink();
        new BlockCompressor(3).compress(longs.array(), 0, longs.position(), block);
        byte[] mutatedBlock = mutate(block, random);
        decodeOrCorrupt(() -> new BlockCompressor(3).decompress(MemorySegment.ofArray(mutatedBlock), 0));
    }

    private static byte[] mutate(ByteSink sink, Random random) {
        byte[] bytes = java.util.Arrays.copyOf(sink.array(), sink.position());
        int flips = 1 + random.nextInt(3);
        for (int i = 0; i < flips && bytes.length > 0; i++) {
            bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
        }
        return bytes;
    }

    private static MemorySegment segment(int... bytes) {
        byte[] array = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            array[i] = (byte) bytes[i];
        }
        return MemorySegment.ofArray(array);
    }

    private static void assertCorrupt(ThrowingCallable decode) {
        assertThatThrownBy(decode).isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.kind())
                .isEqualTo(StorageException.Kind.CORRUPT));
    }

    private static void decodeOrCorrupt(ThrowingCallable decode) {
        try {
            decode.call();
        } catch (StorageException e) {
            assertThat(e.kind()).isEqualTo(StorageException.Kind.CORRUPT);
        } catch (Throwable t) {
            throw new AssertionError("corrupt input escaped as " + t, t);
        }
    }
}
