package dev.tickvault.store.engine;

import dev.tickvault.model.SeriesKey;
import dev.tickvault.store.ArchiveReport;
import dev.tickvault.store.StorageException;
import dev.tickvault.store.StoreConfig;
import dev.tickvault.store.StoreStats;
import dev.tickvault.store.Table;
import dev.tickvault.store.io.LazyLog;
import dev.tickvault.store.memtable.ColumnData;
import dev.tickvault.store.memtable.EncodedBlocks;
import dev.tickvault.store.memtable.Run;
import dev.tickvault.store.partition.ChunkFile;
import dev.tickvault.store.partition.ChunkLayout;
import dev.tickvault.store.partition.ChunkWriter;
import dev.tickvault.store.partition.ColumnBlockCodec;
import dev.tickvault.store.wal.ReaderLeases;
import dev.tickvault.store.wal.WalConfig;
import dev.tickvault.store.wal.WalFollower;
import dev.tickvault.store.wal.WriteAheadLog;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The store's moving parts: write-ahead log, in-memory runs per slot, chunk files, the flusher, and recovery.
 *
 * <p>Commit path: a writer's rows are serialised into one log record; once the log returns its sequence number
 * (durable per the configured {@link dev.tickvault.store.Durability}) the rows are published, in sequence order, as
 * immutable runs. Flush: the flusher freezes every slot's runs, merges them, writes one chunk file per UTC day, swaps
 * runs for chunks atomically, then deletes log segments that only hold rows the previous flush had flushed (one flush
 * late, so that read-only followers find the log after the checkpoint they read). Recovery: chunk files of a flush that
 * did not complete are deleted, then log records newer than each slot's flushed sequence are replayed.
 */
public final class StoreEngine implements AutoCloseable {

    private static final LazyLog LOG = LazyLog.of(StoreEngine.class);
    static final int DEDUP_WINDOW_TRADES = 1 << 20;
    /**
     * Block decoders hold only scratch used inside one {@code decodeBlock} call, which never nests, so every cursor of
     * a thread can share its thread's decoder (and its zstd context).
     */
    private static final ThreadLocal<ColumnBlockCodec> DECODERS =
            ThreadLocal.withInitial(() -> new ColumnBlockCodec(0));

    /** The calling thread's block decoder (see {@link #DECODERS}). */
    static ColumnBlockCodec decoder() {
        return DECODERS.get();
    }

    private final Path root;
    private final StoreConfig config;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final Map<SlotKey, SeriesSlot> slots = new ConcurrentHashMap<>();
    private final AtomicLong memoryBytes = new AtomicLong();
    private final AtomicLong chunkSequence = new AtomicLong();
    private final AtomicLong duplicateTradesDropped = new AtomicLong();
    /** Chunk files written by copying commit-encoded blocks (see {@link CommitCodec}), since open. */
    private final AtomicLong chunksCopied = new AtomicLong();

    private final AtomicLong chunksPartlyCopied = new AtomicLong();
    /** Held for the whole of a flush: one flush at a time. */
    private final Object flushLock = new Object();
    /** Wakes the flusher; never held for long, so committers signalling a flush never wait for one. */
    private final Object flushSignal = new Object();

    private final Object memoryMonitor = new Object();
    private final ChunkWriter chunkWriter;
    /**
     * Flushes share the slots out between the calling thread and this one (each slot to exactly one of them, so a
     * flush writes the same chunk files as with one thread); null with one processor and in read-only mode. Used
     * only under {@link #flushLock}.
     */
    private final FlushHelper flushHelper;

    private final WriteAheadLog wal;
    private final CommitSequencer sequencer;
    private final Thread flusher;
    /**
     * Read-only mode ({@link #openReadOnly}): follows the log another process writes; {@code wal}, {@code sequencer},
     * {@code flusher} and the lock are then null. Null in write mode.
     */
    private final WalFollower follower;
    /** Read-only mode: told of every log record this snapshot reads, in LSN order; null in write mode. */
    private final LogRecordListener logListener;

    private volatile boolean closed;
    /** Set when {@link #close()} starts: committers registered from then on are shut down at once. */
    private volatile boolean closing;
    /** The committer threads of writers that commit asynchronously: stopped, after their commit in flight, on close. */
    private final java.util.Set<WriterCommitter> committers = ConcurrentHashMap.newKeySet();
    /** Every row with a sequence number up to this is in chunk files (see {@link CheckpointFile}). */
    private long checkpointLsn;
    /**
     * The checkpoint before {@link #checkpointLsn}: log segments are deleted only up to it, one flush late, so that a
     * read-only follower that read the previous checkpoint finds the log records after it for a whole flush interval
     * (deleting up to the new checkpoint at once let a follower whose snapshot build took longer than the gap to the
     * next flush retry until it gave up, under a writer flushing every few commits).
     */
    private long previousCheckpointLsn;

    private volatile boolean flushRequested;
    private volatile RuntimeException flushFailure;
    /** Held by {@link #archive} while it runs, and by {@link #close()} to wait for it. */
    private final Object archiveLock = new Object();
    /**
     * Chunk files an archive step replaced: their files are deleted, but queries that started before the swap may
     * still read their mappings, so they are unmapped only on close.
     */
    private final List<ChunkFile> retiredChunks = Collections.synchronizedList(new ArrayList<>());
    /** The automatic archive step ({@link StoreConfig#archiveAfterDays()}); null when off and when read-only. */
    private final AutoArchiver autoArchiver;

    private StoreEngine(Path root, StoreConfig config) {
        this.root = root;
        this.config = config;
        this.chunkWriter = new ChunkWriter(ChunkLayout.DEFAULT_ROWS_PER_BLOCK, config.compressionLevel());
        try {
            Files.createDirectories(root);
            lockChannel = FileChannel.open(root.resolve("LOCK"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            lock = lockChannel.tryLock();
        } catch (IOException e) {
            throw StorageException.io("cannot open store directory", root, e);
        }
        if (lock == null) {
            closeQuietly(lockChannel);
            throw new StorageException(
                    StorageException.Kind.IO,
                    "store is already open in another process [dir=" + root + "]",
                    root,
                    null);
        }
        try {
            loadChunks();
            checkpointLsn = readCheckpointLsn(root);
            previousCheckpointLsn = checkpointLsn;
            // Segments before what the checkpoint and the reader leases need are not read, and go in the background:
            // a closing store leaves them (it deletes no log segment), and so may a crash before a flush deleted them.
            Path walDir = root.resolve("wal");
            long neededFrom =
                    Math.min(checkpointLsn + 1, ReaderLeases.lowestLeasedLsn(walDir, System.currentTimeMillis()));
            wal = WriteAheadLog.open(
                    walDir,
                    new WalConfig(config.durability(), config.syncIntervalMillis(), config.walSegmentSizeBytes()),
                    neededFrom);
            wal.replay(checkpointLsn + 1, this::applyLogRecord);
            checkLogIsNotBehind();
            sequencer = new CommitSequencer(wal.lastLsn());
        } catch (RuntimeException e) {
            closeChunks();
            releaseLock();
            throw e;
        }
        follower = null;
        logListener = null;
        flushHelper = Runtime.getRuntime().availableProcessors() >= 2
                ? new FlushHelper(new ChunkWriter(ChunkLayout.DEFAULT_ROWS_PER_BLOCK, config.compressionLevel()))
                : null;
        flusher = Thread.ofPlatform().daemon().name("tickvault-flusher").start(this::flushLoop);
        autoArchiver = config.archiveAfterDays() == StoreConfig.ARCHIVE_OFF
                ? null
                : new AutoArchiver(this, config.archiveAfterDays());
        if (autoArchiver != null) {
            autoArchiver.start();
        }
    }

    /**
     * Read-only: changes nothing in {@code root}. Reads the checkpoint, pins the log segments after it (holds them
     * open: see {@link WalFollower#pin}), then lists the complete flushes' chunk files (through {@code lister}) and
     * opens them (through {@code chunkOpener}), then reads the log from the checkpoint on — in that order, so that rows
     * the writer moves from the log to chunk files meanwhile are found in one place or the other (see {@link
     * ReadOnlyStore}). The log is pinned again after each listing of a series, so that a segment the writer starts
     * meanwhile is held open before two more checkpoints can delete it: the log after the checkpoint stays readable
     * however long the listing takes, as long as a series is listed faster than the writer checkpoints twice.
     *
     * @throws StoreChangedException when the writer deleted log segments this view still needed
     */
    private StoreEngine(
            Path root,
            StoreConfig config,
            Function<Path, ChunkFile> chunkOpener,
            LogRecordListener logListener,
            Function<Path, List<Path>> lister,
            Runnable afterEachListing) {
        this.root = root;
        this.config = config;
        this.chunkWriter = null;
        this.flushHelper = null;
        this.lockChannel = null;
        this.lock = null;
        this.wal = null;
        this.sequencer = null;
        this.flusher = null;
        this.autoArchiver = null;
        this.logListener = logListener;
        if (!Files.isDirectory(root)) {
            throw new StorageException(
                    StorageException.Kind.INVALID_ARGUMENT, "no store directory at " + root, root, null);
        }
        checkpointLsn = readCheckpointLsn(root);
        follower = WalFollower.startingAt(root.resolve("wal"), checkpointLsn + 1);
        try {
            follower.pin();
            PartitionLoader.loadReadOnly(root, chunkOpener, lister, () -> {
                        follower.pin();
                        afterEachListing.run();
                    })
                    .slots()
                    .forEach(slots::put);
        } catch (RuntimeException e) {
            try {
                follower.release();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        if (!tailLog()) { // releases the pinned segments
            throw new StoreChangedException("the log no longer holds sequence " + (checkpointLsn + 1));
        }
    }

    public static StoreEngine open(Path root, StoreConfig config) {
        DecoderWarmUp.mode(); // a bad -Dtickvault.decoderWarmUp is refused before anything is opened
        ZstdPreload.startInBackground(config.compressionLevel() != 0);
        StoreEngine engine = new StoreEngine(root.toAbsolutePath().normalize(), config);
        ReadPathClasses.load();
        BlockDecodeHelper.prestart();
        DecoderWarmUp.afterOpen(engine);
        return engine;
    }

    /**
     * A read-only snapshot of {@code root}, for {@link ReadOnlyStore}.
     *
     * @param lister lists one directory of chunk files, sorted ({@link #list}; tests interleave a writer's steps)
     * @param afterEachListing run after each series' listing (the follower renews its reader lease there)
     */
    static StoreEngine openReadOnly(
            Path root,
            StoreConfig config,
            Function<Path, ChunkFile> chunkOpener,
            LogRecordListener logListener,
            Function<Path, List<Path>> lister,
            Runnable afterEachListing) {
        return new StoreEngine(root, config, chunkOpener, logListener, lister, afterEachListing);
    }

    /** Read-only mode: told of each section of each log record a snapshot reads (rows already in chunks included). */
    @FunctionalInterface
    interface LogRecordListener {
        void onSection(long lsn, SlotKey key, ColumnData rows);
    }

    /** Read-only mode: the LSN of the last log record this snapshot has read. */
    long followedLsn() {
        return follower.nextLsn() - 1;
    }

    /**
     * Read-only mode: publishes the commits the writer logged since the last call. False when the log moved away (the
     * writer deleted a segment still needed after a checkpoint): this snapshot is then stale for good and must be
     * replaced by a new {@link #openReadOnly} one.
     */
    boolean tailLog() {
        return follower.readNew(this::applyLogRecord) == WalFollower.Progress.CAUGHT_UP;
    }

    /** The checkpoint this engine started from. */
    long checkpointLsn() {
        return checkpointLsn;
    }

    /** The checkpoint LSN of the store in {@code root}: 0 when there is none or it is damaged (replay it all). */
    static long readCheckpointLsn(Path root) {
        try {
            return CheckpointFile.read(root).orElse(0L);
        } catch (StorageException e) {
            LOG.get().warn("ignoring the checkpoint; replaying the whole log: {}", e.getMessage());
            return 0;
        }
    }

    public Path root() {
        return root;
    }

    public StoreConfig config() {
        return config;
    }

    // ---------------------------------------------------------------- commit

    /** A writer's committer thread, to be stopped by {@link #close()} if the writer is still open then. */
    void registerCommitter(WriterCommitter committer) {
        committers.add(committer);
        if (closing) {
            committer.shutdown();
        }
    }

    /** The writer closed its committer itself. */
    void unregisterCommitter(WriterCommitter committer) {
        committers.remove(committer);
    }

    /**
     * Logs and publishes one writer's rows. The codec sorts each buffer (a copy); with {@code encodeBlocks} it encodes
     * large single-day trade and book sections as the chunk-file blocks a flush would write, and the runs published
     * keep those blocks, so the flush copies them.
     */
    void commit(Map<SlotKey, ColumnData> buffers, CommitCodec codec, boolean encodeBlocks) {
        commit(buffers, codec, encodeBlocks, null);
    }

    /**
     * As {@link #commit(Map, CommitCodec, boolean)}; {@code prepare} (if not null) is called with each slot just before
     * its buffer is read ({@link CommitCodec#encode(Map, boolean, boolean, java.util.function.Consumer)}).
     */
    void commit(
            Map<SlotKey, ColumnData> buffers,
            CommitCodec codec,
            boolean encodeBlocks,
            java.util.function.Consumer<SlotKey> prepare) {
        commit(buffers, codec, encodeBlocks, prepare, null);
    }

    /**
     * As {@link #commit(Map, CommitCodec, boolean, java.util.function.Consumer)}, with the writer's pre-encoded trade
     * sections ({@link CommitCodec#encode(Map, boolean, boolean, java.util.function.Consumer,
     * java.util.function.Function)}).
     */
    void commit(
            Map<SlotKey, ColumnData> buffers,
            CommitCodec codec,
            boolean encodeBlocks,
            java.util.function.Consumer<SlotKey> prepare,
            java.util.function.Function<SlotKey, PreEncodedTrades> preEncoded) {
        ensureOpen();
        ensureWritable();
        awaitMemory();
        // Rows already in time order are kept as their blocks only, unless deduplication must compare their ids.
        List<CommitCodec.Section> sections =
                codec.encode(buffers, encodeBlocks, !config.deduplicateTradeIds(), prepare, preEncoded);
        long lsn;
        try {
            lsn = wal.append(codec.recordType(), codec.buffer(), 0, codec.length());
        } catch (StorageException e) {
            sequencer.fail(e);
            throw e;
        }
        sequencer.awaitTurn(lsn);
        try {
            for (CommitCodec.Section section : sections) {
                if (section.rows() == null) {
                    publishEncoded(section.key(), section.blocks(), lsn);
                } else {
                    publishSorted(section.key(), section.rows(), section.blocks(), lsn);
                }
            }
        } finally {
            sequencer.published(lsn);
        }
        if (memoryBytes.get() > config.memtableLimitBytes()) {
            requestFlush();
        }
    }

    /**
     * Publishes rows held as their blocks only ({@link Run#encodedOnly}; never with deduplication of trade ids, which
     * needs the rows), under the sequencer's turn or during single-threaded replay.
     */
    private void publishEncoded(SlotKey key, EncodedBlocks blocks, long lsn) {
        SeriesSlot slot = slots.computeIfAbsent(key, k -> new SeriesSlot(k, List.of()));
        memoryBytes.addAndGet(slot.publish(Run.encodedOnly(key.table(), blocks, lsn)));
    }

    /** Publishes rows in commit order (called under the sequencer's turn, or during single-threaded replay). */
    private void publish(SlotKey key, ColumnData rows, EncodedBlocks blocks, long lsn) {
        ColumnData sorted = rows.sortedByTime();
        publishSorted(key, sorted, sorted == rows ? blocks : null, lsn);
    }

    /**
     * As {@link #publish} for rows already in time order (no second pass to check it).
     *
     * @param blocks the rows as chunk-file blocks, or null; dropped when deduplication removes rows
     */
    private void publishSorted(SlotKey key, ColumnData rows, EncodedBlocks blocks, long lsn) {
        if (rows.size() == 0) {
            return;
        }
        SeriesSlot slot = slots.computeIfAbsent(key, k -> new SeriesSlot(k, List.of()));
        if (config.deduplicateTradeIds() && key.table() == Table.TRADES) {
            ColumnData fresh = withoutDuplicateTradeIds(slot, rows);
            if (fresh != rows) {
                blocks = null; // the blocks hold the dropped duplicates: the flush encodes what is left
                rows = fresh;
            }
            if (rows.size() == 0) {
                return;
            }
        }
        memoryBytes.addAndGet(slot.publish(new Run(rows, blocks, lsn)));
    }

    /**
     * Drops trades whose id the series already holds (within {@link #DEDUP_WINDOW_TRADES} recent trades). The
     * window is seeded, on first use, from the series' last day of stored trades.
     */
    private ColumnData withoutDuplicateTradeIds(SeriesSlot slot, ColumnData rows) {
        TradeIdWindow window = slot.tradeIds();
        if (window == null) {
            window = new TradeIdWindow(DEDUP_WINDOW_TRADES);
            SeriesSlot.State state = slot.state();
            long latest = Long.MIN_VALUE;
            for (ChunkFile chunk : state.chunks()) {
                latest = Math.max(latest, chunk.maxTs());
            }
            for (Run run : state.runs()) {
                latest = Math.max(latest, run.maxTs());
            }
            if (latest != Long.MIN_VALUE) {
                MergingRowCursor recent =
                        rows(Table.TRADES, slot.key().series(), latest - PartitionPaths.NANOS_PER_DAY, Long.MAX_VALUE);
                for (int n = recent.nextRun(); n > 0; n = recent.nextRun()) {
                    for (int row = recent.row(); row < recent.row() + n; row++) {
                        addTradeId(window, recent.data(), row);
                    }
                }
            }
            slot.tradeIds(window);
        }
        int[] keep = null;
        int kept = 0;
        for (int i = 0; i < rows.size(); i++) {
            boolean fresh = addTradeId(window, rows, i);
            if (!fresh && keep == null) {
                keep = new int[rows.size()];
                for (int j = 0; j < i; j++) {
                    keep[j] = j;
                }
                kept = i;
            } else if (fresh && keep != null) {
                keep[kept++] = i;
            }
        }
        if (keep == null) {
            return rows;
        }
        duplicateTradesDropped.addAndGet(rows.size() - kept);
        ColumnData filtered = new ColumnData(rows.table(), kept);
        for (int j = 0; j < kept; j++) {
            filtered.appendRow(rows, keep[j]);
        }
        return filtered;
    }

    private static boolean addTradeId(TradeIdWindow window, ColumnData rows, int row) {
        String text = rows.string(Table.TRADE_ID_TEXT, row);
        return text != null ? window.add(text) : window.add(rows.longs(Table.TRADE_ID)[row]);
    }

    /**
     * Bytes of committed rows in memory as counted against the memtable limit: columns and encoded blocks held, and
     * for rows held as blocks only the columns they decode into ({@link Run#chargedBytes()}).
     */
    long memtableBytes() {
        return memoryBytes.get();
    }

    /** Bytes of committed rows actually held in memory (columns and encoded blocks): at most {@link #memtableBytes}. */
    long memtableHeldBytes() {
        long total = 0;
        for (SeriesSlot slot : slots.values()) {
            total += slot.state().heldBytes();
        }
        return total;
    }

    /** Chunk files written since open by copying the blocks their commits encoded, instead of encoding rows. */
    long chunksCopied() {
        return chunksCopied.get();
    }

    /**
     * Chunk files written since open by copying the blocks some of their commits encoded and encoding the rest (rows
     * of commits without blocks, or of a part split at a UTC day boundary).
     */
    long chunksPartlyCopied() {
        return chunksPartlyCopied.get();
    }

    /** Trades dropped as duplicates since the store was opened (replayed ones included). */
    public long duplicateTradesDropped() {
        return duplicateTradesDropped.get();
    }

    private void awaitMemory() {
        long limit = 2 * config.memtableLimitBytes();
        if (memoryBytes.get() <= limit) {
            return;
        }
        requestFlush();
        synchronized (memoryMonitor) {
            while (memoryBytes.get() > limit && !closed) {
                RuntimeException failure = flushFailure;
                if (failure != null) {
                    throw new StorageException(
                            StorageException.Kind.IO,
                            "memory full and flushing fails: " + failure.getMessage(),
                            null,
                            failure);
                }
                try {
                    memoryMonitor.wait(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new StorageException(StorageException.Kind.CLOSED, "interrupted while waiting for a flush");
                }
            }
        }
    }

    // ---------------------------------------------------------------- flush

    private void requestFlush() {
        flushRequested = true;
        synchronized (flushSignal) {
            flushSignal.notifyAll();
        }
    }

    private void flushLoop() {
        while (!closed) {
            synchronized (flushSignal) {
                if (!flushRequested && !closed) {
                    try {
                        flushSignal.wait(1000);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
            if (flushRequested && !closed) {
                flushRequested = false;
                if (memoryBytes.get() <= config.memtableLimitBytes()) {
                    // A request made while the previous flush ran is stale once that flush brought memory under the
                    // limit: the rows committed meanwhile wait for the next crossing and go out in fewer, bigger
                    // chunks instead of a small flush right behind every large one.
                    continue;
                }
                try {
                    flush();
                    flushFailure = null;
                } catch (RuntimeException e) {
                    flushFailure = e;
                    LOG.get().error("flush failed; rows stay in memory and in the log", e);
                    try {
                        Thread.sleep(1000);
                    } catch (InterruptedException ie) {
                        return;
                    }
                }
            }
        }
    }

    /** Writes every committed in-memory row to chunk files, then drops log segments that only hold flushed rows. */
    public void flush() {
        flush(false);
    }

    /**
     * As {@link #flush()}; with {@code closing} (the closing flush) the log segments its checkpoint covers are left on
     * disk instead of deleted: they hold only rows in chunk files, the next open neither reads them nor waits for their
     * deletion ({@link WriteAheadLog#open(Path, WalConfig, long)} deletes them in the background), and unlinking a
     * segment of tens of MiB would keep the closing store waiting ~10 ms on the disk.
     */
    private void flush(boolean closing) {
        ensureWritable();
        synchronized (flushLock) {
            long upTo = sequencer.lastPublished();
            FlushHelper.Task logSync = null;
            if (flushHelper != null && upTo > checkpointLsn && wal.lastLsn() == upTo) {
                // Nothing is logged beyond the rows this flush writes (the writers are idle: a final or a closing
                // flush), so the roll after the checkpoint would fsync the log's active segment before it starts the
                // next one. Do both now, beside the chunk files' writes and fsyncs, instead of after them: the same
                // fsyncs in the same order of durability (the roll still forces the segment before it rolls; a roll
                // needs no checkpoint — a full segment rolls without one). If a writer logs meanwhile, the segment
                // holds a record this flush does not cover and neither roll happens, as before.
                long covered = upTo;
                logSync = flushHelper.syncLog(() -> {
                    wal.sync();
                    wal.rollIfCoveredBy(covered);
                });
            }
            RuntimeException failure = null;
            try {
                flushSlots();
            } catch (RuntimeException e) {
                failure = e;
            }
            RuntimeException syncFailure = logSync == null ? null : logSync.await();
            if (failure == null) {
                failure = syncFailure;
            } else if (syncFailure != null) {
                failure.addSuppressed(syncFailure);
            }
            if (failure != null) {
                throw failure;
            }
            if (upTo > checkpointLsn) {
                CheckpointFile.write(root, upTo);
                previousCheckpointLsn = checkpointLsn;
                checkpointLsn = upTo;
                DecoderWarmUp.afterFlush(this); // this JVM's first chunk files: warm the read path meanwhile
                if (autoArchiver != null) {
                    autoArchiver.nudge(); // a day's last rows may just have reached its files
                }
            } else {
                // Nothing new since the last checkpoint: its records may go too (a follower that read it needs
                // only what comes after it), so an idle store's log does not keep them until new rows arrive.
                previousCheckpointLsn = checkpointLsn;
            }
            wal.rollIfCoveredBy(upTo); // nothing to do when the log-sync task rolled already
            if (!closing) {
                deleteRedundantLog();
            }
        }
    }

    /**
     * Recompresses the closed book partitions of UTC days before {@code before} into one archived chunk file each
     * ({@link PartitionArchiver}), after flushing. Runs beside writers, queries and flushes; one at a time.
     */
    public ArchiveReport archive(LocalDate before) {
        ensureWritable();
        ensureOpen();
        synchronized (archiveLock) {
            ensureOpen();
            if (closing) {
                throw new StorageException(StorageException.Kind.CLOSED, "store is closing [dir=" + root + "]");
            }
            flush();
            return PartitionArchiver.archive(this, before, config.compressionLevel(), true);
        }
    }

    /**
     * The {@link AutoArchiver}'s pass: as {@link #archive} but without flushing first (a day whose rows are still in
     * memory waits for a pass after the flush that writes them) and leaving days that hold an archive file alone.
     * Returns null when the store is closing.
     */
    ArchiveReport archiveClosedDays(LocalDate before) {
        synchronized (archiveLock) {
            if (closing || closed) {
                return null;
            }
            return PartitionArchiver.archive(this, before, config.compressionLevel(), false);
        }
    }

    /** True once {@link #close()} started: the archive step stops between blocks. */
    boolean closing() {
        return closing;
    }

    /** Keeps {@code chunks} (replaced by an archive file) mapped until close: see {@link #retiredChunks}. */
    void retire(List<ChunkFile> chunks) {
        retiredChunks.addAll(chunks);
    }

    /** Every slot, for the archive step. */
    Collection<SeriesSlot> allSlots() {
        return slots.values();
    }

    /**
     * Deletes the log segments the checkpoint before the newest one covers (one flush late, see {@link
     * #previousCheckpointLsn}), keeping those that live reader leases still name ({@link ReaderLeases}: a read-only
     * follower building a snapshot from an older checkpoint) up to {@link StoreConfig#memtableLimitBytes()} bytes of
     * them — about what a flush interval logs; past that a reader falls back to building its snapshot again.
     */
    private void deleteRedundantLog() {
        long cut = previousCheckpointLsn + 1;
        long leased = ReaderLeases.lowestLeasedLsn(wal.directory(), System.currentTimeMillis());
        wal.deleteSegmentsBefore(cut, leased, config.memtableLimitBytes());
    }

    /**
     * Flushes every slot: with the helper, the slots holding rows are dealt out to two threads, largest first to the
     * less loaded one, and this thread waits for the helper's share. Every slot is attempted; the first failure is
     * thrown once both threads are done (slots that failed keep their rows in memory, see {@link #flushSlot}).
     */
    private void flushSlots() {
        List<SeriesSlot> pending = new ArrayList<>();
        for (SeriesSlot slot : slots.values()) {
            if (slot.state().runs().length > 0) {
                pending.add(slot);
            }
        }
        if (flushHelper == null || pending.size() < 2) {
            for (SeriesSlot slot : slots.values()) {
                flushSlot(slot, chunkWriter);
            }
            return;
        }
        pending.sort((a, b) -> Long.compare(b.state().memoryBytes(), a.state().memoryBytes()));
        List<SeriesSlot> mine = new ArrayList<>();
        List<SeriesSlot> helpers = new ArrayList<>();
        long mineBytes = 0;
        long helperBytes = 0;
        for (SeriesSlot slot : pending) {
            long bytes = slot.state().memoryBytes();
            if (mineBytes <= helperBytes) {
                mine.add(slot);
                mineBytes += bytes;
            } else {
                helpers.add(slot);
                helperBytes += bytes;
            }
        }
        FlushHelper.Task task = flushHelper.submit(() -> flushEach(helpers, flushHelper.chunkWriter()));
        RuntimeException failure = null;
        try {
            flushEach(mine, chunkWriter);
        } catch (RuntimeException e) {
            failure = e;
        }
        RuntimeException helperFailure = task.await();
        if (failure == null) {
            failure = helperFailure;
        } else if (helperFailure != null) {
            failure.addSuppressed(helperFailure);
        }
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * Flushes each slot with {@code writer}, all of them even if some fail; throws the first failure at the end. Each
     * slot's chunk files are written here and published (fsync, rename, directory fsync) on the helper's publishing
     * threads while this thread writes the next slot's; returns once every slot of the batch is published or failed.
     */
    private void flushEach(List<SeriesSlot> batch, ChunkWriter writer) {
        RuntimeException failure = null;
        List<FlushHelper.Task> publishing = new ArrayList<>();
        for (SeriesSlot slot : batch) {
            try {
                UnpublishedChunks chunks = writeSlot(slot, writer);
                if (chunks != null) {
                    publishing.add(flushHelper.publish(() -> publishSlot(chunks)));
                }
            } catch (RuntimeException e) {
                failure = firstOf(failure, e);
            }
        }
        for (FlushHelper.Task task : publishing) {
            RuntimeException e = task.await();
            if (e != null) {
                failure = firstOf(failure, e);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static RuntimeException firstOf(RuntimeException first, RuntimeException next) {
        if (first == null) {
            return next;
        }
        first.addSuppressed(next);
        return first;
    }

    /** Flushes one slot on this thread: writes its chunk files and publishes them. */
    private void flushSlot(SeriesSlot slot, ChunkWriter chunkWriter) {
        UnpublishedChunks chunks = writeSlot(slot, chunkWriter);
        if (chunks != null) {
            publishSlot(chunks);
        }
    }

    /**
     * A frozen slot's chunk files written to temporary files ({@code temps[i]} becomes {@code targets[i]}), not yet
     * fsynced: {@link #publishSlot} makes them durable and swaps them in for the frozen runs.
     */
    private record UnpublishedChunks(SeriesSlot slot, long flushedLsn, List<Path> temps, List<Path> targets) {}

    /**
     * Freezes the slot's runs and writes them as one chunk per UTC day to temporary files; returns them, or null when
     * the slot holds no rows. On failure the slot is unfrozen (its rows stay in memory) and the files are deleted.
     */
    private UnpublishedChunks writeSlot(SeriesSlot slot, ChunkWriter chunkWriter) {
        Run[] runs = slot.freeze();
        if (runs.length == 0) {
            slot.unfreeze();
            return null;
        }
        List<Path> temps = new ArrayList<>();
        List<Path> targets = new ArrayList<>();
        try {
            Run merged = runs[0];
            for (int i = 1; i < runs.length; i++) {
                merged = Run.merge(merged, runs[i]);
            }
            // Split the run's parts at UTC day boundaries, without copying rows: one chunk per day.
            TreeMap<Long, DayChunk> days = new TreeMap<>();
            for (int p = 0; p < merged.partCount(); p++) {
                EncodedBlocks blocks = merged.encoded(p);
                if (merged.encodedOnly(p) && DayChunk.usable(blocks, chunkWriter)) {
                    // one UTC day (the commit encodes single-day sections only), copied as it is: not decoded
                    days.computeIfAbsent(PartitionPaths.dayOf(merged.partMinTs(p)), d -> new DayChunk())
                            .add(null, blocks);
                    continue;
                }
                ColumnData part = merged.part(p);
                int start = 0;
                while (start < part.size()) {
                    long day = PartitionPaths.dayOf(part.ts(start));
                    int end = day == PartitionPaths.dayOf(part.ts(part.size() - 1))
                            ? part.size()
                            : part.lowerBound((day + 1) * PartitionPaths.NANOS_PER_DAY);
                    // Blocks are usable only for a whole part (the commit encodes single-day sections only).
                    days.computeIfAbsent(day, d -> new DayChunk())
                            .add(
                                    new ChunkWriter.Slice(part, start, end),
                                    start == 0 && end == part.size() ? blocks : null);
                    start = end;
                }
            }
            long sequence = chunkSequence.incrementAndGet();
            Path seriesDir = PartitionPaths.seriesDirectory(
                    root, slot.key().table(), slot.key().series());
            int part = 0;
            for (Map.Entry<Long, DayChunk> day : days.entrySet()) {
                Path path = PartitionPaths.chunkPath(seriesDir, day.getKey(), sequence, part++, days.size());
                DayChunk chunk = day.getValue();
                // Copy the blocks the commits encoded; encode only the slices without (a part split at a day
                // boundary, rows merged out of order, a synchronous commit's rows). The bytes are those of
                // ChunkWriter.write when no slice has blocks, and of ChunkWriter.writeEncoded when all have.
                List<EncodedBlocks> usable = chunk.usableBlocks(chunkWriter);
                if (usable == null) {
                    usable = Collections.nCopies(chunk.slices.size(), null);
                } else if (chunk.allEncoded(usable)) {
                    chunksCopied.incrementAndGet();
                } else {
                    chunksPartlyCopied.incrementAndGet();
                }
                temps.add(chunkWriter.writeMixedTemp(path, merged.table(), chunk.slices, usable, merged.lsn()));
                targets.add(path);
            }
        } catch (RuntimeException e) {
            slot.unfreeze();
            deleteAll(temps, e);
            throw e;
        }
        return new UnpublishedChunks(slot, runs[runs.length - 1].lsn(), temps, targets);
    }

    /**
     * Publishes a slot's chunk files (each: fsync, atomic rename, directory fsync) and swaps them in for its frozen
     * runs. On failure the slot is unfrozen and every file of the flush is deleted, published or not.
     */
    private void publishSlot(UnpublishedChunks chunks) {
        List<ChunkFile> written = new ArrayList<>();
        try {
            for (int i = 0; i < chunks.temps().size(); i++) {
                written.add(ChunkWriter.publishTemp(
                        chunks.temps().get(i), chunks.targets().get(i)));
            }
        } catch (RuntimeException e) {
            chunks.slot().unfreeze();
            for (ChunkFile chunk : written) {
                chunk.close();
            }
            deleteAll(chunks.temps().subList(written.size(), chunks.temps().size()), e);
            deleteAll(chunks.targets().subList(0, written.size()), e);
            throw e;
        }
        long released = chunks.slot().replaceFlushed(written, chunks.flushedLsn());
        memoryBytes.addAndGet(-released);
        synchronized (memoryMonitor) {
            memoryMonitor.notifyAll();
        }
    }

    private static void deleteAll(List<Path> files, RuntimeException failure) {
        for (Path file : files) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException suppressed) {
                failure.addSuppressed(suppressed);
            }
        }
    }

    /**
     * The rows of one flush's chunk for one UTC day: slices of the run's parts, and per slice its part's encoded
     * blocks (null when the part has none or only part of it falls on this day).
     */
    private static final class DayChunk {
        /** Per piece, its rows, or null for an encoded-only part's blocks (then usable: see {@link #usable}). */
        final List<ChunkWriter.Slice> slices = new ArrayList<>();

        final List<EncodedBlocks> blocks = new ArrayList<>();

        void add(ChunkWriter.Slice slice, EncodedBlocks encoded) {
            slices.add(slice);
            blocks.add(encoded);
        }

        /** True when {@code writer} can copy {@code piece} (its format, no block bigger than the writer's). */
        static boolean usable(EncodedBlocks piece, ChunkWriter writer) {
            if (piece == null || writer.formatVersion() != ChunkLayout.FORMAT_VERSION) {
                return false;
            }
            for (int b = 0; b < piece.blockCount(); b++) {
                if (piece.blockRows(b) > writer.rowsPerBlock()) {
                    return false;
                }
            }
            return true;
        }

        /**
         * Per slice, the blocks the writer can copy (in the format it writes, none bigger than its blocks may be) or
         * null; null when no slice has such blocks.
         */
        List<EncodedBlocks> usableBlocks(ChunkWriter writer) {
            if (writer.formatVersion() != ChunkLayout.FORMAT_VERSION) {
                return null;
            }
            List<EncodedBlocks> usable = new ArrayList<>(blocks.size());
            boolean any = false;
            for (EncodedBlocks piece : blocks) {
                boolean fits = usable(piece, writer);
                usable.add(fits ? piece : null);
                any |= fits;
            }
            return any ? usable : null;
        }

        /** True when every slice has usable blocks: the chunk is written by copying blocks only. */
        boolean allEncoded(List<EncodedBlocks> usable) {
            for (EncodedBlocks piece : usable) {
                if (piece == null) {
                    return false;
                }
            }
            return true;
        }
    }

    // ---------------------------------------------------------------- open and recovery

    private void loadChunks() {
        PartitionLoader.Loaded loaded = PartitionLoader.load(root);
        loaded.slots().forEach(slots::put);
        chunkSequence.set(loaded.maxSequence());
    }

    /**
     * Publishes one log record's rows to every slot whose chunk files do not hold them yet: recovery, and read-only
     * mode following a writer, share it (and {@link CommitCodec}) so that both read the log the same way.
     */
    private void applyLogRecord(long lsn, int type, MemorySegment payload) {
        if (!CommitCodec.isCommitRecord(type)) {
            throw new StorageException(
                    StorageException.Kind.CORRUPT, "unknown log record type " + type + " at sequence " + lsn);
        }
        CommitCodec.decode(type, payload, (key, rows, blocks) -> {
            SeriesSlot slot = slots.computeIfAbsent(key, k -> new SeriesSlot(k, List.of()));
            if (lsn > slot.state().flushedLsn()) {
                if (blocks != null && !config.deduplicateTradeIds()) {
                    // as the commit published them: blocks only (decoded above to check them, sorted, one UTC day),
                    // so that a log holding a memtable limit's worth of blocks replays within that limit
                    publishEncoded(key, blocks, lsn);
                } else {
                    publish(key, rows, blocks, lsn);
                }
            }
            if (logListener != null) {
                logListener.onSection(lsn, key, rows);
            }
        });
    }

    /**
     * New commits must get sequence numbers above every one already in chunk files, or recovery would skip them. A
     * log that ends below them lost its tail (possible only without fsync on commit) or was removed.
     */
    private void checkLogIsNotBehind() {
        long flushed = checkpointLsn;
        for (SeriesSlot slot : slots.values()) {
            flushed = Math.max(flushed, slot.state().flushedLsn());
        }
        if (wal.lastLsn() < flushed) {
            throw new StorageException(
                    StorageException.Kind.CORRUPT,
                    "the write-ahead log ends at sequence " + wal.lastLsn() + " but partition files hold rows up to "
                            + flushed + " [dir=" + root.resolve("wal") + "]: its tail was lost or it was removed;"
                            + " refusing to open rather than lose new commits on a later recovery",
                    root.resolve("wal"),
                    null);
        }
    }

    // ---------------------------------------------------------------- reads

    /** Rows of one slot with {@code from <= ts < to}, merged in time order. */
    MergingRowCursor rows(Table table, SeriesKey series, long fromNanos, long toNanos) {
        return rows(table, series, fromNanos, toNanos, ChunkFile.ALL_SECTIONS);
    }

    /**
     * As {@link #rows(Table, SeriesKey, long, long)}, decoding of trade blocks (in chunk files and encoded-only
     * memtable parts) only the sections set in {@code sections} ({@link ChunkFile#ALL_SECTIONS}); the other columns of
     * the data handed out hold anything. Memtable parts with columns are handed out whole.
     */
    MergingRowCursor rows(Table table, SeriesKey series, long fromNanos, long toNanos, int sections) {
        ensureOpen();
        DecoderWarmUp.noteQuery();
        SeriesSlot slot = slots.get(new SlotKey(table, series));
        List<RowSource> sources = new ArrayList<>();
        if (slot != null && !slot.corruptFiles().isEmpty()) {
            throw new StorageException(
                    StorageException.Kind.CORRUPT,
                    "cannot read " + table.directoryName() + " of " + series + ": corrupt partition file(s): "
                            + String.join("; ", slot.corruptFiles()));
        }
        if (slot != null && fromNanos < toNanos) {
            SeriesSlot.State state = slot.state();
            for (ChunkFile chunk : state.chunks()) {
                if (chunk.maxTs() >= fromNanos && chunk.minTs() < toNanos) {
                    sources.add(new ChunkSource(
                            chunk, fromNanos, toNanos, sections, DECODERS.get(), BlockDecodeHelper.shared()));
                }
            }
            for (Run run : state.runs()) {
                sources.add(new RunSource(run, fromNanos, toNanos, sections));
            }
        }
        return new MergingRowCursor(sources);
    }

    /**
     * Rows of one slot with {@code from <= ts < to}, counted from block indexes: only blocks that straddle a range
     * end are decoded. Duplicate suppression and ordering don't matter for a count, so runs are counted directly.
     */
    public long count(Table table, SeriesKey series, long fromNanos, long toNanos) {
        ensureOpen();
        SeriesSlot slot = slots.get(new SlotKey(table, series));
        if (slot == null || fromNanos >= toNanos) {
            return 0;
        }
        if (!slot.corruptFiles().isEmpty()) {
            rows(table, series, fromNanos, toNanos); // throws, naming the corrupt files
        }
        SeriesSlot.State state = slot.state();
        long count = 0;
        ColumnData scratch = null;
        for (ChunkFile chunk : state.chunks()) {
            if (chunk.maxTs() < fromNanos || chunk.minTs() >= toNanos) {
                continue;
            }
            for (int b = chunk.firstBlockEndingAtOrAfter(fromNanos);
                    b < chunk.blockCount() && chunk.blockMinTs(b) < toNanos;
                    b++) {
                if (chunk.blockMinTs(b) >= fromNanos && chunk.blockMaxTs(b) < toNanos) {
                    count += chunk.blockRows(b);
                } else {
                    if (scratch == null) {
                        scratch = new ColumnData(table, chunk.blockRows(b));
                    }
                    chunk.decodeBlock(b, scratch, DECODERS.get(), fromNanos, toNanos);
                    count += scratch.lowerBound(toNanos) - scratch.lowerBound(fromNanos);
                }
            }
        }
        for (Run run : state.runs()) {
            for (int p = 0; p < run.partCount(); p++) {
                if (run.partMinTs(p) >= toNanos || run.partMaxTs(p) < fromNanos) {
                    continue;
                }
                if (run.partMinTs(p) >= fromNanos && run.partMaxTs(p) < toNanos) {
                    count += run.partSize(p); // whole part: no need to decode an encoded-only one
                    continue;
                }
                ColumnData part = run.part(p);
                count += part.lowerBound(toNanos) - part.lowerBound(fromNanos);
            }
        }
        return count;
    }

    /** Every series that has rows in {@code table}, sorted. */
    public List<SeriesKey> series(Table table) {
        return slots.keySet().stream()
                .filter(k -> k.table() == table)
                .map(SlotKey::series)
                .sorted()
                .toList();
    }

    public StoreStats stats() {
        Map<String, long[]> partitions = new TreeMap<>();
        long memtableRows = 0;
        for (SeriesSlot slot : slots.values()) {
            SeriesSlot.State state = slot.state();
            for (Run run : state.runs()) {
                memtableRows += run.size();
            }
            for (ChunkFile chunk : state.chunks()) {
                String day = chunk.path().getParent().getFileName().toString();
                String key = slot.key().table().directoryName()
                        + '\u0000'
                        + slot.key().series().exchange()
                        + '\u0000'
                        + slot.key().series().symbol()
                        + '\u0000'
                        + day;
                long[] v = partitions.computeIfAbsent(key, k -> new long[3]);
                v[0] += chunk.rowCount();
                v[1] += chunk.sizeBytes();
                v[2]++;
            }
        }
        List<StoreStats.PartitionStats> list = new ArrayList<>();
        partitions.forEach((key, v) -> {
            String[] parts = key.split("\u0000", -1);
            list.add(new StoreStats.PartitionStats(parts[0], parts[1], parts[2], parts[3], v[0], v[1], (int) v[2]));
        });
        return new StoreStats(
                list,
                wal != null ? wal.sizeBytes() : follower.sizeBytes(),
                memtableRows,
                autoArchiver == null ? 0 : autoArchiver.partitionsArchived(),
                autoArchiver == null ? 0 : autoArchiver.failedPasses());
    }

    // ---------------------------------------------------------------- lifecycle

    private void ensureOpen() {
        if (closed) {
            throw new StorageException(StorageException.Kind.CLOSED, "store is closed [dir=" + root + "]");
        }
    }

    /** Every slot, for {@link DecoderWarmUp}. */
    Collection<SeriesSlot> slots() {
        return slots.values();
    }

    boolean isClosed() {
        return closed;
    }

    /** True in read-only mode ({@link #openReadOnly}). */
    public boolean readOnly() {
        return follower != null;
    }

    private void ensureWritable() {
        if (readOnly()) {
            throw new StorageException(
                    StorageException.Kind.INVALID_ARGUMENT,
                    "store is open read-only [dir=" + root + "]: writes and flushes belong to the process that"
                            + " holds its lock",
                    root,
                    null);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (readOnly()) {
            closed = true; // chunk files belong to the ReadOnlyStore's cache, shared with later snapshots
            return;
        }
        // Writers still open may have a commit in flight: let it finish (and be flushed), then stop their threads.
        closing = true;
        if (autoArchiver != null) {
            autoArchiver.stop();
        }
        synchronized (archiveLock) {
            // an archive step in progress stops at its next block (see PartitionArchiver): wait for it
        }
        for (WriterCommitter committer : committers) {
            committer.shutdown();
        }
        RuntimeException failure = null;
        try {
            flush(true);
        } catch (RuntimeException e) {
            failure = e;
        }
        closed = true;
        requestFlush();
        try {
            flusher.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (flushHelper != null) {
            flushHelper.close();
        }
        try {
            wal.close();
        } catch (RuntimeException e) {
            if (failure == null) {
                failure = e;
            } else {
                failure.addSuppressed(e);
            }
        }
        closeChunks();
        releaseLock();
        if (failure != null) {
            throw failure;
        }
    }

    private void closeChunks() {
        for (SeriesSlot slot : slots.values()) {
            for (ChunkFile chunk : slot.state().chunks()) {
                chunk.close();
            }
        }
        synchronized (retiredChunks) {
            for (ChunkFile chunk : retiredChunks) {
                chunk.close();
            }
            retiredChunks.clear();
        }
    }

    private void releaseLock() {
        try {
            if (lock != null && lock.isValid()) {
                lock.release();
            }
        } catch (IOException e) {
            LOG.get().warn("cannot release store lock", e);
        }
        closeQuietly(lockChannel);
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.get().warn("cannot close {}", channel, e);
        }
    }

    static List<Path> list(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.sorted().toList();
        } catch (IOException e) {
            throw StorageException.io("cannot list directory", dir, e);
        }
    }
}
