package dev.tickvault.store.partition;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickvault.store.Table;
import dev.tickvault.store.memtable.ColumnData;
import dev.tickvault.testing.RandomCases;
import java.nio.file.Path;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Trade blocks of chunk format 3 ({@link ColumnBlockCodec#encodeTradeBlock}) round-trip random trade rows exactly,
 * and a version-2 trade chunk (the old forms) written from the same rows still reads back the same.
 */
class TradeBlockFormatTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("dev.tickvault.testing.RandomCases#seeds")
    void randomTradeBlocksRoundTripInTheNewAndTheOldFormat(long seed) {
        RandomGenerator random = RandomCases.random(seed);
        int rows =
                random.nextBoolean() ? RandomCases.intBetween(random, 1, 40) : RandomCases.intBetween(random, 1, 9000);
        ColumnData data = trades(random, rows);
        int rowsPerBlock = RandomCases.oneOf(random, 1, 2, 127, 128, 129, 1000, 8192);
        for (int version : new int[] {ChunkLayout.FORMAT_VERSION, 2, 1}) {
            int level = random.nextBoolean() ? 3 : 0;
            Path file = dir.resolve("v" + version + ".tvc");
            try (ChunkFile chunk = new ChunkWriter(rowsPerBlock, level, version).write(file, data, 0, rows, 1)) {
                assertThat(chunk.formatVersion()).isEqualTo(version);
                assertReadsBack(chunk, data, "version " + version);
                chunk.verifyAllBlocks();
            }
        }
    }

    /**
     * Trade-like rows (bursts, 100 ns receive steps with outliers, ticks, lots) mixed with arbitrary longs; also the
     * input of {@link TradeBlockGoldenBytesTest} (changing it changes that test's pinned digests).
     */
    static ColumnData trades(RandomGenerator random, int rows) {
        ColumnData data = new ColumnData(Table.TRADES, rows);
        data.reserve(rows);
        boolean arbitrary = random.nextInt(4) == 0;
        long ts = 1_723_161_253_000_000_000L;
        long recv = ts - 1_270_000_000L;
        long price = 6_183_763_000_000L;
        long id = random.nextLong(1L << 40);
        for (int i = 0; i < rows; i++) {
            if (arbitrary && random.nextInt(3) == 0) {
                ts = random.nextInt(8) == 0 ? ts : Math.max(ts, RandomCases.anyLong(random));
                recv = RandomCases.anyLong(random);
                price = RandomCases.anyLong(random);
            } else if (random.nextInt(3) == 0) {
                ts += 1_000_000L * random.nextInt(40);
                recv = ts - 1_270_000_000L + random.nextInt(5_000_000);
                price += 1_000_000L * (random.nextInt(41) - 20);
            } else {
                recv += random.nextInt(60) == 0 ? random.nextInt(3_000_000) : 100L * random.nextInt(30);
                price += random.nextInt(4) == 0 ? 1_000_000L * (random.nextInt(5) - 2) : 0;
            }
            data.longs(Table.TS)[i] = ts;
            data.longs(Table.RECV_TS)[i] = recv;
            data.longs(Table.PRICE)[i] = price;
            data.longs(Table.QTY)[i] = arbitrary && random.nextInt(5) == 0
                    ? RandomCases.anyLong(random)
                    : 1000L * random.nextLong(1, random.nextBoolean() ? 100 : 10_000_000);
            data.longs(Table.TRADE_ID)[i] = id += random.nextInt(20) == 0 ? random.nextInt(5) : 1;
            data.bytes(Table.PRICE_SCALE)[i] = 8;
            data.bytes(Table.QTY_SCALE)[i] = (byte) (random.nextInt(50) == 0 ? 3 : 8);
            data.bytes(Table.SIDE)[i] = (byte) (1 + random.nextInt(2));
            if (random.nextInt(10) == 0) {
                data.setString(Table.TRADE_ID_TEXT, i, "t-" + id);
            }
        }
        return data;
    }

    static void assertReadsBack(ChunkFile chunk, ColumnData expected, String what) {
        ColumnData block = new ColumnData(Table.TRADES, 16);
        ColumnBlockCodec codec = new ColumnBlockCodec(0);
        int row = 0;
        for (int b = 0; b < chunk.blockCount(); b++) {
            chunk.decodeBlock(b, block, codec);
            for (int i = 0; i < block.size(); i++, row++) {
                for (int c = 0; c < Table.TRADES.longColumns().size(); c++) {
                    assertThat(block.longs(c)[i])
                            .as("%s row %d long %d", what, row, c)
                            .isEqualTo(expected.longs(c)[row]);
                }
                for (int c = 0; c < Table.TRADES.byteColumns().size(); c++) {
                    assertThat(block.bytes(c)[i])
                            .as("%s row %d byte %d", what, row, c)
                            .isEqualTo(expected.bytes(c)[row]);
                }
                assertThat(block.string(Table.TRADE_ID_TEXT, i))
                        .as("%s row %d text", what, row)
                        .isEqualTo(expected.string(Table.TRADE_ID_TEXT, row));
            }
        }
        assertThat(row).isEqualTo(expected.size());
    }
}
