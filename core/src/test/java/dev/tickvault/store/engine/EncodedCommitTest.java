package dev.tickvault.store.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickvault.model.Decimal;
import dev.tickvault.model.SeriesKey;
import dev.tickvault.model.Side;
import dev.tickvault.model.Trade;
import dev.tickvault.store.Durability;
import dev.tickvault.store.StoreConfig;
import dev.tickvault.store.StoreWriter;
import dev.tickvault.store.Table;
import dev.tickvault.store.TickStore;
import dev.tickvault.store.TradeCursor;
import dev.tickvault.store.memtable.ColumnData;
import dev.tickvault.store.partition.ChunkFile;
import dev.tickvault.store.partition.ColumnBlockCodec;
import dev.tickvault.testing.RandomCases;
import dev.tickvault.testing.StoreFiles;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Commit records of type 9 (large single-day trade sections logged as chunk-file trade blocks, copied by the flush):
 * a store ingesting through them reads back the same rows, and writes chunk files holding the same rows as a store
 * that logs columns and encodes at flush — byte-identical where the block cuts agree; replay and read-only followers
 * read them.
 */
class EncodedCommitTest {

    private static final long T0 = 1_723_161_253_000_000_000L;
    private static final long DAY = PartitionPaths.NANOS_PER_DAY;

    @TempDir
    Path tmp;

    /** Random commits (in order, overlapping, across midnight, small and large, with duplicates) into both stores. */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("dev.tickvault.testing.RandomCases#fewSeeds")
    void encodedCommitsReadBackAndWriteEquivalentChunks(long seed) throws IOException {
        RandomGenerator random = RandomCases.random(seed);
        boolean dedup = random.nextInt(4) == 0;
        StoreConfig config = StoreConfig.defaults()
                .withDurability(Durability.OS)
                .withDeduplicateTradeIds(dedup)
                .withCompressionLevel(RandomCases.oneOf(random, 0, 1, 3, 3));
        Path encodedDir = tmp.resolve("encoded");
        Path columnsDir = tmp.resolve("columns");
        StoreEngine encoded = StoreEngine.open(encodedDir, config);
        StoreEngine columns = StoreEngine.open(columnsDir, config);
        List<SeriesKey> series = new ArrayList<>();
        for (int s = 0, n = RandomCases.intBetween(random, 1, 4); s < n; s++) {
            series.add(SeriesKey.of("binance", "SYM" + s));
        }
        Map<SeriesKey, Clock> clocks = new LinkedHashMap<>();
        series.forEach(k -> clocks.put(k, new Clock(T0 + random.nextLong(DAY / 2), random.nextLong(1L << 40))));
        Map<SeriesKey, List<Trade>> expected = new LinkedHashMap<>();
        long copied = 0;
        try {
            int commits = RandomCases.intBetween(random, 1, 8);
            for (int c = 0; c < commits; c++) {
                BufferedStoreWriter a = blockWriter(encoded);
                BufferedStoreWriter b = new BufferedStoreWriter(columns, CommitCodec.NEVER, CommitCodec.NEVER, true);
                for (SeriesKey key : series) {
                    int rows =
                            random.nextInt(3) == 0 ? random.nextInt(100) : RandomCases.intBetween(random, 500, 20_000);
                    for (Trade t : clocks.get(key).next(random, key, rows)) {
                        a.appendTrade(t);
                        b.appendTrade(t);
                        expected.computeIfAbsent(key, k -> new ArrayList<>()).add(t);
                    }
                }
                a.commit();
                b.commit();
                switch (random.nextInt(4)) {
                    case 0 -> {
                        encoded.flush();
                        columns.flush();
                    }
                    case 1 -> {
                        copied += encoded.chunksCopied();
                        encoded.close();
                        columns.close();
                        encoded = StoreEngine.open(encodedDir, config);
                        columns = StoreEngine.open(columnsDir, config);
                    }
                    default -> {}
                }
            }
            for (SeriesKey key : series) {
                List<Trade> fromEncoded = readAll(encoded, key);
                assertThat(fromEncoded).as("%s seed %d", key, seed).isEqualTo(readAll(columns, key));
                if (!dedup) {
                    List<Trade> sorted = new ArrayList<>(expected.getOrDefault(key, List.of()));
                    sorted.sort(Comparator.comparingLong(Trade::tsNanos));
                    assertThat(fromEncoded).as("%s seed %d", key, seed).isEqualTo(sorted);
                }
            }
            encoded.flush();
            columns.flush();
            copied += encoded.chunksCopied();
            assertThat(columns.chunksCopied()).isZero();
        } finally {
            encoded.close();
            columns.close();
        }
        assertEquivalentChunks(encodedDir, columnsDir);
        COPIED_IN_PROPERTY_RUNS[0] += copied;
    }

    /**
     * A writer committing asynchronously with blocks (low thresholds: most trade and book sections logged as blocks)
     * and a synchronous writer logging columns (type 8), fed the same random trades and book updates (in order and
     * out of order, across midnight), store the same rows, before and after a reopen, and write equivalent chunk files.
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("dev.tickvault.testing.RandomCases#fewSeeds")
    void asyncBlockCommitsStoreWhatSyncColumnCommitsStore(long seed) throws IOException {
        RandomGenerator random = RandomCases.random(seed);
        StoreConfig config = StoreConfig.defaults()
                .withDurability(Durability.OS)
                .withCompressionLevel(RandomCases.oneOf(random, 0, 3, 3));
        Path blocksDir = tmp.resolve("blocks");
        Path columnsDir = tmp.resolve("columns");
        List<SeriesKey> series = List.of(SeriesKey.of("binance", "BTCUSDT"), SeriesKey.of("binance", "ETHUSDT"));
        Map<SeriesKey, Clock> clocks = new LinkedHashMap<>();
        Map<SeriesKey, BookClock> books = new LinkedHashMap<>();
        for (SeriesKey key : series) {
            clocks.put(key, new Clock(T0 + random.nextLong(DAY / 2), random.nextLong(1L << 40)));
            books.put(key, new BookClock(T0 + random.nextLong(DAY)));
        }
        long copied = 0;
        for (int round = 0; round < 2; round++) {
            try (StoreEngine blocks = StoreEngine.open(blocksDir, config);
                    StoreEngine columns = StoreEngine.open(columnsDir, config)) {
                BufferedStoreWriter a = new BufferedStoreWriter(blocks, 64, 256, false);
                BufferedStoreWriter b = new BufferedStoreWriter(columns, CommitCodec.NEVER, CommitCodec.NEVER, true);
                for (int c = RandomCases.intBetween(random, 1, 6); c > 0; c--) {
                    for (SeriesKey key : series) {
                        int rows = random.nextInt(3) == 0 ? random.nextInt(100) : random.nextInt(5_000);
                        for (Trade t : clocks.get(key).next(random, key, rows)) {
                            a.appendTrade(t);
                            b.appendTrade(t);
                        }
                        books.get(key).append(random, key, random.nextInt(6_000), a, b);
                    }
                    var ticket = a.commitAsync();
                    b.commit();
                    if (random.nextInt(3) == 0) {
                        ticket.await();
                        blocks.flush();
                        columns.flush();
                    }
                }
                a.close();
                b.close();
                for (SeriesKey key : series) {
                    assertThat(readAll(blocks, key)).as("%s seed %d", key, seed).isEqualTo(readAll(columns, key));
                    assertThat(readBook(blocks, key))
                            .as("%s seed %d", key, seed)
                            .isEqualTo(readBook(columns, key));
                }
                blocks.flush();
                columns.flush();
                copied += blocks.chunksCopied();
                assertThat(columns.chunksCopied()).isZero();
            }
        }
        assertEquivalentChunks(blocksDir, columnsDir);
        BOOK_COPIED_IN_PROPERTY_RUNS[0] += copied;
    }

    private static final long[] BOOK_COPIED_IN_PROPERTY_RUNS = new long[1];

    @AfterAll
    static void bookPropertyCasesCopiedSomeChunks() {
        assertThat(BOOK_COPIED_IN_PROPERTY_RUNS[0])
                .as("chunks written by copying over all seeds (async writer)")
                .isPositive();
    }

    /** A series' book generator: events of 1-12 level updates, times in order, now and then just before midnight. */
    private static final class BookClock {
        private long ts;
        private long updateId = 1_000;

        BookClock(long ts) {
            this.ts = ts;
        }

        /** Now and then jumps to just before midnight or back in time, then appends {@code rows} updates. */
        void append(RandomGenerator random, SeriesKey key, int rows, StoreWriter... writers) {
            if (random.nextInt(6) == 0) {
                ts = Math.floorDiv(ts, DAY) * DAY + DAY - random.nextLong(50_000_000L);
            }
            if (random.nextInt(6) == 0) {
                ts -= random.nextLong(2_000_000_000L); // overlaps earlier rows
            }
            inOrder(random, key, rows, writers);
        }

        /** Appends {@code rows} updates after the last ones, events 1-100 ms apart. */
        void inOrder(RandomGenerator random, SeriesKey key, int rows, StoreWriter... writers) {
            int left = 0;
            long first = 0;
            for (int i = 0; i < rows; i++) {
                if (left == 0) {
                    left = 1 + random.nextInt(12);
                    ts += 1_000_000L * (1 + random.nextInt(100));
                    first = updateId + 1;
                    updateId += 1 + random.nextInt(3);
                }
                left--;
                Side side = random.nextBoolean() ? Side.BUY : Side.SELL;
                long price = 6_183_763 + (side == Side.BUY ? -1 : 1) * random.nextInt(200);
                long qty = random.nextInt(5) == 0 ? 0 : random.nextLong(1, 10_000_000);
                int flags = left == 0 ? 4 : 0;
                for (StoreWriter w : writers) {
                    w.appendBookUpdate(key, ts, ts + 1_000_000, side, price, 2, qty, 5, first, updateId, flags);
                }
            }
        }
    }

    private static List<String> readBook(StoreEngine engine, SeriesKey key) {
        List<String> out = new ArrayList<>();
        MergingRowCursor cursor = engine.rows(Table.BOOK, key, Long.MIN_VALUE, Long.MAX_VALUE);
        for (int n = cursor.nextRun(); n > 0; n = cursor.nextRun()) {
            ColumnData d = cursor.data();
            for (int i = cursor.row(); i < cursor.row() + n; i++) {
                StringBuilder row = new StringBuilder();
                for (int c = 0; c < Table.BOOK.longColumns().size(); c++) {
                    row.append(d.longs(c)[i]).append(',');
                }
                for (int c = 0; c < Table.BOOK.byteColumns().size(); c++) {
                    row.append(d.bytes(c)[i]).append(',');
                }
                out.add(row.toString());
            }
        }
        return out;
    }

    /** Chunks the property cases wrote by copying: together they must have taken the new path. */
    private static final long[] COPIED_IN_PROPERTY_RUNS = new long[1];

    @AfterAll
    static void propertyCasesCopiedSomeChunks() {
        assertThat(COPIED_IN_PROPERTY_RUNS[0])
                .as("chunks written by copying over all seeds")
                .isPositive();
    }

    /** One large in-order single-day commit, flushed: the same blocks either way, so the same file bytes. */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("dev.tickvault.testing.RandomCases#fewSeeds")
    void oneBlockCommitWritesTheSameFileBytesAsEncodingAtFlush(long seed) throws IOException {
        RandomGenerator random = RandomCases.random(seed);
        StoreConfig config = configAtRandomLevel(random);
        SeriesKey key = SeriesKey.of("binance", "BTCUSDT");
        List<Trade> trades = new Clock(T0, 77).inOrder(random, key, RandomCases.intBetween(random, 512, 8192));
        List<Path> chunks = flushedBothWays(config, writer -> {
            trades.forEach(writer::appendTrade);
            writer.commit();
        });
        assertThat(Files.readAllBytes(chunks.get(0))).isEqualTo(Files.readAllBytes(chunks.get(1)));
    }

    /** Durability OS, zstd level 0 or 3 (both the plain and the compressed block paths). */
    private static StoreConfig configAtRandomLevel(RandomGenerator random) {
        return StoreConfig.defaults()
                .withDurability(Durability.OS)
                .withCompressionLevel(RandomCases.oneOf(random, 0, 3));
    }

    /**
     * Writes the same rows ({@code write} appends and commits) into a store whose writer logs blocks and one whose
     * writer logs columns, and flushes both: the first must copy its one chunk, the second encode it. Returns the chunk
     * file of each (the copied one first).
     */
    private List<Path> flushedBothWays(StoreConfig config, Consumer<BufferedStoreWriter> write) throws IOException {
        return flushedBothWays(config, (engine, writer) -> write.accept(writer));
    }

    /** As {@link #flushedBothWays(StoreConfig, Consumer)}, {@code write} given the store too (blocks first). */
    private List<Path> flushedBothWays(StoreConfig config, BiConsumer<StoreEngine, BufferedStoreWriter> write)
            throws IOException {
        List<Path> chunks = new ArrayList<>();
        for (boolean blocks : new boolean[] {true, false}) {
            Path dir = tmp.resolve(blocks ? "encoded" : "columns");
            try (StoreEngine engine = StoreEngine.open(dir, config)) {
                BufferedStoreWriter writer = blocks
                        ? blockWriter(engine)
                        : new BufferedStoreWriter(engine, CommitCodec.NEVER, CommitCodec.NEVER, true);
                write.accept(engine, writer);
                engine.flush();
                assertThat(engine.chunksCopied()).isEqualTo(blocks ? 1 : 0);
                writer.close();
            }
            List<Path> files = chunkFiles(dir);
            assertThat(files).hasSize(1);
            chunks.add(files.getFirst());
        }
        return chunks;
    }

    /**
     * One large single-day book commit (asynchronous), flushed: logged as one compressed book block, copied by the
     * flush, the same file bytes as a store that logs columns and encodes at flush.
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("dev.tickvault.testing.RandomCases#fewSeeds")
    void oneBookBlockCommitWritesTheSameFileBytesAsEncodingAtFlush(long seed) throws IOException {
        RandomGenerator random = RandomCases.random(seed);
        StoreConfig config = configAtRandomLevel(random);
        SeriesKey key = SeriesKey.of("binance-futures", "BTCUSDT");
        int rows = RandomCases.intBetween(random, CommitCodec.DEFAULT_BOOK_BLOCK_MIN_ROWS, 8192);
        long start = Math.floorDiv(T0, DAY) * DAY + DAY + random.nextLong(DAY / 2); // far from midnight
        List<Path> chunks = flushedBothWays(config, writer -> {
            new BookClock(start).inOrder(RandomCases.random(seed), key, rows, writer);
            writer.commitAsync().await();
        });
        try (ChunkFile chunk = ChunkFile.open(chunks.get(0))) {
            assertThat(chunk.table()).isEqualTo(Table.BOOK);
            assertThat(chunk.rowCount()).isEqualTo(rows);
            chunk.verifyAllBlocks();
        }
        assertThat(Files.readAllBytes(chunks.get(0))).isEqualTo(Files.readAllBytes(chunks.get(1)));
    }

    /**
     * One large single-day book commit whose first event (a venue snapshot) is stamped after the updates that follow
     * it, as a recording's first rows are (asynchronous): logged as blocks of the sorted rows and held as those blocks
     * only (the sorted copy is not kept until the flush), read back in time order, flushed by copying into the same
     * file bytes as a store that logs columns and encodes at flush.
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("dev.tickvault.testing.RandomCases#fewSeeds")
    void outOfOrderBookCommitIsHeldAsItsBlocksAndWritesTheSameFileBytes(long seed) throws IOException {
        RandomGenerator random = RandomCases.random(seed);
        StoreConfig config = configAtRandomLevel(random);
        SeriesKey key = SeriesKey.of("binance", "BTCUSDT");
        int snapshot = RandomCases.intBetween(random, 1, 2_000);
        int rows =
                RandomCases.intBetween(random, CommitCodec.DEFAULT_BOOK_BLOCK_MIN_ROWS, 8192); // one block: same cuts
        long start = Math.floorDiv(T0, DAY) * DAY + DAY + random.nextLong(DAY / 2); // far from midnight
        long stampedLater = 200_000_000L + random.nextLong(2_000_000_000L); // after the next event: out of order
        List<List<String>> read = new ArrayList<>();
        List<Path> chunks = flushedBothWays(config, (engine, writer) -> {
            RandomGenerator same = RandomCases.random(seed);
            new BookClock(start + stampedLater).inOrder(same, key, snapshot, writer);
            new BookClock(start).inOrder(same, key, rows - snapshot, writer);
            writer.commitAsync().await();
            long held = engine.memtableHeldBytes();
            long columnBytes = ColumnData.columnBytes(Table.BOOK, rows);
            if (read.isEmpty()) { // the store that logs blocks
                assertThat(held).as("held as blocks only").isLessThan(columnBytes / 2);
            } else {
                assertThat(held).isGreaterThanOrEqualTo(columnBytes);
            }
            read.add(readBook(engine, key));
        });
        assertThat(read.get(0)).hasSize(rows).isEqualTo(read.get(1));
        List<Long> times = read.get(0).stream()
                .map(row -> Long.parseLong(row.substring(0, row.indexOf(','))))
                .toList();
        assertThat(times).isSorted();
        assertThat(Files.readAllBytes(chunks.get(0))).isEqualTo(Files.readAllBytes(chunks.get(1)));
    }

    /** Several in-order commits: one chunk, copied, whose blocks are the commits' (equal halves above 8,192 rows). */
    @Test
    void inOrderCommitsAreCopiedBlockByBlock() throws IOException {
        SeriesKey key = SeriesKey.of("binance", "BTCUSDT");
        Clock clock = new Clock(T0, 1);
        SplittableRandom random = new SplittableRandom(5);
        Path dir = tmp.resolve("store");
        List<Trade> all = new ArrayList<>();
        try (StoreEngine engine = StoreEngine.open(dir, StoreConfig.defaults().withDurability(Durability.OS))) {
            for (int rows : new int[] {3000, 10_000, 600}) {
                BufferedStoreWriter writer = blockWriter(engine);
                List<Trade> batch = clock.inOrder(random, key, rows);
                batch.forEach(writer::appendTrade);
                all.addAll(batch);
                writer.commit();
            }
            engine.flush();
            assertThat(engine.chunksCopied()).isEqualTo(1);
            assertThat(readAll(engine, key)).isEqualTo(all);
        }
        try (ChunkFile chunk = ChunkFile.open(chunkFiles(dir).getFirst())) {
            assertThat(blockRows(chunk)).containsExactly(3000, 5000, 5000, 600);
            chunk.verifyAllBlocks();
        }
    }

    /**
     * Book commits with blocks beside rows without: one commit crossing midnight (logged as columns, split between two
     * days' chunks) and one too small for blocks. Each day's chunk copies the blocks the commits encoded and encodes
     * only the rows that have none, and holds the rows a store logging columns holds, before and after a reopen.
     */
    @Test
    void blocksAreCopiedBesideRowsThatHaveNone() throws IOException {
        SeriesKey key = SeriesKey.of("binance", "BTCUSDT");
        RandomGenerator random = RandomCases.random(17);
        long midnight = Math.floorDiv(T0, DAY) * DAY + DAY;
        BookClock book = new BookClock(midnight - 3_600_000_000_000L);
        StoreConfig config = StoreConfig.defaults().withDurability(Durability.OS);
        Path blocksDir = tmp.resolve("blocks");
        Path columnsDir = tmp.resolve("columns");
        try (StoreEngine blocks = StoreEngine.open(blocksDir, config);
                StoreEngine columns = StoreEngine.open(columnsDir, config)) {
            BufferedStoreWriter a = blockWriter(blocks);
            BufferedStoreWriter b = new BufferedStoreWriter(columns, CommitCodec.NEVER, CommitCodec.NEVER, true);
            book.inOrder(random, key, 5000, a, b); // blocks, on the first day (at most 500 s of events)
            a.commit();
            b.commit();
            book.ts = midnight - 200_000_000L; // at least 417 events of at least 1 ms: across midnight
            book.inOrder(random, key, 5000, a, b);
            a.commit();
            b.commit();
            book.inOrder(random, key, 100, a, b); // below the book block threshold: columns
            a.commit();
            b.commit();
            book.inOrder(random, key, 5000, a, b); // blocks, on the second day
            a.commit();
            b.commit();
            blocks.flush();
            columns.flush();
            assertThat(blocks.chunksPartlyCopied()).isEqualTo(2);
            assertThat(blocks.chunksCopied()).isZero();
            assertThat(columns.chunksPartlyCopied()).isZero();
            assertThat(readBook(blocks, key)).hasSize(15_100).isEqualTo(readBook(columns, key));
        }
        List<Path> chunks = chunkFiles(blocksDir);
        assertThat(chunks).hasSize(2);
        try (ChunkFile firstDay = ChunkFile.open(chunks.get(0));
                ChunkFile secondDay = ChunkFile.open(chunks.get(1))) {
            firstDay.verifyAllBlocks();
            secondDay.verifyAllBlocks();
            List<Integer> first = blockRows(firstDay);
            List<Integer> second = blockRows(secondDay);
            assertThat(first).hasSize(2).startsWith(5000); // the first commit's block, then the crossing rows
            assertThat(second).hasSize(2).endsWith(5000); // the crossing rows and the small commit, then a block
            assertThat(first.get(1) + second.get(0)).isEqualTo(5100);
        }
        assertEquivalentChunks(blocksDir, columnsDir);
        try (StoreEngine blocks = StoreEngine.open(blocksDir, config);
                StoreEngine columns = StoreEngine.open(columnsDir, config)) {
            assertThat(readBook(blocks, key)).hasSize(15_100).isEqualTo(readBook(columns, key));
        }
    }

    /**
     * Replay of type-9 records after a crash (the directory copied while the writer is open, Durability.OS: what a
     * killed process leaves): the rows come back with their blocks, so the recovered store's flush copies them and
     * writes the same files as the writer's own flush.
     */
    @Test
    void replayedEncodedCommitsKeepTheirBlocks() throws IOException {
        SeriesKey btc = SeriesKey.of("binance", "BTCUSDT");
        SeriesKey eth = SeriesKey.of("binance", "ETHUSDT");
        Clock btcClock = new Clock(T0, 1);
        Clock ethClock = new Clock(T0, 1000);
        SplittableRandom random = new SplittableRandom(9);
        Path dir = tmp.resolve("store");
        Path crashed = tmp.resolve("crashed");
        StoreConfig config = StoreConfig.defaults().withDurability(Durability.OS);
        try (StoreEngine engine = StoreEngine.open(dir, config)) {
            for (int c = 0; c < 4; c++) {
                BufferedStoreWriter writer = blockWriter(engine);
                btcClock.inOrder(random, btc, 2000 + 1000 * c).forEach(writer::appendTrade);
                ethClock.inOrder(random, eth, 40).forEach(writer::appendTrade); // small: column form
                writer.commit();
            }
            StoreFiles.copyTree(dir, crashed);
        }
        try (StoreEngine recovered = StoreEngine.open(crashed, config);
                StoreEngine original = StoreEngine.open(dir, config)) {
            assertThat(readAll(recovered, btc))
                    .isEqualTo(readAll(original, btc))
                    .hasSize(2000 + 3000 + 4000 + 5000);
            assertThat(readAll(recovered, eth))
                    .isEqualTo(readAll(original, eth))
                    .hasSize(160);
            recovered.flush();
            assertThat(recovered.chunksCopied()).isEqualTo(1); // btc copied; eth encoded
        }
        List<Path> a = chunkFiles(dir);
        List<Path> b = chunkFiles(crashed);
        assertThat(a).hasSize(2);
        for (int i = 0; i < a.size(); i++) {
            assertThat(withoutSequence(dir, a.get(i))).isEqualTo(withoutSequence(crashed, b.get(i)));
            assertThat(Files.readAllBytes(b.get(i))).isEqualTo(Files.readAllBytes(a.get(i)));
        }
    }

    /** A read-only follower beside the writer reads type-9 records from the log, before and after a flush. */
    @Test
    void readOnlyFollowerReadsEncodedCommits() {
        SeriesKey key = SeriesKey.of("binance", "BTCUSDT");
        Clock clock = new Clock(T0, 1);
        SplittableRandom random = new SplittableRandom(3);
        Path dir = tmp.resolve("store");
        List<Trade> all = new ArrayList<>();
        try (TickStore writerStore = TickStore.open(dir, StoreConfig.defaults().withDurability(Durability.OS))) {
            try (var writer = writerStore.newWriter()) {
                List<Trade> batch = clock.inOrder(random, key, 4000);
                batch.forEach(writer::appendTrade);
                all.addAll(batch);
                writer.commitAsync().await(); // asynchronous commits log blocks
            }
            try (TickStore reader = TickStore.openReadOnly(dir, 0)) {
                assertThat(read(reader, key)).isEqualTo(all);
                writerStore.flush();
                try (var writer = writerStore.newWriter()) {
                    List<Trade> batch = clock.inOrder(random, key, 1500);
                    batch.forEach(writer::appendTrade);
                    all.addAll(batch);
                    writer.commitAsync().await();
                }
                reader.refresh();
                assertThat(read(reader, key)).isEqualTo(all);
            }
        }
    }

    /**
     * The bytes of a type-9 record, pinned: one trade section as blocks (zstd off, so the digest does not depend on
     * the zstd build), one small trade section and one book section as columns.
     */
    @Test
    void typeNineRecordGoldenBytes() throws NoSuchAlgorithmException {
        CommitCodec codec = new CommitCodec(0, CommitCodec.DEFAULT_TRADE_BLOCK_MIN_ROWS, CommitCodec.NEVER);
        Map<SlotKey, ColumnData> buffers = new LinkedHashMap<>();
        SplittableRandom random = new SplittableRandom(20240808);
        buffers.put(new SlotKey(Table.TRADES, SeriesKey.of("binance", "BTCUSDT")), tradeColumns(random, 9000));
        buffers.put(new SlotKey(Table.TRADES, SeriesKey.of("kraken", "XBT/USD")), tradeColumns(random, 10));
        ColumnData book = new ColumnData(Table.BOOK, 4);
        for (int i = 0; i < 4; i++) {
            int row = book.reserve(1);
            book.longs(Table.TS)[row] = T0 + i / 2;
            book.longs(Table.RECV_TS)[row] = T0 + 5 + i / 2;
            book.longs(2)[row] = 6_183_763 + i;
            book.longs(3)[row] = 100 * (i + 1);
            book.longs(4)[row] = 10 + i / 2;
            book.longs(5)[row] = 10 + i / 2;
            book.bytes(0)[row] = 2;
            book.bytes(1)[row] = 3;
            book.bytes(2)[row] = (byte) (1 + i % 2);
            book.bytes(3)[row] = (byte) (i % 2 == 1 ? 4 : 0);
        }
        buffers.put(new SlotKey(Table.BOOK, SeriesKey.of("binance", "BTCUSDT")), book);
        List<CommitCodec.Section> sections = codec.encode(buffers, true);
        assertThat(codec.recordType()).isEqualTo(9);
        byte[] payload = java.util.Arrays.copyOf(codec.buffer(), codec.length());

        assertThat(sections.get(0).blocks()).isNotNull();
        assertThat(sections.get(0).blocks().blockCount()).isEqualTo(2);
        assertThat(sections.get(1).blocks()).isNull();
        assertThat(sections.get(2).blocks()).isNull();
        // Layout: count 3; section 0 = table 1, "binance", "BTCUSDT", 9000 rows, form 1, 2 blocks of 4500.
        MemorySegment p = MemorySegment.ofArray(payload);
        assertThat(leInt(payload, 0)).isEqualTo(3);
        assertThat(payload[4]).isEqualTo((byte) 1);
        int at = 5 + 1 + 7 + 1 + 7;
        assertThat(leInt(payload, at)).isEqualTo(9000);
        assertThat(payload[at + 4]).isEqualTo((byte) CommitCodec.FORM_BLOCKS);
        assertThat(leInt(payload, at + 5)).isEqualTo(2);
        assertThat(leInt(payload, at + 9)).isEqualTo(4500);
        assertThat(leInt(payload, at + 17)).isEqualTo(4500);
        int blocksAt = at + 5 + 4 + 2 * 8;
        byte[] blocks = sections.get(0).blocks().bytes();
        assertThat(java.util.Arrays.copyOfRange(payload, blocksAt, blocksAt + blocks.length))
                .isEqualTo(blocks);

        // Decodes back to the sorted sections, trade blocks kept.
        List<ColumnData> decoded = new ArrayList<>();
        CommitCodec.decode(CommitCodec.RECORD_COMMIT_BLOCKS, p, (key, rows, encodedBlocks) -> {
            decoded.add(rows);
            if (key.table() == Table.TRADES && rows.size() == 9000) {
                assertThat(encodedBlocks.bytes()).isEqualTo(blocks);
            } else {
                assertThat(encodedBlocks).isNull();
            }
        });
        assertThat(decoded).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertSameRows(decoded.get(i), sections.get(i).rows());
        }
        String digest =
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(payload));
        assertThat(digest).isEqualTo(GOLDEN_RECORD_SHA256);
    }

    static final String GOLDEN_RECORD_SHA256 = "c91bae67733c30335ce76b198433f44c7b716366c0c7f5492f891b1f6db982c5";

    // ---------------------------------------------------------------- helpers

    /** A writer whose commits (synchronous ones too) log large sections as blocks, at the default thresholds. */
    private static BufferedStoreWriter blockWriter(StoreEngine engine) {
        return new BufferedStoreWriter(
                engine, CommitCodec.DEFAULT_TRADE_BLOCK_MIN_ROWS, CommitCodec.DEFAULT_BOOK_BLOCK_MIN_ROWS, true);
    }

    /** A series' trade generator: a clock moving forward with bursts, sometimes stepping back or across midnight. */
    private static final class Clock {
        private long ts;
        private long id;
        private long recv;
        private long price = 6_183_763;

        Clock(long ts, long id) {
            this.ts = ts;
            this.id = id;
            this.recv = ts + 1_270_000;
        }

        /** Trades in time order, one UTC day, no duplicates. */
        List<Trade> inOrder(RandomGenerator random, SeriesKey key, int rows) {
            List<Trade> out = new ArrayList<>(rows);
            for (int i = 0; i < rows; i++) {
                step(random.nextInt(3) == 0, random.nextInt(30), random.nextInt(41) - 20);
                out.add(trade(key, random.nextInt(2) == 0 ? Side.BUY : Side.SELL, 100 + random.nextInt(1000), null));
            }
            return out;
        }

        /** Trades, possibly out of order, across midnight, with textual and duplicate ids. */
        List<Trade> next(RandomGenerator random, SeriesKey key, int rows) {
            if (random.nextInt(6) == 0) {
                ts -= random.nextLong(1_000_000_000L); // overlaps the previous commit
            }
            if (random.nextInt(8) == 0) {
                ts = Math.floorDiv(ts, DAY) * DAY + DAY - random.nextLong(50_000_000L); // just before midnight
            }
            boolean shuffled = random.nextInt(5) == 0;
            List<Trade> out = new ArrayList<>(rows);
            for (int i = 0; i < rows; i++) {
                step(random.nextInt(3) == 0, random.nextInt(30), random.nextInt(41) - 20);
                if (random.nextInt(200) == 0) {
                    id -= random.nextInt(3); // a duplicate id now and then
                }
                String text = random.nextInt(50) == 0 ? "t-" + id : null;
                Trade t = trade(key, random.nextBoolean() ? Side.BUY : Side.SELL, 1 + random.nextLong(1_000_000), text);
                if (shuffled && random.nextInt(10) == 0) {
                    t = new Trade(
                            t.series(),
                            t.tsNanos() - random.nextLong(5_000_000),
                            t.recvTsNanos(),
                            t.price(),
                            t.quantity(),
                            t.side(),
                            t.tradeId(),
                            t.tradeIdText());
                }
                out.add(t);
            }
            return out;
        }

        private void step(boolean newBurst, int recvSteps, int ticks) {
            if (newBurst) {
                ts += 1_000_000L * (1 + recvSteps);
                recv = ts + 1_270_000 + 100L * recvSteps;
                price += ticks;
            } else {
                recv += 100L * recvSteps;
            }
        }

        private Trade trade(SeriesKey key, Side side, long qty, String text) {
            return new Trade(key, ts, recv, Decimal.of(price, 2), Decimal.of(qty, 5), side, ++id, text);
        }
    }

    private static ColumnData tradeColumns(SplittableRandom random, int rows) {
        ColumnData data = new ColumnData(Table.TRADES, rows);
        long ts = T0;
        long recv = T0 + 1_270_000;
        long price = 6_183_763_000_000L;
        for (int i = 0; i < rows; i++) {
            int row = data.reserve(1);
            if (random.nextInt(3) == 0) {
                ts += 1_000_000L * random.nextInt(40);
                recv = ts + 1_270_000 + random.nextInt(5_000);
                price += 1_000_000L * (random.nextInt(41) - 20);
            } else {
                recv += 100L * random.nextInt(30);
            }
            data.longs(Table.TS)[row] = i == 5 ? ts - 3_000_000 : ts; // one row out of order: the codec sorts
            data.longs(Table.RECV_TS)[row] = recv;
            data.longs(Table.PRICE)[row] = price;
            data.longs(Table.QTY)[row] = 1000L * (1 + random.nextInt(100_000));
            data.longs(Table.TRADE_ID)[row] = 1_000_000 + i;
            data.bytes(Table.PRICE_SCALE)[row] = 8;
            data.bytes(Table.QTY_SCALE)[row] = 8;
            data.bytes(Table.SIDE)[row] = (byte) (1 + random.nextInt(2));
            if (i % 1000 == 7) {
                data.setString(Table.TRADE_ID_TEXT, row, "x" + i);
            }
        }
        return data;
    }

    private static int leInt(byte[] bytes, int at) {
        return (bytes[at] & 0xff) | (bytes[at + 1] & 0xff) << 8 | (bytes[at + 2] & 0xff) << 16 | bytes[at + 3] << 24;
    }

    private static void assertSameRows(ColumnData actual, ColumnData expected) {
        assertThat(actual.size()).isEqualTo(expected.size());
        Table table = expected.table();
        for (int c = 0; c < table.longColumns().size(); c++) {
            assertThat(java.util.Arrays.copyOf(actual.longs(c), actual.size()))
                    .isEqualTo(java.util.Arrays.copyOf(expected.longs(c), expected.size()));
        }
        for (int c = 0; c < table.byteColumns().size(); c++) {
            assertThat(java.util.Arrays.copyOf(actual.bytes(c), actual.size()))
                    .isEqualTo(java.util.Arrays.copyOf(expected.bytes(c), expected.size()));
        }
        for (int c = 0; c < table.stringColumns().size(); c++) {
            for (int i = 0; i < expected.size(); i++) {
                assertThat(actual.string(c, i)).isEqualTo(expected.string(c, i));
            }
        }
    }

    /** Same chunk files (names), each holding the same rows; byte-identical when their blocks are cut alike. */
    private static void assertEquivalentChunks(Path encodedDir, Path columnsDir) throws IOException {
        List<Path> a = chunkFiles(encodedDir);
        List<Path> b = chunkFiles(columnsDir);
        assertThat(a.stream().map(p -> withoutSequence(encodedDir, p)).toList())
                .isEqualTo(b.stream().map(p -> withoutSequence(columnsDir, p)).toList());
        ColumnBlockCodec codec = new ColumnBlockCodec(0);
        for (int i = 0; i < a.size(); i++) {
            try (ChunkFile x = ChunkFile.open(a.get(i));
                    ChunkFile y = ChunkFile.open(b.get(i))) {
                x.verifyAllBlocks();
                assertSameRows(allRows(x, codec), allRows(y, codec));
                assertThat(x.maxLsn()).isEqualTo(y.maxLsn());
                if (blockRows(x).equals(blockRows(y))) {
                    assertThat(Files.readAllBytes(a.get(i))).isEqualTo(Files.readAllBytes(b.get(i)));
                }
            }
        }
    }

    /**
     * A chunk file's directory and part numbers without its flush sequence: flushes number slots in the order the two
     * flush threads reach them, so sequences differ between stores; within a directory files sort by sequence.
     */
    private static String withoutSequence(Path root, Path chunk) {
        String name = chunk.getFileName().toString();
        return root.relativize(chunk.getParent()) + "/" + name.substring(name.indexOf('-'));
    }

    private static ColumnData allRows(ChunkFile chunk, ColumnBlockCodec codec) {
        ColumnData all = new ColumnData(chunk.table(), (int) chunk.rowCount());
        ColumnData block = new ColumnData(chunk.table(), 1024);
        for (int b = 0; b < chunk.blockCount(); b++) {
            chunk.decodeBlock(b, block, codec);
            all.appendRange(block, 0, block.size());
        }
        return all;
    }

    private static List<Integer> blockRows(ChunkFile chunk) {
        List<Integer> rows = new ArrayList<>();
        for (int b = 0; b < chunk.blockCount(); b++) {
            rows.add(chunk.blockRows(b));
        }
        return rows;
    }

    private static List<Path> chunkFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> p.toString().endsWith(".tvc")).sorted().toList();
        }
    }

    private static List<Trade> readAll(StoreEngine engine, SeriesKey key) {
        return readAll(engine, key, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    /** The trades of {@code key} with {@code from <= ts < to} as the engine's merging cursor returns them. */
    static List<Trade> readAll(StoreEngine engine, SeriesKey key, long from, long to) {
        List<Trade> out = new ArrayList<>();
        MergingRowCursor cursor = engine.rows(Table.TRADES, key, from, to);
        for (int n = cursor.nextRun(); n > 0; n = cursor.nextRun()) {
            ColumnData d = cursor.data();
            for (int i = cursor.row(); i < cursor.row() + n; i++) {
                out.add(new Trade(
                        key,
                        d.longs(Table.TS)[i],
                        d.longs(Table.RECV_TS)[i],
                        Decimal.of(d.longs(Table.PRICE)[i], d.bytes(Table.PRICE_SCALE)[i]),
                        Decimal.of(d.longs(Table.QTY)[i], d.bytes(Table.QTY_SCALE)[i]),
                        Side.ofCode(d.bytes(Table.SIDE)[i]),
                        d.longs(Table.TRADE_ID)[i],
                        d.string(Table.TRADE_ID_TEXT, i)));
            }
        }
        return out;
    }

    private static List<Trade> read(TickStore store, SeriesKey key) {
        List<Trade> out = new ArrayList<>();
        try (TradeCursor cursor = store.trades(key, Long.MIN_VALUE, Long.MAX_VALUE)) {
            while (cursor.next()) {
                out.add(cursor.toTrade());
            }
        }
        return out;
    }
}
