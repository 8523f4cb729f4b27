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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A chunk source that decodes its blocks together with a {@link BlockDecodeHelper} ({@link DecodeAhead}) reads exactly
 * the rows of one that decodes every block itself: for ranges over one, two and many blocks, with readers on several
 * threads sharing one or two helper threads and closing ranges part-way; and it
 * reports a damaged block (whichever thread decoded it) as a CORRUPT error naming the file, after the same rows.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES) // a hand-over bug shows as a hang: fail it rather than wait for CI's limit
class ChunkSourceHelperTest {

    private static final SeriesKey SERIES = SeriesKey.of("binance", "BTCUSDT");
    private static final long T0 = 1_723_075_200_000_000_000L;
    private static final int ROWS = 70_000;

    @TempDir
    Path work;

    @Test
    void helperDecodedRangesEqualSerialOnes() throws IOException {
        Path file = writeChunk(work.resolve("store"));
        BlockDecodeHelper helper = BlockDecodeHelper.newHelper(1);
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
            List<String> all = readAll(chunk, helper);
            assertThat(all).hasSize(ROWS);
            assertThat(helper.rangesHelped())
                    .as("ranges of three or more blocks were helped")
                    .isPositive();
        }
    }

    @Test
    void aSourceWhoseFirstBlockDecodedColdReadsAlone() throws IOException {
        Path file = writeChunk(work.resolve("store"));
        try (ChunkFile chunk = ChunkFile.open(file)) {
            List<String> all = readAll(chunk, null);
            // no decode is as fast as 0 ns a row: every first block is cold, no range is helped
            BlockDecodeHelper never = BlockDecodeHelper.newHelper(1, 0, 0);
            BlockDecodeHelper always = BlockDecodeHelper.newHelper(1, 0, Long.MAX_VALUE);
            for (BlockDecodeHelper helper : new BlockDecodeHelper[] {never, always}) {
                assertThat(readAll(chunk, helper)).isEqualTo(all);
            }
            assertThat(never.rangesHelped()).isZero();
            assertThat(always.rangesHelped()).isEqualTo(1);
            // a range of two blocks is read alone whatever the speed
            assertThat(read(new ChunkSource(
                            chunk, chunk.blockMinTs(2), chunk.blockMaxTs(3), new ColumnBlockCodec(0), always)))
                    .hasSizeGreaterThan(0);
            assertThat(always.rangesHelped()).isEqualTo(1);
        }
    }

    @Test
    void readersOnSeveralThreadsSharingHelpersReadExactlyAndMayStopPartWay() throws Exception {
        Path file = writeChunk(work.resolve("store"));
        try (ChunkFile chunk = ChunkFile.open(file)) {
            List<String> all = readAll(chunk, null);
            // One helper thread, two, and one that sleeps 3 ms before each block (a busy core: readers take blocks
            // over from it).
            long[][] helpers = {{1, 0}, {2, 0}, {1, 3_000_000}};
            for (long[] config : helpers) {
                int threads = (int) config[0];
                BlockDecodeHelper helper = BlockDecodeHelper.newHelper(threads, config[1], Long.MAX_VALUE);
                ExecutorService readers = Executors.newFixedThreadPool(4);
                try {
                    List<Future<Integer>> done = new ArrayList<>();
                    for (int t = 0; t < 4; t++) {
                        long seed = 100L * threads + config[1] + t;
                        done.add(readers.submit(() -> readRandomRanges(chunk, helper, all, seed)));
                    }
                    for (Future<Integer> f : done) {
                        assertThat(f.get(2, TimeUnit.MINUTES)).isEqualTo(40);
                    }
                } finally {
                    readers.shutdownNow();
                }
            }
        }
    }

    /**
     * 40 random ranges read with {@code helper} (half of them stopped and closed after a few batches, then a serial
     * read of another range on the same thread, which takes the closed range's buffers), each checked against {@code
     * all}; returns the count read.
     */
    private static int readRandomRanges(ChunkFile chunk, BlockDecodeHelper helper, List<String> all, long seed) {
        Random random = new Random(seed);
        long[] ts = new long[all.size()];
        for (int i = 0; i < ts.length; i++) {
            ts[i] = Long.parseLong(all.get(i).substring(0, all.get(i).indexOf(',')));
        }
        int checked = 0;
        for (int i = 0; i < 40; i++) {
            long a = chunk.minTs() + (long) (random.nextDouble() * (chunk.maxTs() - chunk.minTs()));
            long b = a + (long) (random.nextDouble() * (chunk.maxTs() - a + 2));
            List<String> expected = rowsIn(all, ts, a, b);
            ChunkSource source = new ChunkSource(chunk, a, b, new ColumnBlockCodec(0), helper);
            if (random.nextBoolean()) {
                List<String> got = read(source);
                assertThat(got).as("range [%d, %d)", a, b).isEqualTo(expected);
            } else {
                int batches = 1 + random.nextInt(3);
                List<String> got = readBatches(source, batches);
                source.close();
                assertThat(got)
                        .as("range [%d, %d), first %d batches", a, b, batches)
                        .isEqualTo(expected.subList(0, got.size()));
                long c = chunk.minTs() + (long) (random.nextDouble() * (chunk.maxTs() - chunk.minTs()));
                long d = c + 50_000_000_000L;
                assertThat(read(new ChunkSource(chunk, c, d, new ColumnBlockCodec(0), null)))
                        .as("serial range [%d, %d) after a closed one", c, d)
                        .isEqualTo(rowsIn(all, ts, c, d));
            }
            checked++;
        }
        return checked;
    }

    private static List<String> rowsIn(List<String> all, long[] ts, long from, long to) {
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < ts.length; i++) {
            if (ts[i] >= from && ts[i] < to) {
                rows.add(all.get(i));
            }
        }
        return rows;
    }

    @Test
    void aSlowHelperLosesNothing() throws IOException {
        Path file = writeChunk(work.resolve("store"));
        try (ChunkFile chunk = ChunkFile.open(file)) {
            List<String> all = readAll(chunk, null);
            for (long delay : new long[] {100_000, 1_000_000, 20_000_000}) {
                BlockDecodeHelper helper = BlockDecodeHelper.newHelper(1, delay, Long.MAX_VALUE);
                for (int i = 0; i < 3; i++) {
                    assertThat(readAll(chunk, helper))
                            .as("helper sleeping %d ns a block, read %d", delay, i)
                            .isEqualTo(all);
                }
            }
        }
    }

    private static void flipByte(Path file, long offset) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            channel.read(one, offset);
            one.flip();
            one.put(0, (byte) (one.get(0) ^ 0x10));
            channel.write(one, offset);
        }
    }

    @Test
    void aDamagedBlockIsCorruptWhicheverThreadDecodesItAfterTheSameRows() throws IOException {
        Path file = writeChunk(work.resolve("store"));
        BlockDecodeHelper helper = BlockDecodeHelper.newHelper(1);
        long size = Files.size(file);
        for (int percent = 10; percent <= 94; percent += 7) {
            Path damaged = work.resolve("damaged-" + percent + ".tvc");
            Files.copy(file, damaged);
            flipByte(damaged, size * percent / 100);
            try (ChunkFile chunk = ChunkFile.open(damaged)) {
                List<List<String>> rowsBeforeFailure = new ArrayList<>();
                for (BlockDecodeHelper h : new BlockDecodeHelper[] {null, helper}) {
                    List<String> rows = new ArrayList<>();
                    assertThatThrownBy(() -> readInto(
                                    new ChunkSource(chunk, Long.MIN_VALUE, Long.MAX_VALUE, new ColumnBlockCodec(0), h),
                                    rows))
                            .as("%d%% flipped, helper %s", percent, h)
                            .isInstanceOf(StorageException.class)
                            .hasMessageContaining(damaged.getFileName().toString());
                    rowsBeforeFailure.add(rows);
                }
                assertThat(rowsBeforeFailure.get(1))
                        .as("rows before the damaged block, %d%%", percent)
                        .isEqualTo(rowsBeforeFailure.get(0));
            }
        }
    }

    /** Every row of {@code chunk}, read with {@code helper} (or none). */
    private static List<String> readAll(ChunkFile chunk, BlockDecodeHelper helper) {
        return read(new ChunkSource(chunk, Long.MIN_VALUE, Long.MAX_VALUE, new ColumnBlockCodec(0), helper));
    }

    /** Every column of every row, one string per row; closes the source. */
    private static List<String> read(ChunkSource source) {
        List<String> rows = new ArrayList<>();
        readInto(source, rows);
        return rows;
    }

    /** The rows of the first {@code batches} ranges of {@code source} (not closed). */
    private static List<String> readBatches(ChunkSource source, int batches) {
        List<String> rows = new ArrayList<>();
        int n = 0;
        for (boolean live = source.start(); live && n < batches; live = source.skip(source.end() - source.row())) {
            addRows(source, rows);
            n++;
        }
        return rows;
    }

    /** Adds every row of {@code source} to {@code rows} as it goes (so a failure leaves the rows before it); closes. */
    private static void readInto(ChunkSource source, List<String> rows) {
        try {
            for (boolean live = source.start(); live; live = source.skip(source.end() - source.row())) {
                addRows(source, rows);
            }
        } finally {
            source.close();
        }
    }

    private static void addRows(ChunkSource source, List<String> rows) {
        ColumnData d = source.data();
        for (int r = source.row(); r < source.end(); r++) {
            rows.add(d.longs(Table.TS)[r] + "," + d.longs(Table.RECV_TS)[r] + "," + d.longs(Table.PRICE)[r] + ","
                    + d.bytes(Table.PRICE_SCALE)[r] + "," + d.longs(Table.QTY)[r] + ","
                    + d.bytes(Table.QTY_SCALE)[r]
                    + "," + d.bytes(Table.SIDE)[r] + "," + d.longs(Table.TRADE_ID)[r] + ","
                    + d.string(Table.TRADE_ID_TEXT, r));
        }
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
