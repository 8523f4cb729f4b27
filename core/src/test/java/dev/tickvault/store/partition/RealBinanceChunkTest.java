package dev.tickvault.store.partition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tickvault.model.DecimalParser;
import dev.tickvault.store.Table;
import dev.tickvault.store.memtable.ColumnData;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Real Binance BTCUSDT trades (hftbacktest recordings, see ../shared/captures) written through {@link ChunkWriter}
 * exactly as the store flushes them (8,192 rows per block, zstd level 3, chunk format 3): every row reads back unchanged, and the
 * bytes per trade of each column section (its 4-byte length included) are printed. The bound is a regression guard
 * a little above what the encodings achieve today. Skipped when the recordings are not there.
 */
class RealBinanceChunkTest {
    private static final Path CAPTURES = dev.tickvault.feed.Captures.ROOT.resolve("binance/hftbacktest");

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @CsvSource({"spot_btcusdt_20240808.gz, 4.3", "usdm_btcusdt_20240808.gz, 3.3"})
    void realTradesRoundTripThroughAChunkAndReportTheirSize(String capture, double maxBytesPerTrade)
            throws IOException {
        Path file = CAPTURES.resolve(capture);
        assumeTrue(Files.exists(file), "recording not found: " + file.toAbsolutePath());
        ColumnData rows = read(file);
        int n = rows.size();
        assertThat(n).isGreaterThan(1000);

        Path target = dir.resolve("trades.tvc");
        ChunkWriter writer = new ChunkWriter(ChunkLayout.DEFAULT_ROWS_PER_BLOCK, 3);
        Table table = Table.TRADES;
        int longColumns = table.longColumns().size();
        int byteColumns = table.byteColumns().size();
        try (ChunkFile chunk = writer.write(target, rows, 0, n, 1)) {
            ColumnData decoded = new ColumnData(table, 1024);
            ColumnBlockCodec codec = new ColumnBlockCodec(0);
            int row = 0;
            for (int b = 0; b < chunk.blockCount(); b++) {
                chunk.decodeBlock(b, decoded, codec);
                for (int i = 0; i < decoded.size(); i++, row++) {
                    for (int c = 0; c < longColumns; c++) {
                        assertThat(decoded.longs(c)[i])
                                .as("row %d long %d", row, c)
                                .isEqualTo(rows.longs(c)[row]);
                    }
                    for (int c = 0; c < byteColumns; c++) {
                        assertThat(decoded.bytes(c)[i])
                                .as("row %d byte %d", row, c)
                                .isEqualTo(rows.bytes(c)[row]);
                    }
                }
            }
            assertThat(row).isEqualTo(n);
        }

        long[] sections =
                new long[longColumns + byteColumns + table.stringColumns().size()];
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(target)).order(ByteOrder.LITTLE_ENDIAN);
        int fileSize = bytes.capacity();
        int indexOffset = (int) bytes.getLong(fileSize - ChunkLayout.TRAILER_SIZE);
        int blocks = (fileSize - ChunkLayout.TRAILER_SIZE - indexOffset) / ChunkLayout.INDEX_ENTRY_SIZE;
        for (int b = 0; b < blocks; b++) {
            int p = (int)
                    bytes.getLong(indexOffset + b * ChunkLayout.INDEX_ENTRY_SIZE + ChunkLayout.INDEX_BLOCK_OFFSET);
            for (int c = 0; c < sections.length; c++) {
                int length = bytes.getInt(p);
                sections[c] += 4 + length;
                p += 4 + length;
            }
        }
        String[] names = {"ts", "recv_ts", "price", "qty", "trade_id", "price_scale", "qty_scale", "side", "id_text"};
        StringBuilder report = new StringBuilder(String.format(
                "real Binance %s: %d trades, %d blocks, zstd 3, bytes/trade per column section", capture, n, blocks));
        long sum = 0;
        for (int c = 0; c < sections.length; c++) {
            sum += sections[c];
            report.append(String.format("%n  %-12s %6.3f", names[c], (double) sections[c] / n));
        }
        report.append(String.format("%n  %-12s %6.3f", "all columns", (double) sum / n));
        double perTrade = (double) fileSize / n;
        report.append(String.format("%n  %-12s %6.3f (with header, index and trailer)", "file", perTrade));
        System.out.println(report);
        assertThat(perTrade).as(report.toString()).isLessThanOrEqualTo(maxBytesPerTrade);
    }

    /** The {@code @trade} messages as the store's trades table holds them (as bench's BinanceCaptureTrades reads them). */
    private static ColumnData read(Path file) throws IOException {
        ColumnData rows = new ColumnData(Table.TRADES, 1 << 15);
        DecimalParser decimals = new DecimalParser();
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.US_ASCII))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (!line.contains("\"e\":\"trade\"")) {
                    continue;
                }
                int row = rows.reserve(1);
                rows.longs(0)[row] = Long.parseLong(number(line, "\"T\":")) * 1_000_000L;
                rows.longs(1)[row] = Long.parseLong(line, 0, line.indexOf(' '), 10);
                String price = text(line, "\"p\":\"");
                rows.longs(2)[row] = decimals.parse(price, 0, price.length());
                rows.bytes(0)[row] = (byte) decimals.scale();
                String qty = text(line, "\"q\":\"");
                rows.longs(3)[row] = decimals.parse(qty, 0, qty.length());
                rows.bytes(1)[row] = (byte) decimals.scale();
                rows.longs(4)[row] = Long.parseLong(number(line, "\"t\":"));
                rows.bytes(2)[row] = (byte) (line.contains("\"m\":true") ? 2 : 1);
            }
        }
        return rows;
    }

    private static String number(String line, String key) {
        int start = line.indexOf(key) + key.length();
        int end = start;
        while (end < line.length() && Character.isDigit(line.charAt(end))) {
            end++;
        }
        return line.substring(start, end);
    }

    private static String text(String line, String key) {
        int start = line.indexOf(key) + key.length();
        return line.substring(start, line.indexOf('"', start));
    }
}
