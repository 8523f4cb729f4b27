package dev.tickvault.store.engine;

import dev.tickvault.model.SeriesKey;
import dev.tickvault.store.Table;
import dev.tickvault.store.TradeBatchCursor;
import dev.tickvault.store.io.LazyLog;
import dev.tickvault.store.partition.ChunkFile;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;

/**
 * Reads a store's own trades once in the background, so that the JIT has compiled the read path (chunk block
 * decoders, zstd's natives linked, the merging and batch cursors, their call sites resolved) before the first query
 * arrives — the way a server's first request, or a library user's first query some time after writing, finds it warm.
 * Without it, a JVM's first one-hour read of the side-by-side benchmark spends most of its 5–8 ms in the interpreter,
 * in C1 code and in the VM's first-use work (session 21), against ~1–1.5 ms warm.
 *
 * <p>What it does: on one daemon thread, maps the trades chunk file with the most rows itself and reads it through a
 * {@link TradeBatchCursor}, as a query would: {@value #PASSES} passes of {@value #PASS_ROWS} rows, {@value
 * #PAUSE_MILLIS} ms apart, so that the JIT compiles between them what the last pass asked for (the kernels' C2 code
 * comes in about the fifth pass; in one go, with the JIT busy compiling a first ingest, most of them stayed at C1's
 * tier 2): ~0.6 s of wall time and ~40–60 ms of CPU (its own and the block-decode helper's), once. It maps the file
 * itself, so a store closed meanwhile does not cut it short (a chunk file is never changed once written, and a file
 * deleted while mapped stays readable on Linux); the mapping is released when it ends. It stops at the batch after a
 * query starts ({@link #noteQuery}), so it never competes with one for long. Any failure is logged at DEBUG and
 * ignored: queries report real problems themselves. A warm-up that ends well logs nothing: its first message would
 * start the logging backend (see {@code LazyLog}) in a process that has nothing to report.
 *
 * <p>When, by {@code -Dtickvault.decoderWarmUp}:
 *
 * <ul>
 *   <li>unset (the default): once per JVM, at the first open of a writable store that holds trade chunk files, or
 *       after the first flush that writes one. Read-only opens never start it: they are the one-shot commands, which
 *       query at once.
 *   <li>{@code true} ({@code tickvault serve} and {@code demo} set it): also at every open, read-only ones too.
 *   <li>{@code false}: never.
 * </ul>
 *
 * Any other value is refused at the first open with a message.
 */
final class DecoderWarmUp {

    private static final LazyLog LOG = LazyLog.of(DecoderWarmUp.class);
    static final String PROPERTY = "tickvault.decoderWarmUp";
    /** Passes over the file: the read path's kernels reach C2 code in about half of them (session 21). */
    static final int PASSES = 12;
    /** Rows per pass (a pass ends with the batch that reaches it). */
    static final int PASS_ROWS = 65_536;
    /** The pause between passes, in which the JIT compiles what the last pass asked for. */
    static final long PAUSE_MILLIS = 50;

    /** When a warm-up starts (see the class comment). */
    enum Mode {
        ONCE,
        EVERY_OPEN,
        OFF;

        static Mode of(String value) {
            if (value == null) {
                return ONCE;
            }
            return switch (value) {
                case "true" -> EVERY_OPEN;
                case "false" -> OFF;
                default ->
                    throw new IllegalArgumentException("-D" + PROPERTY + " takes true or false (unset: once per JVM,"
                            + " for writable stores), not '" + value + "'");
            };
        }
    }

    /** Why a warm-up ended. */
    enum End {
        /** It read its {@value #PASSES} passes. */
        DONE,
        /** A query started meanwhile. */
        QUERY,
        /** It failed (a damaged file, an unreadable one): logged at DEBUG. */
        FAILED
    }

    /** What one warm-up read: rows, a sum over every column of them, and why it ended. */
    record Result(long rows, long checksum, End end) {}

    /** Set by the first warm-up started in this JVM: the default mode starts no other. */
    private static final AtomicBoolean STARTED = new AtomicBoolean();

    /** Range reads started by queries ({@link #noteQuery}), so that a warm-up can give way to them. */
    private static final AtomicLong QUERIES = new AtomicLong();

    private DecoderWarmUp() {}

    /**
     * The mode {@code -Dtickvault.decoderWarmUp} sets; an open calls it before it opens anything, so that a bad value
     * is refused with a message and nothing to release.
     *
     * @throws IllegalArgumentException for a value other than {@code true} or {@code false}
     */
    static Mode mode() {
        return Mode.of(System.getProperty(PROPERTY));
    }

    /** At the end of an open: starts a warm-up over {@code engine}'s chunk files if the mode says so. */
    static void afterOpen(StoreEngine engine) {
        Mode mode = modeOrOff();
        if (mode == Mode.EVERY_OPEN) {
            startOver(engine, true);
        } else if (mode == Mode.ONCE && !engine.readOnly()) {
            startOver(engine, false);
        }
    }

    /** After a flush of a writable store that wrote chunk files: starts this JVM's warm-up if none has started yet. */
    static void afterFlush(StoreEngine engine) {
        if (modeOrOff() != Mode.OFF) {
            startOver(engine, false);
        }
    }

    /** The mode, or {@link Mode#OFF} for a bad value set after the open checked it: no warm-up, and the store goes on. */
    private static Mode modeOrOff() {
        try {
            return mode();
        } catch (IllegalArgumentException e) {
            return Mode.OFF;
        }
    }

    /** Called by every range read of a query: a warm-up in progress stops at its next batch. */
    static void noteQuery() {
        QUERIES.incrementAndGet();
    }

    /** True once a warm-up has started in this JVM. */
    static boolean started() {
        return STARTED.get();
    }

    /** Forgets that a warm-up started, for tests of {@link #afterOpen} and {@link #afterFlush}. */
    static void forgetStartForTests() {
        STARTED.set(false);
    }

    /** Starts a warm-up over {@code engine}'s largest trades chunk: if none started in this JVM, or at every open. */
    private static void startOver(StoreEngine engine, boolean everyOpen) {
        if (!everyOpen && STARTED.get()) {
            return; // before looking through every slot's chunks
        }
        Target target = target(engine);
        if (target == null) {
            return;
        }
        if (!STARTED.compareAndSet(false, true) && !everyOpen) {
            return;
        }
        long queriesBefore = QUERIES.get(); // a query that starts from here on stops it, even before the thread runs
        Thread.ofPlatform()
                .daemon()
                .name("tickvault-decoder-warm-up")
                .start(() -> run(target.series(), target.path(), PAUSE_MILLIS, queriesBefore, batch -> {}));
    }

    /** The series and file a warm-up reads. */
    record Target(SeriesKey series, Path path) {}

    /** The trades chunk file with the most rows among {@code engine}'s undamaged series, or null if it has none. */
    static Target target(StoreEngine engine) {
        SeriesSlot best = null;
        ChunkFile largest = null;
        for (SeriesSlot slot : engine.slots()) {
            if (slot.key().table() != Table.TRADES || !slot.corruptFiles().isEmpty()) {
                continue;
            }
            for (ChunkFile chunk : slot.state().chunks()) {
                if (largest == null || chunk.rowCount() > largest.rowCount()) {
                    best = slot;
                    largest = chunk;
                }
            }
        }
        return best == null ? null : new Target(best.key().series(), largest.path());
    }

    /**
     * As the warm-up thread runs, for tests: with {@code pauseMillis} between passes, calling {@code afterBatch} with
     * each batch's number from 1, stopping at a query that starts after this call.
     */
    static Result run(SeriesKey series, Path path, long pauseMillis, IntConsumer afterBatch) {
        return run(series, path, pauseMillis, QUERIES.get(), afterBatch);
    }

    /**
     * Maps {@code path} and reads it as a query of {@code series} over the file's whole time range would, every column
     * of every row: {@value #PASSES} passes of {@value #PASS_ROWS} rows each (a small file is read again within a
     * pass), {@code pauseMillis} apart, on the calling thread; it stops at the batch after the count of queries
     * moved from {@code queriesBefore}. Never throws.
     */
    private static Result run(
            SeriesKey series, Path path, long pauseMillis, long queriesBefore, IntConsumer afterBatch) {
        long rows = 0;
        long sum = 0;
        int batch = 0;
        End end = End.DONE;
        try (ChunkFile chunk = ChunkFile.open(path)) {
            passes:
            for (int pass = 0; pass < PASSES; pass++) {
                if (pass > 0) {
                    Thread.sleep(pauseMillis);
                }
                for (long passEnd = rows + PASS_ROWS, before = -1; rows < passEnd && rows != before; ) {
                    before = rows; // a read of the whole file that found no row ends the pass
                    ChunkSource source = new ChunkSource(
                            chunk, chunk.minTs(), chunk.maxTs() + 1, StoreEngine.decoder(), BlockDecodeHelper.shared());
                    try (TradeBatchCursor batches =
                            StoreTradeBatchCursor.over(series, new MergingRowCursor(List.of(source)))) {
                        for (int n = batches.next(); n > 0 && rows < passEnd; n = batches.next()) {
                            sum += sumOfColumns(batches, n);
                            rows += n;
                            afterBatch.accept(++batch);
                            if (QUERIES.get() != queriesBefore) {
                                end = End.QUERY;
                                break passes;
                            }
                        }
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.get().debug("decoder warm-up over {} stopped: {}", path, e.toString());
            end = End.FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            end = End.FAILED;
        }
        return new Result(rows, sum, end);
    }

    /** Reads every column of the batch, as a query handing rows to Java does. */
    static long sumOfColumns(TradeBatchCursor batches, int n) {
        long[] ts = batches.tsNanos();
        long[] recv = batches.recvTsNanos();
        long[] price = batches.priceMantissas();
        byte[] priceScale = batches.priceScales();
        long[] qty = batches.quantityMantissas();
        byte[] qtyScale = batches.quantityScales();
        byte[] side = batches.sides();
        long[] id = batches.tradeIds();
        long sum = 0;
        for (int i = batches.offset(), end = i + n; i < end; i++) {
            sum += ts[i] + recv[i] + price[i] + priceScale[i] + qty[i] + qtyScale[i] + side[i] + id[i];
        }
        return sum;
    }
}
