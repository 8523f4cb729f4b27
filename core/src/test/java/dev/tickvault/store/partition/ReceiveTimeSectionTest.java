package dev.tickvault.store.partition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tickvault.store.StorageException;
import dev.tickvault.store.codec.ByteSink;
import dev.tickvault.testing.RandomCases;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Long column 1 given column 0: every mode round-trips any longs, and the smallest is chosen. */
class ReceiveTimeSectionTest {
    private static final Path FILE = Path.of("test.tvc");

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
    void anyTimesRoundTrip(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        for (int count : new int[] {0, 1, 2, 3, 127, 128, 129, 1000, 5000}) {
            long[] ts = new long[count + 3];
            long[] recv = new long[count + 3];
            long t = random.nextLong();
            long r = random.nextLong();
            int shape = random.nextInt(4);
            for (int i = 0; i < ts.length; i++) {
                switch (shape) {
                    case 0 -> { // bursts: equal exchange times, receive times 100 ns apart or far
                        if (random.nextInt(3) == 0) {
                            t += 1_000_000L * random.nextInt(50);
                            r = t + 1_270_000_000L + random.nextInt(5_000_000);
                        } else {
                            r += 100L * random.nextInt(20) + (random.nextInt(10) == 0 ? 1 : 0);
                        }
                    }
                    case 1 -> { // arbitrary longs, ties included
                        t = random.nextInt(4) == 0 ? t : random.nextLong();
                        r = random.nextLong();
                    }
                    case 2 -> { // extremes
                        t = random.nextBoolean() ? Long.MIN_VALUE : Long.MAX_VALUE;
                        r = random.nextBoolean() ? Long.MIN_VALUE : Long.MAX_VALUE;
                    }
                    default -> { // receive equal to exchange time
                        t += random.nextInt(3);
                        r = t;
                    }
                }
                ts[i] = t;
                recv[i] = r;
            }
            assertRoundTrip(ts, recv, 3, count);
        }
    }

    /**
     * One codec decoding and encoding blocks of many sizes in turn (its scratch arrays are shared by both and grow
     * with the blocks): every block's receive times come back, whole and in part.
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("dev.tickvault.testing.RandomCases#fewSeeds")
    void oneCodecReadsAndWritesBlocksOfEverySize(long seed) {
        RandomGenerator random = RandomCases.random(seed);
        ColumnBlockCodec codec = new ColumnBlockCodec(random.nextInt(4));
        for (int block = 0; block < 12; block++) {
            int count =
                    RandomCases.oneOf(random, 1, 2, 63, 64, 65, 127, 128, 129, 255, 256, 257, random.nextInt(1, 9000));
            long[] ts = new long[count];
            long[] recv = new long[count];
            long t = RandomCases.anyLong(random);
            long r = RandomCases.anyLong(random);
            for (int i = 0; i < count; i++) {
                if (random.nextInt(3) == 0) {
                    t += random.nextInt(1, 5_000_000);
                    r = random.nextInt(8) == 0 ? RandomCases.anyLong(random) : t + random.nextInt(50_000_000);
                } else {
                    r += random.nextInt(8) == 0 ? RandomCases.anyLong(random) : 100L * random.nextInt(30);
                }
                ts[i] = t;
                recv[i] = r;
            }
            ByteSink out = new ByteSink();
            codec.encodeSplitReceiveTimes(ts, recv, 0, count, out);
            MemorySegment section = MemorySegment.ofArray(Arrays.copyOf(out.array(), out.position()));
            int fromRow = random.nextBoolean() ? 0 : random.nextInt(count + 1);
            int toRow = random.nextBoolean() ? count : random.nextInt(fromRow, count + 1);
            long[] decoded = new long[count];
            long end = codec.decodeReceiveTimes(section, 0, count, ts, decoded, fromRow, toRow, FILE);
            assertThat(end).isEqualTo(section.byteSize());
            assertThat(Arrays.copyOfRange(decoded, fromRow, toRow))
                    .as("block %d: rows [%d, %d) of %d", block, fromRow, toRow, count)
                    .isEqualTo(Arrays.copyOfRange(recv, fromRow, toRow));
        }
    }

    @Test
    void burstsAreStoredSplit() {
        int count = 4096;
        long[] ts = new long[count];
        long[] recv = new long[count];
        long t = 1_723_161_255_617_000_000L;
        long r = t - 1_269_326_433L;
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < count; i++) {
            if (i % 3 == 0) {
                t += 1_000_000L * (1 + random.nextInt(100));
                r = t - 1_270_000_000L + random.nextInt(3_000_000);
            } else {
                r += 500 + 100 * random.nextInt(4);
            }
            ts[i] = t;
            recv[i] = r;
        }
        MemorySegment section = encode(ts, recv, 0, count, 0);
        assertThat(rawMode(section)).isEqualTo(ColumnBlockCodec.RECEIVE_SPLIT);
        assertRoundTrip(ts, recv, 0, count);
    }

    @Test
    void unknownModeIsCorrupt() {
        long[] ts = {1, 2, 3, 4};
        long[] recv = {5, 6, 7, 9};
        MemorySegment section = encode(ts, recv, 0, 4, 0);
        byte[] bytes = section.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
        assertThat(rawMode(section)).isBetween(0, 2);
        bytes[6] = 3; // u32 length | RAW method | 1-byte raw length | mode
        assertThatThrownBy(() -> new ColumnBlockCodec(0)
                        .decodeReceiveTimes(MemorySegment.ofArray(bytes), 0, 4, ts, new long[4], FILE))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("receive-time mode 3");
    }

    @Test
    void hundredNanosecondStepsWithRareOutliersAreStoredAsScaledVarints() {
        int count = 4096;
        long[] ts = new long[count];
        long[] recv = new long[count];
        long t = 1_723_161_255_617_000_000L;
        long r = t - 1_269_326_433L;
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < count; i++) {
            if (i % 3 == 0) {
                t += 1_000_000L * (1 + random.nextInt(100));
                r = t - 1_270_000_000L + random.nextInt(3_000_000);
            } else {
                // 100 ns clock steps, one in 50 a long odd gap (a burst split across packets)
                r += random.nextInt(50) == 0 ? 1_000_001L + random.nextInt(1_000_000) : 100L * random.nextInt(40);
            }
            ts[i] = t;
            recv[i] = r;
        }
        ByteSink split = new ByteSink();
        new ColumnBlockCodec(0).encodeSplitReceiveTimes(ts, recv, 0, count, split);
        ByteSink chosen = new ByteSink();
        new ColumnBlockCodec(0).encodeReceiveTimes(ts, recv, 0, count, chosen);
        assertThat(split.position()).isLessThan(chosen.position() * 3 / 4);
        MemorySegment section = MemorySegment.ofArray(Arrays.copyOf(split.array(), split.position()));
        assertThat(rawMode(section)).isEqualTo(ColumnBlockCodec.RECEIVE_SPLIT);
        assertRoundTrip(ts, recv, 0, count);
    }

    private static void assertRoundTrip(long[] ts, long[] recv, int offset, int count) {
        for (int level : new int[] {0, 3, -1, -3}) {
            MemorySegment section =
                    level >= 0 ? encode(ts, recv, offset, count, level) : encodeSplit(ts, recv, offset, count, -level);
            long[] decoded = new long[count];
            long[] blockTs = Arrays.copyOfRange(ts, offset, offset + count);
            long end = new ColumnBlockCodec(0).decodeReceiveTimes(section, 0, count, blockTs, decoded, FILE);
            assertThat(end).isEqualTo(section.byteSize());
            assertThat(decoded).isEqualTo(Arrays.copyOfRange(recv, offset, offset + count));
            assertPartialRowsRoundTrip(section, blockTs, Arrays.copyOfRange(recv, offset, offset + count));
        }
    }

    /**
     * Rows {@code [fromRow, toRow)} only, as a range query's first and last blocks ask: those rows come out right
     * (rows around them are left as garbage), for ranges starting inside a burst, at its start and at the ends.
     */
    private static void assertPartialRowsRoundTrip(MemorySegment section, long[] ts, long[] recv) {
        int count = ts.length;
        SplittableRandom random = new SplittableRandom(count);
        int[][] ranges = {
            {0, count},
            {count, count},
            {count / 2, count},
            {0, count / 2},
            {count / 3, 2 * count / 3},
            {Math.max(0, count - 1), count},
            {random.nextInt(count + 1), count},
            {0, random.nextInt(count + 1)}
        };
        for (int[] range : ranges) {
            int fromRow = range[0];
            int toRow = Math.max(fromRow, range[1]);
            long[] decoded = new long[count];
            Arrays.fill(decoded, 0x5A5A5A5AL); // garbage that must be overwritten inside the range
            long end = new ColumnBlockCodec(0).decodeReceiveTimes(section, 0, count, ts, decoded, fromRow, toRow, FILE);
            assertThat(end).isEqualTo(section.byteSize());
            assertThat(Arrays.copyOfRange(decoded, fromRow, toRow))
                    .as("rows [%d, %d) of %d", fromRow, toRow, count)
                    .isEqualTo(Arrays.copyOfRange(recv, fromRow, toRow));
        }
    }

    private static MemorySegment encode(long[] ts, long[] recv, int offset, int count, int level) {
        ByteSink out = new ByteSink();
        new ColumnBlockCodec(level).encodeReceiveTimes(ts, recv, offset, count, out);
        return MemorySegment.ofArray(Arrays.copyOf(out.array(), out.position()));
    }

    /** The trade layout's (chunk format 3) receive-time section: always split, in-burst steps in either form. */
    private static MemorySegment encodeSplit(long[] ts, long[] recv, int offset, int count, int level) {
        ByteSink out = new ByteSink();
        new ColumnBlockCodec(level == 1 ? 0 : level).encodeSplitReceiveTimes(ts, recv, offset, count, out);
        return MemorySegment.ofArray(Arrays.copyOf(out.array(), out.position()));
    }

    /** The mode byte of a section written at level 0: u32 length | RAW method (0) | varint raw length | mode. */
    private static int rawMode(MemorySegment section) {
        byte[] bytes = section.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
        assertThat(bytes[4]).isEqualTo((byte) 0);
        int at = 5;
        while ((bytes[at] & 0x80) != 0) {
            at++;
        }
        return bytes[at + 1];
    }
}
