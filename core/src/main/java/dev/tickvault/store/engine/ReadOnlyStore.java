package dev.tickvault.store.engine;

import dev.tickvault.model.Decimal;
import dev.tickvault.model.Side;
import dev.tickvault.model.Trade;
import dev.tickvault.store.StorageException;
import dev.tickvault.store.StoreConfig;
import dev.tickvault.store.Table;
import dev.tickvault.store.io.LazyLog;
import dev.tickvault.store.memtable.ColumnData;
import dev.tickvault.store.partition.ChunkFile;
import dev.tickvault.store.wal.ReaderLease;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A store directory opened read-only, typically while a {@code tickvault record} in another process writes it. It
 * never creates, writes, renames or deletes a data file there, takes no lock, and the writer never waits for it. The
 * one file it writes is its reader lease on the log ({@link ReaderLease}, below), once it has seen a writer at work:
 * a store nobody writes is left untouched.
 *
 * <p><b>What it shows.</b> A snapshot ({@link StoreEngine} in read-only mode) built the way recovery builds one:
 * chunk files of complete flushes, plus every commit record of the write-ahead log after the checkpoint whose rows
 * those files do not hold yet, decoded by the engine's own replay code. A commit is visible as soon as its log
 * record is complete and checksum-valid in the file (possibly a moment before the writer's {@code commit()}
 * returns, while it fsyncs), and always whole. Bytes after the last valid record of the newest segment are the
 * writer's append in progress: skipped, never reported.
 *
 * <p><b>Refresh.</b> {@link #current()} refreshes when the last refresh is older than the staleness bound given at
 * open (the CLI uses 100 ms), so a query sees every commit logged up to that long before it started; {@link
 * #refresh()} refreshes now. A refresh reads the 20-byte {@code CHECKPOINT}; if it is unchanged it reads only the log
 * bytes appended since the last refresh and publishes their commits into the current snapshot (rows the writer
 * flushed meanwhile are still in the log: new chunk files are ignored until the checkpoint moves, so nothing is
 * counted twice). When the checkpoint moved, or the log no longer holds the next record, a new snapshot is built and
 * swapped in; queries already running keep the snapshot they started with.
 *
 * <p><b>Races with the writer</b>, and why no row is missed or returned twice:
 *
 * <ul>
 *   <li>The checkpoint is read first, then the chunk files, then the log from checkpoint + 1. Rows up to the
 *       checkpoint were in complete chunk files before the checkpoint was written, so the listing sees them.
 *   <li>Each series' chunk directories are listed twice, and the second listing is taken up to the newest flush
 *       complete in the first: a prefix of the series' flushes (see {@link PartitionLoader#loadReadOnly}), so its
 *       chunk files hold exactly its rows up to their highest LSN; log records up to that LSN are skipped for that
 *       series (the engine's per-series rule). Series are listed at different instants, all before the log is read,
 *       and the log is read to its end, past every flush listed. Until session 12 the whole tree was listed until two
 *       listings agreed (at most 11 times): a writer flushing every few commits on a loaded machine kept them apart,
 *       and a follower gave up ({@code ReadOnlySnapshotBesideFlushesTest} shows it deterministically).
 *   <li>The log segments after the checkpoint are held open from before the listing (pinned again after each listing
 *       of a series, and as the read moves on: {@link dev.tickvault.store.wal.WalFollower#pin}), so checkpoints the
 *       writer makes while the snapshot is listed and read cannot take its log away; before, two of them did, and
 *       the build started again from the newest checkpoint (the main cause of retries under load, and with a writer
 *       that flushes every few commits, of giving up).
 *   <li>Pinning holds only segments that exist when it runs: a writer that starts a segment and deletes it between
 *       two pins (three flushes inside one listing) still took the log away. Since session 13 a follower that has
 *       seen a writer at work holds a reader lease ({@link ReaderLease}; docs/FORMAT.md, "Reader leases") naming
 *       the checkpoint + 1 it read just <em>before</em> the build reads the checkpoint: a writer of this version keeps
 *       the segments from that LSN on. A deletion that read the leases before the lease file appeared deletes only
 *       segments holding records up to its own previous checkpoint, which is below the checkpoint the build reads
 *       afterwards, so the build's first record survives it; every later deletion reads the lease. The lease is
 *       renewed after each series' listing, moved to the snapshot's checkpoint + 1 once built, and deleted on
 *       close. Bounded by the writer (stale after 10 s or when the process is gone; at most {@code
 *       memtableLimitBytes} of log kept for leases): past that, or beside an older writer, or when the lease cannot
 *       be written, the build falls back to the retry below. ({@code ReadOnlySnapshotBesideFlushesTest}: retried
 *       without the lease, never with it; the slow {@code ReadOnlyFollowerStressTest}: no retry in 3,229 builds,
 *       against 110 of 1,210 with pinning alone.)
 *   <li>Log segments are deleted only after a checkpoint covers them, oldest first. A segment that vanished before
 *       it was read means the checkpoint moved: the snapshot is rebuilt from the new checkpoint. So does one that
 *       vanished <em>while</em> it was read (an open file stays readable to its end): the follower then finds no
 *       successor, and checks that its segment still exists before it takes that for the end of the log (see
 *       {@link dev.tickvault.store.wal.WalFollower}). Until session 4 it did not: a refresh whose log read overlapped
 *       a checkpoint that deleted the segment being read and its successor ended short of commits acknowledged
 *       before it began (seen in about 1 run in 3 of {@code ReadOnlyBesideWriterTest}, papered over by a second
 *       pass), and a new snapshot whose chunk listing predated that checkpoint could show a hole (rows of a series
 *       flushed past the end of the read log beside another series cut at it). {@code ReadOnlyFollowerStressTest}
 *       reproduced the short refresh in 3 of its 8 short runs before the fix.
 *   <li>A file that vanishes mid-build (a log segment created after the last pin and deleted before the read got to
 *       it; a flush the writer abandoned) aborts the build, which is retried with a short back-off, up to {@value
 *       #MAX_ATTEMPTS} times before failing with kind IO.
 * </ul>
 *
 * <p>Memory: the rows of the log beyond the checkpoint are held in memory, as in the writer (bounded by its memtable
 * limit, since it checkpoints when that fills). Chunk files are mapped once and shared by all snapshots until {@link
 * #close()}.
 *
 * <p>Thread-safe. Queries never wait for a refresh in progress: {@link #current()} then returns the current snapshot.
 */
public final class ReadOnlyStore implements AutoCloseable {

    private static final LazyLog LOG = LazyLog.of(ReadOnlyStore.class);
    static final int MAX_ATTEMPTS = 50;

    private final Path root;
    private final StoreConfig config;
    private final long maxStalenessNanos;
    private final Function<Path, List<Path>> lister;
    /** Null when leases are off (tests of the fallback). Guarded by refreshLock (and the constructor). */
    private final ReaderLease lease;
    /** True once a writer was seen at work (see {@link #startLeasing}); guarded by refreshLock. */
    private boolean leasing;

    private final Map<Path, OpenChunk> chunks = new ConcurrentHashMap<>();
    private final ReentrantLock refreshLock = new ReentrantLock();
    private final AtomicLong refreshes = new AtomicLong();
    private final AtomicLong rebuilds = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private volatile Consumer<Trade> tradeListener;
    // Live delivery (guarded by refreshLock): records up to deliveredThrough were delivered whole; delivering is the
    // record whose sections are being delivered now (a refresh never stops inside a record).
    private long deliveredThrough;
    private long delivering;
    private volatile StoreEngine current;
    private volatile long lastRefreshNanos;
    private volatile boolean closed;

    /** A mapped chunk file and the identity of the file it maps (a name reused for another file is reopened). */
    private record OpenChunk(ChunkFile chunk, Object fileKey) {}

    private ReadOnlyStore(
            Path root, StoreConfig config, long maxStalenessMillis, Function<Path, List<Path>> lister, boolean leases) {
        DecoderWarmUp.mode(); // a bad -Dtickvault.decoderWarmUp is refused before anything is opened
        this.root = root;
        this.config = config;
        this.lister = lister;
        this.lease = leases ? ReaderLease.forLog(root.resolve("wal")) : null;
        this.maxStalenessNanos = maxStalenessMillis * 1_000_000L;
        ZstdPreload.startInBackground();
        try {
            this.current = build();
        } catch (RuntimeException e) {
            if (lease != null) {
                lease.close(); // a lease taken while the first build was retried
            }
            throw e;
        }
        ReadPathClasses.load();
        BlockDecodeHelper.prestart();
        this.lastRefreshNanos = System.nanoTime();
        DecoderWarmUp.afterOpen(current);
    }

    /**
     * Opens {@code root} read-only.
     *
     * @param maxStalenessMillis {@link #current()} refreshes when the last refresh is older than this (0: always)
     */
    public static ReadOnlyStore open(Path root, StoreConfig config, long maxStalenessMillis) {
        return open(root, config, maxStalenessMillis, StoreEngine::list, true);
    }

    /**
     * As {@link #open(Path, StoreConfig, long)}, listing chunk directories through {@code lister}, with reader leases
     * or without (for tests).
     */
    static ReadOnlyStore open(
            Path root, StoreConfig config, long maxStalenessMillis, Function<Path, List<Path>> lister, boolean leases) {
        Objects.requireNonNull(config, "config");
        if (maxStalenessMillis < 0) {
            throw new IllegalArgumentException("maxStalenessMillis must not be negative: " + maxStalenessMillis);
        }
        ReadOnlyStore store =
                new ReadOnlyStore(root.toAbsolutePath().normalize(), config, maxStalenessMillis, lister, leases);
        LOG.get().info("opened read-only [dir={}]", store.root);
        return store;
    }

    public Path root() {
        return root;
    }

    /**
     * The snapshot to query, refreshed first when it is older than the staleness bound (unless another thread is
     * refreshing right now: then the current one, without waiting).
     */
    public StoreEngine current() {
        ensureOpen();
        if (System.nanoTime() - lastRefreshNanos >= maxStalenessNanos && refreshLock.tryLock()) {
            try {
                refreshLocked();
            } finally {
                refreshLock.unlock();
            }
        }
        return current;
    }

    /** Makes every commit logged before this call visible (waits for a refresh in progress). */
    public void refresh() {
        refreshLock.lock();
        try {
            refreshLocked();
        } finally {
            refreshLock.unlock();
        }
    }

    private void refreshLocked() {
        ensureOpen();
        deliveredThrough = Math.max(deliveredThrough, delivering);
        StoreEngine engine = current;
        refreshes.incrementAndGet();
        long followed = engine.followedLsn();
        if (StoreEngine.readCheckpointLsn(root) == engine.checkpointLsn() && tail(engine)) {
            if (engine.followedLsn() != followed) {
                startLeasing();
            }
            if (leasing) {
                lease.hold(engine.checkpointLsn() + 1); // renewed when due
            }
            lastRefreshNanos = System.nanoTime();
            return;
        }
        startLeasing();
        current = build();
        lastRefreshNanos = System.nanoTime();
    }

    /** Publishes new log records into {@code engine}; false when a new snapshot is needed. */
    private boolean tail(StoreEngine engine) {
        try {
            return engine.tailLog();
        } catch (StorageException e) {
            if (vanishedFile(e)) {
                return false;
            }
            throw e;
        }
    }

    /** A new snapshot; retried while the writer changes the directory under it. */
    private StoreEngine build() {
        RuntimeException last = null;
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            try {
                deliveredThrough = Math.max(deliveredThrough, delivering);
                if (leasing) {
                    // Before the build reads the checkpoint (which can only have moved on since): see the class
                    // comment for why the log after the checkpoint it reads is then kept for it.
                    lease.hold(StoreEngine.readCheckpointLsn(root) + 1);
                }
                StoreEngine engine = StoreEngine.openReadOnly(
                        root, config, this::openChunk, this::onLogSection, lister, this::renewLease);
                if (leasing) {
                    lease.hold(engine.checkpointLsn() + 1);
                }
                rebuilds.incrementAndGet();
                return engine;
            } catch (StoreChangedException e) {
                last = e;
            } catch (StorageException e) {
                if (!vanishedFile(e)) {
                    throw e;
                }
                last = e;
            }
            retries.incrementAndGet();
            startLeasing();
            LOG.get()
                    .info(
                            "the store changed while a read-only snapshot was built; retrying [attempt={}, leased={}]: {}",
                            attempt + 1,
                            lease != null && lease.heldLsn() > 0,
                            last.getMessage());
            try {
                Thread.sleep(Math.min(100, 1L << Math.min(attempt, 7)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StorageException(StorageException.Kind.CLOSED, "interrupted while opening " + root);
            }
        }
        throw new StorageException(
                StorageException.Kind.IO,
                "the store kept changing while it was read; gave up after " + MAX_ATTEMPTS + " attempts [dir=" + root
                        + "]: " + last.getMessage(),
                root,
                last);
    }

    /**
     * Calls {@code listener} with every trade committed from now on, once, in commit order, as refreshes read the
     * writer's log: a live feed for a process that only reads (e.g. {@code tickvault serve} pushing trades to its
     * WebSocket clients). Best effort across checkpoints: trades whose commit, flush and checkpoint all happen between
     * two refreshes are never in the log this store reads, so they are not delivered (queries still return them).
     * Runs on the refreshing thread; keep it short. Null stops delivery.
     */
    public void onCommittedTrades(Consumer<Trade> listener) {
        refreshLock.lock();
        try {
            deliveredThrough = Math.max(deliveredThrough, current.followedLsn());
            delivering = deliveredThrough;
            tradeListener = listener;
        } finally {
            refreshLock.unlock();
        }
    }

    private void onLogSection(long lsn, SlotKey key, ColumnData rows) {
        Consumer<Trade> listener = tradeListener;
        if (lsn <= deliveredThrough) {
            return;
        }
        if (lsn != delivering) {
            deliveredThrough = Math.max(deliveredThrough, delivering);
            delivering = lsn;
        }
        if (listener == null || key.table() != Table.TRADES) {
            return;
        }
        long[] ts = rows.longs(Table.TS);
        long[] recvTs = rows.longs(Table.RECV_TS);
        long[] prices = rows.longs(Table.PRICE);
        long[] quantities = rows.longs(Table.QTY);
        long[] ids = rows.longs(Table.TRADE_ID);
        byte[] priceScales = rows.bytes(Table.PRICE_SCALE);
        byte[] quantityScales = rows.bytes(Table.QTY_SCALE);
        byte[] sides = rows.bytes(Table.SIDE);
        for (int i = 0; i < rows.size(); i++) {
            listener.accept(new Trade(
                    key.series(),
                    ts[i],
                    recvTs[i],
                    Decimal.of(prices[i], priceScales[i]),
                    Decimal.of(quantities[i], quantityScales[i]),
                    Side.ofCode(sides[i]),
                    ids[i],
                    rows.string(Table.TRADE_ID_TEXT, i)));
        }
    }

    /**
     * From now on, holds a reader lease on the log (when leases are on): called once a writer is seen at work (the
     * log grew, the checkpoint moved, or a build failed), so that a store nobody writes is never written to.
     */
    private void startLeasing() {
        leasing = lease != null;
    }

    private void renewLease() {
        if (leasing) {
            lease.renew();
        }
    }

    private ChunkFile openChunk(Path path) {
        Object fileKey;
        try {
            fileKey = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
        } catch (IOException e) {
            throw StorageException.io("cannot open chunk file", path, e);
        }
        OpenChunk open = chunks.get(path);
        if (open != null && (fileKey == null || fileKey.equals(open.fileKey()))) {
            return open.chunk();
        }
        // Not closed when replaced: snapshots still in use may read it. Happens only if a name is reused.
        ChunkFile chunk = ChunkFile.open(path);
        chunks.put(path, new OpenChunk(chunk, fileKey));
        return chunk;
    }

    private static boolean vanishedFile(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof NoSuchFileException) {
                return true;
            }
        }
        return false;
    }

    /** Refreshes so far (each reads the checkpoint and the new log bytes). */
    public long refreshCount() {
        return refreshes.get();
    }

    /** Snapshots built so far (the first one included). */
    public long snapshotCount() {
        return rebuilds.get();
    }

    /** Builds abandoned and retried because the writer changed the directory meanwhile. */
    public long retryCount() {
        return retries.get();
    }

    private void ensureOpen() {
        if (closed) {
            throw new StorageException(StorageException.Kind.CLOSED, "store is closed [dir=" + root + "]");
        }
    }

    /** Unmaps every chunk file. Idempotent. */
    @Override
    public void close() {
        refreshLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            if (lease != null) {
                lease.close();
            }
            current.close();
            for (OpenChunk open : chunks.values()) {
                open.chunk().close();
            }
            chunks.clear();
            LOG.get()
                    .info(
                            "closed read-only [dir={}, refreshes={}, snapshots={}, retries={}]",
                            root,
                            refreshes.get(),
                            rebuilds.get(),
                            retries.get());
        } finally {
            refreshLock.unlock();
        }
    }
}
