package dev.tickvault.store.partition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tickvault.feed.Captures;
import dev.tickvault.model.BookUpdate;
import dev.tickvault.model.SeriesKey;
import dev.tickvault.store.BinanceDepthUpdates;
import dev.tickvault.store.StorageException;
import dev.tickvault.store.Table;
import dev.tickvault.store.codec.ByteSink;
import dev.tickvault.store.memtable.ColumnData;
import dev.tickvault.testing.RandomCases;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The book block layout of chunk format 3 ({@link DictionaryBookBlockCodec}), in both price modes: random book rows
 * (edge values, any side and flag byte, several scales per block) and the real Binance depth recordings read back
 * unchanged, damaged blocks give CORRUPT naming the file, and a chunk file written in format 2 still reads.
 */
class DictionaryBookBlockCodecTest {

    private static final Path FILE = Path.of("book-test.tvc");

    @TempDir
    Path dir;

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("dev.tickvault.testing.RandomCases#seeds")
    void randomBookRowsRoundTripInBothPriceModes(long seed) {
        RandomGenerator random = RandomCases.random(seed);
        ColumnData rows = randomRows(random, RandomCases.intBetween(random, 1, 600));
        int start = RandomCases.intBetween(random, 0, rows.size() - 1);
        int count = RandomCases.intBetween(random, 1, rows.size() - start);
        int level = RandomCases.oneOf(random, 0, 3);
        for (boolean dictionary : new boolean[] {false, true}) {
            assertRoundTrip(rows, start, count, level, dictionary);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"spot", "usdm"})
    void realDepthUpdatesRoundTripInBothPriceModes(String capture) throws IOException {
        ColumnData rows = realRows(capture);
        for (boolean dictionary : new boolean[] {false, true}) {
            for (int start = 0; start < rows.size(); start += ChunkLayout.DEFAULT_ROWS_PER_BLOCK) {
                int count = Math.min(ChunkLayout.DEFAULT_ROWS_PER_BLOCK, rows.size() - start);
                assertRoundTrip(rows, start, count, 3, dictionary);
            }
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("dev.tickvault.testing.RandomCases#seeds")
    void powerOfTenDivisibilityMatchesBigIntegerRemainders(long seed) {
        RandomGenerator random = RandomCases.random(seed);
        for (int i = 0; i < 2_000; i++) {
            int exponent = RandomCases.intBetween(random, 0, 18);
            long value =
                    switch (random.nextInt(4)) {
                        case 0 -> RandomCases.anyLong(random);
                        case 1 -> RandomCases.anyLong(random) / POWERS_OF_TEN[exponent] * POWERS_OF_TEN[exponent];
                        case 2 -> RandomCases.longBetween(random, -1000, 1000) * POWERS_OF_TEN[exponent];
                        default ->
                            RandomCases.anyLong(random) / POWERS_OF_TEN[exponent] * POWERS_OF_TEN[exponent]
                                    + RandomCases.oneOf(random, 1L, -1L, 5L, POWERS_OF_TEN[exponent] / 2);
                    };
            boolean expected =
                    BigInteger.valueOf(value).mod(BigInteger.TEN.pow(exponent)).equals(BigInteger.ZERO);
            assertThat(DictionaryBookBlockCodec.divisible(value, exponent))
                    .as("%d divisible by 10^%d", value, exponent)
                    .isEqualTo(expected);
        }
    }

    private static final long[] POWERS_OF_TEN = new long[19];

    static {
        POWERS_OF_TEN[0] = 1;
        for (int e = 1; e < POWERS_OF_TEN.length; e++) {
            POWERS_OF_TEN[e] = POWERS_OF_TEN[e - 1] * 10;
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("dev.tickvault.testing.RandomCases#fewSeeds")
    void truncatedOrGarbledBlocksAreCorruptAndNameTheFile(long seed) {
        RandomGenerator random = RandomCases.random(seed);
        ColumnData rows = randomRows(random, RandomCases.intBetween(random, 2, 300));
        ColumnBlockCodec writer = new ColumnBlockCodec(0); // RAW frames: damage reaches the book codec itself
        writer.bookPriceDictionary(random.nextBoolean());
        ByteSink out = new ByteSink(1 << 12);
        writer.encodeBookBlock(3, rows, 0, rows.size(), out);
        byte[] block = Arrays.copyOf(out.array(), out.position());
        ColumnData dst = new ColumnData(Table.BOOK, rows.size());

        byte[] truncated = Arrays.copyOf(block, RandomCases.intBetween(random, 0, block.length - 1));
        assertCorrupt(truncated, rows.size(), dst);

        // A wrong row count can never match the event lengths.
        assertCorrupt(block, rows.size() + 1, dst);

        // Garbage after a valid header: any outcome but an unchecked exception or a silent wrong count.
        byte[] garbled = block.clone();
        for (int i = 0; i < 1 + random.nextInt(8); i++) {
            garbled[random.nextInt(garbled.length)] = (byte) random.nextInt(256);
        }
        dst.clear();
        dst.reserve(rows.size());
        try {
            long consumed =
                    new ColumnBlockCodec(0).decodeBookBlock(3, MemorySegment.ofArray(garbled), rows.size(), dst, FILE);
            assertThat(consumed).isEqualTo(garbled.length);
        } catch (StorageException e) {
            assertThat(e.kind()).isEqualTo(StorageException.Kind.CORRUPT);
            assertThat(e.getMessage()).contains(FILE.toString());
        }
    }

    @Test
    void aFlippedBitInAFormat3BookChunkIsAChecksumErrorNamingTheFile() throws IOException {
        ColumnData rows = randomRows(RandomCases.random(7), 5_000);
        Path target = dir.resolve("book.tvc");
        try (ChunkFile chunk = new ChunkWriter(1_000, 3).write(target, rows, 0, rows.size(), 1)) {
            chunk.verifyAllBlocks();
        }
        byte[] bytes = Files.readAllBytes(target);
        bytes[ChunkLayout.HEADER_SIZE + 100] ^= 0x10;
        Files.write(target, bytes);
        try (ChunkFile chunk = ChunkFile.open(target)) {
            assertThatThrownBy(chunk::verifyAllBlocks)
                    .isInstanceOf(StorageException.class)
                    .hasMessageContaining(target.toString());
        }
    }

    @Test
    void format2BookChunksStillRead() {
        ColumnData rows = randomRows(RandomCases.random(11), 3_000);
        Path old = dir.resolve("book-v2.tvc");
        try (ChunkFile chunk =
                new ChunkWriter(ChunkLayout.DEFAULT_ROWS_PER_BLOCK, 3, 2).write(old, rows, 0, rows.size(), 1)) {
            chunk.verifyAllBlocks();
        }
        try (ChunkFile chunk = ChunkFile.open(old)) {
            ColumnData decoded = new ColumnData(Table.BOOK, rows.size());
            chunk.decodeBlock(0, decoded, new ColumnBlockCodec(0));
            assertSameRows(rows, 0, decoded);
        }
    }

    private static void assertRoundTrip(ColumnData rows, int start, int count, int level, boolean dictionary) {
        ColumnBlockCodec writer = new ColumnBlockCodec(level);
        writer.bookPriceDictionary(dictionary);
        ByteSink out = new ByteSink(1 << 12);
        out.putByte(0x5A); // the block need not start at offset 0 of the sink
        int from = out.position();
        writer.encodeBookBlock(3, rows, start, count, out);
        byte[] block = Arrays.copyOfRange(out.array(), from, out.position());
        ColumnData decoded = new ColumnData(Table.BOOK, count);
        decoded.reserve(count);
        long consumed = new ColumnBlockCodec(0).decodeBookBlock(3, MemorySegment.ofArray(block), count, decoded, FILE);
        assertThat(consumed).isEqualTo(block.length);
        assertSameRows(rows, start, decoded);
    }

    private static void assertSameRows(ColumnData expected, int start, ColumnData decoded) {
        for (int i = 0; i < decoded.size(); i++) {
            for (int c = 0; c < Table.BOOK.longColumns().size(); c++) {
                assertThat(decoded.longs(c)[i])
                        .as("row %d long %d", start + i, c)
                        .isEqualTo(expected.longs(c)[start + i]);
            }
            for (int c = 0; c < Table.BOOK.byteColumns().size(); c++) {
                assertThat(decoded.bytes(c)[i])
                        .as("row %d byte %d", start + i, c)
                        .isEqualTo(expected.bytes(c)[start + i]);
            }
        }
    }

    private static void assertCorrupt(byte[] block, int rows, ColumnData dst) {
        dst.clear();
        dst.reserve(rows);
        assertThatThrownBy(
                        () -> new ColumnBlockCodec(0).decodeBookBlock(3, MemorySegment.ofArray(block), rows, dst, FILE))
                .isInstanceOfSatisfying(
                        StorageException.class, e -> assertThat(e.kind()).isEqualTo(StorageException.Kind.CORRUPT))
                .hasMessageContaining(FILE.toString());
    }

    /**
     * Book-shaped rows: events of 1..40 rows sharing times and ids, groups of one side with prices stepping in one
     * direction, sometimes any long at all; quantities mostly small, sometimes negative or extreme; any side and flag
     * byte now and then.
     */
    static ColumnData randomRows(RandomGenerator random, int n) {
        ColumnData rows = new ColumnData(Table.BOOK, n);
        rows.reserve(n);
        long ts = RandomCases.anyLong(random);
        long recv = RandomCases.anyLong(random);
        long id = RandomCases.anyLong(random);
        long price = RandomCases.longBetween(random, -1_000_000, 1L << 50);
        long tick = RandomCases.oneOf(random, 1L, 10L, 1_000_000L);
        boolean wild = random.nextInt(4) == 0;
        int row = 0;
        while (row < n) {
            int length = Math.min(n - row, RandomCases.intBetween(random, 1, 40));
            ts += random.nextInt(3) == 0 ? RandomCases.anyLong(random) : random.nextInt(5) * 1_000_000L;
            recv = random.nextInt(5) == 0 ? RandomCases.anyLong(random) : ts + random.nextInt(2_000_000);
            long first = random.nextInt(6) == 0 ? RandomCases.anyLong(random) : id + 1;
            long last = random.nextInt(6) == 0 ? RandomCases.anyLong(random) : first + random.nextInt(50);
            id = last;
            byte side = (byte) (wild && random.nextInt(10) == 0 ? random.nextInt(256) : 1 + random.nextInt(2));
            for (int i = 0; i < length; i++, row++) {
                if (random.nextInt(5) == 0) {
                    side = (byte) (wild && random.nextInt(10) == 0 ? random.nextInt(256) : 1 + random.nextInt(2));
                }
                price = wild && random.nextInt(20) == 0
                        ? RandomCases.anyLong(random)
                        : price + tick * (side == 1 ? -1 : 1) * random.nextInt(30);
                rows.longs(Table.TS)[row] = ts;
                rows.longs(Table.RECV_TS)[row] = recv;
                rows.longs(Table.FIRST_UPDATE_ID)[row] = first;
                rows.longs(Table.LAST_UPDATE_ID)[row] = last;
                rows.longs(Table.PRICE)[row] = random.nextInt(8) == 0 ? price - price % 1000 : price;
                rows.longs(Table.QTY)[row] = wild && random.nextInt(10) == 0
                        ? RandomCases.anyLong(random)
                        : random.nextInt(3) == 0 ? 0 : random.nextInt(100_000) * 1000L;
                rows.bytes(Table.PRICE_SCALE)[row] = (byte) (wild && random.nextInt(50) == 0 ? random.nextInt(19) : 2);
                rows.bytes(Table.QTY_SCALE)[row] = (byte) (wild && random.nextInt(50) == 0 ? random.nextInt(19) : 8);
                rows.bytes(Table.SIDE)[row] = side;
                int flags = wild && random.nextInt(10) == 0 ? random.nextInt(256) : random.nextInt(3) == 0 ? 8 : 0;
                if (i == length - 1 && random.nextInt(8) != 0) {
                    flags |= BookUpdate.EVENT_END;
                }
                rows.bytes(Table.FLAGS)[row] = (byte) flags;
            }
        }
        return rows;
    }

    static ColumnData realRows(String capture) throws IOException {
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
        return rows;
    }
}
