package dev.tickvault.bench;

import com.github.luben.zstd.Zstd;
import dev.tickvault.bench.TradeProbeBlocks.Block;
import dev.tickvault.store.codec.BlockCompressor;
import dev.tickvault.store.codec.ByteSink;
import dev.tickvault.store.partition.ColumnBlockCodec;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What a zstd frame costs on a trade block's sections (session 17), through {@link BlockCompressor} exactly as the
 * default (level-3) trade codec calls it: times and prices as literals only, receive times sampled at level 2, the
 * other sections at level 1 with minimum match 7 and a 2^12-entry hash table.
 *
 * <ol>
 *   <li><b>Whole blocks</b>: the block encoder at zstd level 0 and 3, commit-sized against 8,192-row blocks.
 *   <li><b>Block order</b>: every section of every block compressed in block order (as the committer does), per
 *       frame kind the wall time of each call (min over rounds of the per-kind sums, in ns per row), the frames made
 *       and how many of them were stored RAW after all; once hot and once with {@code disturbKb} KB of other memory
 *       touched before each section (the committer encodes columns between its sections). Blocks: the synthetic
 *       day cut as {@link StoreBenchmark}'s commits cut it, and the same day in fixed {@code 8,192}-row blocks.
 *   <li><b>Cost against size</b>: each kind on prefixes (64 B to 8 KB) of its sections joined, repeated hot; the
 *       least-squares line over the prefixes of 256 B and more gives the fixed cost per frame and the cost per KB.
 *   <li><b>Floor</b>: a 32-byte section (too short for matches or Huffman tables: zstd-jni's call, the context reset,
 *       the frame header and a raw block) and a JNI call that does nothing ({@code Zstd.isError}).
 * </ol>
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -Xmx4g -cp bench/target/tickvault-bench.jar dev.tickvault.bench.ZstdFrameCostProbe [rounds] [disturbKb]
 * </pre>
 */
public final class ZstdFrameCostProbe {
    private static final String[] SECTIONS = {"ts", "recv", "price", "qty", "tid", "pscale", "qscale", "side", "text"};
    private static final int[] SIZES = {64, 128, 256, 512, 1024, 2048, 4096, 8192};

    private final BlockCompressor compressor = new BlockCompressor(3);
    private final ByteSink out = new ByteSink(1 << 20);

    private ZstdFrameCostProbe() {}

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int disturbKb = args.length > 1 ? Integer.parseInt(args[1]) : 1024;
        ZstdFrameCostProbe probe = new ZstdFrameCostProbe();
        BlockCompressor.linkLiteralsOnly();
        List<Block> commit = TradeProbeBlocks.syntheticCommitBlocks();
        List<Block> fixed = TradeProbeBlocks.syntheticFixedBlocks(8192);
        wholeBlocks("synthetic day, commit-sized blocks", commit, rounds);
        wholeBlocks("synthetic day, 8,192-row blocks", fixed, rounds);
        List<byte[][]> commitBlocks = sections(commit);
        probe.blockOrder("synthetic day, commit-sized blocks", commitBlocks, rounds, 0);
        probe.blockOrder("synthetic day, commit-sized blocks, disturbed", commitBlocks, rounds, disturbKb);
        List<byte[][]> fixedBlocks = sections(fixed);
        probe.blockOrder("synthetic day, 8,192-row blocks", fixedBlocks, rounds, 0);
        probe.costAgainstSize(commitBlocks.subList(100, 110));
        probe.floor();
    }

    /**
     * Whole trade blocks encoded by {@link ColumnBlockCodec#encodeTradeBlock} at zstd level 0 (the column encodings
     * alone) and 3 (the default), thread CPU per row, best of {@code rounds} after a warm-up round: what the size of
     * the blocks does to the encode and zstd together.
     */
    private static void wholeBlocks(String name, List<Block> blocks, int rounds) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long rows = 0;
        for (Block block : blocks) {
            rows += block.count();
        }
        StringBuilder report = new StringBuilder(String.format(Locale.ROOT, "%s, whole blocks:", name));
        for (int level : new int[] {0, 3}) {
            ColumnBlockCodec codec = new ColumnBlockCodec(level);
            ByteSink out = new ByteSink(1 << 20);
            long best = Long.MAX_VALUE;
            long bytes = 0;
            for (int round = 0; round <= rounds; round++) {
                bytes = 0;
                long before = threads.getCurrentThreadCpuTime();
                for (Block block : blocks) {
                    out.reset();
                    codec.encodeTradeBlock(block.rows(), block.start(), block.count(), out);
                    bytes += out.position();
                }
                long spent = threads.getCurrentThreadCpuTime() - before;
                if (round > 0) {
                    best = Math.min(best, spent);
                }
            }
            report.append(String.format(
                    Locale.ROOT,
                    " level %d %.2f ns/row %.3f B/row;",
                    level,
                    (double) best / rows,
                    (double) bytes / rows));
        }
        System.out.println(report);
    }

    /** Each block's raw sections with its row count appended as the last element's length. */
    private static List<byte[][]> sections(List<Block> blocks) {
        ColumnBlockCodec raw = new ColumnBlockCodec(0);
        ByteSink scratch = new ByteSink(1 << 20);
        List<byte[][]> all = new ArrayList<>(blocks.size());
        for (Block block : blocks) {
            byte[][] s = Arrays.copyOf(TradeProbeBlocks.rawSections(raw, scratch, block, SECTIONS.length), 10);
            s[SECTIONS.length] = new byte[block.count()];
            all.add(s);
        }
        return all;
    }

    /** Writes section {@code k} of a trade block as the default codec does; returns the bytes written. */
    private int write(int k, byte[] x, int length) {
        out.reset();
        return switch (k) {
            case 0, 2 -> compressor.compressSectionLiterals(x, 0, length, out, 1);
            case 1 -> compressor.compressSectionSampled(x, 0, length, out, 2, 0, 12);
            default -> compressor.compressSection(x, 0, length, out, 1, 7, 12);
        };
    }

    private void blockOrder(String name, List<byte[][]> blocks, int rounds, int disturbKb) {
        byte[] junk = new byte[Math.max(64, disturbKb * 1024)];
        long rows = 0;
        for (byte[][] s : blocks) {
            rows += s[SECTIONS.length].length;
        }
        long[] best = new long[SECTIONS.length];
        Arrays.fill(best, Long.MAX_VALUE);
        long[] frames = new long[SECTIONS.length];
        long[] storedRaw = new long[SECTIONS.length];
        long[] rawBytes = new long[SECTIONS.length];
        long[] written = new long[SECTIONS.length];
        for (int round = 0; round <= rounds; round++) {
            long[] nanos = new long[SECTIONS.length];
            Arrays.fill(frames, 0);
            Arrays.fill(storedRaw, 0);
            Arrays.fill(rawBytes, 0);
            Arrays.fill(written, 0);
            for (byte[][] s : blocks) {
                for (int k = 0; k < SECTIONS.length; k++) {
                    if (disturbKb > 0) {
                        for (int i = 0; i < junk.length; i += 64) {
                            junk[i]++;
                        }
                    }
                    long before = System.nanoTime();
                    int n = write(k, s[k], s[k].length);
                    nanos[k] += System.nanoTime() - before;
                    rawBytes[k] += s[k].length;
                    written[k] += n;
                    if (s[k].length >= 32) {
                        frames[k]++;
                        // a RAW block: the method byte, the varint length, the bytes (a zstd block is shorter from 32
                        // bytes up)
                        storedRaw[k] += n >= s[k].length + 2 ? 1 : 0;
                    }
                }
            }
            if (round > 0) { // round 0 warms up (the JIT, the contexts, the upcall stub)
                for (int k = 0; k < SECTIONS.length; k++) {
                    best[k] = Math.min(best[k], nanos[k]);
                }
            }
        }
        StringBuilder report = new StringBuilder(String.format(
                Locale.ROOT,
                "%s: %,d rows, %,d blocks (%.0f rows each), best of %d rounds%n  %-7s %9s %9s %9s %8s %8s %10s",
                name,
                rows,
                blocks.size(),
                (double) rows / blocks.size(),
                rounds,
                "section",
                "raw B/blk",
                "B/row",
                "ns/row",
                "frames",
                "RAW",
                "us/frame"));
        double total = 0;
        double totalBytes = 0;
        for (int k = 0; k < SECTIONS.length; k++) {
            double nsPerRow = (double) best[k] / rows;
            total += nsPerRow;
            totalBytes += (double) written[k] / rows;
            report.append(String.format(
                    Locale.ROOT,
                    "%n  %-7s %9.0f %9.3f %9.2f %8d %8d %10.2f",
                    SECTIONS[k],
                    (double) rawBytes[k] / blocks.size(),
                    (double) written[k] / rows,
                    nsPerRow,
                    frames[k],
                    storedRaw[k],
                    frames[k] == 0 ? 0.0 : best[k] / 1000.0 / frames[k]));
        }
        report.append(String.format(Locale.ROOT, "%n  %-7s %9s %9.3f %9.2f", "all", "", totalBytes, total));
        System.out.println(report);
    }

    private void costAgainstSize(List<byte[][]> blocks) {
        StringBuilder report = new StringBuilder(
                "cost against size (hot, µs per frame at each prefix; fit over >= 256 B: fixed µs + µs per KB)");
        int[] kinds = {0, 2, 3, 7, 1};
        for (int k : kinds) {
            byte[] joined = new byte[0];
            for (byte[][] s : blocks) {
                int at = joined.length;
                joined = Arrays.copyOf(joined, at + s[k].length);
                System.arraycopy(s[k], 0, joined, at, s[k].length);
            }
            report.append(String.format(Locale.ROOT, "%n  %-6s", SECTIONS[k]));
            double sx = 0, sy = 0, sxx = 0, sxy = 0;
            int points = 0;
            for (int size : SIZES) {
                if (size > joined.length) {
                    break;
                }
                int repeats = 2000;
                long best = Long.MAX_VALUE;
                for (int round = 0; round < 6; round++) {
                    long before = System.nanoTime();
                    for (int i = 0; i < repeats; i++) {
                        write(k, joined, size);
                    }
                    best = Math.min(best, System.nanoTime() - before);
                }
                double micros = best / 1000.0 / repeats;
                report.append(String.format(Locale.ROOT, " %d:%.2f", size, micros));
                if (size >= 256) {
                    double kb = size / 1024.0;
                    sx += kb;
                    sy += micros;
                    sxx += kb * kb;
                    sxy += kb * micros;
                    points++;
                }
            }
            double slope = (points * sxy - sx * sy) / (points * sxx - sx * sx);
            double intercept = (sy - slope * sx) / points;
            report.append(String.format(Locale.ROOT, " | fixed %.2f µs + %.2f µs/KB", intercept, slope));
        }
        System.out.println(report);
    }

    private void floor() {
        byte[] tiny = new byte[32];
        for (int i = 0; i < tiny.length; i++) {
            tiny[i] = (byte) (i * 37);
        }
        int repeats = 200_000;
        long frameBest = Long.MAX_VALUE;
        long jniBest = Long.MAX_VALUE;
        long sink = 0;
        for (int round = 0; round < 6; round++) {
            long before = System.nanoTime();
            for (int i = 0; i < repeats; i++) {
                sink += write(3, tiny, tiny.length);
            }
            long middle = System.nanoTime();
            for (int i = 0; i < repeats * 10; i++) {
                sink += Zstd.isError(i) ? 1 : 0;
            }
            long after = System.nanoTime();
            frameBest = Math.min(frameBest, middle - before);
            jniBest = Math.min(jniBest, after - middle);
        }
        System.out.printf(
                Locale.ROOT,
                "floor: a 32-byte section through BlockCompressor %.0f ns per frame; a JNI call that does nothing %.1f ns"
                        + " (%d)%n",
                (double) frameBest / repeats,
                (double) jniBest / repeats / 10,
                sink & 1);
    }
}
