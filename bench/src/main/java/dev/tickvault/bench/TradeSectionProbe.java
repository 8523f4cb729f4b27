package dev.tickvault.bench;

import com.github.luben.zstd.ZstdCompressCtx;
import dev.tickvault.bench.TradeProbeBlocks.Block;
import dev.tickvault.store.codec.ByteSink;
import dev.tickvault.store.partition.ColumnBlockCodec;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * What zstd does to each section of a trade block, and at what CPU cost: the sections' raw column encodings (written
 * by {@link ColumnBlockCodec#encodeTradeBlock} at level 0) compressed as the default level-3 codec compresses them
 * (level 1 with minimum match 7, receive times at level 2), once with zstd's own hash table size and once with
 * {@code 2^12} entries, in block order (as the committer does: each section's context has other work in between),
 * the setting that goes first alternating from block to block.
 * Blocks: the synthetic day cut as the asynchronous commits of {@code StoreBenchmark} cut it (100,000 rows per
 * commit, each series' rows of a commit in blocks of at most 8,192), and the real Binance captures in blocks of
 * {@code -Dblock=8192} rows. Also counts the receive-time sections that a zstd pass over their first eighth would
 * store RAW (saving below 3%, sections of 2 KB or more), and how many of them zstd would have kept (a byte loss).
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -Xmx4g -cp bench/target/tickvault-bench.jar dev.tickvault.bench.TradeSectionProbe [captures dir]
 * </pre>
 */
public final class TradeSectionProbe {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final String[] SECTIONS = {
        "ts", "recv_ts", "price", "qty", "trade_id", "price_scale", "qty_scale", "side", "trade_id_text"
    };
    private static final int RECEIVE = 1;
    private static final int ROUNDS = 3;

    private TradeSectionProbe() {}

    public static void main(String[] args) {
        Path captures = Path.of(args.length > 0 ? args[0] : "../shared/captures/binance/hftbacktest");
        measure("synthetic day, commit-sized blocks", TradeProbeBlocks.syntheticCommitBlocks());
        int rowsPerBlock = Integer.getInteger("block", 8192);
        for (String capture : TradeProbeBlocks.CAPTURES) {
            List<Block> blocks = TradeProbeBlocks.captureBlocks(captures.resolve(capture), rowsPerBlock);
            if (!blocks.isEmpty()) {
                measure(capture + ", " + rowsPerBlock + "-row blocks", blocks);
            }
        }
    }

    private static ZstdCompressCtx context(int section, int hashLog) {
        ZstdCompressCtx context = new ZstdCompressCtx().setLevel(section == RECEIVE ? 2 : 1);
        if (section != RECEIVE) {
            context.setMinMatch(7);
        }
        if (hashLog != 0) {
            context.setHashLog(hashLog);
        }
        return context;
    }

    private static void measure(String name, List<Block> blocks) {
        ColumnBlockCodec raw = new ColumnBlockCodec(0);
        ByteSink out = new ByteSink(1 << 20);
        byte[] frame = new byte[1 << 20];
        int[] hashLogs = {0, 12};
        ZstdCompressCtx[][] contexts = new ZstdCompressCtx[hashLogs.length][SECTIONS.length];
        for (int h = 0; h < hashLogs.length; h++) {
            for (int s = 0; s < SECTIONS.length; s++) {
                contexts[h][s] = context(s, hashLogs[h]);
            }
        }
        long rows = 0;
        long[] rawBytes = new long[SECTIONS.length];
        long[][] storedBytes = new long[hashLogs.length][SECTIONS.length];
        long[][] nanos = new long[hashLogs.length][SECTIONS.length];
        long[] zstdBytes = new long[SECTIONS.length];
        long sampledRaw = 0;
        long sampledRawBytes = 0;
        long sampledRawLost = 0;
        long sampledCompressed = 0;
        for (int round = 0; round <= ROUNDS; round++) {
            boolean count = round == ROUNDS;
            for (int blockIndex = 0; blockIndex < blocks.size(); blockIndex++) {
                Block block = blocks.get(blockIndex);
                byte[][] sections = TradeProbeBlocks.rawSections(raw, out, block, SECTIONS.length);
                for (int s = 0; s < SECTIONS.length; s++) {
                    byte[] bytes = sections[s];
                    int p = 0;
                    int length = bytes.length;
                    int zstdDefault = 0;
                    for (int k = 0; k < hashLogs.length; k++) {
                        // Alternate which setting compresses a section first: the first one pulls it into cache.
                        int h = (k + blockIndex) % hashLogs.length;
                        long before = THREADS.getCurrentThreadCpuTime();
                        int z = length >= 32
                                ? contexts[h][s].compressByteArray(frame, 0, frame.length, bytes, p, length)
                                : length;
                        long spent = THREADS.getCurrentThreadCpuTime() - before;
                        if (count) {
                            nanos[h][s] += spent;
                            storedBytes[h][s] += (long) z * 100 <= (long) length * 90 ? z : length;
                            if (h == 0) {
                                zstdBytes[s] += Math.min(z, length);
                                zstdDefault = z;
                            }
                        }
                    }
                    if (count) {
                        rawBytes[s] += length;
                    }
                    if (count && s == RECEIVE && length >= 2048) {
                        int sample = Math.max(512, length >>> 3);
                        int z = contexts[1][s].compressByteArray(frame, 0, frame.length, bytes, p, sample);
                        if ((long) z * 100 > (long) sample * 97) {
                            sampledRaw++;
                            sampledRawBytes += length;
                            sampledRawLost += (long) zstdDefault * 100 <= (long) length * 90 ? 1 : 0;
                        } else {
                            sampledCompressed++;
                        }
                    }
                }
                if (count) {
                    rows += block.count();
                }
            }
        }
        StringBuilder report =
                new StringBuilder(String.format(Locale.ROOT, "%s: %,d rows, %,d blocks", name, rows, blocks.size()));
        report.append(String.format(
                Locale.ROOT,
                "%n  %-14s %9s %7s %22s %22s",
                "section",
                "raw B/row",
                "zstd %",
                "stored B/row (h0, 12)",
                "zstd ns/row (h0, 12)"));
        double[] totals = new double[5];
        for (int s = 0; s < SECTIONS.length; s++) {
            double rawPerRow = (double) rawBytes[s] / rows;
            double stored0 = (double) storedBytes[0][s] / rows;
            double stored12 = (double) storedBytes[1][s] / rows;
            double ns0 = (double) nanos[0][s] / rows;
            double ns12 = (double) nanos[1][s] / rows;
            report.append(String.format(
                    Locale.ROOT,
                    "%n  %-14s %9.3f %6.1f%% %10.3f %10.3f %10.1f %10.1f",
                    SECTIONS[s],
                    rawPerRow,
                    100.0 * zstdBytes[s] / Math.max(1, rawBytes[s]),
                    stored0,
                    stored12,
                    ns0,
                    ns12));
            totals[0] += rawPerRow;
            totals[1] += stored0;
            totals[2] += stored12;
            totals[3] += ns0;
            totals[4] += ns12;
        }
        report.append(String.format(
                Locale.ROOT,
                "%n  %-14s %9.3f %7s %10.3f %10.3f %10.1f %10.1f",
                "all",
                totals[0],
                "",
                totals[1],
                totals[2],
                totals[3],
                totals[4]));
        report.append(String.format(
                Locale.ROOT,
                "%n  receive times sampled: %,d stored RAW (%.1f%% of the section bytes; %d that zstd would have"
                        + " kept), %,d compressed",
                sampledRaw,
                100.0 * sampledRawBytes / Math.max(1, rawBytes[RECEIVE]),
                sampledRawLost,
                sampledCompressed));
        System.out.println(report);
    }
}
