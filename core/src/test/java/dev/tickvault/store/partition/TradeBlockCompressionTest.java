package dev.tickvault.store.partition;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickvault.store.Table;
import dev.tickvault.store.codec.BlockCompressor;
import dev.tickvault.store.codec.ByteSink;
import dev.tickvault.store.memtable.ColumnData;
import dev.tickvault.testing.RandomCases;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * zstd on trade block sections ({@link ColumnBlockCodec#tradeSectionMinMatch}): sections are zstd frames, or RAW where
 * zstd does not shrink them, and chunks written so decode to their rows.
 */
class TradeBlockCompressionTest {
    private static final int RAW = 0;
    private static final int ZSTD = 1;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("dev.tickvault.testing.RandomCases#fewSeeds")
    void chunksWithRawAndZstdSectionsReadBack(long seed) {
        RandomGenerator random = RandomCases.random(seed);
        int rows = RandomCases.intBetween(random, 2_000, 20_000);
        ColumnData data = TradeBlockFormatTest.trades(random, rows);
        if (random.nextBoolean()) {
            noisyReceiveTimes(data, 0, rows, random);
        }
        int rowsPerBlock = RandomCases.oneOf(random, 127, 128, 129, 1000);
        Path file = dir.resolve("trades.tvc");
        try (ChunkFile chunk = new ChunkWriter(rowsPerBlock, 3).write(file, data, 0, rows, 1)) {
            TradeBlockFormatTest.assertReadsBack(chunk, data, "seed " + seed);
            chunk.verifyAllBlocks();
        }
    }

    @Test
    void sectionsAreZstdFramesOrRawWhenZstdDoesNotShrinkThem() {
        RandomGenerator random = RandomCases.random(42);
        int rowsPerBlock = 1000;
        ColumnData data = bursts(rowsPerBlock * 2);
        noisyReceiveTimes(data, 0, rowsPerBlock, random);
        ColumnBlockCodec codec = new ColumnBlockCodec(3);
        ByteSink out = new ByteSink(1 << 16);
        codec.encodeTradeBlock(data, 0, rowsPerBlock, out);
        assertThat(sectionMethod(out, 0)).as("times").isEqualTo(ZSTD);
        assertThat(sectionMethod(out, 1)).as("noisy receive times").isEqualTo(RAW);
        assertThat(sectionMethod(out, 2)).as("prices").isEqualTo(ZSTD);
        out.reset();
        codec.encodeTradeBlock(data, rowsPerBlock, rowsPerBlock, out);
        assertThat(sectionMethod(out, 1)).as("receive times in bursts").isEqualTo(ZSTD);
    }

    /**
     * Each section of a trade block at the default level is its raw column encoding compressed by the section's rule:
     * literals only for the times and prices; zstd level 1 with matches (minimum match 7, hash log 12) for the
     * quantities, trade ids, byte columns and strings; receive times at level 2, sampled first. Blocks decode to
     * their rows either way.
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("dev.tickvault.testing.RandomCases#fewSeeds")
    void eachSectionIsCompressedByItsRule(long seed) {
        RandomGenerator random = RandomCases.random(seed);
        int rows = RandomCases.intBetween(random, 1, 9_000);
        ColumnData data = random.nextInt(3) == 0 ? bursts(rows) : TradeBlockFormatTest.trades(random, rows);
        if (random.nextBoolean()) {
            noisyReceiveTimes(data, 0, rows, random);
        }
        ByteSink raw = new ByteSink(1 << 16);
        new ColumnBlockCodec(0).encodeTradeBlock(data, 0, rows, raw);
        ByteSink expected = new ByteSink(1 << 16);
        BlockCompressor compressor = new BlockCompressor(3);
        int at = 0;
        for (int s = 0; s < ColumnBlockCodec.TRADE_BLOCK_SECTIONS; s++) {
            int length = littleEndianInt(raw.array(), at);
            // A level-0 section is RAW: method byte, raw length varint, raw bytes.
            BlockCompressor reader = new BlockCompressor(0);
            reader.decompress(MemorySegment.ofArray(raw.array()), at + 4);
            ByteSink section = new ByteSink(0);
            byte[] bytes = reader.result().toArray(ValueLayout.JAVA_BYTE);
            section.putBytes(bytes, 0, bytes.length);
            if (s == 1) {
                compressor.compressSectionSampled(section, expected, 2, 0, 12);
            } else if (s == 0 || s == 2) {
                assertThat(ColumnBlockCodec.literalsOnly(s)).as("section %d", s).isTrue();
                compressor.compressSectionLiterals(section, expected, 1);
            } else {
                assertThat(ColumnBlockCodec.literalsOnly(s)).as("section %d", s).isFalse();
                compressor.compressSection(section, expected, 1, 7, 12);
            }
            at += 4 + length;
        }
        ByteSink block = new ByteSink(1 << 16);
        new ColumnBlockCodec(3).encodeTradeBlock(data, 0, rows, block);
        assertThat(Arrays.copyOf(block.array(), block.position()))
                .as("seed %d", seed)
                .isEqualTo(Arrays.copyOf(expected.array(), expected.position()));

        Path file = dir.resolve("rule.tvc");
        try (ChunkFile chunk = new ChunkWriter(RandomCases.oneOf(random, 500, 8192), 3).write(file, data, 0, rows, 1)) {
            TradeBlockFormatTest.assertReadsBack(chunk, data, "seed " + seed);
            chunk.verifyAllBlocks();
        }
    }

    @Test
    void timesAndPricesAreLiteralsOnlyZstdFramesAndQuantitiesKeepMatches() {
        ColumnData data = bursts(8_000);
        ByteSink block = new ByteSink(1 << 16);
        new ColumnBlockCodec(3).encodeTradeBlock(data, 0, 8_000, block);
        for (int s : new int[] {0, 2, 3, 4, 7}) {
            assertThat(sectionMethod(block, s)).as("section %d", s).isEqualTo(ZSTD);
        }
        assertThat(ColumnBlockCodec.literalsOnly(1)).as("receive times").isFalse();
        assertThat(ColumnBlockCodec.literalsOnly(3)).as("quantities").isFalse();
        assertThat(ColumnBlockCodec.literalsOnly(4)).as("trade ids").isFalse();
        assertThat(ColumnBlockCodec.literalsOnly(7)).as("sides").isFalse();
        assertThat(ColumnBlockCodec.literalsOnly(8)).as("strings").isFalse();
    }

    @Test
    void minimumMatchSevenOnlyAtTheFastLevels() {
        assertThat(ColumnBlockCodec.tradeSectionMinMatch(3)).isEqualTo(7);
        assertThat(ColumnBlockCodec.tradeSectionMinMatch(4)).isEqualTo(7);
        assertThat(ColumnBlockCodec.tradeSectionMinMatch(1)).isEqualTo(7);
        assertThat(ColumnBlockCodec.tradeSectionMinMatch(0)).isZero();
        assertThat(ColumnBlockCodec.tradeSectionMinMatch(9)).isZero();
        assertThat(ColumnBlockCodec.tradeSectionMinMatch(-1)).isZero();
    }

    @Test
    void smallHashTableOnlyAtTheFastLevels() {
        // The default level 3 compresses trade sections at 1 and receive times at 2: both get the 2^12-entry table.
        assertThat(ColumnBlockCodec.tradeSectionHashLog(ColumnBlockCodec.tradeSectionLevel(3)))
                .isEqualTo(ColumnBlockCodec.TRADE_SECTION_HASH_LOG)
                .isEqualTo(12);
        assertThat(ColumnBlockCodec.tradeSectionHashLog(ColumnBlockCodec.tradeReceiveLevel(3)))
                .isEqualTo(12);
        assertThat(ColumnBlockCodec.tradeSectionHashLog(0)).isZero();
        assertThat(ColumnBlockCodec.tradeSectionHashLog(3)).isZero();
        assertThat(ColumnBlockCodec.tradeSectionHashLog(-1)).isZero();
    }

    /** Trade-like rows: bursts of equal times, receive times 100 ns apart within a burst, a few ticks of price. */
    private static ColumnData bursts(int rows) {
        ColumnData data = new ColumnData(Table.TRADES, rows);
        data.reserve(rows);
        long ts = 1_723_161_253_000_000_000L;
        long recv = ts + 1_270_000L;
        long price = 6_183_763_000_000L;
        for (int i = 0; i < rows; i++) {
            if (i % 7 == 0) {
                ts += 1_000_000L * (1 + i % 5);
                recv = ts + 1_270_000L;
                price += 1_000_000L * ((i % 3) - 1);
            } else {
                recv += 100L * (1 + (i * 7) % 13);
            }
            data.longs(Table.TS)[i] = ts;
            data.longs(Table.RECV_TS)[i] = recv;
            data.longs(Table.PRICE)[i] = price;
            data.longs(Table.QTY)[i] = 1000L * (1 + i % 11);
            data.longs(Table.TRADE_ID)[i] = 1_000_000L + i;
            data.bytes(Table.PRICE_SCALE)[i] = 8;
            data.bytes(Table.QTY_SCALE)[i] = 8;
            data.bytes(Table.SIDE)[i] = (byte) (1 + (i % 2));
        }
        return data;
    }

    /** Receive times of rows {@code [from, to)} made random around the time: bytes zstd cannot shrink. */
    private static void noisyReceiveTimes(ColumnData data, int from, int to, RandomGenerator random) {
        for (int i = from; i < to; i++) {
            data.longs(Table.RECV_TS)[i] = data.longs(Table.TS)[i] + random.nextLong(1L << 40);
        }
    }

    /** The compression method byte of section {@code section} of the block in {@code block}. */
    private static int sectionMethod(ByteSink block, int section) {
        byte[] bytes = block.array();
        int at = 0;
        for (int s = 0; s < section; s++) {
            at += 4 + littleEndianInt(bytes, at);
        }
        return bytes[at + 4];
    }

    private static int littleEndianInt(byte[] array, int at) {
        return (array[at] & 0xFF) | (array[at + 1] & 0xFF) << 8 | (array[at + 2] & 0xFF) << 16 | array[at + 3] << 24;
    }
}
