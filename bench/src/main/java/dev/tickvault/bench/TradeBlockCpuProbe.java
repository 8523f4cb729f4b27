package dev.tickvault.bench;

import dev.tickvault.model.SeriesKey;
import dev.tickvault.sample.SyntheticTrades;
import dev.tickvault.store.Table;
import dev.tickvault.store.codec.ByteSink;
import dev.tickvault.store.memtable.ColumnData;
import dev.tickvault.store.partition.ChunkFile;
import dev.tickvault.store.partition.ChunkLayout;
import dev.tickvault.store.partition.ChunkWriter;
import dev.tickvault.store.partition.ColumnBlockCodec;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * CPU time per row of encoding and decoding trade blocks (chunk format {@link ChunkLayout#FORMAT_VERSION}), measured
 * with {@link ThreadMXBean#getCurrentThreadCpuTime()} so that it holds up on a shared machine: 8,192-row blocks of
 * the synthetic {@code binance:BTCUSDT} trades (1.59M rows of the default 10M-trade day) and of the real Binance
 * captures, encoded by {@link ColumnBlockCodec#encodeTradeBlock} at zstd level 0 (the column encodings alone) and 3
 * (the store's default), and decoded by {@link ChunkFile#decodeBlock} (checksum, decompression, every column). Prints
 * the median and best of the rounds, after a warm-up round.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp bench/target/tickvault-bench.jar dev.tickvault.bench.TradeBlockCpuProbe [rounds [captures dir]]
 * </pre>
 */
public final class TradeBlockCpuProbe {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final int ROWS_PER_BLOCK = ChunkLayout.DEFAULT_ROWS_PER_BLOCK;
    /** CPU time per round: enough blocks to average over, little enough to finish on a loaded machine. */
    private static final long ROUND_NANOS = 500_000_000L;

    private TradeBlockCpuProbe() {}

    public static void main(String[] args) throws IOException {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        Path captures = Path.of(args.length > 1 ? args[1] : "../shared/captures/binance/hftbacktest");
        measure("synthetic binance:BTCUSDT", synthetic(), rounds);
        for (String capture : new String[] {"spot_btcusdt_20240808.gz", "usdm_btcusdt_20240808.gz"}) {
            Path file = captures.resolve(capture);
            if (Files.exists(file)) {
                measure(capture, BinanceCaptureTrades.read(file).columnsOf(-1), rounds);
            }
        }
    }

    private static void measure(String name, ColumnData rows, int rounds) throws IOException {
        int n = rows.size();
        StringBuilder report = new StringBuilder(String.format(Locale.ROOT, "%s: %,d rows", name, n));
        for (int level : new int[] {0, 3}) {
            ColumnBlockCodec codec = new ColumnBlockCodec(level);
            ByteSink out = new ByteSink(1 << 20);
            double[] perRow = new double[rounds + 1];
            long bytes = 0;
            for (int round = 0; round <= rounds; round++) {
                long rowsDone = 0;
                bytes = 0;
                long start = THREADS.getCurrentThreadCpuTime();
                while (THREADS.getCurrentThreadCpuTime() - start < ROUND_NANOS) {
                    for (int s = 0; s < n; s += ROWS_PER_BLOCK) {
                        out.reset();
                        codec.encodeTradeBlock(rows, s, Math.min(ROWS_PER_BLOCK, n - s), out);
                        bytes += out.position();
                        rowsDone += Math.min(ROWS_PER_BLOCK, n - s);
                    }
                }
                perRow[round] = (double) (THREADS.getCurrentThreadCpuTime() - start) / rowsDone;
                bytes = bytes * n / rowsDone;
            }
            report.append(String.format(
                    Locale.ROOT,
                    "%n  encode, zstd %d: %s ns/row CPU, %.3f bytes/row",
                    level,
                    summary(perRow),
                    (double) bytes / n));
        }
        Path dir = Files.createTempDirectory("trade-block-probe");
        Path file = dir.resolve("trades.tvc");
        try (ChunkFile chunk = new ChunkWriter(ROWS_PER_BLOCK, 3).write(file, rows, 0, n, 1)) {
            ColumnData block = new ColumnData(Table.TRADES, ROWS_PER_BLOCK);
            ColumnBlockCodec codec = new ColumnBlockCodec(0);
            double[] perRow = new double[rounds + 1];
            long checksum = 0;
            for (int round = 0; round <= rounds; round++) {
                long rowsDone = 0;
                long start = THREADS.getCurrentThreadCpuTime();
                while (THREADS.getCurrentThreadCpuTime() - start < ROUND_NANOS) {
                    for (int b = 0; b < chunk.blockCount(); b++) {
                        chunk.decodeBlock(b, block, codec);
                        rowsDone += block.size();
                        checksum += block.longs(Table.RECV_TS)[block.size() - 1];
                    }
                }
                perRow[round] = (double) (THREADS.getCurrentThreadCpuTime() - start) / rowsDone;
            }
            report.append(String.format(
                    Locale.ROOT,
                    "%n  decode (zstd 3 file): %s ns/row CPU (checksum %d)",
                    summary(perRow),
                    checksum & 7));
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        }
        System.out.println(report);
    }

    /** Median and best of the rounds after the first (warm-up). */
    private static String summary(double[] perRow) {
        double[] measured = Arrays.copyOfRange(perRow, 1, perRow.length);
        Arrays.sort(measured);
        return String.format(Locale.ROOT, "median %.1f, best %.1f", measured[measured.length / 2], measured[0]);
    }

    /** The synthetic day's {@code binance:BTCUSDT} trades. */
    private static ColumnData synthetic() {
        SyntheticTrades trades = new SyntheticTrades(SyntheticTrades.DEFAULT_TRADES, SyntheticTrades.DEFAULT_SEED);
        int instrument = Arrays.asList(trades.seriesKeys()).indexOf(SeriesKey.of("binance", "BTCUSDT"));
        if (instrument < 0) {
            throw new IllegalStateException("no binance:BTCUSDT among the synthetic instruments");
        }
        return trades.all().columnsOf(instrument);
    }
}
