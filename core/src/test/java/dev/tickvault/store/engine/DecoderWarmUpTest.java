package dev.tickvault.store.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tickvault.model.Decimal;
import dev.tickvault.model.SeriesKey;
import dev.tickvault.model.Side;
import dev.tickvault.model.Trade;
import dev.tickvault.store.Durability;
import dev.tickvault.store.StoreConfig;
import dev.tickvault.store.StoreWriter;
import dev.tickvault.store.TickStore;
import dev.tickvault.store.TradeBatchCursor;
import dev.tickvault.store.partition.ChunkFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The background read that warms a JVM's read path ({@link DecoderWarmUp}): it reads every column of every row of the
 * largest trades chunk file, as a query does; it gives way to a query; it survives its store's close and the removal
 * of the files, and a damaged file; and the default starts it once per JVM, for writable stores only.
 */
class DecoderWarmUpTest {

    private static final SeriesKey BUSY = SeriesKey.of("binance", "BTCUSDT");
    private static final SeriesKey QUIET = SeriesKey.of("binance", "ETHUSDT");
    private static final long T0 = 1_723_075_200_000_000_000L;
    private static final StoreConfig CONFIG = StoreConfig.defaults().withDurability(Durability.OS);

    @TempDir
    Path work;

    private String property;

    @BeforeEach
    void keepProperty() {
        property = System.getProperty(DecoderWarmUp.PROPERTY);
        System.clearProperty(DecoderWarmUp.PROPERTY);
    }

    @AfterEach
    void restoreProperty() {
        if (property == null) {
            System.clearProperty(DecoderWarmUp.PROPERTY);
        } else {
            System.setProperty(DecoderWarmUp.PROPERTY, property);
        }
    }

    @Test
    void readsEveryRowOfTheLargestTradesChunkAsAQueryDoes() throws IOException {
        Path store = writeStore(work.resolve("store"), 2 * 8_192, 3_000);
        long expected;
        DecoderWarmUp.Target target;
        try (StoreEngine engine = StoreEngine.open(store, CONFIG)) {
            target = DecoderWarmUp.target(engine);
            assertThat(target.series()).isEqualTo(BUSY);
            try (TradeBatchCursor batches = StoreTradeBatchCursor.open(engine, BUSY, Long.MIN_VALUE, Long.MAX_VALUE)) {
                expected = sum(batches);
            }
        }
        try (ChunkFile chunk = ChunkFile.open(target.path())) {
            assertThat(chunk.blockCount()).as("two blocks of 8,192 rows").isEqualTo(2);
        }
        DecoderWarmUp.Result result = DecoderWarmUp.run(target.series(), target.path(), 0, batch -> {});
        // a pass of 65,536 rows reads the 16,384-row file four times, whole
        int reads = DecoderWarmUp.PASSES * DecoderWarmUp.PASS_ROWS / (2 * 8_192);
        assertThat(result.end()).isEqualTo(DecoderWarmUp.End.DONE);
        assertThat(result.rows()).isEqualTo(reads * 2 * 8_192L);
        assertThat(result.checksum()).isEqualTo(reads * expected);
    }

    @Test
    void stopsAtTheBatchAfterAQueryStarts() throws IOException {
        DecoderWarmUp.Target target = targetOfNewStore(work.resolve("store"));
        DecoderWarmUp.Result result = DecoderWarmUp.run(target.series(), target.path(), 0, batch -> {
            if (batch == 2) {
                DecoderWarmUp.noteQuery();
            }
        });
        long twoBlocks;
        try (ChunkFile chunk = ChunkFile.open(target.path())) {
            assertThat(chunk.blockCount()).isGreaterThan(2);
            twoBlocks = chunk.blockRows(0) + chunk.blockRows(1);
        }
        assertThat(result.end()).isEqualTo(DecoderWarmUp.End.QUERY);
        assertThat(result.rows()).as("two batches of one block each").isEqualTo(twoBlocks);
    }

    @Test
    void aQueryOfTheStoreIsNotedByTheWarmUp() throws IOException {
        Path store = writeStore(work.resolve("store"), 20_000, 0);
        DecoderWarmUp.Target target;
        try (StoreEngine engine = StoreEngine.open(store, CONFIG)) {
            target = DecoderWarmUp.target(engine);
            DecoderWarmUp.Result result = DecoderWarmUp.run(target.series(), target.path(), 0, batch -> {
                if (batch == 1) {
                    engine.rows(dev.tickvault.store.Table.TRADES, QUIET, 0, 1).close();
                }
            });
            assertThat(result.end()).isEqualTo(DecoderWarmUp.End.QUERY);
        }
    }

    @Test
    void readsOnWhenItsStoreIsClosedAndTheFilesAreRemoved() throws IOException {
        Path store = work.resolve("store");
        DecoderWarmUp.Target target = targetOfNewStore(store);
        DecoderWarmUp.Result whole = DecoderWarmUp.run(target.series(), target.path(), 0, batch -> {});
        DecoderWarmUp.Result removed = DecoderWarmUp.run(target.series(), target.path(), 0, batch -> {
            if (batch == 1) {
                deleteTree(store);
            }
        });
        assertThat(Files.exists(store)).isFalse();
        assertThat(removed).isEqualTo(whole);
    }

    @Test
    void aDamagedFileEndsTheWarmUpQuietly() throws IOException {
        DecoderWarmUp.Target target = targetOfNewStore(work.resolve("store"));
        long blockOffset;
        try (ChunkFile chunk = ChunkFile.open(target.path())) {
            blockOffset = chunk.sizeBytes() / 2; // inside some block's bytes, away from the header and the index
        }
        try (FileChannel channel = FileChannel.open(target.path(), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            channel.read(b, blockOffset);
            b.put(0, (byte) ~b.get(0));
            channel.write(b.rewind(), blockOffset);
        }
        DecoderWarmUp.Result result = DecoderWarmUp.run(target.series(), target.path(), 0, batch -> {});
        assertThat(result.end()).isEqualTo(DecoderWarmUp.End.FAILED);
        assertThat(result.rows()).isLessThan(20_000);
        DecoderWarmUp.Result missing =
                DecoderWarmUp.run(target.series(), work.resolve("no-such-file.tvc"), 0, batch -> {});
        assertThat(missing).isEqualTo(new DecoderWarmUp.Result(0, 0, DecoderWarmUp.End.FAILED));
    }

    @Test
    void byDefaultOnePerJvmForWritableStoresOnly() throws IOException {
        Path store = writeStore(work.resolve("store"), 20_000, 0);
        DecoderWarmUp.forgetStartForTests();
        try (ReadOnlyStore readOnly = ReadOnlyStore.open(store, CONFIG, 0)) {
            assertThat(DecoderWarmUp.target(readOnly.current()))
                    .as("it has chunk files")
                    .isNotNull();
            assertThat(DecoderWarmUp.started()).as("a read-only open").isFalse();
        }
        try (StoreEngine engine = StoreEngine.open(work.resolve("empty"), CONFIG)) {
            assertThat(DecoderWarmUp.target(engine)).isNull();
            assertThat(DecoderWarmUp.started())
                    .as("a writable open without chunk files")
                    .isFalse();
        }
        try (StoreEngine engine = StoreEngine.open(store, CONFIG)) {
            assertThat(DecoderWarmUp.target(engine)).isNotNull();
            assertThat(DecoderWarmUp.started())
                    .as("a writable open with chunk files")
                    .isTrue();
        }
        // the first flush that writes chunk files starts it too
        DecoderWarmUp.forgetStartForTests();
        writeStore(work.resolve("fresh"), 5_000, 0);
        assertThat(DecoderWarmUp.started()).isTrue();
    }

    @Test
    void trueStartsOneAtEveryOpenAndFalseNone() throws IOException {
        Path store = writeStore(work.resolve("store"), 20_000, 0);
        System.setProperty(DecoderWarmUp.PROPERTY, "false");
        DecoderWarmUp.forgetStartForTests();
        try (StoreEngine engine = StoreEngine.open(store, CONFIG)) {
            engine.flush();
        }
        writeStore(work.resolve("fresh"), 5_000, 0);
        assertThat(DecoderWarmUp.started())
                .as("off: neither an open nor a flush")
                .isFalse();
        System.setProperty(DecoderWarmUp.PROPERTY, "true");
        try (ReadOnlyStore readOnly = ReadOnlyStore.open(store, CONFIG, 0)) {
            assertThat(DecoderWarmUp.target(readOnly.current())).isNotNull();
            assertThat(DecoderWarmUp.started()).as("true: a read-only open too").isTrue();
        }
    }

    @Test
    void aBadValueIsRefusedBeforeTheStoreOpens() throws IOException {
        Path store = writeStore(work.resolve("store"), 5_000, 0);
        System.setProperty(DecoderWarmUp.PROPERTY, "yes");
        assertThatThrownBy(() -> StoreEngine.open(store, CONFIG))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tickvault.decoderWarmUp takes true or false")
                .hasMessageContaining("'yes'");
        assertThatThrownBy(() -> ReadOnlyStore.open(store, CONFIG, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'yes'");
        System.clearProperty(DecoderWarmUp.PROPERTY);
        try (StoreEngine engine = StoreEngine.open(store, CONFIG)) { // nothing was left locked
            assertThat(DecoderWarmUp.target(engine)).isNotNull();
        }
    }

    /** The warm-up's target in a new store at {@code dir} of 20,000 trades of one series, flushed. */
    private static DecoderWarmUp.Target targetOfNewStore(Path dir) throws IOException {
        writeStore(dir, 20_000, 0);
        try (StoreEngine engine = StoreEngine.open(dir, CONFIG)) {
            return DecoderWarmUp.target(engine);
        }
    }

    private static long sum(TradeBatchCursor batches) {
        long sum = 0;
        for (int n = batches.next(); n > 0; n = batches.next()) {
            sum += DecoderWarmUp.sumOfColumns(batches, n);
        }
        return sum;
    }

    /** A store whose busy series has {@code busyRows} trades and whose quiet one {@code quietRows}, flushed. */
    private static Path writeStore(Path dir, int busyRows, int quietRows) throws IOException {
        Random random = new Random(5);
        try (TickStore store = TickStore.open(dir, CONFIG);
                StoreWriter writer = store.newWriter()) {
            long ts = T0;
            long price = 6_183_763;
            for (int i = 0; i < busyRows + quietRows; i++) {
                ts += random.nextInt(4) == 0 ? 0 : 1_000_000L * (1 + random.nextInt(20));
                price += random.nextInt(7) - 3;
                writer.appendTrade(new Trade(
                        i < busyRows ? BUSY : QUIET,
                        ts,
                        ts + 100_000 + random.nextInt(900_000),
                        Decimal.of(price, 2),
                        Decimal.of(1 + random.nextInt(1_000_000), 8),
                        random.nextBoolean() ? Side.BUY : Side.SELL,
                        1_000_000L + i,
                        null));
            }
            writer.commit();
            store.flush();
        }
        return dir;
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
