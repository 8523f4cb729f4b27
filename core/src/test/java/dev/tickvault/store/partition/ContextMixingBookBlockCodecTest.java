package dev.tickvault.store.partition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tickvault.store.StorageException;
import dev.tickvault.store.Table;
import dev.tickvault.store.codec.ByteSink;
import dev.tickvault.store.memtable.ColumnData;
import dev.tickvault.testing.RandomCases;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.random.RandomGenerator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Book block version 6 ({@link ContextMixingBookBlockCodec}): random book rows (edge values, any side and flag byte,
 * several scales per block) and the real Binance depth recordings in 8,192-row blocks read back unchanged, with the
 * bytes per level update printed and bounded a little above what the codec achieves; damaged blocks are CORRUPT
 * naming the file (or decode without an unchecked exception).
 */
class ContextMixingBookBlockCodecTest {

    private static final Path FILE = Path.of("book-cm-test.tvc");

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("dev.tickvault.testing.RandomCases#seeds")
    void randomBookRowsRoundTrip(long seed) {
        RandomGenerator random = RandomCases.random(seed);
        ColumnData rows = DictionaryBookBlockCodecTest.randomRows(random, RandomCases.intBetween(random, 1, 600));
        int start = RandomCases.intBetween(random, 0, rows.size() - 1);
        int count = RandomCases.intBetween(random, 1, rows.size() - start);
        ContextMixingBookBlockCodec codec = new ContextMixingBookBlockCodec();
        assertRoundTrip(codec, rows, start, count);
        // The same instance codes a second block from a clean state: the same bytes again.
        byte[] first = encode(codec, rows, start, count);
        byte[] second = encode(new ContextMixingBookBlockCodec(), rows, start, count);
        assertThat(first).isEqualTo(second);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"spot, 2.10", "usdm, 1.89"})
    void realDepthUpdatesRoundTripAndReportTheirSize(String capture, double maxBytesPerUpdate) throws IOException {
        ColumnData rows = DictionaryBookBlockCodecTest.realRows(capture);
        ContextMixingBookBlockCodec codec = new ContextMixingBookBlockCodec();
        long bytes = 0;
        for (int start = 0; start < rows.size(); start += ChunkLayout.DEFAULT_ROWS_PER_BLOCK) {
            int count = Math.min(ChunkLayout.DEFAULT_ROWS_PER_BLOCK, rows.size() - start);
            bytes += assertRoundTrip(codec, rows, start, count);
        }
        double perUpdate = (double) bytes / rows.size();
        System.out.printf("%s: %d updates, book block version 6: %.4f B/update%n", capture, rows.size(), perUpdate);
        assertThat(perUpdate).isLessThan(maxBytesPerUpdate);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("dev.tickvault.testing.RandomCases#fewSeeds")
    void truncatedOrGarbledBlocksAreCorruptAndNameTheFile(long seed) {
        RandomGenerator random = RandomCases.random(seed);
        ColumnData rows = DictionaryBookBlockCodecTest.randomRows(random, RandomCases.intBetween(random, 2, 300));
        byte[] block = encode(new ContextMixingBookBlockCodec(), rows, 0, rows.size());
        ColumnData dst = new ColumnData(Table.BOOK, rows.size());

        byte[] truncated = Arrays.copyOf(block, RandomCases.intBetween(random, 0, block.length - 1));
        assertThatThrownBy(() -> new ContextMixingBookBlockCodec()
                        .decode(MemorySegment.ofArray(truncated), rows.size(), dst, FILE))
                .isInstanceOfSatisfying(
                        StorageException.class, e -> assertThat(e.kind()).isEqualTo(StorageException.Kind.CORRUPT))
                .hasMessageContaining(FILE.toString());

        byte[] garbled = block.clone();
        for (int i = 0; i < 1 + random.nextInt(8); i++) {
            int at = RandomCases.intBetween(random, ContextMixingBookBlockCodec.HEADER_BYTES, garbled.length - 1);
            garbled[at] = (byte) random.nextInt(256);
        }
        try {
            long consumed =
                    new ContextMixingBookBlockCodec().decode(MemorySegment.ofArray(garbled), rows.size(), dst, FILE);
            assertThat(consumed).isEqualTo(garbled.length);
            assertThat(dst.size()).isEqualTo(rows.size());
        } catch (StorageException e) {
            assertThat(e.kind()).isEqualTo(StorageException.Kind.CORRUPT);
            assertThat(e.getMessage()).contains(FILE.toString());
        }
    }

    private static byte[] encode(ContextMixingBookBlockCodec codec, ColumnData rows, int start, int count) {
        ByteSink out = new ByteSink(1 << 12);
        codec.encode(rows, start, count, out);
        return Arrays.copyOf(out.array(), out.position());
    }

    /** Encodes and decodes one block, checks every column, returns the block's size. */
    private static long assertRoundTrip(ContextMixingBookBlockCodec codec, ColumnData rows, int start, int count) {
        ByteSink out = new ByteSink(1 << 12);
        out.putByte(0x5A); // the block need not start at offset 0 of the sink
        int from = out.position();
        codec.encode(rows, start, count, out);
        byte[] block = Arrays.copyOfRange(out.array(), from, out.position());
        ColumnData decoded = new ColumnData(Table.BOOK, count);
        long consumed = codec.decode(MemorySegment.ofArray(block), count, decoded, FILE);
        assertThat(consumed).isEqualTo(block.length);
        assertThat(decoded.size()).isEqualTo(count);
        for (int i = 0; i < count; i++) {
            for (int c = 0; c < Table.BOOK.longColumns().size(); c++) {
                if (decoded.longs(c)[i] != rows.longs(c)[start + i]) {
                    assertThat(decoded.longs(c)[i])
                            .as("row %d long %d", start + i, c)
                            .isEqualTo(rows.longs(c)[start + i]);
                }
            }
            for (int c = 0; c < Table.BOOK.byteColumns().size(); c++) {
                if (decoded.bytes(c)[i] != rows.bytes(c)[start + i]) {
                    assertThat(decoded.bytes(c)[i])
                            .as("row %d byte %d", start + i, c)
                            .isEqualTo(rows.bytes(c)[start + i]);
                }
            }
        }
        return block.length;
    }
}
