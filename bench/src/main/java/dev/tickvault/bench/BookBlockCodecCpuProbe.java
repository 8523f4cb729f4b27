package dev.tickvault.bench;

import dev.tickvault.store.Table;
import dev.tickvault.store.codec.ByteSink;
import dev.tickvault.store.memtable.ColumnData;
import dev.tickvault.store.partition.ColumnBlockCodec;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * CPU nanoseconds per level update to encode and decode the book block layouts of chunk format 2 and 3 (format 3
 * with and without its per-block price dictionary; 8,192-row blocks, zstd 3 (format 3 with its per-section levels,
 * see {@code ColumnBlockCodec.bookSectionLevel}); and formats 2 and 3 without zstd: the commit record wrote format 2
 * RAW up to record type 2 and writes format 3 RAW since record type 8) on every level update of the real Binance depth recordings, the two layouts measured alternately
 * in every round so that both see the same load: thread CPU time ({@link ThreadMXBean}), so the figure holds on a
 * loaded machine where wall-clock benchmarks do not. Prints bytes per update too, and checks that every decoded row
 * equals its input.
 *
 * <pre>
 *   java --enable-native-access=ALL-UNNAMED -cp bench/target/tickvault-bench.jar \
 *       dev.tickvault.bench.BookBlockCodecCpuProbe [captures dir] [rounds]
 * </pre>
 */
public final class BookBlockCodecCpuProbe {
    private static final int BLOCK_ROWS = 8192;
    /** Chunk format of each measured layout. */
    private static final int[] VERSIONS = {2, 3, 3, 2, 3};
    /** Whether the layout stores prices in a per-block dictionary (format 3 only). */
    private static final boolean[] DICTIONARY = {false, false, true, false, false};
    /**
     * zstd level of each layout's sections: 3 as in chunk files, 0 (RAW frames) as in the commit record, which
     * isolates the codec's own cost from zstd's.
     */
    private static final int[] LEVELS = {3, 3, 3, 0, 0};

    private static volatile long sink;

    private BookBlockCodecCpuProbe() {}

    public static void main(String[] args) {
        Path dir = Path.of(args.length > 0 ? args[0] : "../shared/captures/binance/hftbacktest");
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        measureBoth(dir, rounds, BookBlockCodecCpuProbe::measure);
    }

    /** One measurement of a recording's rows over {@code rounds} rounds, printed or not. */
    interface Measurement {
        void measure(String market, ColumnData rows, int rounds, boolean print);
    }

    /**
     * Loads both recordings of {@code dir} and measures each twice: the first pass warms the JIT on both shapes of
     * data; only the second is printed.
     */
    static void measureBoth(Path dir, int rounds, Measurement measurement) {
        ColumnData spot = load(dir.resolve("spot_btcusdt_20240808.gz"));
        ColumnData usdm = load(dir.resolve("usdm_btcusdt_20240808.gz"));
        for (boolean print : new boolean[] {false, true}) {
            measurement.measure("spot", spot, rounds, print);
            measurement.measure("usdm", usdm, rounds, print);
        }
    }

    private static void measure(String market, ColumnData rows, int rounds, boolean print) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        int n = rows.size();
        int count = (n + BLOCK_ROWS - 1) / BLOCK_ROWS;
        int versions = VERSIONS.length;
        ColumnBlockCodec[] writers = new ColumnBlockCodec[versions];
        for (int v = 0; v < versions; v++) {
            writers[v] = new ColumnBlockCodec(LEVELS[v]);
            writers[v].bookPriceDictionary(DICTIONARY[v]);
        }
        ColumnBlockCodec reader = new ColumnBlockCodec(0);
        ByteSink out = new ByteSink(1 << 20);
        ColumnData decoded = new ColumnData(Table.BOOK, BLOCK_ROWS);
        byte[][][] blocks = new byte[versions][count][];
        long[] bytes = new long[versions];
        for (int v = 0; v < versions; v++) {
            for (int b = 0; b < count; b++) {
                out.reset();
                writers[v].encodeBookBlock(VERSIONS[v], rows, b * BLOCK_ROWS, rowsIn(b, n), out);
                blocks[v][b] = Arrays.copyOf(out.array(), out.position());
                bytes[v] += out.position();
                decode(reader, VERSIONS[v], blocks[v][b], rowsIn(b, n), decoded);
                check(rows, b * BLOCK_ROWS, decoded);
            }
        }
        double[] sumEncode = new double[versions];
        double[] sumDecode = new double[versions];
        double[] bestEncode = new double[versions];
        double[] bestDecode = new double[versions];
        Arrays.fill(bestEncode, Double.MAX_VALUE);
        Arrays.fill(bestDecode, Double.MAX_VALUE);
        int measured = 0;
        for (int round = 0; round < rounds; round++) {
            boolean warm = round >= rounds / 2;
            measured += warm ? 1 : 0;
            for (int v = 0; v < versions; v++) {
                long t0 = threads.getCurrentThreadCpuTime();
                for (int b = 0; b < count; b++) {
                    out.reset();
                    writers[v].encodeBookBlock(VERSIONS[v], rows, b * BLOCK_ROWS, rowsIn(b, n), out);
                }
                long t1 = threads.getCurrentThreadCpuTime();
                long checksum = 0;
                for (int b = 0; b < count; b++) {
                    checksum += decode(reader, VERSIONS[v], blocks[v][b], rowsIn(b, n), decoded);
                }
                long t2 = threads.getCurrentThreadCpuTime();
                sink += checksum;
                double encode = (double) (t1 - t0) / n;
                double decode = (double) (t2 - t1) / n;
                bestEncode[v] = Math.min(bestEncode[v], encode);
                bestDecode[v] = Math.min(bestDecode[v], decode);
                if (warm) {
                    sumEncode[v] += encode;
                    sumDecode[v] += decode;
                }
            }
        }
        for (int v = 0; v < versions && print; v++) {
            System.out.printf(
                    "%s format %d%s%s: %d rows, %.3f bytes/row; CPU ns/row encode mean %.1f (best %.1f), "
                            + "decode mean %.1f (best %.1f)%n",
                    market,
                    VERSIONS[v],
                    DICTIONARY[v] ? " (price dictionary)" : "",
                    LEVELS[v] == 0 ? " (no zstd)" : "",
                    n,
                    (double) bytes[v] / n,
                    sumEncode[v] / measured,
                    bestEncode[v],
                    sumDecode[v] / measured,
                    bestDecode[v]);
        }
    }

    private static int rowsIn(int block, int n) {
        return Math.min(BLOCK_ROWS, n - block * BLOCK_ROWS);
    }

    private static long decode(ColumnBlockCodec reader, int version, byte[] block, int rows, ColumnData decoded) {
        decoded.clear();
        decoded.reserve(rows);
        reader.decodeBookBlock(version, MemorySegment.ofArray(block), rows, decoded, null);
        return decoded.longs(Table.PRICE)[rows - 1];
    }

    /** Throws unless {@code decoded} equals rows {@code [start, start + decoded.size())} of {@code rows}. */
    static void check(ColumnData rows, int start, ColumnData decoded) {
        for (int i = 0; i < decoded.size(); i++) {
            for (int c = 0; c < Table.BOOK.longColumns().size(); c++) {
                if (decoded.longs(c)[i] != rows.longs(c)[start + i]) {
                    throw new AssertionError("row " + (start + i) + " long column " + c + " differs");
                }
            }
            for (int c = 0; c < Table.BOOK.byteColumns().size(); c++) {
                if (decoded.bytes(c)[i] != rows.bytes(c)[start + i]) {
                    throw new AssertionError("row " + (start + i) + " byte column " + c + " differs");
                }
            }
        }
    }

    /** A Binance capture's level updates as book-table columns. */
    static ColumnData load(Path capture) {
        return columns(BinanceCaptureBook.read(capture));
    }

    /** A read capture's level updates as book-table columns (copied). */
    static ColumnData columns(BinanceCaptureBook book) {
        int n = book.size;
        ColumnData rows = new ColumnData(Table.BOOK, n);
        rows.reserve(n);
        System.arraycopy(book.tsNanos, 0, rows.longs(Table.TS), 0, n);
        System.arraycopy(book.recvTsNanos, 0, rows.longs(Table.RECV_TS), 0, n);
        System.arraycopy(book.priceMantissa, 0, rows.longs(Table.PRICE), 0, n);
        System.arraycopy(book.quantityMantissa, 0, rows.longs(Table.QTY), 0, n);
        System.arraycopy(book.firstUpdateId, 0, rows.longs(Table.FIRST_UPDATE_ID), 0, n);
        System.arraycopy(book.lastUpdateId, 0, rows.longs(Table.LAST_UPDATE_ID), 0, n);
        System.arraycopy(book.priceScale, 0, rows.bytes(Table.PRICE_SCALE), 0, n);
        System.arraycopy(book.quantityScale, 0, rows.bytes(Table.QTY_SCALE), 0, n);
        System.arraycopy(book.side, 0, rows.bytes(Table.SIDE), 0, n);
        System.arraycopy(book.flags, 0, rows.bytes(Table.FLAGS), 0, n);
        return rows;
    }
}
