package dev.tickvault.store.wal;

import static dev.tickvault.store.wal.WalLayout.RECORD_HEADER_BYTES;
import static dev.tickvault.store.wal.WalLayout.SEGMENT_HEADER_BYTES;

import dev.tickvault.store.StorageException;
import dev.tickvault.store.io.DurableFiles;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * Follows a write-ahead log that another process appends to, without writing anything: each {@link #readNew} call
 * delivers the records appended since the previous one, in LSN order, across segment rolls.
 *
 * <p><b>What is delivered.</b> Only complete records whose checksum is valid and whose LSN is the next one expected.
 * At the end of the newest segment, bytes that do not (yet) form such a record are the writer's append in progress
 * (or the torn tail of a crash): reading stops there without an error, and the next call starts again at the same
 * offset. A segment is left for the one named after the next LSN once that file exists: the writer seals (writes
 * completely and fsyncs) a segment before it creates the next one, so its remaining records are read first.
 *
 * <p><b>When the log moves away.</b> The writer deletes segments whose records are all in partition files (after a
 * checkpoint), oldest first. If the segment being followed, or the one holding the next LSN, is gone, {@link #readNew}
 * returns {@link Progress#LOG_MOVED}: the caller must start again from the checkpoint and partition files. That
 * includes a segment deleted while it was being read (an open file can still be read to its end): when no successor
 * exists after it, the current segment is checked to still exist, because the successor may be missing only because
 * the writer deleted it too — taking that for the end of the log lost the successor's records (a read-only refresh
 * ended short of acknowledged commits, and a fresh snapshot whose chunk listing predated the flush had a hole). Damage
 * that cannot be the writer's in-progress append (an invalid record in a sealed segment) is reported as CORRUPT.
 *
 * <p><b>Pinning.</b> {@link #pin} opens the segment holding the next record and every later one that exists (at most
 * {@value #MAX_PINNED_SEGMENTS}) and holds them open until the end of the next {@link #readNew}, which also pins the
 * segments that appeared meanwhile as it moves on (on entering a segment, and every millisecond within one). An open file stays readable to its end after the writer deletes it,
 * so records logged when {@code pin()} ran are read even if checkpoints delete their segments before the read gets
 * there: a read-only snapshot pins the log right after it reads the checkpoint, before it lists and opens the chunk
 * files, so that however long that takes under load, the log after that checkpoint is still there for it (before,
 * two flushes of the writer during the listing deleted it, and the snapshot was built again, and again).
 *
 * <p><b>Where a read ends.</b> With the newest segment that existed when it began, read to its end: every record
 * logged before the call is delivered, and a handler slower than the writer cannot keep one read going for ever
 * (behind a reader lease, which keeps the log, such a snapshot build ran until its lease went stale).
 *
 * <p>Files are read with positional reads (no memory map: a writer that restarts truncates a torn tail, and a mapped
 * read past the new end would fault). Not thread-safe: one thread at a time.
 */
public final class WalFollower {

    /** Outcome of a {@link #readNew} call. */
    public enum Progress {
        /** Every record available now was delivered (possibly none). */
        CAUGHT_UP,
        /** The log no longer holds the next record (its segment was deleted): start again from the checkpoint. */
        LOG_MOVED
    }

    private static final int WINDOW_BYTES = 1 << 20;
    /**
     * Most segments held open by {@link #pin} (file descriptors); when more exist, the later ones are opened when the
     * read gets to them, as without pinning (they may then be found deleted: {@link Progress#LOG_MOVED}).
     */
    public static final int MAX_PINNED_SEGMENTS = 64;
    /**
     * While pinning, a read that stays in one segment this long pins the segments started since (a slow record handler,
     * or a thread descheduled on a loaded machine, gives the writer time to start and delete several).
     */
    private static final long REPIN_INTERVAL_NANOS = 1_000_000;

    private final Path dir;
    private final long fromLsn;
    private final CRC32C crc = new CRC32C();
    /** Segment being read, or null before positioning. */
    private Path segment;
    /** Next byte to read in {@link #segment} (0: its header is still to be checked). */
    private long offset;

    private long nextLsn;
    /** Segments held open since {@link #pin}, by first LSN; closed at the end of {@link #readNew}. */
    private final TreeMap<Long, FileChannel> pinned = new TreeMap<>();
    /** Between {@link #pin} and the end of the next {@link #readNew}: segments are pinned as the read reaches them. */
    private boolean pinning;

    private long pinnedAtNanos;

    // File bytes [windowStart, windowStart + windowLength) of the current segment.
    private byte[] window = new byte[64 << 10];
    private long windowStart;
    private int windowLength;

    private WalFollower(Path dir, long fromLsn) {
        this.dir = dir;
        this.fromLsn = fromLsn;
        this.nextLsn = fromLsn;
    }

    /** A follower of the log in {@code dir} that will deliver records with {@code lsn >= fromLsn}. Reads nothing yet. */
    public static WalFollower startingAt(Path dir, long fromLsn) {
        if (fromLsn < 1) {
            throw new IllegalArgumentException("fromLsn must be at least 1: " + fromLsn);
        }
        return new WalFollower(dir, fromLsn);
    }

    /** The LSN of the next record to be delivered. */
    public long nextLsn() {
        return nextLsn;
    }

    /**
     * Delivers every complete, valid record appended since the last call (those with {@code lsn >= fromLsn}).
     *
     * @throws StorageException CORRUPT or FORMAT_VERSION for damage in a sealed segment or a bad header; IO if a file
     *     cannot be read
     */
    public Progress readNew(RecordHandler handler) {
        try {
            return read(handler);
        } finally {
            release();
        }
    }

    /**
     * Holds the segment of the next record and its successors open (see the class comment) until the end of the next
     * {@link #readNew}, or {@link #release()}. Files deleted before they are opened are skipped (the read then finds
     * the log moved).
     */
    public void pin() {
        pinning = true;
        pinFrom(segment == null ? nextLsn : firstLsnOfCurrent());
    }

    private void close(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            throw DurableFiles.io("cannot close write-ahead-log segment", dir, e);
        }
    }

    /** Closes the segments {@link #pin} holds open. Idempotent. */
    public void release() {
        pinning = false;
        IOException failure = null;
        for (FileChannel channel : pinned.values()) {
            try {
                channel.close();
            } catch (IOException e) {
                failure = e;
            }
        }
        pinned.clear();
        if (failure != null) {
            throw DurableFiles.io("cannot close write-ahead-log segment", dir, failure);
        }
    }

    /** Segments held open now (for tests). */
    int pinnedCount() {
        return pinned.size();
    }

    /** Opens the segment holding {@code lsn} and the later ones not open yet, up to {@link #MAX_PINNED_SEGMENTS}. */
    private void pinFrom(long lsn) {
        pinnedAtNanos = System.nanoTime();
        List<Long> firsts = listSegments();
        Long pinnedHolding = pinned.floorKey(lsn); // open, though perhaps deleted by now
        long holding = pinnedHolding == null ? -1 : pinnedHolding;
        for (long first : firsts) {
            if (first <= lsn) {
                holding = Math.max(holding, first);
            }
        }
        if (holding < 0) {
            return; // nothing holds it: the log moved (or there is none yet), which the read finds out
        }
        while (!pinned.isEmpty() && pinned.firstKey() < holding) {
            close(pinned.pollFirstEntry().getValue()); // read already
        }
        for (long first : firsts) {
            if (pinned.size() >= MAX_PINNED_SEGMENTS) {
                return;
            }
            if (first < holding || pinned.containsKey(first)) {
                continue;
            }
            Path file = dir.resolve(WalLayout.segmentName(first));
            try {
                pinned.put(first, FileChannel.open(file, StandardOpenOption.READ));
            } catch (NoSuchFileException e) {
                // deleted by the writer since it was listed (so were the ones before it)
            } catch (IOException e) {
                throw DurableFiles.io("cannot open write-ahead-log segment", file, e);
            }
        }
    }

    private boolean segmentExists(long first) {
        return pinned.containsKey(first) || Files.exists(dir.resolve(WalLayout.segmentName(first)));
    }

    private Progress read(RecordHandler handler) {
        List<Long> atStart = listSegments();
        // The read ends with the newest segment that existed when it started (read to its end): every record logged
        // before the call is delivered, and a writer appending faster than the handler consumes cannot keep the read
        // going for ever (a lease keeps the log for it, so it would never find the log moved either).
        long newestAtStart = atStart.isEmpty() ? Long.MAX_VALUE : atStart.getLast();
        if (segment == null && !position()) {
            return segment == null && listSegments().isEmpty() ? Progress.CAUGHT_UP : Progress.LOG_MOVED;
        }
        boolean rechecked = false;
        while (true) {
            long before = nextLsn;
            if (!readSegment(handler)) {
                return Progress.LOG_MOVED;
            }
            if (firstLsnOfCurrent() >= newestAtStart) {
                return Progress.CAUGHT_UP;
            }
            Path successor = dir.resolve(WalLayout.segmentName(nextLsn));
            if (nextLsn > firstLsnOfCurrent() && segmentExists(nextLsn)) {
                enter(successor);
                if (pinning) {
                    pinFrom(nextLsn); // segments the writer created since the last pin
                }
                rechecked = false;
                continue;
            }
            // No successor (yet). The segment just read was open, so it could be read to its end even if the writer
            // deleted it meanwhile; and if the successor is missing because the writer deleted it too (a checkpoint
            // covered both), this is not the end of the log: records after the successor's may already be
            // acknowledged. The writer deletes oldest first, so a deleted successor means a deleted current segment:
            // checked after the successor, a current segment still there proves the successor was never deleted.
            if (!Files.exists(segment)) {
                return Progress.LOG_MOVED;
            }
            if (nextLsn != before) {
                return Progress.CAUGHT_UP;
            }
            if (rechecked) {
                throw StorageException.corrupt(
                        "write-ahead-log segment is sealed (a later segment exists) but does not hold a valid record "
                                + nextLsn + " here",
                        segment,
                        offset);
            }
            // No progress. If a later segment exists, this one was sealed before it was created: read it once more
            // (it may have been completed after the size was taken), then it must be followed by record nextLsn.
            List<Long> firsts = listSegments();
            if (firsts.isEmpty() || firsts.getLast() <= firstLsnOfCurrent()) {
                return Progress.CAUGHT_UP;
            }
            if (firsts.getFirst() > nextLsn) {
                return Progress.LOG_MOVED;
            }
            rechecked = true;
        }
    }

    /** Bytes of the log's segment files now (files deleted while they are counted are skipped). */
    public long sizeBytes() {
        long total = 0;
        for (long first : listSegments()) {
            try {
                total += Files.size(dir.resolve(WalLayout.segmentName(first)));
            } catch (NoSuchFileException e) {
                // deleted by the writer meanwhile
            } catch (IOException e) {
                throw DurableFiles.io("cannot read size of write-ahead-log segment", dir, e);
            }
        }
        return total;
    }

    /** Finds the segment holding {@link #nextLsn}: false when there is none (no log yet, or it was trimmed). */
    private boolean position() {
        Long holding = null;
        List<Long> firsts = new ArrayList<>(listSegments());
        firsts.addAll(pinned.keySet()); // open, though perhaps deleted by now
        for (long first : firsts) {
            if (first <= nextLsn && (holding == null || first > holding)) {
                holding = first;
            }
        }
        if (holding == null) {
            return false;
        }
        enter(dir.resolve(WalLayout.segmentName(holding)));
        nextLsn = holding;
        return true;
    }

    private void enter(Path next) {
        segment = next;
        offset = 0;
        windowLength = 0;
    }

    private long firstLsnOfCurrent() {
        return WalLayout.firstLsnFromName(segment);
    }

    /** Reads records of the current segment from {@link #offset}; false when the file no longer exists. */
    private boolean readSegment(RecordHandler handler) {
        FileChannel held = pinned.get(firstLsnOfCurrent());
        if (held != null) {
            try {
                readRecords(held, handler);
                return true;
            } catch (IOException e) {
                throw DurableFiles.io("cannot read write-ahead-log segment", segment, e);
            }
        }
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.READ)) {
            readRecords(channel, handler);
            return true;
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            throw DurableFiles.io("cannot read write-ahead-log segment", segment, e);
        }
    }

    /** Reads the records of the current segment from {@link #offset} through {@code channel}. */
    private void readRecords(FileChannel channel, RecordHandler handler) throws IOException {
        long size = channel.size();
        if (offset == 0) {
            if (!available(channel, 0, SEGMENT_HEADER_BYTES, size)) {
                // Segments are created whole (temp file + rename), so a short one is damage.
                throw StorageException.corrupt("segment shorter than its header", segment, 0);
            }
            long first = SegmentScanner.checkHeader(segment, heapSlice(0, SEGMENT_HEADER_BYTES));
            if (first != nextLsn) {
                throw StorageException.corrupt(
                        "segment starts at LSN " + first + " but the previous one ends at " + (nextLsn - 1),
                        segment,
                        WalLayout.HEADER_FIRST_LSN_OFFSET);
            }
            offset = SEGMENT_HEADER_BYTES;
        }
        while (available(channel, offset, RECORD_HEADER_BYTES, size)) {
            int length = window(offset).get(WalLayout.INT, WalLayout.RECORD_LENGTH_OFFSET);
            if (length < 0 || length > WalLayout.MAX_PAYLOAD_BYTES) {
                return; // an append in progress (or damage, told apart by the caller)
            }
            long recordBytes = RECORD_HEADER_BYTES + (long) length;
            if (!available(channel, offset, recordBytes, size)) {
                return;
            }
            MemorySegment record = window(offset);
            if (record.get(WalLayout.INT, WalLayout.RECORD_CRC_OFFSET) != WalLayout.recordCrc(crc, record, 0, length)) {
                return;
            }
            long lsn = record.get(WalLayout.LONG, WalLayout.RECORD_LSN_OFFSET);
            if (lsn != nextLsn) {
                throw StorageException.corrupt(
                        "LSN discontinuity: expected " + nextLsn + ", found " + lsn, segment, offset);
            }
            if (lsn >= fromLsn) {
                int type = Byte.toUnsignedInt(record.get(ValueLayout.JAVA_BYTE, WalLayout.RECORD_TYPE_OFFSET));
                handler.onRecord(lsn, type, record.asSlice(RECORD_HEADER_BYTES, length));
            }
            offset += recordBytes;
            nextLsn++;
            if (pinning && System.nanoTime() - pinnedAtNanos > REPIN_INTERVAL_NANOS) {
                pinFrom(firstLsnOfCurrent());
            }
        }
    }

    /** The window from file offset {@code at} (which {@link #available} made resident) to the window's end. */
    private MemorySegment window(long at) {
        int start = (int) (at - windowStart);
        return heapSlice(start, windowLength - start);
    }

    private MemorySegment heapSlice(int start, int length) {
        return MemorySegment.ofArray(window).asSlice(start, length);
    }

    /**
     * Makes file bytes {@code [at, at + length)} resident in the window; false when the file (of {@code size} bytes
     * when opened) does not hold them all.
     */
    private boolean available(FileChannel channel, long at, long length, long size) throws IOException {
        if (at + length > size) {
            return false;
        }
        if (at >= windowStart && at + length <= windowStart + windowLength) {
            return true;
        }
        int want = (int) Math.min(size - at, Math.max(length, WINDOW_BYTES));
        if (want > window.length) {
            window = new byte[Math.max(want, window.length * 2)];
        }
        ByteBuffer target = ByteBuffer.wrap(window, 0, want);
        while (target.hasRemaining()) {
            if (channel.read(target, at + target.position()) < 0) {
                break;
            }
        }
        windowStart = at;
        windowLength = target.position();
        return windowLength >= length;
    }

    private List<Long> listSegments() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Long> firsts = new ArrayList<>();
        try (Stream<Path> entries = Files.list(dir)) {
            entries.forEach(file -> {
                long first = WalLayout.firstLsnFromName(file);
                if (first >= 0) {
                    firsts.add(first);
                }
            });
        } catch (IOException e) {
            throw DurableFiles.io("cannot list write-ahead-log directory", dir, e);
        }
        firsts.sort(null);
        return firsts;
    }
}
