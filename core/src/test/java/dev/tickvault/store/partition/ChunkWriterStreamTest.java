package dev.tickvault.store.partition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tickvault.store.Table;
import dev.tickvault.store.memtable.ColumnData;
import dev.tickvault.testing.RandomCases;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.random.RandomGenerator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A chunk streamed block by block to its temp file ({@link ChunkWriter#startStream}, as the archive step writes) has
 * exactly the bytes of the same rows written through the in-memory path ({@link ChunkWriter#write}), whether its
 * buffer goes to the file after every block, after a few, or only at the end; an aborted stream leaves no file.
 */
class ChunkWriterStreamTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("dev.tickvault.testing.RandomCases#seeds")
    void streamedFilesHaveTheInMemoryBytes(long seed) throws IOException {
        RandomGenerator random = RandomCases.random(seed);
        int rowsPerBlock = RandomCases.intBetween(random, 1, 700);
        int level = random.nextBoolean() ? 3 : 0;
        int version = random.nextBoolean() ? ChunkLayout.ARCHIVE_FORMAT_VERSION : ChunkLayout.FORMAT_VERSION;
        ColumnData rows = randomBook(random, RandomCases.intBetween(random, 1, 5000));
        long maxLsn = RandomCases.longBetween(random, 0, 1L << 40);

        Path inMemory = dir.resolve("memory.tvc");
        new ChunkWriter(rowsPerBlock, level, version)
                .write(inMemory, rows, 0, rows.size(), maxLsn)
                .close();

        ChunkWriter streaming = new ChunkWriter(rowsPerBlock, level, version);
        streaming.streamBufferBytes(random.nextBoolean() ? 1 : RandomCases.intBetween(random, 1, 20_000));
        Path target = dir.resolve("streamed.tvc");
        streaming.startStream(target);
        for (int from = 0; from < rows.size(); from += rowsPerBlock) {
            streaming.appendBlock(rows, from, Math.min(rowsPerBlock, rows.size() - from));
        }
        assertThat(streaming.streamRows()).isEqualTo(rows.size());
        Path temp = streaming.finishStreamTemp(Table.BOOK, maxLsn);
        assertThat(temp.getFileName().toString()).startsWith("streamed.tvc.tmp-");
        try (ChunkFile chunk = ChunkWriter.publishTemp(temp, target)) {
            chunk.verifyAllBlocks();
            assertThat(chunk.rowCount()).isEqualTo(rows.size());
        }
        assertThat(Files.readAllBytes(target)).isEqualTo(Files.readAllBytes(inMemory));
        assertThat(files()).containsExactlyInAnyOrder(inMemory, target);
    }

    @Test
    void anAbortedStreamLeavesNoFileAndTheNextStreamStartsAfresh() throws IOException {
        ColumnData rows = randomBook(RandomCases.random(5), 300);
        ChunkWriter writer = ChunkWriter.forArchive(100, 3);
        writer.streamBufferBytes(1);
        writer.startStream(dir.resolve("a.tvc"));
        writer.appendBlock(rows, 0, 100);
        assertThat(files()).hasSize(1);
        writer.abortStream();
        assertThat(files()).isEmpty();
        assertThatThrownBy(() -> writer.appendBlock(rows, 100, 100)).isInstanceOf(IllegalStateException.class);

        writer.startStream(dir.resolve("b.tvc"));
        assertThatThrownBy(() -> writer.finishStreamTemp(Table.BOOK, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(files())
                .as("an empty stream is refused and its temp file deleted")
                .isEmpty();

        writer.startStream(dir.resolve("c.tvc"));
        writer.appendBlock(rows, 100, 100);
        writer.appendBlock(rows, 200, 100);
        try (ChunkFile chunk = ChunkWriter.publishTemp(writer.finishStreamTemp(Table.BOOK, 1), dir.resolve("c.tvc"))) {
            assertThat(chunk.rowCount()).isEqualTo(200);
            assertThat(chunk.minTs()).isEqualTo(rows.ts(100));
        }
        assertThat(files()).containsExactly(dir.resolve("c.tvc"));
    }

    private java.util.List<Path> files() throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.toList();
        }
    }

    /** {@code count} random book level updates, times rising in steps of 0 to 3 ms. */
    private static ColumnData randomBook(RandomGenerator random, int count) {
        ColumnData data = new ColumnData(Table.BOOK, count);
        data.reserve(count);
        long ts = 1_723_161_253_000_000_000L;
        long price = 6_000_000;
        long updateId = RandomCases.longBetween(random, 0, 1L << 40);
        for (int i = 0; i < count; i++) {
            ts += random.nextInt(4) * 1_000_000L;
            price += random.nextInt(-5, 6);
            updateId += random.nextInt(3);
            data.longs(Table.TS)[i] = ts;
            data.longs(Table.RECV_TS)[i] = ts + random.nextInt(1_000_000);
            data.longs(Table.PRICE)[i] = price + random.nextInt(40);
            data.longs(Table.QTY)[i] = random.nextInt(5) == 0 ? 0 : random.nextLong(1, 1_000_000_000L);
            data.longs(Table.FIRST_UPDATE_ID)[i] = updateId;
            data.longs(Table.LAST_UPDATE_ID)[i] = updateId + random.nextInt(2);
            data.bytes(Table.PRICE_SCALE)[i] = 2;
            data.bytes(Table.QTY_SCALE)[i] = (byte) random.nextInt(9);
            data.bytes(Table.SIDE)[i] = (byte) random.nextInt(2);
            data.bytes(Table.FLAGS)[i] = (byte) random.nextInt(4);
        }
        return data;
    }
}
