package dev.tickvault.store.partition;

import static dev.tickvault.store.partition.ChunkLayout.*;

import dev.tickvault.store.Table;
import dev.tickvault.store.codec.ByteSink;
import dev.tickvault.store.io.DurableFiles;
import dev.tickvault.store.memtable.ColumnData;
import dev.tickvault.store.memtable.EncodedBlocks;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Writes chunk files (layout in {@link ChunkLayout}): encodes time-sorted rows block by block, then publishes the
 * file atomically (temp file → fsync → rename → fsync directory). Not thread-safe: one per flushing thread.
 */
public final class ChunkWriter {

    private final int rowsPerBlock;
    private final int formatVersion;
    private final ByteSink out = new ByteSink(1 << 20);
    private final ColumnBlockCodec codec;
    private ColumnData staging;
    private final CRC32C crc = new CRC32C();
    /** The blocks of the file being written, in file order. */
    private final BlockIndex index = new BlockIndex();
    /**
     * Bytes of a streamed file ({@link #startStream}) kept in {@link #out} before they are written to its temp file:
     * the buffer holds at most this plus one encoded block (and, at the end, the index).
     */
    static final int STREAM_BUFFER_BYTES = 1 << 20;
    /** The temp file being streamed to, and its channel; null when no stream is open. */
    private Path streamTemp;

    private FileChannel streamChannel;
    /** {@link #STREAM_BUFFER_BYTES}, smaller in tests so that files of a few blocks are written in several pieces. */
    private int streamBufferBytes = STREAM_BUFFER_BYTES;
    /** Bytes of the streamed file already written to {@link #streamChannel}: the file offset of {@code out}'s byte 0. */
    private long streamWritten;

    /** @param compressionLevel zstd level on top of the column encodings (0 = off) */
    public ChunkWriter(int rowsPerBlock, int compressionLevel) {
        this(rowsPerBlock, compressionLevel, FORMAT_VERSION);
    }

    /**
     * @param formatVersion {@link ChunkLayout#FORMAT_VERSION}, or an older readable version (1: book blocks one
     *     section per column; 2: trade blocks in the version-1 forms) for tests that check old files still read
     */
    ChunkWriter(int rowsPerBlock, int compressionLevel, int formatVersion) {
        if (formatVersion < OLDEST_READABLE_VERSION || formatVersion > NEWEST_READABLE_VERSION) {
            throw new IllegalArgumentException("cannot write chunk format version " + formatVersion);
        }
        this.formatVersion = formatVersion;
        this.codec = new ColumnBlockCodec(compressionLevel);
        if (rowsPerBlock < 1) {
            throw new IllegalArgumentException("rowsPerBlock must be positive: " + rowsPerBlock);
        }
        this.rowsPerBlock = rowsPerBlock;
    }

    /**
     * A writer of archived chunk files ({@link ChunkLayout#ARCHIVE_FORMAT_VERSION}: book blocks in the dense, slow
     * layout of {@link ContextMixingBookBlockCodec}; other tables' blocks as in version 3). Fed block by block:
     * {@link #startStream}, {@link #appendBlock}, {@link #finishStreamTemp} (or {@link #abortStream}).
     */
    public static ChunkWriter forArchive(int rowsPerBlock, int compressionLevel) {
        return new ChunkWriter(rowsPerBlock, compressionLevel, ARCHIVE_FORMAT_VERSION);
    }

    /**
     * Starts a file written block by block ({@link #appendBlock}) straight to a new temporary file beside {@code
     * target} (its directory created as needed): the blocks go to the file as they are encoded, so memory holds
     * {@link #STREAM_BUFFER_BYTES} plus one encoded block, plus the index (48 bytes a block) — not the file. The file
     * is the one the in-memory path would write, byte for byte: the header, whose counts are known only at the end,
     * is written last, at offset 0. Finish with {@link #finishStreamTemp} or {@link #abortStream}.
     */
    public void startStream(Path target) {
        abortStream();
        startFile();
        Arrays.fill(out.array(), 0, HEADER_SIZE, (byte) 0); // overwritten by the real header at the end
        DurableFiles.createDirectories(target.getParent());
        Path temp = DurableFiles.tempPath(target);
        try {
            streamChannel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw DurableFiles.io("cannot create a temporary file", temp, e);
        }
        streamTemp = temp;
        streamWritten = 0;
    }

    /**
     * Encodes rows {@code [start, start + count)} of {@code rows} (1 to {@link #rowsPerBlock()} rows, sorted by time,
     * none before the previous block's last) as the next block of the file {@link #startStream} started.
     */
    public void appendBlock(ColumnData rows, int start, int count) {
        if (streamChannel == null) {
            throw new IllegalStateException("no stream started");
        }
        if (count < 1 || count > rowsPerBlock) {
            throw new IllegalArgumentException("a block holds 1 to " + rowsPerBlock + " rows, not " + count);
        }
        int blockStart = out.position();
        encodeBlock(rows, rows.table(), start, count);
        crc.reset();
        crc.update(out.array(), blockStart, out.position() - blockStart);
        index.add(
                count,
                (int) crc.getValue(),
                rows.ts(start),
                rows.ts(start + count - 1),
                streamWritten + blockStart,
                out.position() - blockStart);
        if (out.position() >= streamBufferBytes) {
            drainStream();
        }
    }

    /** For tests: a streamed file's bytes go to its temp file once this many are buffered. */
    void streamBufferBytes(int bytes) {
        streamBufferBytes = bytes;
    }

    /** Writes the buffered bytes of the streamed file to its temp file and empties the buffer. */
    private void drainStream() {
        try {
            DurableFiles.writeFully(streamChannel, ByteBuffer.wrap(out.array(), 0, out.position()));
        } catch (IOException e) {
            throw DurableFiles.io("cannot write a temporary file", streamTemp, e);
        }
        streamWritten += out.position();
        out.reset();
    }

    /**
     * Abandons the file {@link #startStream} started, if any: closes and deletes its temporary file (a failure to
     * delete is logged by {@link DurableFiles}; a temp file left behind is deleted when the store next opens).
     */
    public void abortStream() {
        Path temp = streamTemp;
        if (temp == null) {
            return;
        }
        FileChannel channel = streamChannel;
        streamChannel = null;
        streamTemp = null;
        try {
            channel.close();
        } catch (IOException e) {
            // the file goes anyway; what failed before matters more than this
        } finally {
            DurableFiles.deleteQuietly(temp);
        }
    }

    /** Rows in the blocks appended since {@link #startStream}. */
    public long streamRows() {
        long total = 0;
        for (int b = 0; b < index.count; b++) {
            total += index.rows[b];
        }
        return total;
    }

    /**
     * Finishes the file {@link #startStream} started (at least one block) as a {@code table} chunk holding rows up to
     * log sequence {@code maxLsn}: writes the index, the trailer and then the header to its temporary file (not yet
     * fsynced), closes it and returns its path: {@link #publishTemp} makes it durable under its name. On failure the
     * temporary file is deleted.
     */
    public Path finishStreamTemp(Table table, long maxLsn) {
        if (streamChannel == null) {
            throw new IllegalStateException("no stream started");
        }
        Path temp = streamTemp;
        boolean done = false;
        try {
            if (index.count == 0) {
                throw new IllegalArgumentException("empty chunk");
            }
            ByteSink header = new ByteSink(HEADER_SIZE);
            finishChunk(table, maxLsn, streamWritten, header);
            drainStream();
            try {
                ByteBuffer bytes = ByteBuffer.wrap(header.array(), 0, HEADER_SIZE);
                for (long at = 0; bytes.hasRemaining(); ) {
                    at += streamChannel.write(bytes, at);
                }
            } catch (IOException e) {
                throw DurableFiles.io("cannot write a temporary file", temp, e);
            }
            try {
                streamChannel.close();
            } catch (IOException e) {
                throw DurableFiles.io("cannot close a temporary file", temp, e);
            }
            streamChannel = null;
            streamTemp = null;
            done = true;
            return temp;
        } finally {
            if (!done) {
                abortStream();
            }
        }
    }

    /** Rows {@code [from, to)} of {@code data}: one piece of a chunk's rows. */
    public record Slice(ColumnData data, int from, int to) {
        public Slice {
            if (from < 0 || to > data.size() || from >= to) {
                throw new IllegalArgumentException("bad slice [" + from + ", " + to + ") of " + data.size() + " rows");
            }
        }

        int size() {
            return to - from;
        }
    }

    /**
     * Writes rows {@code [from, to)} of {@code rows} (sorted by time) to {@code target} and returns the opened file.
     *
     * @param maxLsn the highest write-ahead-log sequence number whose rows the chunk holds (used by recovery)
     */
    public ChunkFile write(Path target, ColumnData rows, int from, int to, long maxLsn) {
        if (to <= from) {
            throw new IllegalArgumentException("empty chunk: [" + from + ", " + to + ")");
        }
        return write(target, List.of(new Slice(rows, from, to)), maxLsn);
    }

    /**
     * Writes the rows of {@code slices}, which together are sorted by time, to {@code target} and returns the opened
     * file. A block that lies inside one slice is encoded in place; one that spans slices is first gathered into a
     * reusable staging block, so a chunk never needs its rows copied into one big array.
     */
    public ChunkFile write(Path target, List<Slice> slices, long maxLsn) {
        if (slices.isEmpty()) {
            throw new IllegalArgumentException("empty chunk");
        }
        encode(slices, maxLsn);
        publish(target);
        return ChunkFile.open(target);
    }

    /**
     * Writes a chunk of {@code table} whose rows are already encoded as blocks (in the layout this writer's format
     * version and level write, at most {@link #rowsPerBlock()} rows each), copying their bytes as they are: the index
     * comes from the blocks' stored row counts and times, and each block's checksum is computed here. The blocks,
     * in list order, must be in time order. Returns the opened file.
     */
    public ChunkFile writeEncoded(Path target, Table table, List<EncodedBlocks> pieces, long maxLsn) {
        if (pieces.isEmpty()) {
            throw new IllegalArgumentException("empty chunk");
        }
        startFile();
        for (EncodedBlocks piece : pieces) {
            copyBlocks(piece);
        }
        finishChunk(table, maxLsn);
        publish(target);
        return ChunkFile.open(target);
    }

    /**
     * Writes the rows of {@code slices} (together sorted by time) where {@code encoded.get(i)} is null or slice
     * {@code i}'s rows already encoded as blocks (at most {@link #rowsPerBlock()} rows each, in this writer's format
     * and level): those blocks are copied as they are, and each run of consecutive slices without blocks is encoded
     * as {@link #write(Path, List, long)} encodes a chunk (blocks of {@link #rowsPerBlock()} rows cut from the start
     * of the run, the last one shorter). With every entry null the file is the one {@code write} writes; with none
     * null, the one {@link #writeEncoded} writes. Returns the opened file.
     */
    public ChunkFile writeMixed(Path target, List<Slice> slices, List<EncodedBlocks> encoded, long maxLsn) {
        encodeMixed(slices, encoded, maxLsn);
        publish(target);
        return ChunkFile.open(target);
    }

    /**
     * As {@link #writeMixed}, but leaves the file unpublished: writes it to a temporary file beside {@code target}
     * (not yet fsynced; {@link DurableFiles#writeTemp}) and returns that file's path. {@link #publishTemp} finishes it,
     * possibly on another thread; this writer can write the next chunk meanwhile.
     */
    public Path writeMixedTemp(Path target, List<Slice> slices, List<EncodedBlocks> encoded, long maxLsn) {
        return writeMixedTemp(target, tableOf(slices), slices, encoded, maxLsn);
    }

    /**
     * As {@link #writeMixedTemp(Path, List, List, long)} for rows of {@code table}, where a slice may be null when its
     * entry of {@code encoded} is not (rows held as blocks only: the blocks are copied).
     */
    public Path writeMixedTemp(Path target, Table table, List<Slice> slices, List<EncodedBlocks> encoded, long maxLsn) {
        encodeMixed(table, slices, encoded, maxLsn);
        DurableFiles.createDirectories(target.getParent());
        return DurableFiles.writeTemp(
                target, channel -> DurableFiles.writeFully(channel, ByteBuffer.wrap(out.array(), 0, out.position())));
    }

    /**
     * Publishes a chunk {@link #writeMixedTemp} wrote (fsync, atomic rename over {@code target}, directory fsync:
     * {@link DurableFiles#publishTemp}) and returns the opened file. Thread-safe (uses no writer state).
     */
    public static ChunkFile publishTemp(Path temp, Path target) {
        DurableFiles.publishTemp(temp, target);
        return ChunkFile.open(target);
    }

    private void encodeMixed(List<Slice> slices, List<EncodedBlocks> encoded, long maxLsn) {
        encodeMixed(tableOf(slices), slices, encoded, maxLsn);
    }

    private static Table tableOf(List<Slice> slices) {
        if (slices.isEmpty() || slices.getFirst() == null) {
            throw new IllegalArgumentException("a first slice is needed to know the table");
        }
        return slices.getFirst().data().table();
    }

    private void encodeMixed(Table table, List<Slice> slices, List<EncodedBlocks> encoded, long maxLsn) {
        if (slices.isEmpty() || slices.size() != encoded.size()) {
            throw new IllegalArgumentException("one entry of encoded blocks (or null) per slice, and at least one");
        }
        startFile();
        int from = 0;
        while (from < slices.size()) {
            EncodedBlocks blocks = encoded.get(from);
            if (slices.get(from) == null && blocks == null) {
                throw new IllegalArgumentException("a slice without rows needs its encoded blocks");
            }
            if (slices.get(from) != null && slices.get(from).data().table() != table) {
                throw new IllegalArgumentException("slices of more than one table");
            }
            if (blocks != null) {
                if (slices.get(from) != null
                        && blocks.totalRows() != slices.get(from).size()) {
                    throw new IllegalArgumentException("encoded blocks hold " + blocks.totalRows()
                            + " rows, their slice " + slices.get(from).size());
                }
                copyBlocks(blocks);
                from++;
                continue;
            }
            int to = from + 1;
            while (to < slices.size() && encoded.get(to) == null) {
                to++;
            }
            encodeBlocks(slices.subList(from, to), table);
            from = to;
        }
        finishChunk(table, maxLsn);
    }

    /** Rows per block of the files this writer writes (the most any block holds). */
    public int rowsPerBlock() {
        return rowsPerBlock;
    }

    /** The chunk format version this writer writes. */
    public int formatVersion() {
        return formatVersion;
    }

    private void encode(List<Slice> slices, long maxLsn) {
        startFile();
        encodeBlocks(slices, slices.getFirst().data().table());
        finishChunk(slices.getFirst().data().table(), maxLsn);
    }

    /** Resets the buffer and the index and positions the buffer after the header. */
    private void startFile() {
        out.reset();
        out.ensureCapacity(HEADER_SIZE);
        out.position(HEADER_SIZE);
        index.clear();
    }

    /** Copies {@code piece}'s blocks to the buffer and adds them to the index (checksums computed on the copy). */
    private void copyBlocks(EncodedBlocks piece) {
        int base = out.position() - piece.blockOffset(0);
        out.putBytes(piece.bytes(), piece.blockOffset(0), piece.bytes().length - piece.blockOffset(0));
        for (int b = 0; b < piece.blockCount(); b++) {
            if (piece.blockRows(b) > rowsPerBlock) {
                throw new IllegalArgumentException(
                        "an encoded block of " + piece.blockRows(b) + " rows exceeds " + rowsPerBlock);
            }
            int offset = base + piece.blockOffset(b);
            crc.reset();
            crc.update(out.array(), offset, piece.blockLength(b));
            index.add(
                    piece.blockRows(b),
                    (int) crc.getValue(),
                    piece.blockMinTs(b),
                    piece.blockMaxTs(b),
                    offset,
                    piece.blockLength(b));
        }
    }

    /**
     * Encodes the rows of {@code slices} (together sorted by time) as blocks of {@link #rowsPerBlock} rows (the last
     * shorter) appended to the buffer and the index. A block that lies inside one slice is encoded in place; one that
     * spans slices is first gathered into the reusable staging block.
     */
    private void encodeBlocks(List<Slice> slices, Table table) {
        long totalRows = 0;
        for (Slice slice : slices) {
            totalRows += slice.size();
        }
        int blockCount = (int) ((totalRows + rowsPerBlock - 1) / rowsPerBlock);
        int sliceIndex = 0;
        int sliceRow = slices.getFirst().from();
        for (int b = 0; b < blockCount; b++) {
            int count = (int) Math.min(rowsPerBlock, totalRows - (long) b * rowsPerBlock);
            Slice slice = slices.get(sliceIndex);
            ColumnData source;
            int start;
            if (slice.to() - sliceRow >= count) {
                source = slice.data();
                start = sliceRow;
                sliceRow += count;
            } else {
                if (staging == null || staging.table() != table) {
                    staging = new ColumnData(table, rowsPerBlock);
                }
                staging.clear();
                int needed = count;
                while (needed > 0) {
                    slice = slices.get(sliceIndex);
                    int take = Math.min(needed, slice.to() - sliceRow);
                    staging.appendRange(slice.data(), sliceRow, sliceRow + take);
                    sliceRow += take;
                    needed -= take;
                    if (sliceRow == slice.to() && sliceIndex + 1 < slices.size()) {
                        sliceIndex++;
                        sliceRow = slices.get(sliceIndex).from();
                    }
                }
                source = staging;
                start = 0;
            }
            if (sliceRow == slices.get(sliceIndex).to() && sliceIndex + 1 < slices.size()) {
                sliceIndex++;
                sliceRow = slices.get(sliceIndex).from();
            }
            int blockStart = out.position();
            encodeBlock(source, table, start, count);
            crc.reset();
            crc.update(out.array(), blockStart, out.position() - blockStart);
            index.add(
                    count,
                    (int) crc.getValue(),
                    source.ts(start),
                    source.ts(start + count - 1),
                    blockStart,
                    out.position() - blockStart);
        }
    }

    /** Appends the index of the blocks written since {@link #startFile}, then the trailer and the header. */
    private void finishChunk(Table table, long maxLsn) {
        finishChunk(table, maxLsn, 0, out);
    }

    /**
     * Appends the index of the blocks written since {@link #startFile}, then the trailer, to {@link #out}, whose byte
     * 0 is byte {@code base} of the file, and writes the header at position 0 of {@code header} (which may be {@link
     * #out} when it holds the whole file, {@code base} 0).
     */
    private void finishChunk(Table table, long maxLsn, long base, ByteSink header) {
        int indexStart = out.position();
        long totalRows = 0;
        for (int b = 0; b < index.count; b++) {
            out.putInt(index.rows[b]);
            out.putInt(index.crcs[b]);
            out.putLong(index.minTs[b]);
            out.putLong(index.maxTs[b]);
            out.putLong(index.offsets[b]);
            out.putLong(index.lengths[b]);
            totalRows += index.rows[b];
        }
        CRC32C crc = new CRC32C();
        crc.update(out.array(), indexStart, out.position() - indexStart);
        int indexCrc = (int) crc.getValue();
        out.putLong(base + indexStart);
        out.putInt(indexCrc);
        out.putInt(TRAILER_MAGIC);

        int end = header.position();
        header.position(0);
        header.putLong(MAGIC);
        header.putInt(formatVersion);
        header.putInt(table.id());
        header.putLong(totalRows);
        header.putLong(index.minTs[0]);
        header.putLong(index.maxTs[index.count - 1]);
        header.putLong(maxLsn);
        header.putInt(index.count);
        header.putInt(rowsPerBlock);
        header.putInt(0); // reserved
        crc.reset();
        crc.update(header.array(), 0, HEADER_CRC_OFFSET);
        header.putInt((int) crc.getValue());
        header.position(Math.max(end, HEADER_SIZE));
    }

    private void encodeBlock(ColumnData rows, Table table, int start, int count) {
        if (table == Table.BOOK && formatVersion >= 2) {
            codec.encodeBookBlock(formatVersion, rows, start, count, out);
            return;
        }
        if (table == Table.TRADES && formatVersion >= 3) {
            codec.encodeTradeBlock(rows, start, count, out);
            return;
        }
        int longColumns = table.longColumns().size();
        for (int c = 0; c < longColumns; c++) {
            if (c == 1) {
                codec.encodeReceiveTimes(rows.longs(0), rows.longs(1), start, count, out);
            } else {
                codec.encodeLongs(rows.longs(c), start, count, out);
            }
        }
        for (int c = 0; c < table.byteColumns().size(); c++) {
            codec.encodeBytes(rows.bytes(c), start, count, out);
        }
        for (int c = 0; c < table.stringColumns().size(); c++) {
            codec.encodeStrings(rows.strings(c), start, count, out);
        }
    }

    private void publish(Path target) {
        DurableFiles.createDirectories(target.getParent());
        DurableFiles.writeAtomically(
                target, channel -> DurableFiles.writeFully(channel, ByteBuffer.wrap(out.array(), 0, out.position())));
    }

    /** Index entries of the blocks written so far into one file; grows as needed, reused across files. */
    private static final class BlockIndex {
        int count;
        int[] rows = new int[64];
        int[] crcs = new int[64];
        long[] minTs = new long[64];
        long[] maxTs = new long[64];
        long[] offsets = new long[64];
        long[] lengths = new long[64];

        void clear() {
            count = 0;
        }

        void add(int blockRows, int blockCrc, long blockMinTs, long blockMaxTs, long offset, long length) {
            if (count == rows.length) {
                int grown = count * 2;
                rows = Arrays.copyOf(rows, grown);
                crcs = Arrays.copyOf(crcs, grown);
                minTs = Arrays.copyOf(minTs, grown);
                maxTs = Arrays.copyOf(maxTs, grown);
                offsets = Arrays.copyOf(offsets, grown);
                lengths = Arrays.copyOf(lengths, grown);
            }
            rows[count] = blockRows;
            crcs[count] = blockCrc;
            minTs[count] = blockMinTs;
            maxTs[count] = blockMaxTs;
            offsets[count] = offset;
            lengths[count] = length;
            count++;
        }
    }
}
