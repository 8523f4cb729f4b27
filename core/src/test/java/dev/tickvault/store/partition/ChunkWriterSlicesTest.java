package dev.tickvault.store.partition;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickvault.store.Table;
import dev.tickvault.store.memtable.ColumnData;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A chunk written from many slices (blocks inside one slice and blocks spanning several) reads back in order. */
class ChunkWriterSlicesTest {

    @TempDir
    Path dir;

    @Test
    void slicesOfAnySizeReadBackAsOneSequence() {
        Random random = new Random(11);
        for (int round = 0; round < 20; round++) {
            List<ChunkWriter.Slice> slices = new ArrayList<>();
            ColumnData expected = new ColumnData(Table.TRADES, 1024);
            long ts = 1_723_161_253_000_000_000L;
            int sliceCount = 1 + random.nextInt(12);
            for (int s = 0; s < sliceCount; s++) {
                int size = 1 + random.nextInt(random.nextBoolean() ? 40 : 9000);
                int padding = random.nextInt(5);
                ColumnData data = randomTrades(random, size + 2 * padding, ts, round * 1_000_000L + s * 10_000L);
                ts = data.ts(data.size() - 1);
                slices.add(new ChunkWriter.Slice(data, padding, padding + size));
                expected.appendRange(data, padding, padding + size);
            }
            ChunkWriter writer = new ChunkWriter(8192, round % 2 == 0 ? 3 : 0);
            try (ChunkFile chunk = writer.write(dir.resolve("c" + round + ".tvc"), slices, 42)) {
                assertThat(chunk.rowCount()).isEqualTo(expected.size());
                assertThat(chunk.minTs()).isEqualTo(expected.ts(0));
                assertThat(chunk.maxTs()).isEqualTo(expected.ts(expected.size() - 1));
                ColumnData block = new ColumnData(Table.TRADES, 8192);
                ColumnBlockCodec codec = new ColumnBlockCodec(0);
                int row = 0;
                for (int b = 0; b < chunk.blockCount(); b++) {
                    chunk.decodeBlock(b, block, codec);
                    for (int i = 0; i < block.size(); i++, row++) {
                        for (int c = 0; c < Table.TRADES.longColumns().size(); c++) {
                            assertThat(block.longs(c)[i])
                                    .as("round %d row %d column %d", round, row, c)
                                    .isEqualTo(expected.longs(c)[row]);
                        }
                        for (int c = 0; c < Table.TRADES.byteColumns().size(); c++) {
                            assertThat(block.bytes(c)[i]).isEqualTo(expected.bytes(c)[row]);
                        }
                    }
                }
                assertThat(row).isEqualTo(expected.size());
                chunk.verifyAllBlocks();
            }
        }
    }

    /**
     * {@code rows} random trades (also for {@link ChunkWriterMixedTest}): times from {@code tsAfter} on in steps of 0 to
     * 2 ms, receive times up to 1 ms later, prices and quantities at scales 2 and 8, trade ids from {@code firstTradeId}.
     */
    static ColumnData randomTrades(RandomGenerator random, int rows, long tsAfter, long firstTradeId) {
        ColumnData data = new ColumnData(Table.TRADES, rows);
        data.reserve(rows);
        long ts = tsAfter;
        for (int i = 0; i < rows; i++) {
            ts += random.nextInt(3) * 1_000_000L;
            data.longs(Table.TS)[i] = ts;
            data.longs(Table.RECV_TS)[i] = ts + random.nextInt(1_000_000);
            data.longs(Table.PRICE)[i] = 6_000_000 + random.nextInt(1000);
            data.longs(Table.QTY)[i] = random.nextLong(1, 1_000_000_000L);
            data.longs(Table.TRADE_ID)[i] = firstTradeId + i;
            data.bytes(Table.PRICE_SCALE)[i] = 2;
            data.bytes(Table.QTY_SCALE)[i] = 8;
            data.bytes(Table.SIDE)[i] = (byte) random.nextInt(3);
        }
        return data;
    }
}
