package dev.tickvault.bench;

import dev.tickvault.store.Table;
import dev.tickvault.store.codec.ByteSink;
import dev.tickvault.store.memtable.ColumnData;
import dev.tickvault.store.partition.ColumnBlockCodec;
import dev.tickvault.store.partition.ContextMixingBookBlockCodec;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Bytes and CPU nanoseconds per level update of book block version 6 ({@link ContextMixingBookBlockCodec}) against
 * chunk format 3's book blocks (zstd 3, as in chunk files) on every level update of the real Binance depth
 * recordings, 8,192-row blocks, the two measured alternately in every round (thread CPU time, so the figure holds on a
 * loaded machine). Every decoded row is checked against its input.
 *
 * <pre>
 *   java --enable-native-access=ALL-UNNAMED -cp bench/target/tickvault-bench.jar \
 *       dev.tickvault.bench.ContextMixingBookCodecCpuProbe [captures dir] [rounds]
 * </pre>
 */
public final class ContextMixingBookCodecCpuProbe {
    private static final int BLOCK_ROWS = 8192;
    private static final String[] NAMES = {"format 3 (zstd 3)", "version 6 (context mixing)"};

    private static volatile long sink;

    private ContextMixingBookCodecCpuProbe() {}

    public static void main(String[] args) {
        Path dir = Path.of(args.length > 0 ? args[0] : "../shared/captures/binance/hftbacktest");
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 6;
        BookBlockCodecCpuProbe.measureBoth(dir, rounds, ContextMixingBookCodecCpuProbe::measure);
    }

    private static void measure(String market, ColumnData rows, int rounds, boolean print) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        int n = rows.size();
        int count = (n + BLOCK_ROWS - 1) / BLOCK_ROWS;
        ColumnBlockCodec format3 = new ColumnBlockCodec(3);
        ColumnBlockCodec reader = new ColumnBlockCodec(0);
        ContextMixingBookBlockCodec mixing = new ContextMixingBookBlockCodec();
        ByteSink out = new ByteSink(1 << 20);
        ColumnData decoded = new ColumnData(Table.BOOK, BLOCK_ROWS);
        byte[][][] blocks = new byte[2][count][];
        long[] bytes = new long[2];
        for (int v = 0; v < 2; v++) {
            for (int b = 0; b < count; b++) {
                out.reset();
                encode(v, format3, mixing, rows, b, n, out);
                blocks[v][b] = Arrays.copyOf(out.array(), out.position());
                bytes[v] += out.position();
                decode(v, reader, mixing, blocks[v][b], rowsIn(b, n), decoded);
                BookBlockCodecCpuProbe.check(rows, b * BLOCK_ROWS, decoded);
            }
        }
        if (print) {
            System.out.printf(
                    "%s version 6: %.1f binary decisions per row%n", market, (double) mixing.bitsCoded() / (2.0 * n));
        }
        double[][] encodeNs = new double[2][rounds];
        double[][] decodeNs = new double[2][rounds];
        for (int round = 0; round < rounds; round++) {
            for (int v = 0; v < 2; v++) {
                long t0 = threads.getCurrentThreadCpuTime();
                for (int b = 0; b < count; b++) {
                    out.reset();
                    encode(v, format3, mixing, rows, b, n, out);
                }
                long t1 = threads.getCurrentThreadCpuTime();
                long checksum = 0;
                for (int b = 0; b < count; b++) {
                    checksum += decode(v, reader, mixing, blocks[v][b], rowsIn(b, n), decoded);
                }
                long t2 = threads.getCurrentThreadCpuTime();
                sink += checksum;
                encodeNs[v][round] = (double) (t1 - t0) / n;
                decodeNs[v][round] = (double) (t2 - t1) / n;
            }
        }
        for (int v = 0; v < 2 && print; v++) {
            Arrays.sort(encodeNs[v]);
            Arrays.sort(decodeNs[v]);
            System.out.printf(
                    "%s %s: %d rows, %.4f bytes/row; CPU ns/row encode %.0f-%.0f (median %.0f), decode %.0f-%.0f"
                            + " (median %.0f)%n",
                    market,
                    NAMES[v],
                    n,
                    (double) bytes[v] / n,
                    encodeNs[v][0],
                    encodeNs[v][rounds - 1],
                    encodeNs[v][rounds / 2],
                    decodeNs[v][0],
                    decodeNs[v][rounds - 1],
                    decodeNs[v][rounds / 2]);
        }
    }

    private static void encode(
            int v,
            ColumnBlockCodec format3,
            ContextMixingBookBlockCodec mixing,
            ColumnData rows,
            int block,
            int n,
            ByteSink out) {
        if (v == 0) {
            format3.encodeBookBlock(3, rows, block * BLOCK_ROWS, rowsIn(block, n), out);
        } else {
            mixing.encode(rows, block * BLOCK_ROWS, rowsIn(block, n), out);
        }
    }

    private static long decode(
            int v,
            ColumnBlockCodec reader,
            ContextMixingBookBlockCodec mixing,
            byte[] block,
            int rows,
            ColumnData decoded) {
        if (v == 0) {
            decoded.clear();
            decoded.reserve(rows);
            reader.decodeBookBlock(3, MemorySegment.ofArray(block), rows, decoded, null);
        } else {
            mixing.decode(MemorySegment.ofArray(block), rows, decoded, null);
        }
        return decoded.longs(Table.PRICE)[rows - 1];
    }

    private static int rowsIn(int block, int n) {
        return Math.min(BLOCK_ROWS, n - block * BLOCK_ROWS);
    }
}
