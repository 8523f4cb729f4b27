package dev.tickvault.store.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tickvault.model.Decimal;
import dev.tickvault.model.SeriesKey;
import dev.tickvault.model.Side;
import dev.tickvault.model.Trade;
import dev.tickvault.store.Durability;
import dev.tickvault.store.StorageException;
import dev.tickvault.store.StoreConfig;
import dev.tickvault.store.StoreWriter;
import dev.tickvault.store.Table;
import dev.tickvault.store.TickStore;
import dev.tickvault.store.memtable.ColumnData;
import dev.tickvault.store.partition.ChunkFile;
import dev.tickvault.store.partition.ColumnBlockCodec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A chunk source that hands every other block to a {@link BlockDecodeHelper} reads exactly the rows of one that
 * decodes every block itself, for ranges over one, two and many blocks, and reports a damaged block (whichever thread
 * decoded it) as a CORRUPT error naming the file.
 */
class ChunkSourceHelperTest {

    private static final SeriesKey SERIES = SeriesKey.of("binance", "BTCUSDT");
    private static final long T0 = 1_723_075_200_000_000_000L;
    private static final int ROWS = 70_000;

    @TempDir
    Path work;

    @Test
    void helperDecodedRangesEqualSerialOnes() throws IOException {
        Path file = writeChunk(work.resolve("store"));
        BlockDecodeHelper helper = BlockDecodeHelper.newHelper();
        Random random = new Random(11);
        try (ChunkFile chunk = ChunkFile.open(file)) {
            assertThat(chunk.blockCount()).isGreaterThanOrEqualTo(8);
            List<long[]> ranges = new ArrayList<>(List.of(
                    new long[] {chunk.minTs(), chunk.maxTs() + 1},
                    new long[] {chunk.blockMinTs(1) + 5, chunk.blockMaxTs(2)},
                    new long[] {chunk.blockMinTs(3), chunk.blockMinTs(3) + 1_000},
                    new long[] {chunk.blockMaxTs(4) - 10, chunk.blockMinTs(5) + 10}));
            for (int i = 0; i < 20; i++) {
                long a = chunk.minTs() + (long) (random.nextDouble() * (chunk.maxTs() - chunk.minTs()));
                long b = a + (long) (random.nextDouble() * (chunk.maxTs() - a + 2));
                ranges.add(new long[] {a, b});
            }
            for (long[] range : ranges) {
                List<String> serial = read(new ChunkSource(chunk, range[0], range[1], new ColumnBlockCodec(0), null));
                List<String> parallel =
                        read(new ChunkSource(chunk, range[0], range[1], new ColumnBlockCodec(0), helper));
                assertThat(parallel).as("range [%d, %d)", range[0], range[1]).isEqualTo(serial);
            }
            List<String> all =
                    read(new ChunkSource(chunk, Long.MIN_VALUE, Long.MAX_VALUE, new ColumnBlockCodec(0), helper));
            assertThat(all).hasSize(ROWS);
        }
    }

    @Test
    void aDamagedBlockIsCorruptWhicheverThreadDecodesIt() throws IOException {
        Path file = writeChunk(work.resolve("store"));
        BlockDecodeHelper helper = BlockDecodeHelper.newHelper();
        long size = Files.size(file);
        for (int percent = 10; percent <= 80; percent += 7) {
            Path damaged = work.resolve("damaged-" + percent + ".tvc");
            Files.copy(file, damaged);
            long offset = size * percent / 100;
            try (FileChannel channel = FileChannel.open(damaged, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                ByteBuffer one = ByteBuffer.allocate(1);
                channel.read(one, offset);
                one.flip();
                one.put(0, (byte) (one.get(0) ^ 0x10));
                channel.write(one, offset);
            }
            try (ChunkFile chunk = ChunkFile.open(damaged)) {
                for (BlockDecodeHelper h : new BlockDecodeHelper[] {null, helper}) {
                    assertThatThrownBy(() -> read(
                                    new ChunkSource(chunk, Long.MIN_VALUE, Long.MAX_VALUE, new ColumnBlockCodec(0), h)))
                            .as("byte %d flipped, helper %s", offset, h)
                            .isInstanceOf(StorageException.class)
                            .hasMessageContaining(damaged.getFileName().toString());
                }
            }
        }
    }

    /** Every column of every row, one string per row. */
    private static List<String> read(ChunkSource source) {
        List<String> rows = new ArrayList<>();
        for (boolean live = source.start(); live; live = source.skip(source.end() - source.row())) {
            ColumnData d = source.data();
            for (int r = source.row(); r < source.end(); r++) {
                rows.add(d.longs(Table.TS)[r] + "," + d.longs(Table.RECV_TS)[r] + "," + d.longs(Table.PRICE)[r] + ","
                        + d.bytes(Table.PRICE_SCALE)[r] + "," + d.longs(Table.QTY)[r] + ","
                        + d.bytes(Table.QTY_SCALE)[r]
                        + "," + d.bytes(Table.SIDE)[r] + "," + d.longs(Table.TRADE_ID)[r] + ","
                        + d.string(Table.TRADE_ID_TEXT, r));
            }
        }
        return rows;
    }

    /** One flushed chunk file of {@value #ROWS} trades (several blocks); returns its path. */
    private static Path writeChunk(Path dir) throws IOException {
        Random random = new Random(5);
        try (TickStore store = TickStore.open(dir, StoreConfig.defaults().withDurability(Durability.OS));
                StoreWriter writer = store.newWriter()) {
            long ts = T0;
            long price = 6_183_763;
            for (int i = 0; i < ROWS; i++) {
                ts += random.nextInt(4) == 0 ? 0 : 1_000_000L * (1 + random.nextInt(20));
                price += random.nextInt(7) - 3;
                writer.appendTrade(new Trade(
                        SERIES,
                        ts,
                        ts + 100_000 + random.nextInt(900_000),
                        Decimal.of(price, 2),
                        Decimal.of(1 + random.nextInt(1_000_000), 8),
                        random.nextBoolean() ? Side.BUY : Side.SELL,
                        i % 997 == 0 ? Trade.NO_TRADE_ID : 1_000_000L + i,
                        i % 997 == 0 ? "text-" + i : null));
            }
            writer.commit();
            store.flush();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> p.toString().endsWith(".tvc")).findFirst().orElseThrow();
        }
    }
}
