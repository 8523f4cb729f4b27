package dev.tickvault.bench;

import dev.tickvault.store.Table;
import dev.tickvault.store.codec.ByteSink;
import dev.tickvault.store.codec.LongColumnCodec;
import dev.tickvault.store.partition.ColumnBlockCodec;
import dev.tickvault.store.partition.RawSections;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.ToLongFunction;

/**
 * Thread CPU per row of a trade block's receive-time section ({@code ColumnBlockCodec.fillSplitReceiveTimes}, before
 * zstd) on the synthetic day's commit-sized blocks ({@link TradeProbeBlocks#syntheticCommitBlocks}) and the real
 * Binance captures in 8,192-row blocks: the whole section (the first two raw sections of {@link
 * ColumnBlockCodec#encodeTradeBlockRaw} less the first alone), and each of its steps on its own over the same blocks
 * (the split into bursts, the scale of the in-burst steps' sample, the packed frames' and the scaled varints' sizes on
 * the sample, the steps' packed frames with and without the sample proof, the burst starts' frames). Also the
 * section's raw bytes per row. Prints per measure the median, quartiles and best of the rounds after a warm-up round.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -Xmx6g -cp bench/target/tickvault-bench.jar dev.tickvault.bench.ReceiveTimeEncodeProbe [rounds [captures dir]]
 * </pre>
 */
public final class ReceiveTimeEncodeProbe {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    /** The trade layout's sample of in-burst steps (ColumnBlockCodec.STEP_SAMPLE). */
    private static final int SAMPLE = 8 * LongColumnCodec.FRAME_SIZE;

    private ReceiveTimeEncodeProbe() {}

    /** One block split as the codec splits it. */
    private record Split(TradeProbeBlocks.Block block, long[] steps, int inBurst, long[] starts, int startCount) {}

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        Path captures = Path.of(args.length > 1 ? args[1] : "../shared/captures/binance/hftbacktest");
        measure("synthetic day, commit-sized blocks", TradeProbeBlocks.syntheticCommitBlocks(), rounds);
        for (String capture : TradeProbeBlocks.CAPTURES) {
            List<TradeProbeBlocks.Block> blocks = TradeProbeBlocks.captureBlocks(captures.resolve(capture), 8_192);
            if (!blocks.isEmpty()) {
                measure(capture, blocks, rounds);
            }
        }
    }

    private static void measure(String name, List<TradeProbeBlocks.Block> blocks, int rounds) {
        Split[] splits = blocks.stream().map(ReceiveTimeEncodeProbe::split).toArray(Split[]::new);
        long rows = blocks.stream().mapToLong(TradeProbeBlocks.Block::count).sum();
        ColumnBlockCodec codec = new ColumnBlockCodec(0);
        RawSections raw = new RawSections();
        LongColumnCodec longs = new LongColumnCodec();
        ByteSink out = new ByteSink(1 << 16);
        System.out.printf(Locale.ROOT, "%s: %,d blocks, %,d rows%n", name, splits.length, rows);
        ToLongFunction<Split> two = s -> {
            raw.reset();
            codec.encodeTradeBlockRaw(s.block.rows(), s.block.start(), s.block.count(), raw, 2);
            return raw.count();
        };
        ToLongFunction<Split> one = s -> {
            raw.reset();
            codec.encodeTradeBlockRaw(s.block.rows(), s.block.start(), s.block.count(), raw, 1);
            return raw.count();
        };
        // The section: two raw sections less the first alone, timed in turns within each round.
        double[] section = new double[rounds + 1];
        for (int round = 0; round <= rounds; round++) {
            section[round] = time(two, rows, splits) - time(one, rows, splits);
        }
        System.out.printf(Locale.ROOT, "%-34s %s%n", "section (2 raw sections - 1)", summary(section));
        long[] stepScratch = new long[8_192];
        long[] startScratch = new long[8_192];
        report("  split", rounds, rows, splits, s -> split(s.block, stepScratch, startScratch));
        report("  dominantExponent(sample)", rounds, rows, splits, s -> scale(s));
        report("  encodedSizeFast(sample)", rounds, rows, splits, s -> longs.encodedSizeFast(s.steps, 0, sample(s)));
        report("  scaledVarintsSize(sample)", rounds, rows, splits, s -> {
            int scale = scale(s);
            return scale > 0 ? LongColumnCodec.scaledVarintsSize(s.steps, 0, sample(s), scale) : 0;
        });
        report("  steps encodeFast", rounds, rows, splits, s -> {
            out.reset();
            return longs.encodeFast(s.steps, 0, s.inBurst, out);
        });
        report("  steps encodeFastIfSampleWithin", rounds, rows, splits, s -> {
            out.reset();
            return longs.encodeFastIfSampleWithin(
                    s.steps, 0, s.inBurst, sample(s), LongColumnCodec.scaledVarintsMinSize(sample(s)), out);
        });
        report("  starts encodeFast", rounds, rows, splits, s -> {
            out.reset();
            return longs.encodeFast(s.starts, 0, s.startCount, out);
        });
        long bytes = 0;
        long scaledBlocks = 0;
        for (Split s : splits) {
            bytes += TradeProbeBlocks.rawSections(codec, out, s.block, 2)[1].length;
            int scale = scale(s);
            if (scale > 0
                    && LongColumnCodec.scaledVarintsSize(s.steps, 0, sample(s), scale)
                            < longs.encodedSizeFast(s.steps, 0, sample(s))) {
                scaledBlocks++;
            }
        }
        System.out.printf(
                Locale.ROOT,
                "  raw section bytes %,d (%.4f B/row); steps as scaled varints in %,d of %,d blocks%n",
                bytes,
                (double) bytes / rows,
                scaledBlocks,
                splits.length);
    }

    private static int sample(Split s) {
        return Math.min(s.inBurst, SAMPLE);
    }

    private static int scale(Split s) {
        return sample(s) == 0 ? 0 : LongColumnCodec.dominantExponent(s.steps, 0, sample(s));
    }

    private static Split split(TradeProbeBlocks.Block block) {
        long[] steps = new long[block.count()];
        long[] starts = new long[block.count()];
        int inBurst = split(block, steps, starts);
        return new Split(block, steps, inBurst, starts, block.count() - inBurst);
    }

    /**
     * Splits the block as {@code ColumnBlockCodec.splitReceiveTimes} does (branch-free): in-burst receive steps to
     * {@code steps}, {@code recv - ts} of the other rows to {@code starts}; returns the steps.
     */
    private static int split(TradeProbeBlocks.Block block, long[] steps, long[] starts) {
        long[] ts = block.rows().longs(Table.TS);
        long[] recv = block.rows().longs(Table.RECV_TS);
        int from = block.start();
        int count = block.count();
        starts[0] = recv[from] - ts[from];
        int inBurst = 0;
        int startCount = 1;
        for (int i = from + 1; i < from + count; i++) {
            long difference = ts[i] ^ ts[i - 1];
            int same = (int) (((difference | -difference) >>> 63) ^ 1);
            steps[inBurst] = recv[i] - recv[i - 1];
            starts[startCount] = recv[i] - ts[i];
            inBurst += same;
            startCount += 1 - same;
        }
        return inBurst;
    }

    private static void report(String what, int rounds, long rows, Split[] splits, ToLongFunction<Split> step) {
        double[] perRow = new double[rounds + 1];
        for (int round = 0; round <= rounds; round++) {
            perRow[round] = time(step, rows, splits);
        }
        System.out.printf(Locale.ROOT, "%-34s %s%n", what, summary(perRow));
    }

    /** Thread CPU per row of one pass of {@code step} over the blocks (repeated for the captures' few blocks). */
    private static double time(ToLongFunction<Split> step, long rows, Split[] splits) {
        long sink = 0;
        int repeats = (int) Math.max(1, 5_000_000 / rows); // the captures' few blocks: enough calls to be compiled
        long start = THREADS.getCurrentThreadCpuTime();
        for (int r = 0; r < repeats; r++) {
            for (Split s : splits) {
                sink += step.applyAsLong(s);
            }
        }
        double perRow = (double) (THREADS.getCurrentThreadCpuTime() - start) / ((double) rows * repeats);
        return sink == 42 ? perRow + 1e-9 : perRow; // keeps the results alive
    }

    /** Median, quartiles and best of the rounds after the first (warm-up). */
    private static String summary(double[] perRow) {
        double[] measured = Arrays.copyOfRange(perRow, 1, perRow.length);
        Arrays.sort(measured);
        int n = measured.length;
        return String.format(
                Locale.ROOT,
                "median %.2f (quartiles %.2f-%.2f), best %.2f ns/row",
                measured[n / 2],
                measured[n / 4],
                measured[(3 * n) / 4],
                measured[0]);
    }
}
