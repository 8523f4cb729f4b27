package dev.tickvault.bench;

import dev.tickvault.sample.SyntheticTradeBatch;
import dev.tickvault.sample.SyntheticTrades;
import dev.tickvault.store.codec.ByteSink;
import dev.tickvault.store.memtable.ColumnData;
import dev.tickvault.store.partition.ColumnBlockCodec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The trade blocks the section probes ({@link TradeSectionProbe}, {@link ZstdSettingsProbe}) measure: the synthetic
 * day cut as {@link StoreBenchmark}'s asynchronous commits cut it, and the real Binance captures in fixed-size blocks.
 */
final class TradeProbeBlocks {
    /** The real Binance trade captures the probes read, in the captures directory. */
    static final List<String> CAPTURES = List.of("spot_btcusdt_20240808.gz", "usdm_btcusdt_20240808.gz");

    private TradeProbeBlocks() {}

    /** {@code count} rows of {@code rows} from {@code start}: one trade block. */
    record Block(ColumnData rows, int start, int count) {}

    /**
     * The synthetic day ({@link SyntheticTrades#DEFAULT_TRADES}, default seed) in {@link StoreBenchmark#COMMIT_ROWS}
     * commits, each series' rows of a commit in the fewest blocks of at most 8,192 rows, sized evenly.
     */
    static List<Block> syntheticCommitBlocks() {
        SyntheticTrades generator = new SyntheticTrades(SyntheticTrades.DEFAULT_TRADES, SyntheticTrades.DEFAULT_SEED);
        SyntheticTradeBatch trades = generator.all();
        int instruments = generator.seriesKeys().length;
        ColumnData[] columns = new ColumnData[instruments];
        for (int i = 0; i < instruments; i++) {
            columns[i] = trades.columnsOf(i);
        }
        int[] next = new int[instruments];
        List<Block> blocks = new ArrayList<>();
        for (int from = 0; from < trades.size(); from += StoreBenchmark.COMMIT_ROWS) {
            int[] rows = new int[instruments];
            for (int r = from; r < Math.min(trades.size(), from + StoreBenchmark.COMMIT_ROWS); r++) {
                rows[trades.instrument(r)]++;
            }
            for (int i = 0; i < instruments; i++) {
                int count = (rows[i] + 8191) / 8192;
                for (int b = 0; b < count; b++) {
                    int size = rows[i] / count + (b < rows[i] % count ? 1 : 0);
                    blocks.add(new Block(columns[i], next[i], size));
                    next[i] += size;
                }
            }
        }
        return blocks;
    }

    /** The synthetic day's series (default seed), each in blocks of {@code rowsPerBlock} rows (the last one shorter). */
    static List<Block> syntheticFixedBlocks(int rowsPerBlock) {
        SyntheticTrades generator = new SyntheticTrades(SyntheticTrades.DEFAULT_TRADES, SyntheticTrades.DEFAULT_SEED);
        SyntheticTradeBatch trades = generator.all();
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < generator.seriesKeys().length; i++) {
            ColumnData rows = trades.columnsOf(i);
            for (int s = 0; s < rows.size(); s += rowsPerBlock) {
                blocks.add(new Block(rows, s, Math.min(rowsPerBlock, rows.size() - s)));
            }
        }
        return blocks;
    }

    /** The trades of the capture {@code file} in blocks of {@code rowsPerBlock}; empty if the file is not there. */
    static List<Block> captureBlocks(Path file, int rowsPerBlock) {
        List<Block> blocks = new ArrayList<>();
        if (Files.exists(file)) {
            ColumnData rows = BinanceCaptureTrades.read(file).columnsOf(-1);
            for (int s = 0; s < rows.size(); s += rowsPerBlock) {
                blocks.add(new Block(rows, s, Math.min(rowsPerBlock, rows.size() - s)));
            }
        }
        return blocks;
    }

    /**
     * The uncompressed bytes of each of the first {@code sections} sections of {@code block} as {@code raw} (a level-0
     * {@link ColumnBlockCodec}) encodes it into {@code out}: each section is its length (int), its method byte (RAW at
     * level 0), a varint of the data's length, then the data.
     */
    static byte[][] rawSections(ColumnBlockCodec raw, ByteSink out, Block block, int sections) {
        out.reset();
        raw.encodeTradeBlock(block.rows(), block.start(), block.count(), out);
        byte[] bytes = out.array();
        ByteBuffer view = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        byte[][] data = new byte[sections][];
        int at = 0;
        for (int s = 0; s < sections; s++) {
            int sectionLength = view.getInt(at);
            int p = at + 5;
            int length = 0;
            for (int shift = 0; ; shift += 7) {
                int b = bytes[p++] & 0xFF;
                length |= (b & 0x7F) << shift;
                if (b < 0x80) {
                    break;
                }
            }
            data[s] = Arrays.copyOfRange(bytes, p, p + length);
            at += 4 + sectionLength;
        }
        return data;
    }
}
