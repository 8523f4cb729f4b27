package dev.tickvault.store.partition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tickvault.store.Table;
import dev.tickvault.store.codec.ByteSink;
import dev.tickvault.store.memtable.ColumnData;
import dev.tickvault.store.memtable.EncodedBlocks;
import dev.tickvault.testing.RandomCases;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link ChunkWriter#writeMixed}: slices that carry their rows as encoded blocks are copied, the others encoded; the
 * file reads back every row in order, with every checksum right, and is byte-identical to {@link ChunkWriter#write}
 * when no slice has blocks and to {@link ChunkWriter#writeEncoded} when every slice has them.
 */
class ChunkWriterMixedTest {

    private static final int ROWS_PER_BLOCK = 8192;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("dev.tickvault.testing.RandomCases#seeds")
    void mixedSlicesReadBackInOrderWithTheirBlocksCopied(long seed) throws IOException {
        RandomGenerator random = RandomCases.random(seed);
        int level = RandomCases.oneOf(random, 0, 1, 3);
        List<ChunkWriter.Slice> slices = new ArrayList<>();
        List<EncodedBlocks> encoded = new ArrayList<>();
        ColumnData expected = new ColumnData(Table.TRADES, 1024);
        long ts = 1_723_161_253_000_000_000L;
        int expectedBlocks = 0;
        int rowsWithoutBlocks = 0;
        for (int s = 0, n = RandomCases.intBetween(random, 1, 10); s < n; s++) {
            int size = 1 + random.nextInt(random.nextBoolean() ? 40 : 20_000);
            int padding = random.nextInt(3);
            ColumnData data = ChunkWriterSlicesTest.randomTrades(
                    random, size + 2 * padding, ts, seed * 1_000_000L + s * 100_000L);
            ts = data.ts(data.size() - 1);
            slices.add(new ChunkWriter.Slice(data, padding, padding + size));
            expected.appendRange(data, padding, padding + size);
            boolean withBlocks = random.nextBoolean();
            EncodedBlocks blocks = null;
            if (withBlocks) {
                ColumnData part = new ColumnData(Table.TRADES, size);
                part.appendRange(data, padding, padding + size);
                blocks = encode(part, level, RandomCases.intBetween(random, 1, ROWS_PER_BLOCK));
                expectedBlocks += blocks.blockCount();
                expectedBlocks += blocksOf(rowsWithoutBlocks);
                rowsWithoutBlocks = 0;
            } else {
                rowsWithoutBlocks += size;
            }
            encoded.add(blocks);
        }
        expectedBlocks += blocksOf(rowsWithoutBlocks);

        ChunkWriter writer = new ChunkWriter(ROWS_PER_BLOCK, level);
        Path mixed = dir.resolve("mixed.tvc");
        try (ChunkFile chunk = writer.writeMixed(mixed, slices, encoded, 42)) {
            assertThat(chunk.blockCount()).isEqualTo(expectedBlocks);
            assertReadsBack(chunk, expected);
            chunk.verifyAllBlocks();
        }
        byte[] mixedBytes = Files.readAllBytes(mixed);
        for (EncodedBlocks blocks : encoded) {
            if (blocks != null) {
                byte[] copied = Arrays.copyOfRange(blocks.bytes(), blocks.blockOffset(0), blocks.bytes().length);
                assertThat(indexOf(mixedBytes, copied))
                        .as("copied blocks found as they are")
                        .isNotNegative();
            }
        }

        List<EncodedBlocks> none = new ArrayList<>(Collections.nCopies(slices.size(), null));
        try (ChunkFile a = writer.writeMixed(dir.resolve("none.tvc"), slices, none, 42);
                ChunkFile b = writer.write(dir.resolve("write.tvc"), slices, 42)) {
            assertThat(a.blockCount()).isEqualTo(b.blockCount());
        }
        assertThat(Files.readAllBytes(dir.resolve("none.tvc"))).isEqualTo(Files.readAllBytes(dir.resolve("write.tvc")));

        List<EncodedBlocks> all = new ArrayList<>();
        for (ChunkWriter.Slice slice : slices) {
            ColumnData part = new ColumnData(Table.TRADES, slice.size());
            part.appendRange(slice.data(), slice.from(), slice.to());
            all.add(encode(part, level, RandomCases.intBetween(random, 1, ROWS_PER_BLOCK)));
        }
        try (ChunkFile a = writer.writeMixed(dir.resolve("all.tvc"), slices, all, 42);
                ChunkFile b = writer.writeEncoded(dir.resolve("encoded.tvc"), Table.TRADES, all, 42)) {
            assertReadsBack(a, expected);
            assertThat(a.blockCount()).isEqualTo(b.blockCount());
        }
        assertThat(Files.readAllBytes(dir.resolve("all.tvc")))
                .isEqualTo(Files.readAllBytes(dir.resolve("encoded.tvc")));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("dev.tickvault.testing.RandomCases#fewSeeds")
    void blocksThatDoNotHoldTheirSliceAreRefused(long seed) {
        RandomGenerator random = RandomCases.random(seed);
        int size = RandomCases.intBetween(random, 2, 5000);
        ColumnData data = new ColumnData(Table.TRADES, size);
        data.reserve(size);
        for (int i = 0; i < size; i++) {
            data.longs(Table.TS)[i] = 1_723_161_253_000_000_000L + i;
            data.longs(Table.RECV_TS)[i] = 1_723_161_253_000_000_000L + i;
            data.longs(Table.PRICE)[i] = 100 + i;
            data.longs(Table.QTY)[i] = 1;
            data.longs(Table.TRADE_ID)[i] = i;
        }
        ColumnData shorter = new ColumnData(Table.TRADES, size - 1);
        shorter.appendRange(data, 0, size - 1);
        EncodedBlocks blocks = encode(shorter, 3, ROWS_PER_BLOCK);
        ChunkWriter writer = new ChunkWriter(ROWS_PER_BLOCK, 3);
        assertThatThrownBy(() -> writer.writeMixed(
                        dir.resolve("bad.tvc"), List.of(new ChunkWriter.Slice(data, 0, size)), List.of(blocks), 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(dir.resolve("bad.tvc")).doesNotExist();
    }

    /** Encodes {@code part} as blocks of at most {@code maxRows} rows, as a commit logs them. */
    private static EncodedBlocks encode(ColumnData part, int level, int maxRows) {
        ColumnBlockCodec codec = new ColumnBlockCodec(level);
        ByteSink sink = new ByteSink(1 << 16);
        int count = (part.size() + maxRows - 1) / maxRows;
        int[] rows = new int[count];
        int[] offsets = new int[count];
        long[] minTs = new long[count];
        long[] maxTs = new long[count];
        int start = 0;
        for (int b = 0; b < count; b++) {
            int n = Math.min(maxRows, part.size() - start);
            offsets[b] = sink.position();
            codec.encodeTradeBlock(part, start, n, sink);
            rows[b] = n;
            minTs[b] = part.ts(start);
            maxTs[b] = part.ts(start + n - 1);
            start += n;
        }
        return new EncodedBlocks(Arrays.copyOf(sink.array(), sink.position()), rows, offsets, minTs, maxTs);
    }

    private static int blocksOf(int rows) {
        return (rows + ROWS_PER_BLOCK - 1) / ROWS_PER_BLOCK;
    }

    private static void assertReadsBack(ChunkFile chunk, ColumnData expected) {
        assertThat(chunk.rowCount()).isEqualTo(expected.size());
        assertThat(chunk.minTs()).isEqualTo(expected.ts(0));
        assertThat(chunk.maxTs()).isEqualTo(expected.ts(expected.size() - 1));
        ColumnData block = new ColumnData(Table.TRADES, ROWS_PER_BLOCK);
        ColumnBlockCodec codec = new ColumnBlockCodec(0);
        int row = 0;
        for (int b = 0; b < chunk.blockCount(); b++) {
            chunk.decodeBlock(b, block, codec);
            for (int i = 0; i < block.size(); i++, row++) {
                for (int c = 0; c < Table.TRADES.longColumns().size(); c++) {
                    assertThat(block.longs(c)[i]).as("row %d column %d", row, c).isEqualTo(expected.longs(c)[row]);
                }
                for (int c = 0; c < Table.TRADES.byteColumns().size(); c++) {
                    assertThat(block.bytes(c)[i]).isEqualTo(expected.bytes(c)[row]);
                }
            }
        }
        assertThat(row).isEqualTo(expected.size());
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
