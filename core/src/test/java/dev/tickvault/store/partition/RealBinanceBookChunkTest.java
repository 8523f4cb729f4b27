package dev.tickvault.store.partition;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickvault.feed.Captures;
import dev.tickvault.model.BookUpdate;
import dev.tickvault.model.SeriesKey;
import dev.tickvault.store.BinanceDepthUpdates;
import dev.tickvault.store.Table;
import dev.tickvault.store.memtable.ColumnData;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every level update of the real Binance depth recordings (REST snapshot included, in recording order) written
 * through {@link ChunkWriter} as the store flushes them (8,192 rows per block, zstd 3) reads back unchanged; the bytes
 * per level update of each section of the book layout ({@link DictionaryBookBlockCodec}, chunk format 3) are printed,
 * and the same rows written in formats 1 and 2 still read. The bound is a regression guard a little above what the
 * layout achieves today.
 */
class RealBinanceBookChunkTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @CsvSource({"spot, 2.9", "usdm, 2.36"})
    void realDepthUpdatesRoundTripThroughAChunkAndReportTheirSize(String capture, double maxBytesPerUpdate)
            throws IOException {
        Path file = Captures.require(capture.equals("spot") ? Captures.BINANCE_SPOT : Captures.BINANCE_USDM);
        List<BookUpdate> updates = BinanceDepthUpdates.read(file, SeriesKey.of("binance", "BTCUSDT"));
        ColumnData rows = new ColumnData(Table.BOOK, updates.size());
        for (BookUpdate u : updates) {
            int row = rows.reserve(1);
            rows.longs(Table.TS)[row] = u.tsNanos();
            rows.longs(Table.RECV_TS)[row] = u.recvTsNanos();
            rows.longs(Table.PRICE)[row] = u.price().mantissa();
            rows.longs(Table.QTY)[row] = u.quantity().mantissa();
            rows.longs(Table.FIRST_UPDATE_ID)[row] = u.firstUpdateId();
            rows.longs(Table.LAST_UPDATE_ID)[row] = u.lastUpdateId();
            rows.bytes(Table.PRICE_SCALE)[row] = (byte) u.price().scale();
            rows.bytes(Table.QTY_SCALE)[row] = (byte) u.quantity().scale();
            rows.bytes(Table.SIDE)[row] = (byte) u.side().code();
            rows.bytes(Table.FLAGS)[row] = (byte) u.flags();
        }
        int n = rows.size();
        Path target = dir.resolve("book.tvc");
        ChunkWriter writer = new ChunkWriter(ChunkLayout.DEFAULT_ROWS_PER_BLOCK, 3);
        try (ChunkFile chunk = writer.write(target, rows, 0, n, 1)) {
            ColumnData decoded = new ColumnData(Table.BOOK, 1024);
            ColumnBlockCodec codec = new ColumnBlockCodec(0);
            int row = 0;
            for (int b = 0; b < chunk.blockCount(); b++) {
                chunk.decodeBlock(b, decoded, codec);
                for (int i = 0; i < decoded.size(); i++, row++) {
                    for (int c = 0; c < Table.BOOK.longColumns().size(); c++) {
                        assertThat(decoded.longs(c)[i])
                                .as("row %d long %d", row, c)
                                .isEqualTo(rows.longs(c)[row]);
                    }
                    for (int c = 0; c < Table.BOOK.byteColumns().size(); c++) {
                        assertThat(decoded.bytes(c)[i])
                                .as("row %d byte %d", row, c)
                                .isEqualTo(rows.bytes(c)[row]);
                    }
                }
            }
            assertThat(row).isEqualTo(n);
            chunk.verifyAllBlocks();
        }

        // Chunk format version 1 (book blocks one section per column, written before version 2) still reads.
        Path old = dir.resolve("book-v1.tvc");
        try (ChunkFile chunk = new ChunkWriter(ChunkLayout.DEFAULT_ROWS_PER_BLOCK, 3, 1).write(old, rows, 0, n, 1)) {
            ColumnData decoded = new ColumnData(Table.BOOK, 1024);
            ColumnBlockCodec codec = new ColumnBlockCodec(0);
            int row = 0;
            for (int b = 0; b < chunk.blockCount(); b++) {
                chunk.decodeBlock(b, decoded, codec);
                for (int i = 0; i < decoded.size(); i++, row++) {
                    for (int c = 0; c < Table.BOOK.longColumns().size(); c++) {
                        assertThat(decoded.longs(c)[i])
                                .as("v1 row %d long %d", row, c)
                                .isEqualTo(rows.longs(c)[row]);
                    }
                    for (int c = 0; c < Table.BOOK.byteColumns().size(); c++) {
                        assertThat(decoded.bytes(c)[i])
                                .as("v1 row %d byte %d", row, c)
                                .isEqualTo(rows.bytes(c)[row]);
                    }
                }
            }
            assertThat(row).isEqualTo(n);
            System.out.printf(
                    "  %-12s %6.3f (format version 1, for comparison)%n", "file v1", (double) Files.size(old) / n);
        }

        // Chunk format version 2 (book blocks in BookBlockCodec's layout, written before version 3) still reads.
        Path v2 = dir.resolve("book-v2.tvc");
        try (ChunkFile chunk = new ChunkWriter(ChunkLayout.DEFAULT_ROWS_PER_BLOCK, 3, 2).write(v2, rows, 0, n, 1)) {
            ColumnData decoded = new ColumnData(Table.BOOK, 1024);
            ColumnBlockCodec codec = new ColumnBlockCodec(0);
            int row = 0;
            for (int b = 0; b < chunk.blockCount(); b++) {
                chunk.decodeBlock(b, decoded, codec);
                for (int i = 0; i < decoded.size(); i++, row++) {
                    assertThat(decoded.longs(Table.PRICE)[i])
                            .as("v2 row %d price", row)
                            .isEqualTo(rows.longs(Table.PRICE)[row]);
                    assertThat(decoded.longs(Table.QTY)[i])
                            .as("v2 row %d qty", row)
                            .isEqualTo(rows.longs(Table.QTY)[row]);
                }
            }
            assertThat(row).isEqualTo(n);
            chunk.verifyAllBlocks();
            System.out.printf(
                    "  %-12s %6.3f (format version 2, for comparison)%n", "file v2", (double) Files.size(v2) / n);
        }

        // Format 3 with the price mode the store writes (PRICE_TICKS): events, attributes, price, quantity.
        String[] names = {"events", "attributes", "price", "qty"};
        long[] sections = new long[names.length];
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
        StringBuilder report = new StringBuilder(String.format(
                "real Binance %s depth: %d level updates, %d blocks, zstd 3, bytes/update per section",
                capture, n, blocks));
        for (int c = 0; c < sections.length; c++) {
            report.append(String.format("%n  %-12s %6.3f", names[c], (double) sections[c] / n));
        }
        double perUpdate = (double) fileSize / n;
        report.append(String.format("%n  %-12s %6.3f (with header, index and trailer)", "file", perUpdate));
        System.out.println(report);
        assertThat(perUpdate).as(report.toString()).isLessThanOrEqualTo(maxBytesPerUpdate);
    }
}
