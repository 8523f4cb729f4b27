package dev.tickvault.cli;

import dev.tickvault.feed.FeedSink;
import dev.tickvault.feed.book.OrderBook;
import dev.tickvault.model.BookUpdate;
import dev.tickvault.model.GapMarker;
import dev.tickvault.model.SeriesKey;
import dev.tickvault.model.Side;
import dev.tickvault.query.Bar;
import dev.tickvault.query.BarCursor;
import dev.tickvault.query.BarInterval;
import dev.tickvault.query.BookAtQuery;
import dev.tickvault.query.BookQueryConfig;
import dev.tickvault.sample.SyntheticTradeBatch;
import dev.tickvault.sample.SyntheticTrades;
import dev.tickvault.store.Durability;
import dev.tickvault.store.StoreConfig;
import dev.tickvault.store.StoreWriter;
import dev.tickvault.store.TickStore;
import dev.tickvault.store.TradeBatchCursor;
import dev.tickvault.store.codec.ByteSink;
import dev.tickvault.store.codec.LongColumnCodec;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import picocli.CommandLine;

/**
 * The training run of the product's startup cache (JDK 25's AOT cache, JEP 483/514/515): the {@code ./tickvault}
 * launcher runs it once per build with {@code -XX:AOTCacheOutput}, and every later {@code tickvault} command starts
 * with {@code -XX:AOTCache}, its classes already loaded and linked from the cache and the JIT compiling from the method
 * profiles recorded here rather than after collecting its own. The side-by-side benchmark ({@code PeerBenchmark}
 * {@code --tickvault-aot on}) builds its tickvault children's cache with it too.
 *
 * <p>It does what users do, on its own small generated data (seed {@value #TRAINING_SEED}, not any benchmark's): it
 * ingests {@value #TRADES} synthetic trades {@value #INGEST_ROUNDS} times into fresh stores with one writer committing
 * asynchronously every {@value #COMMIT_ROWS} rows, then a flush; writes {@value #BOOK_UPDATES} synthetic book updates
 * of two series (a snapshot each, then events, a checkpoint of each book every minute of feed time as {@code tickvault
 * record} writes them), committed the same way; reopens the store; then reads it back: ranges of one to four hours
 * through {@link TradeBatchCursor} with every column, the whole day, 1-minute OHLCV bars ({@link BarCursor}),
 * {@code countTrades} of every series, the book at instants ({@link BookAtQuery}), and {@code query trades} and
 * {@code bars} through the command line (output discarded) on a read-only store — each enough times for the profiles
 * to be those of steady state; and packed frames of every bit width through the frame decoder ({@link #frameWidths}).
 * The stores are deleted afterwards. Prints nothing; exit status 0 when it ran through.
 */
public final class AotTraining {

    static final int TRADES = 400_000;
    private static final int INGEST_ROUNDS = 3;
    private static final int COMMIT_ROWS = 100_000;
    private static final long TRAINING_SEED = 5_170_311L;
    private static final int BOOK_UPDATES = 300_000;
    private static final int BOOK_DEPTH = 10;
    private static final long CHECKPOINT_INTERVAL_NANOS = 60_000_000_000L;
    static final long BOOK_START_NANOS = SyntheticTrades.DAY_START_NANOS + 12 * SyntheticTrades.NANOS_PER_HOUR;
    private static final long BOOK_STEP_NANOS = 20_000_000L;
    static final SeriesKey[] BOOK_SERIES = {
        SeriesKey.of("binance", "TRAINUSDT"), SeriesKey.of("binance-usdm", "TRAINUSDT")
    };

    /** Keeps the reads' sums alive, so the JIT cannot drop the reads it is meant to learn. */
    private static volatile long sink;

    private AotTraining() {}

    public static void main(String[] args) throws IOException {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "dev/tickvault/cli/logback-cli.xml");
        }
        Path dir = Files.createTempDirectory("tickvault-aot-training");
        try {
            train(dir);
        } finally {
            deleteTree(dir);
        }
    }

    /** The training in {@code dir}; leaves its store in {@code dir/store} (the caller deletes it). */
    static void train(Path dir) throws IOException {
        SyntheticTrades generator = new SyntheticTrades(TRADES, TRAINING_SEED);
        SeriesKey[] series = generator.seriesKeys();
        SyntheticTradeBatch trades = generator.all();
        StoreConfig config = StoreConfig.defaults().withDurability(Durability.OS);
        Path store = dir.resolve("store");
        for (int round = 0; round < INGEST_ROUNDS; round++) {
            Path target = round == INGEST_ROUNDS - 1 ? store : dir.resolve("ingest-" + round);
            try (TickStore writable = TickStore.open(target, config)) {
                ingestTrades(writable, trades, series);
                if (round == INGEST_ROUNDS - 1) {
                    ingestBook(writable);
                }
            }
            if (round < INGEST_ROUNDS - 1) {
                deleteTree(target);
            }
        }
        long dayFrom = SyntheticTrades.DAY_START_NANOS;
        long dayTo = dayFrom + SyntheticTrades.NANOS_PER_DAY;
        try (TickStore reopened = TickStore.open(store, config)) {
            read(reopened, series, dayFrom, dayTo);
        }
        commandLine(store, series[0], dayFrom, dayTo);
        try (TickStore readOnly = TickStore.openReadOnly(store)) {
            read(readOnly, series, dayFrom, dayTo);
        }
        sink += frameWidths();
    }

    /** Values per column of {@link #frameWidths}: 64 groups of the unpackers' 64 values. */
    static final int FRAME_WIDTH_VALUES = 4_096;

    /** Widest DELTA column of {@link #frameWidths}: the running sums of its steps stay far from overflowing. */
    static final int MAX_DELTA_WIDTH = 40;

    static final int FRAME_WIDTH_ROUNDS = 48;

    /**
     * Decodes packed frames of every bit width 1-63 through the read path's frame decoder ({@link
     * LongColumnCodec#decodeRows} from heap bytes, as a chunk file's sections are read once zstd has inflated them),
     * whole and from the middle: the times, receive times and other packed columns of real data take only some
     * widths, which depend on the data's density (the synthetic day above, 400,000 trades, takes about a dozen), and a
     * width whose straight-line unpacker the training never ran has no recorded profile, so it is not compiled when
     * first used but interpreted until its counters reach the thresholds — in a first query over denser data, most of
     * its first block (measured, session 19: a seventh of the first one-hour read's CPU in interpreted unpackers).
     * Each width is unpacked 3,000-6,000 times (frame of reference, and delta up to {@value #MAX_DELTA_WIDTH} bits),
     * enough for the JIT to compile it during the training; ~50 ms. Returns a sum of
     * the values decoded; throws if a column does not decode to the values encoded.
     */
    static long frameWidths() {
        List<long[]> columns = frameWidthColumns();
        LongColumnCodec codec = new LongColumnCodec();
        ByteSink out = new ByteSink(1 << 20);
        long[] offsets = new long[columns.size()];
        for (int c = 0; c < columns.size(); c++) {
            offsets[c] = out.position();
            codec.encodeFast(columns.get(c), 0, FRAME_WIDTH_VALUES, out);
        }
        MemorySegment encoded = MemorySegment.ofArray(Arrays.copyOf(out.array(), out.position()));
        long[] decoded = new long[FRAME_WIDTH_VALUES];
        long sum = 0;
        for (int round = 0; round < FRAME_WIDTH_ROUNDS; round++) {
            int from = (round & 3) == 3 ? FRAME_WIDTH_VALUES / 2 + round : 0; // as a range's first block
            for (int c = 0; c < columns.size(); c++) {
                codec.decodeRows(encoded, offsets[c], FRAME_WIDTH_VALUES, decoded, 0, from, FRAME_WIDTH_VALUES);
                if (round == 0 && !Arrays.equals(decoded, columns.get(c))) {
                    throw new IllegalStateException("training column " + c + " did not decode to its values");
                }
                sum += decoded[FRAME_WIDTH_VALUES - 1];
            }
        }
        return sum;
    }

    /**
     * The columns of {@link #frameWidths}: for each width w in 1-63 one column whose every group of 64 values
     * (from index 0) holds 0 and 2^w - 1, the rest uniformly random below 2^w, so that any frame made of whole groups
     * spans exactly w bits (frame of reference); and for each w up to {@value #MAX_DELTA_WIDTH} one column rising by
     * steps whose every group of 64 holds a step of 0 and one of 2^w - 1 (delta frames).
     */
    static List<long[]> frameWidthColumns() {
        SplittableRandom random = new SplittableRandom(TRAINING_SEED);
        List<long[]> columns = new ArrayList<>();
        for (int width = 1; width < 64; width++) {
            long[] values = new long[FRAME_WIDTH_VALUES];
            for (int i = 0; i < values.length; i++) {
                values[i] = spanningValue(i, width, random);
            }
            columns.add(values);
        }
        for (int width = 1; width <= MAX_DELTA_WIDTH; width++) {
            long[] values = new long[FRAME_WIDTH_VALUES];
            long value = 0;
            for (int i = 0; i < values.length; i++) {
                value += spanningValue(i, width, random);
                values[i] = value;
            }
            columns.add(values);
        }
        return columns;
    }

    /** Value {@code i} of a group of 64 spanning exactly {@code width} bits: 0, then 2^width - 1, then random below. */
    private static long spanningValue(int i, int width, SplittableRandom random) {
        return switch (i & 63) {
            case 0 -> 0;
            case 1 -> -1L >>> (64 - width);
            default -> random.nextLong() >>> (64 - width);
        };
    }

    /** As a recorder or loader writes: one writer, an asynchronous commit every 100k rows, then a flush. */
    private static void ingestTrades(TickStore store, SyntheticTradeBatch trades, SeriesKey[] series) {
        try (StoreWriter writer = store.newWriter()) {
            for (int row = 0, n = trades.size(); row < n; row += COMMIT_ROWS) {
                int end = Math.min(n, row + COMMIT_ROWS);
                trades.appendTo(writer, series, row, end);
                if (end - row == COMMIT_ROWS) {
                    writer.commitAsync();
                }
            }
            writer.commit();
        }
        store.flush();
    }

    /**
     * Synthetic level updates of two books around a fixed mid price: a snapshot each, then events of one to four level
     * changes (a fifth deletes), and every minute of feed time a checkpoint of each book, flagged as {@code tickvault
     * record} flags them; committed asynchronously every 100k rows, then flushed.
     */
    private static void ingestBook(TickStore store) {
        SplittableRandom random = new SplittableRandom(TRAINING_SEED);
        OrderBook[] books = new OrderBook[BOOK_SERIES.length];
        long[] lastCheckpoint = new long[BOOK_SERIES.length];
        long mid = 6_000_000L; // 60,000.00 at scale 2
        try (StoreWriter writer = store.newWriter()) {
            WriterSink sinkToWriter = new WriterSink(writer);
            long ts = BOOK_START_NANOS;
            long updateId = 1;
            for (int s = 0; s < BOOK_SERIES.length; s++) {
                books[s] = new OrderBook(BOOK_SERIES[s], 10_000);
                for (int level = 1; level <= 50; level++) {
                    books[s].set(Side.BUY, mid - level, 2, 1 + random.nextInt(5_000), 3);
                    books[s].set(Side.SELL, mid + level, 2, 1 + random.nextInt(5_000), 3);
                }
                books[s].writeSnapshot(sinkToWriter, ts, ts + 1_000, updateId, updateId, 0);
                lastCheckpoint[s] = ts;
            }
            for (int written = 0; written < BOOK_UPDATES; ) {
                ts += 1 + random.nextLong(BOOK_STEP_NANOS);
                int s = random.nextInt(BOOK_SERIES.length);
                int changes = 1 + random.nextInt(4);
                long firstId = ++updateId;
                updateId += changes - 1;
                for (int c = 0; c < changes; c++) {
                    Side side = random.nextBoolean() ? Side.BUY : Side.SELL;
                    long price = side == Side.BUY ? mid - 1 - random.nextInt(60) : mid + 1 + random.nextInt(60);
                    long quantity = random.nextInt(5) == 0 ? 0 : 1 + random.nextInt(5_000);
                    books[s].set(side, price, 2, quantity, 3);
                    writer.appendBookUpdate(
                            BOOK_SERIES[s],
                            ts,
                            ts + 1_000,
                            side,
                            price,
                            2,
                            quantity,
                            3,
                            firstId,
                            updateId,
                            c == changes - 1 ? BookUpdate.EVENT_END : 0);
                }
                written += changes;
                if (ts - lastCheckpoint[s] >= CHECKPOINT_INTERVAL_NANOS) {
                    written += books[s].writeSnapshot(
                            sinkToWriter, ts, ts + 1_000, updateId, updateId, BookUpdate.CHECKPOINT);
                    lastCheckpoint[s] = ts;
                }
                if (writer.pendingRows() >= COMMIT_ROWS) {
                    writer.commitAsync();
                }
            }
            writer.commit();
        }
        store.flush();
    }

    /** The library's reads, as users and the benchmarks make them. */
    private static void read(TickStore store, SeriesKey[] series, long dayFrom, long dayTo) {
        for (int round = 0; round < 60; round++) {
            long from = dayFrom + (round % 20) * SyntheticTrades.NANOS_PER_HOUR;
            long hours = 1 + round % 4;
            sink += scan(store, series[round % 3], from, from + hours * SyntheticTrades.NANOS_PER_HOUR);
        }
        for (int round = 0; round < 40; round++) {
            sink += scan(store, series[round % series.length], dayFrom, dayTo);
        }
        for (int round = 0; round < 10; round++) {
            sink += bars(store, series[round % 3], dayFrom, dayTo);
            for (SeriesKey key : store.tradeSeries()) {
                sink += store.countTrades(key, Long.MIN_VALUE, Long.MAX_VALUE);
                sink += store.countTrades(key, dayFrom + round * SyntheticTrades.NANOS_PER_HOUR, dayTo);
            }
        }
        BookAtQuery book = new BookAtQuery(store, BookQueryConfig.defaults());
        SplittableRandom random = new SplittableRandom(TRAINING_SEED);
        long bookSpan =
                (long) BOOK_UPDATES * BOOK_STEP_NANOS / 6; // inside the feed time written (events average 2.5 rows)
        for (int round = 0; round < 40; round++) {
            long at = BOOK_START_NANOS + 1 + random.nextLong(bookSpan);
            sink += book.at(BOOK_SERIES[round % BOOK_SERIES.length], at, BOOK_DEPTH)
                    .bids()
                    .size();
        }
    }

    private static long scan(TickStore store, SeriesKey series, long fromNanos, long toNanos) {
        long sum = 0;
        try (TradeBatchCursor batches = store.tradeBatches(series, fromNanos, toNanos)) {
            for (int n = batches.next(); n > 0; n = batches.next()) {
                long[] ts = batches.tsNanos();
                long[] recv = batches.recvTsNanos();
                long[] price = batches.priceMantissas();
                byte[] priceScale = batches.priceScales();
                long[] qty = batches.quantityMantissas();
                byte[] qtyScale = batches.quantityScales();
                byte[] side = batches.sides();
                long[] id = batches.tradeIds();
                for (int i = batches.offset(), end = i + n; i < end; i++) {
                    sum += ts[i] + recv[i] + price[i] + priceScale[i] + qty[i] + qtyScale[i] + side[i] + id[i];
                }
            }
        }
        return sum;
    }

    private static long bars(TickStore store, SeriesKey series, long fromNanos, long toNanos) {
        long sum = 0;
        try (BarCursor bars =
                BarCursor.open(store, series, fromNanos, toNanos, new BarInterval(60_000_000_000L), false)) {
            while (bars.next()) {
                Bar bar = bars.bar();
                sum += bar.hashCode();
            }
        }
        return sum;
    }

    /** {@code query trades} (CSV and JSON) and {@code bars} through the command line, output discarded. */
    private static void commandLine(Path store, SeriesKey series, long dayFrom, long dayTo) {
        String from = Instant.ofEpochSecond(0, dayFrom).toString();
        String to = Instant.ofEpochSecond(0, dayTo).toString();
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));
        try {
            for (int round = 0; round < 6; round++) {
                command(
                        "query",
                        "trades",
                        "--data",
                        store.toString(),
                        "--exchange",
                        series.exchange(),
                        "--symbol",
                        series.symbol(),
                        "--from",
                        from,
                        "--to",
                        to,
                        "--format",
                        round % 2 == 0 ? "csv" : "json");
                command(
                        "bars",
                        "--data",
                        store.toString(),
                        "--exchange",
                        series.exchange(),
                        "--symbol",
                        series.symbol(),
                        "--from",
                        from,
                        "--to",
                        to,
                        "--interval",
                        "1m");
            }
        } finally {
            System.setOut(stdout);
        }
    }

    private static void command(String... args) {
        CommandLine cli = TickvaultCommand.newCommandLine();
        PrintWriter discard = new PrintWriter(OutputStream.nullOutputStream());
        cli.setOut(discard);
        cli.setErr(discard);
        cli.execute(args);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }

    /** Book levels written by {@link OrderBook#writeSnapshot} go to the store's writer. */
    private record WriterSink(StoreWriter writer) implements FeedSink {
        @Override
        public void trade(
                SeriesKey series,
                long tsNanos,
                long recvTsNanos,
                long priceMantissa,
                int priceScale,
                long quantityMantissa,
                int quantityScale,
                Side side,
                long tradeId,
                String textTradeId) {
            throw new UnsupportedOperationException("book levels only");
        }

        @Override
        public void bookLevel(
                SeriesKey series,
                long tsNanos,
                long recvTsNanos,
                Side side,
                long priceMantissa,
                int priceScale,
                long quantityMantissa,
                int quantityScale,
                long firstUpdateId,
                long lastUpdateId,
                int flags) {
            writer.appendBookUpdate(
                    series,
                    tsNanos,
                    recvTsNanos,
                    side,
                    priceMantissa,
                    priceScale,
                    quantityMantissa,
                    quantityScale,
                    firstUpdateId,
                    lastUpdateId,
                    flags);
        }

        @Override
        public void gap(GapMarker gap) {
            throw new UnsupportedOperationException("book levels only");
        }
    }
}
