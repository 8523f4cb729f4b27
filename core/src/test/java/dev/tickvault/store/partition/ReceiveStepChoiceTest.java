package dev.tickvault.store.partition;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickvault.store.Table;
import dev.tickvault.store.codec.ByteSink;
import dev.tickvault.store.codec.LongColumnCodec;
import dev.tickvault.store.memtable.ColumnData;
import dev.tickvault.testing.RandomCases;
import java.util.Arrays;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The receive-time section of a trade block ({@link ColumnBlockCodec#encodeTradeBlockRaw}'s second section) against
 * a reference that chooses the in-burst steps' form as before session 17 (the scale most of the sample shares, then
 * scaled varints when their size on the sample is below the packed frames'), byte for byte: the choice now sizes the
 * frames first and skips the scale and the count when the frames take at most a byte a step, which must never change
 * the answer. Steps shaped like the synthetic day's (0-3 µs), a 100 ns clock with outliers (scaled varints win),
 * widths around a byte a step (the bound itself), constant, few or no steps, and arbitrary longs.
 */
class ReceiveStepChoiceTest {

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("dev.tickvault.testing.RandomCases#manySeeds")
    void sectionIsTheReferenceChoice(long seed) {
        RandomGenerator random = RandomCases.random(seed);
        // One codec for three blocks, the second written twice: its guess of the steps' form carried from the last
        // section (which only decides how the choice is computed) goes both ways.
        ColumnBlockCodec codec = new ColumnBlockCodec(0);
        assertSectionIsTheReference(codec, random, seed);
        Block block = assertSectionIsTheReference(codec, random, seed);
        assertSection(codec, block, seed);
    }

    /** Trade rows whose time and receive time columns are {@code ts} and {@code recv}, encoded from {@code offset}. */
    private record Block(long[] ts, long[] recv, int offset, int count, int shape) {}

    private static Block assertSectionIsTheReference(ColumnBlockCodec codec, RandomGenerator random, long seed) {
        Block block = block(random);
        assertSection(codec, block, seed);
        return block;
    }

    private static void assertSection(ColumnBlockCodec codec, Block block, long seed) {
        ColumnData rows = new ColumnData(Table.TRADES, block.ts.length);
        rows.reserve(block.ts.length);
        System.arraycopy(block.ts, 0, rows.longs(Table.TS), 0, block.ts.length);
        System.arraycopy(block.recv, 0, rows.longs(Table.RECV_TS), 0, block.recv.length);
        RawSections raw = new RawSections();
        codec.encodeTradeBlockRaw(rows, block.offset, block.count, raw, 2);
        byte[] actual = Arrays.copyOfRange(raw.bytes.array(), raw.start(1), raw.end(1));
        assertThat(actual)
                .as("seed %d, %d rows, shape %d", seed, block.count, block.shape)
                .isEqualTo(reference(block.ts, block.recv, block.offset, block.count));
    }

    private static Block block(RandomGenerator random) {
        int count = random.nextInt(6) == 0 ? random.nextInt(1, 40) : random.nextInt(40, 9_000);
        int offset = random.nextInt(3);
        long[] ts = new long[offset + count];
        long[] recv = new long[offset + count];
        int shape = random.nextInt(6);
        int burstOdds = random.nextInt(8) == 0 ? 1 + random.nextInt(40) : 2 + random.nextInt(4);
        long unit = shape == 4 ? 10L * (1 + random.nextInt(3)) : 1;
        int width = 6 + random.nextInt(5);
        long t = 1_723_161_255_617_000_000L;
        long r = t + 1_000_000L;
        for (int i = 0; i < ts.length; i++) {
            boolean start = random.nextInt(burstOdds) == 0;
            if (start) {
                t += 1_000_000L * random.nextInt(1, 50);
                r = t + 1_000L * random.nextInt(300, 3_000);
            } else {
                r += switch (shape) {
                    case 0 -> 1_000L * random.nextInt(4); // the synthetic day's latency steps
                    case 1 ->
                        random.nextInt(50) == 0 ? 1_000_001L + random.nextInt(1_000_000) : 100L * random.nextInt(40);
                    case 2 -> 0; // constant steps
                    case 3 -> RandomCases.anyLong(random); // anything
                    case 4 -> unit * random.nextLong(1L << width); // around a byte a step as frames
                    default -> random.nextInt(30) == 0 ? random.nextInt(1, 9) : 1_000L * random.nextInt(1 << width);
                };
            }
            ts[i] = t;
            recv[i] = r;
        }
        return new Block(ts, recv, offset, count, shape);
    }

    /**
     * Every block of one burst with 1 to 3 steps from a small set: where a header byte decides between the forms
     * (two steps 0 and 10: scaled varints 4 bytes, frames 5), the bound must be exact.
     */
    @Test
    void shortBurstsAtTheBound() {
        long[] choices = {0, 1, 10, -10, 100, 1_000, 12_345, Long.MIN_VALUE};
        ColumnBlockCodec codec = new ColumnBlockCodec(0);
        for (int steps = 1; steps <= 3; steps++) {
            int cases = (int) Math.pow(choices.length, steps);
            for (int c = 0; c < cases; c++) {
                long[] ts = new long[steps + 1];
                long[] recv = new long[steps + 1];
                Arrays.fill(ts, 1_000_000L);
                recv[0] = 2_000_000L;
                for (int k = 0, rest = c; k < steps; k++, rest /= choices.length) {
                    recv[k + 1] = recv[k] + choices[rest % choices.length];
                }
                assertSection(codec, new Block(ts, recv, 0, ts.length, -1), c);
            }
        }
    }

    /** The section as written before session 17. */
    private static byte[] reference(long[] ts, long[] recv, int offset, int count) {
        long[] steps = new long[count];
        long[] starts = new long[count];
        int inBurst = 0;
        int startCount = 0;
        starts[startCount++] = recv[offset] - ts[offset];
        for (int i = offset + 1; i < offset + count; i++) {
            if (ts[i] == ts[i - 1]) {
                steps[inBurst++] = recv[i] - recv[i - 1];
            } else {
                starts[startCount++] = recv[i] - ts[i];
            }
        }
        LongColumnCodec codec = new LongColumnCodec();
        ByteSink out = new ByteSink();
        out.putByte(ColumnBlockCodec.RECEIVE_SPLIT);
        int sample = Math.min(inBurst, ColumnBlockCodec.STEP_SAMPLE);
        int scale = sample == 0 ? 0 : LongColumnCodec.dominantExponent(steps, 0, sample);
        if (scale > 0
                && LongColumnCodec.scaledVarintsSize(steps, 0, sample, scale)
                        < codec.encodedSizeFast(steps, 0, sample)) {
            codec.encodeScaledVarints(steps, 0, inBurst, scale, out);
        } else {
            codec.encodeFast(steps, 0, inBurst, out);
        }
        codec.encodeFast(starts, 0, startCount, out);
        return Arrays.copyOf(out.array(), out.position());
    }
}
