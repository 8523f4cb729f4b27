package dev.tickvault.store.wal;

import static dev.tickvault.store.wal.WalLayout.RECORD_HEADER_BYTES;
import static dev.tickvault.store.wal.WalLayout.SEGMENT_HEADER_BYTES;

import dev.tickvault.store.Durability;
import dev.tickvault.store.StorageException;
import dev.tickvault.store.io.DurableFiles;
import dev.tickvault.store.io.LazyLog;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * The write-ahead log: a directory of segment files (layout in {@link WalLayout}) holding typed, checksummed records
 * numbered by LSN (1, 2, 3, ... continuous across segments).
 *
 * <p><b>Threading.</b> Thread-safe. Any number of threads may {@link #append} concurrently; each call returns the
 * record's LSN once the record is written (and, under {@link Durability#SYNC_EVERY_COMMIT}, fsynced).
 *
 * <p><b>Group commit.</b> Appenders copy their record into a shared buffer under a lock and wait. Whoever finds no
 * write in progress becomes the leader: it swaps the buffer for an empty spare, releases the lock, writes the whole
 * batch with one {@code write} and, if the policy says so, one {@code force(false)}, then wakes everyone. Records
 * appended meanwhile collect in the spare and go out with the next leader, so N concurrent appenders share roughly
 * one fsync. Memory is bounded by two buffers of {@link WalConfig#commitBufferBytes()}: an appender whose record does
 * not fit blocks until the buffer has been written. Records larger than half a buffer are not copied: their appender
 * waits for the current write to finish, becomes the leader and writes the pending batch plus its record with one
 * gathering write. Waiting is uninterruptible (a record in the buffer cannot be taken back); note that interrupting
 * a thread while it writes as leader closes the {@link FileChannel} and therefore fails the log.
 *
 * <p><b>Durability.</b> {@code SYNC_EVERY_COMMIT}: fsync before {@code append} returns. {@code SYNC_INTERVAL}:
 * {@code append} returns after the write; a daemon thread fsyncs every {@code syncIntervalMillis}. {@code OS}: never
 * fsync explicitly (except at a segment roll, below). Whatever the policy, the active segment is fsynced before the
 * next segment is created (atomically, with its header, see {@link DurableFiles#writeAtomically}), so only the newest
 * segment can ever have a torn tail.
 *
 * <p><b>Failure.</b> After a write or fsync fails, the channel is closed, the appenders whose records were in the
 * failed batch get kind IO, and every later call gets kind CLOSED naming the first failure. Bytes of the failed batch
 * may or may not be on disk; reopening the log recovers whatever is intact.
 *
 * <p><b>Recovery</b> ({@link #open}): every segment is read and every record checked. Incomplete or checksum-bad bytes
 * at the end of the newest segment, with no valid record starting anywhere after them, are a torn tail: they are cut
 * off (logged at WARN, counted in {@link #recoveryReport()}). Any other damage — a bad record followed by a valid one,
 * damage in an older segment, an LSN gap, a bad header — throws {@link StorageException} (CORRUPT or FORMAT_VERSION)
 * naming the file and offset, and nothing is changed. A damaged <em>last</em> record cannot be told from a torn write
 * and is cut.
 */
public final class WriteAheadLog implements AutoCloseable {

    private static final LazyLog LOG = LazyLog.of(WriteAheadLog.class);

    private final Path dir;
    private final WalConfig config;
    private final IoFaults faults;
    private final RecoveryReport recoveryReport;
    private final int directThresholdBytes;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition flushDone = lock.newCondition();
    // Guarded by lock:
    private final CRC32C crc = new CRC32C();
    /**
     * The commit buffers: {@link #noBuffer} until the first record that goes through them ({@link #ensureBuffers}),
     * so that opening a log that is only read, or closed at once, allocates and zeroes no 2 x 1 MiB of native memory.
     */
    private ByteBuffer pending;

    private ByteBuffer spare;
    /** An empty buffer (this log's own: leaders flip and clear their batch) standing for a buffer not yet allocated. */
    private final ByteBuffer noBuffer = ByteBuffer.allocateDirect(0).order(ByteOrder.LITTLE_ENDIAN);

    private long nextLsn;
    /** Last LSN written and, under SYNC_EVERY_COMMIT, fsynced. */
    private long completedLsn;
    /** Last LSN known to be fsynced. */
    private long durableLsn;
    /** True while a leader writes; the leader then owns spare, channel, activeFile and activeBytes. */
    private boolean flushing;

    private boolean closed;
    private StorageException failure;

    private FileChannel channel;
    private Path activeFile;
    private long activeBytes;

    /** First LSN to segment file; the last entry is the active segment. */
    private final ConcurrentSkipListMap<Long, Path> segments;

    private final AtomicLong totalBytes;
    /** Replays (read) against segment deletion (write). */
    private final ReentrantReadWriteLock filesLock = new ReentrantReadWriteLock();

    private final ScheduledExecutorService syncer;
    /** Deletes redundant segments in the background when asked to ({@link #deleteSegmentsBefore(long, long, long, boolean)}). */
    private final SegmentDeleter deleter;

    private WriteAheadLog(
            Path dir,
            WalConfig config,
            IoFaults faults,
            RecoveryReport recoveryReport,
            ConcurrentSkipListMap<Long, Path> segments,
            long totalBytes,
            FileChannel channel,
            long activeBytes) {
        this.dir = dir;
        this.config = config;
        this.faults = faults;
        this.recoveryReport = recoveryReport;
        this.segments = segments;
        this.totalBytes = new AtomicLong(totalBytes);
        this.channel = channel;
        this.activeFile = segments.lastEntry().getValue();
        this.activeBytes = activeBytes;
        this.nextLsn = recoveryReport.lastLsn() + 1;
        this.completedLsn = recoveryReport.lastLsn();
        this.durableLsn = recoveryReport.lastLsn();
        this.pending = noBuffer;
        this.spare = noBuffer;
        this.directThresholdBytes = config.commitBufferBytes() / 2;
        this.deleter = new SegmentDeleter(dir);
        if (config.durability() == Durability.SYNC_INTERVAL) {
            syncer = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "tickvault-wal-sync");
                thread.setDaemon(true);
                return thread;
            });
            syncer.scheduleWithFixedDelay(
                    this::backgroundSync,
                    config.syncIntervalMillis(),
                    config.syncIntervalMillis(),
                    TimeUnit.MILLISECONDS);
        } else {
            syncer = null;
        }
    }

    /**
     * Opens the log in {@code dir} (created if absent), recovering it as described in the class comment.
     *
     * @throws StorageException CORRUPT or FORMAT_VERSION for damage that is not a torn tail, IO if the files cannot
     *     be read or repaired
     */
    public static WriteAheadLog open(Path dir, WalConfig config) {
        return open(dir, config, IoFaults.NONE, 0);
    }

    /**
     * As {@link #open(Path, WalConfig)} for a log whose records below {@code neededFrom} nobody needs any more (the
     * store's checkpoint + 1, or the lowest LSN a reader lease names if lower): a segment followed by one that starts
     * at or below {@code neededFrom} holds only such records, so it is neither read nor checked, and is deleted in the
     * background ({@link SegmentDeleter}; {@link #close} waits for that deletion) — a closing store leaves the segments
     * its last checkpoint covers to the next open, and a crash may have come before a flush deleted them.
     */
    public static WriteAheadLog open(Path dir, WalConfig config, long neededFrom) {
        return open(dir, config, IoFaults.NONE, neededFrom);
    }

    static WriteAheadLog open(Path dir, WalConfig config, IoFaults faults) {
        return open(dir, config, faults, 0);
    }

    static WriteAheadLog open(Path dir, WalConfig config, IoFaults faults, long neededFrom) {
        Objects.requireNonNull(config, "config");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw DurableFiles.io("cannot create write-ahead-log directory", dir, e);
        }
        DurableFiles.deleteTempFiles(dir);
        List<Path> files = listSegments(dir);
        ConcurrentSkipListMap<Long, Path> segments = new ConcurrentSkipListMap<>();
        long totalBytes = 0;
        long records = 0;
        long bytesTruncated = 0;
        List<Path> truncatedFiles = new ArrayList<>();
        long lastLsn = 0;
        long activeBytes = SEGMENT_HEADER_BYTES;
        int skipped = 0;
        List<Path> redundant = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            Path file = files.get(i);
            boolean newest = i == files.size() - 1;
            if (!newest && WalLayout.firstLsnFromName(files.get(i + 1)) <= neededFrom) {
                redundant.add(file); // only records below neededFrom: see open(Path, WalConfig, long)
                skipped++;
                continue;
            }
            SegmentScanner.SegmentScan scan = SegmentScanner.scan(file);
            if (i > skipped && scan.firstLsn() != lastLsn + 1) {
                throw StorageException.corrupt(
                        "LSN discontinuity between segments: previous segment ends at " + lastLsn
                                + ", this one starts at " + scan.firstLsn(),
                        file,
                        WalLayout.HEADER_FIRST_LSN_OFFSET);
            }
            if (!scan.clean()) {
                if (!newest || !scan.tailOnly()) {
                    throw StorageException.corrupt(
                            scan.damage() + (newest ? "" : " in a segment that is not the newest"),
                            file,
                            scan.damageOffset());
                }
                long cut = scan.fileBytes() - scan.validEndOffset();
                truncate(file, scan.validEndOffset());
                LOG.get()
                        .warn(
                                "write-ahead log: cut torn tail [file={}, offset={}, bytesCut={}]: {}",
                                file,
                                scan.validEndOffset(),
                                cut,
                                scan.damage());
                bytesTruncated += cut;
                truncatedFiles.add(file);
            }
            records += scan.records();
            lastLsn = scan.lastLsn();
            totalBytes += scan.validEndOffset();
            activeBytes = scan.validEndOffset();
            segments.put(scan.firstLsn(), file);
        }
        if (segments.isEmpty()) {
            Path first = dir.resolve(WalLayout.segmentName(1));
            DurableFiles.writeAtomically(first, WalLayout.segmentHeader(1));
            segments.put(1L, first);
            totalBytes = SEGMENT_HEADER_BYTES;
            activeBytes = SEGMENT_HEADER_BYTES;
        }
        Path active = segments.lastEntry().getValue();
        FileChannel channel;
        try {
            channel = FileChannel.open(active, StandardOpenOption.WRITE);
            channel.position(activeBytes);
        } catch (IOException e) {
            throw DurableFiles.io("cannot open write-ahead-log segment for writing", active, e);
        }
        RecoveryReport report =
                new RecoveryReport(files.size() - skipped, records, bytesTruncated, truncatedFiles, lastLsn);
        if (!truncatedFiles.isEmpty() || records > 0) {
            LOG.get().info("write-ahead log recovered [dir={}]: {}", dir, report);
        }
        WriteAheadLog log = new WriteAheadLog(dir, config, faults, report, segments, totalBytes, channel, activeBytes);
        log.deleter.deleteLater(redundant);
        return log;
    }

    /**
     * Appends one record of {@code type} (0..255) with {@code payload[offset, offset + length)} and returns its LSN
     * once it is written, and fsynced under {@link Durability#SYNC_EVERY_COMMIT}.
     *
     * @throws StorageException CLOSED after {@link #close} or an earlier failure, IO if this record's write failed,
     *     INVALID_ARGUMENT for a bad type or a payload over 1 GiB
     */
    public long append(int type, byte[] payload, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, payload.length);
        return append(type, ByteBuffer.wrap(payload, offset, length));
    }

    /** As {@link #append(int, byte[], int, int)} with the payload {@code memory}. */
    public long append(int type, MemorySegment memory) {
        if (memory.byteSize() > WalLayout.MAX_PAYLOAD_BYTES) {
            throw tooLarge(memory.byteSize());
        }
        return append(type, memory.asByteBuffer());
    }

    /**
     * As {@link #append(int, byte[], int, int)} with the payload {@code payload}'s remaining bytes; its position is
     * not changed.
     */
    public long append(int type, ByteBuffer payload) {
        if (type < 0 || type > 255) {
            throw new StorageException(StorageException.Kind.INVALID_ARGUMENT, "record type must be 0..255: " + type);
        }
        int length = payload.remaining();
        if (length > WalLayout.MAX_PAYLOAD_BYTES) {
            throw tooLarge(length);
        }
        int recordBytes = RECORD_HEADER_BYTES + length;
        lock.lock();
        try {
            ensureUsable();
            if (recordBytes > directThresholdBytes) {
                while (flushing) {
                    flushDone.awaitUninterruptibly();
                    ensureUsable();
                }
                long lsn = nextLsn++;
                lead(false, type, payload.duplicate(), lsn);
                return lsn;
            }
            ensureBuffers();
            while (pending.remaining() < recordBytes) {
                if (flushing) {
                    flushDone.awaitUninterruptibly();
                } else {
                    lead(false, 0, null, 0);
                }
                ensureUsable();
            }
            long lsn = nextLsn++;
            encode(lsn, type, payload, length);
            while (completedLsn < lsn) {
                if (failure != null) {
                    throw new StorageException(
                            StorageException.Kind.IO,
                            "record " + lsn + " was not written: the write-ahead log failed [dir=" + dir + "]",
                            dir,
                            failure);
                }
                if (flushing) {
                    flushDone.awaitUninterruptibly();
                } else {
                    lead(false, 0, null, 0);
                }
            }
            return lsn;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Allocates the commit buffers on first use (with the lock held). A leader writing meanwhile holds at most an empty
     * {@link #noBuffer} as its batch (the buffers did not exist when it swapped), so replacing both fields is safe.
     */
    private void ensureBuffers() {
        if (pending == noBuffer) {
            pending = ByteBuffer.allocateDirect(config.commitBufferBytes()).order(ByteOrder.LITTLE_ENDIAN);
        }
        if (spare == noBuffer) {
            spare = ByteBuffer.allocateDirect(config.commitBufferBytes()).order(ByteOrder.LITTLE_ENDIAN);
        }
    }

    private void encode(long lsn, int type, ByteBuffer payload, int length) {
        int start = pending.position();
        pending.putInt(start + WalLayout.RECORD_LENGTH_OFFSET, length);
        pending.putLong(start + WalLayout.RECORD_LSN_OFFSET, lsn);
        pending.put(start + WalLayout.RECORD_TYPE_OFFSET, (byte) type);
        pending.put(start + RECORD_HEADER_BYTES, payload, payload.position(), length);
        int end = start + RECORD_HEADER_BYTES + length;
        int limit = pending.limit();
        pending.limit(end).position(start + WalLayout.RECORD_LSN_OFFSET);
        crc.reset();
        crc.update(pending);
        pending.limit(limit).position(end);
        pending.putInt(start + WalLayout.RECORD_CRC_OFFSET, (int) crc.getValue());
    }

    /**
     * Writes everything pending (plus one direct record if {@code directPayload} is not null) as the leader. Called
     * with the lock held and no write in progress; returns with the lock held. Throws the write's failure.
     */
    private void lead(boolean force, int directType, ByteBuffer directPayload, long directLsn) {
        flushing = true;
        ByteBuffer batch = pending;
        pending = spare;
        spare = batch;
        batch.flip();
        long firstLsn = completedLsn + 1;
        long lastLsn = nextLsn - 1;
        boolean doForce = force || config.durability() == Durability.SYNC_EVERY_COMMIT;
        Throwable thrown = null;
        lock.unlock();
        try {
            writeBatch(firstLsn, batch, directType, directPayload, directLsn, doForce);
        } catch (Throwable t) {
            thrown = t;
        } finally {
            lock.lock();
        }
        batch.clear();
        flushing = false;
        if (thrown == null) {
            completedLsn = lastLsn;
            if (doForce) {
                durableLsn = lastLsn;
            }
        } else if (failure == null) {
            failure = thrown instanceof StorageException storage
                    ? storage
                    : new StorageException(
                            StorageException.Kind.IO,
                            "write-ahead-log write failed [file=" + activeFile + "]: " + thrown,
                            activeFile,
                            thrown);
            closeChannel(failure);
        }
        flushDone.signalAll();
        if (thrown instanceof Error error) {
            throw error;
        }
        if (thrown != null) {
            throw failure;
        }
    }

    /** Leader only, without the lock. */
    private void writeBatch(
            long firstLsn, ByteBuffer batch, int directType, ByteBuffer directPayload, long directLsn, boolean force) {
        long bytes = batch.remaining();
        ByteBuffer directHeader = null;
        if (directPayload != null) {
            directHeader = directRecordHeader(directLsn, directType, directPayload);
            bytes += RECORD_HEADER_BYTES + directPayload.remaining();
        }
        try {
            if (bytes > 0 && activeBytes > SEGMENT_HEADER_BYTES && activeBytes + bytes > config.segmentSizeBytes()) {
                roll(firstLsn);
            }
            if (bytes > 0) {
                faults.beforeWrite(activeFile);
                if (directHeader == null) {
                    DurableFiles.writeFully(channel, batch);
                } else {
                    ByteBuffer[] buffers = {batch, directHeader, directPayload};
                    long left = bytes;
                    while (left > 0) {
                        left -= channel.write(buffers);
                    }
                }
                activeBytes += bytes;
                totalBytes.addAndGet(bytes);
            }
            if (force) {
                faults.beforeForce(activeFile);
                channel.force(false);
            }
        } catch (IOException e) {
            throw DurableFiles.io("cannot write write-ahead log", activeFile, e);
        }
    }

    private static ByteBuffer directRecordHeader(long lsn, int type, ByteBuffer payload) {
        ByteBuffer header = ByteBuffer.allocate(RECORD_HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        header.putInt(WalLayout.RECORD_LENGTH_OFFSET, payload.remaining());
        header.putLong(WalLayout.RECORD_LSN_OFFSET, lsn);
        header.put(WalLayout.RECORD_TYPE_OFFSET, (byte) type);
        CRC32C checksum = new CRC32C();
        checksum.update(header.array(), WalLayout.RECORD_LSN_OFFSET, RECORD_HEADER_BYTES - WalLayout.RECORD_LSN_OFFSET);
        checksum.update(payload.duplicate());
        header.putInt(WalLayout.RECORD_CRC_OFFSET, (int) checksum.getValue());
        return header;
    }

    /** Leader only: seals the active segment (fsynced whatever the policy) and starts one at {@code firstLsn}. */
    private void roll(long firstLsn) throws IOException {
        faults.beforeForce(activeFile);
        channel.force(false);
        channel.close();
        Path next = dir.resolve(WalLayout.segmentName(firstLsn));
        DurableFiles.writeAtomically(next, WalLayout.segmentHeader(firstLsn));
        FileChannel nextChannel = FileChannel.open(next, StandardOpenOption.WRITE);
        nextChannel.position(SEGMENT_HEADER_BYTES);
        channel = nextChannel;
        activeFile = next;
        activeBytes = SEGMENT_HEADER_BYTES;
        totalBytes.addAndGet(SEGMENT_HEADER_BYTES);
        segments.put(firstLsn, next);
    }

    /** Forces every record appended so far to disk, whatever the durability policy. */
    public void sync() {
        lock.lock();
        try {
            ensureUsable();
            while (flushing) {
                flushDone.awaitUninterruptibly();
                ensureUsable();
            }
            if (durableLsn < nextLsn - 1) {
                lead(true, 0, null, 0);
            }
        } finally {
            lock.unlock();
        }
    }

    private void backgroundSync() {
        lock.lock();
        try {
            while (flushing && !closed && failure == null) {
                flushDone.awaitUninterruptibly();
            }
            if (!closed && failure == null && durableLsn < nextLsn - 1) {
                lead(true, 0, null, 0);
            }
        } catch (StorageException e) {
            LOG.get()
                    .error(
                            "background fsync of the write-ahead log failed; appends are refused from now on [dir={}]",
                            dir,
                            e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Calls {@code handler} for every record with {@code lsn >= fromLsn} written before this call, in LSN order. The
     * payload views are valid only during each call. Checks every delivered record's checksum (CORRUPT if one fails).
     * Safe to call while appends go on; {@link #deleteSegmentsBefore} waits for it.
     */
    public void replay(long fromLsn, RecordHandler handler) {
        long upTo;
        lock.lock();
        try {
            if (closed) {
                throw new StorageException(StorageException.Kind.CLOSED, "write-ahead log is closed [dir=" + dir + "]");
            }
            upTo = completedLsn;
        } finally {
            lock.unlock();
        }
        filesLock.readLock().lock();
        try {
            List<Long> firstLsns = new ArrayList<>(segments.keySet());
            for (int i = 0; i < firstLsns.size(); i++) {
                long first = firstLsns.get(i);
                if (first > upTo) {
                    break;
                }
                long nextFirst = i + 1 < firstLsns.size() ? firstLsns.get(i + 1) : Long.MAX_VALUE;
                if (nextFirst <= fromLsn) {
                    continue;
                }
                SegmentScanner.forEachRecord(segments.get(first), fromLsn, upTo, handler);
            }
        } finally {
            filesLock.readLock().unlock();
        }
    }

    /**
     * Seals the active segment and starts an empty one when every record appended so far has an LSN ≤ {@code lsn}
     * and is written, so that {@link #deleteSegmentsBefore deleteSegmentsBefore(lsn + 1)} can remove it. The store
     * calls it after a checkpoint; without it the active segment would keep already-flushed records until it filled
     * up. Does nothing when the active segment is empty or holds a later record. Returns whether it rolled.
     */
    public boolean rollIfCoveredBy(long lsn) {
        lock.lock();
        try {
            ensureUsable();
            while (flushing) {
                flushDone.awaitUninterruptibly();
                ensureUsable();
            }
            long last = nextLsn - 1;
            if (activeBytes <= SEGMENT_HEADER_BYTES || last > lsn || completedLsn != last) {
                return false;
            }
            try {
                roll(nextLsn);
            } catch (IOException e) {
                StorageException failed = DurableFiles.io("cannot roll write-ahead log", activeFile, e);
                failure = failed;
                closeChannel(failed);
                throw failed;
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Deletes the segments all of whose records have {@code lsn < lsn} (the caller has made them redundant), never
     * the active segment, oldest first ({@link WalFollower} relies on that order to tell a deleted successor from the
     * end of the log). Returns how many files were deleted.
     */
    public int deleteSegmentsBefore(long lsn) {
        return deleteSegmentsBefore(lsn, Long.MAX_VALUE, 0);
    }

    /**
     * As {@link #deleteSegmentsBefore(long)}, but keeps the segments holding {@code leasedLsn} and later records (a
     * reader's lease: {@link ReaderLeases}) as long as those it keeps beyond {@code lsn}'s cut hold at most {@code
     * maxLeasedBytes} bytes; beyond that the oldest of them are deleted anyway (the reader then finds the log moved
     * and builds its snapshot again, as without a lease).
     */
    public int deleteSegmentsBefore(long lsn, long leasedLsn, long maxLeasedBytes) {
        filesLock.writeLock().lock();
        try {
            List<Long> firstLsns = new ArrayList<>(segments.keySet());
            int redundant = 0; // segments [0, redundant) hold only records < lsn
            while (redundant + 1 < firstLsns.size() && firstLsns.get(redundant + 1) <= lsn) {
                redundant++;
            }
            int cut = 0; // segments [0, cut) hold only records < leasedLsn as well
            while (cut < redundant && firstLsns.get(cut + 1) <= leasedLsn) {
                cut++;
            }
            long leasedBytes = 0;
            long[] sizes = new long[redundant];
            for (int i = cut; i < redundant; i++) {
                sizes[i] = sizeOf(segments.get(firstLsns.get(i)));
                leasedBytes += sizes[i];
            }
            if (cut < redundant && leasedBytes > maxLeasedBytes) {
                while (cut < redundant && leasedBytes > maxLeasedBytes) {
                    leasedBytes -= sizes[cut++];
                }
                LOG.get()
                        .info(
                                "a reader lease asks for more log than the bound; deleting up to LSN {} anyway [dir={},"
                                        + " leasedLsn={}, maxLeasedBytes={}]",
                                cut < firstLsns.size() ? firstLsns.get(cut) - 1 : lsn - 1,
                                dir,
                                leasedLsn,
                                maxLeasedBytes);
            }
            int deleted = 0;
            for (int i = 0; i < cut; i++) {
                Path file = segments.get(firstLsns.get(i));
                try {
                    long size = Files.size(file);
                    Files.delete(file);
                    totalBytes.addAndGet(-size);
                } catch (IOException e) {
                    throw DurableFiles.io("cannot delete write-ahead-log segment", file, e);
                }
                segments.remove(firstLsns.get(i));
                deleted++;
            }
            if (deleted > 0) {
                DurableFiles.fsyncDirectory(dir);
            }
            return deleted;
        } finally {
            filesLock.writeLock().unlock();
        }
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw DurableFiles.io("cannot read size of write-ahead-log segment", file, e);
        }
    }

    /** Waits for the background deletions queued so far (the redundant segments an open found). */
    void awaitBackgroundDeletions() {
        deleter.awaitQueued();
    }

    /** LSN of the last record written (0 if the log has never held a record). */
    public long lastLsn() {
        lock.lock();
        try {
            return completedLsn;
        } finally {
            lock.unlock();
        }
    }

    /** Bytes of all segment files, as written (not counting records still waiting in the commit buffer). */
    public long sizeBytes() {
        return totalBytes.get();
    }

    /** What {@link #open} found and repaired. */
    public RecoveryReport recoveryReport() {
        return recoveryReport;
    }

    public Path directory() {
        return dir;
    }

    /**
     * Writes what is pending, fsyncs it unless the policy is {@code OS}, and closes the file. Idempotent. Appends
     * that were already waiting complete; later ones get CLOSED.
     */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
        } finally {
            lock.unlock();
        }
        deleter.close(); // waits for the open's background deletions: nothing touches the directory after close
        if (syncer != null) {
            // shutdown, not shutdownNow: an interrupt during force() would close the channel.
            syncer.shutdown();
            boolean terminated = false;
            while (!terminated) {
                try {
                    terminated = syncer.awaitTermination(1, TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        lock.lock();
        try {
            while (flushing) {
                flushDone.awaitUninterruptibly();
            }
            StorageException error = null;
            if (failure == null) {
                boolean force = config.durability() != Durability.OS;
                if (pending.position() > 0 || (force && durableLsn < nextLsn - 1)) {
                    try {
                        lead(force, 0, null, 0);
                    } catch (StorageException e) {
                        error = e;
                    }
                }
            }
            closeChannel(error);
            if (error != null) {
                throw error;
            }
        } finally {
            lock.unlock();
        }
    }

    private void closeChannel(Throwable addSuppressedTo) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            if (addSuppressedTo != null) {
                addSuppressedTo.addSuppressed(e);
            } else {
                LOG.get().warn("cannot close write-ahead-log segment [file={}]: {}", activeFile, e.toString());
            }
        }
        channel = null;
    }

    private void ensureUsable() {
        if (failure != null) {
            throw new StorageException(
                    StorageException.Kind.CLOSED,
                    "write-ahead log refuses work after an earlier write failure; reopen it to recover [dir=" + dir
                            + "]: " + failure.getMessage(),
                    dir,
                    failure);
        }
        if (closed) {
            throw new StorageException(
                    StorageException.Kind.CLOSED, "write-ahead log is closed [dir=" + dir + "]", dir, null);
        }
    }

    private static StorageException tooLarge(long length) {
        return new StorageException(
                StorageException.Kind.INVALID_ARGUMENT,
                "record payload too large: " + length + " bytes (limit " + WalLayout.MAX_PAYLOAD_BYTES + ")");
    }

    /**
     * Checks every header and record checksum of every segment in {@code dir}, read-only (nothing is truncated).
     * Returns one problem per damaged file (empty when the log is clean or {@code dir} does not exist). A torn tail
     * of the newest segment is reported with severity {@link WalProblem.Severity#TORN_TAIL}: {@link #open} would cut
     * it, so it is a warning rather than corruption.
     */
    public static List<WalProblem> verify(Path dir) {
        List<WalProblem> problems = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return problems;
        }
        List<Path> files = listSegments(dir);
        long previousLastLsn = -1;
        for (int i = 0; i < files.size(); i++) {
            Path file = files.get(i);
            SegmentScanner.SegmentScan scan;
            try {
                scan = SegmentScanner.scan(file);
            } catch (StorageException e) {
                if (e.getCause() instanceof java.nio.file.NoSuchFileException) {
                    previousLastLsn = -1; // deleted by a live writer after a checkpoint
                    continue;
                }
                WalProblem.Severity severity = e.kind() == StorageException.Kind.FORMAT_VERSION
                        ? WalProblem.Severity.FORMAT_VERSION
                        : WalProblem.Severity.CORRUPT;
                problems.add(new WalProblem(file, 0, severity, e.getMessage()));
                previousLastLsn = -1;
                continue;
            }
            if (previousLastLsn >= 0 && scan.firstLsn() != previousLastLsn + 1) {
                problems.add(new WalProblem(
                        file,
                        WalLayout.HEADER_FIRST_LSN_OFFSET,
                        WalProblem.Severity.CORRUPT,
                        "LSN discontinuity between segments: previous segment ends at " + previousLastLsn
                                + ", this one starts at " + scan.firstLsn()));
            }
            if (!scan.clean()) {
                boolean tail = i == files.size() - 1 && scan.tailOnly();
                problems.add(new WalProblem(
                        file,
                        scan.damageOffset(),
                        tail ? WalProblem.Severity.TORN_TAIL : WalProblem.Severity.CORRUPT,
                        (tail ? "torn tail of " + (scan.fileBytes() - scan.validEndOffset()) + " bytes: " : "")
                                + scan.damage()));
            }
            // After damage the LSN of the segment's true last record is unknown: skip the continuity check.
            previousLastLsn = scan.clean() ? scan.lastLsn() : -1;
        }
        return problems;
    }

    private static List<Path> listSegments(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(file -> WalLayout.firstLsnFromName(file) >= 0)
                    .sorted(Comparator.comparingLong(WalLayout::firstLsnFromName))
                    .toList();
        } catch (IOException e) {
            throw DurableFiles.io("cannot list write-ahead-log directory", dir, e);
        }
    }

    private static void truncate(Path file, long size) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(size);
            channel.force(true);
        } catch (IOException e) {
            throw DurableFiles.io("cannot truncate torn tail of write-ahead-log segment", file, e);
        }
    }
}
