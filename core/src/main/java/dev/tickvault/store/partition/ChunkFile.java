package dev.tickvault.store.partition;

import static dev.tickvault.store.partition.ChunkLayout.*;

import dev.tickvault.store.StorageException;
import dev.tickvault.store.Table;
import dev.tickvault.store.memtable.ColumnData;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * An open, memory-mapped chunk file (layout in {@link ChunkLayout}). Opening checks the header, index and trailer
 * checksums; {@link #decodeBlock} checks the block's checksum before decoding. Thread-safe for reads; the mapping
 * lives until {@link #close()}.
 */
public final class ChunkFile implements AutoCloseable {

    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final Path path;
    private final Arena arena;
    private final MemorySegment file;
    private final Table table;
    private final int version;
    private final long rowCount;
    private final long minTs;
    private final long maxTs;
    private final long maxLsn;
    private final int[] blockRows;
    /** The most rows of any block: a buffer of this many holds every block of the file without growing. */
    private final int maxBlockRows;

    private final int[] blockCrcs;
    private final long[] blockMinTs;
    private final long[] blockMaxTs;
    private final long[] blockOffsets;
    private final long[] blockLengths;

    private ChunkFile(Path path, Arena arena, MemorySegment file) {
        this.path = path;
        this.arena = arena;
        this.file = file;
        long size = file.byteSize();
        if (size < HEADER_SIZE + TRAILER_SIZE) {
            throw StorageException.corrupt("chunk file too small (" + size + " bytes)", path, 0);
        }
        if (file.get(LONG, HEADER_MAGIC_OFFSET) != MAGIC) {
            throw new StorageException(
                    StorageException.Kind.FORMAT_VERSION,
                    "not a tickvault chunk file (bad magic) [file=" + path + "]",
                    path,
                    null);
        }
        int headerCrc = crc(0, HEADER_CRC_OFFSET);
        int storedHeaderCrc = file.get(INT, HEADER_CRC_OFFSET);
        if (headerCrc != storedHeaderCrc) {
            throw StorageException.checksum(
                    path, 0, Integer.toUnsignedLong(storedHeaderCrc), Integer.toUnsignedLong(headerCrc));
        }
        int version = file.get(INT, HEADER_VERSION_OFFSET);
        if (version < OLDEST_READABLE_VERSION || version > NEWEST_READABLE_VERSION) {
            throw new StorageException(
                    StorageException.Kind.FORMAT_VERSION,
                    "unsupported chunk format version " + version + " [file=" + path + "]",
                    path,
                    null);
        }
        this.version = version;
        this.table = Table.ofId(file.get(INT, HEADER_TABLE_OFFSET));
        this.rowCount = file.get(LONG, HEADER_ROWS_OFFSET);
        this.minTs = file.get(LONG, HEADER_MIN_TS_OFFSET);
        this.maxTs = file.get(LONG, HEADER_MAX_TS_OFFSET);
        this.maxLsn = file.get(LONG, HEADER_MAX_LSN_OFFSET);
        int blockCount = file.get(INT, HEADER_BLOCK_COUNT_OFFSET);

        long trailer = size - TRAILER_SIZE;
        if (file.get(INT, trailer + TRAILER_MAGIC_OFFSET) != TRAILER_MAGIC) {
            throw StorageException.corrupt("chunk trailer magic missing (truncated file?)", path, trailer);
        }
        long indexOffset = file.get(LONG, trailer + TRAILER_INDEX_OFFSET);
        long indexLength = (long) blockCount * INDEX_ENTRY_SIZE;
        if (blockCount < 1 || indexOffset < HEADER_SIZE || indexOffset + indexLength != trailer) {
            throw StorageException.corrupt("chunk index out of bounds", path, trailer);
        }
        int indexCrc = crc(indexOffset, indexLength);
        int storedIndexCrc = file.get(INT, trailer + TRAILER_INDEX_CRC_OFFSET);
        if (indexCrc != storedIndexCrc) {
            throw StorageException.checksum(
                    path, indexOffset, Integer.toUnsignedLong(storedIndexCrc), Integer.toUnsignedLong(indexCrc));
        }
        blockRows = new int[blockCount];
        blockCrcs = new int[blockCount];
        blockMinTs = new long[blockCount];
        blockMaxTs = new long[blockCount];
        blockOffsets = new long[blockCount];
        blockLengths = new long[blockCount];
        long total = 0;
        int most = 0;
        for (int b = 0; b < blockCount; b++) {
            long e = indexOffset + (long) b * INDEX_ENTRY_SIZE;
            blockRows[b] = file.get(INT, e + INDEX_ROWS_OFFSET);
            blockCrcs[b] = file.get(INT, e + INDEX_CRC_OFFSET);
            blockMinTs[b] = file.get(LONG, e + INDEX_MIN_TS_OFFSET);
            blockMaxTs[b] = file.get(LONG, e + INDEX_MAX_TS_OFFSET);
            blockOffsets[b] = file.get(LONG, e + INDEX_BLOCK_OFFSET);
            blockLengths[b] = file.get(LONG, e + INDEX_BLOCK_LENGTH_OFFSET);
            if (blockRows[b] <= 0
                    || blockOffsets[b] < HEADER_SIZE
                    || blockLengths[b] < 0
                    || blockOffsets[b] + blockLengths[b] > indexOffset) {
                throw StorageException.corrupt("chunk block " + b + " out of bounds", path, e);
            }
            total += blockRows[b];
            most = Math.max(most, blockRows[b]);
        }
        maxBlockRows = most;
        if (total != rowCount) {
            throw StorageException.corrupt("chunk row count " + rowCount + " != sum of blocks " + total, path, 0);
        }
    }

    /** Maps and validates {@code path}. */
    public static ChunkFile open(Path path) {
        Arena arena = Arena.ofShared();
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            MemorySegment segment = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena);
            return new ChunkFile(path, arena, segment);
        } catch (IOException e) {
            arena.close();
            throw StorageException.io("cannot open chunk file", path, e);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    public Path path() {
        return path;
    }

    public Table table() {
        return table;
    }

    public long rowCount() {
        return rowCount;
    }

    public long minTs() {
        return minTs;
    }

    public long maxTs() {
        return maxTs;
    }

    public long maxLsn() {
        return maxLsn;
    }

    public long sizeBytes() {
        return file.byteSize();
    }

    public int blockCount() {
        return blockRows.length;
    }

    public int blockRows(int block) {
        return blockRows[block];
    }

    /** The most rows of any one block (a chunk file has at least one). */
    public int maxBlockRows() {
        return maxBlockRows;
    }

    public long blockMinTs(int block) {
        return blockMinTs[block];
    }

    public long blockMaxTs(int block) {
        return blockMaxTs[block];
    }

    /** Index of the first block whose max time is ≥ {@code ts}, or {@link #blockCount()}. */
    public int firstBlockEndingAtOrAfter(long ts) {
        int lo = 0;
        int hi = blockMaxTs.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (blockMaxTs[mid] < ts) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** The chunk format version the file was written in ({@link ChunkLayout#OLDEST_READABLE_VERSION} to {@link ChunkLayout#NEWEST_READABLE_VERSION}). */
    public int formatVersion() {
        return version;
    }

    /** Decodes block {@code block} into {@code dst} (cleared first), after checking its checksum. */
    public void decodeBlock(int block, ColumnData dst, ColumnBlockCodec codec) {
        decodeBlock(block, dst, codec, false, 0, 0, ALL_SECTIONS);
    }

    /**
     * Every section of a block: the {@code sections} argument of the decoders that read every column. Bit {@code i}
     * stands for section {@code i} of a block, in table order (long columns, then byte columns, then string columns).
     */
    public static final int ALL_SECTIONS = -1;

    /**
     * As {@link #decodeBlock(int, ColumnData, ColumnBlockCodec)}, decoding only the sections whose bit is set in
     * {@code sections} (see {@link #ALL_SECTIONS}; the time section, bit 0, is always decoded). The other columns of
     * {@code dst} then hold anything. Trade blocks only: other tables' blocks are decoded whole whatever the mask.
     */
    public void decodeBlock(int block, ColumnData dst, ColumnBlockCodec codec, int sections) {
        decodeBlock(block, dst, codec, false, 0, 0, sections);
    }

    /**
     * As {@link #decodeBlock(int, ColumnData, ColumnBlockCodec)} for a reader of the rows with {@code fromNanos <= ts
     * < toNanos} only: the time column is decoded whole, the other columns of a trade block only as far as those rows
     * need (a range's first block is often needed from near its end, its last block up to near its start: reading a
     * one-hour range of 10 blocks decoded 81,920 rows for 66,527). The other rows of {@code dst} then hold anything;
     * {@code dst.size()} is the block's row count as always. Every checksum is checked as before; a column section
     * read only in part is not checked for trailing bytes.
     */
    public void decodeBlock(int block, ColumnData dst, ColumnBlockCodec codec, long fromNanos, long toNanos) {
        decodeBlock(block, dst, codec, true, fromNanos, toNanos, ALL_SECTIONS);
    }

    /**
     * Both of the above: the rows of the range only, and of a trade block only the sections set in {@code sections}.
     * Sections left out are skipped by their length prefix without decompressing them; the block's checksum still
     * covers all of its bytes and is checked first, and the section lengths must still add up to the block's length.
     */
    public void decodeBlock(
            int block, ColumnData dst, ColumnBlockCodec codec, long fromNanos, long toNanos, int sections) {
        decodeBlock(block, dst, codec, true, fromNanos, toNanos, sections);
    }

    private void decodeBlock(
            int block,
            ColumnData dst,
            ColumnBlockCodec codec,
            boolean trim,
            long fromNanos,
            long toNanos,
            int sections) {
        if (dst.table() != table) {
            throw new IllegalArgumentException("table mismatch: " + dst.table() + " vs " + table);
        }
        long offset = blockOffsets[block];
        long length = blockLengths[block];
        MemorySegment data = codec.heapCopy(file.asSlice(offset, length));
        CRC32C checksum = new CRC32C();
        checksum.update(codec.heapCopyArray(), 0, (int) length);
        int actual = (int) checksum.getValue();
        if (actual != blockCrcs[block]) {
            throw StorageException.checksum(
                    path, offset, Integer.toUnsignedLong(blockCrcs[block]), Integer.toUnsignedLong(actual));
        }
        int rows = blockRows[block];
        dst.clear();
        dst.reserve(rows);
        long p = decodeBlockBytes(
                table,
                version,
                data,
                rows,
                dst,
                codec,
                path,
                trim,
                fromNanos,
                toNanos,
                blockMinTs[block],
                blockMaxTs[block],
                sections);
        if (p != length) {
            throw StorageException.corrupt("block " + block + " has " + (length - p) + " trailing bytes", path, offset);
        }
    }

    /**
     * Decodes the bytes of one block of a {@code table} chunk file of format {@code version} (no checksum: the
     * caller checked it) into {@code dst}, which holds {@code rows} reserved rows from row 0; returns the bytes
     * consumed. The write-ahead log's type-9 commit records hold trade and book blocks in this layout too.
     *
     * @param path the file named in errors (may be null)
     */
    public static long decodeBlockBytes(
            Table table, int version, MemorySegment data, int rows, ColumnData dst, ColumnBlockCodec codec, Path path) {
        return decodeBlockBytes(table, version, data, rows, dst, codec, path, ALL_SECTIONS);
    }

    /**
     * As above, decoding of a trade block only the sections set in {@code sections} (see {@link #ALL_SECTIONS}); the
     * others are skipped by their length prefix.
     */
    public static long decodeBlockBytes(
            Table table,
            int version,
            MemorySegment data,
            int rows,
            ColumnData dst,
            ColumnBlockCodec codec,
            Path path,
            int sections) {
        return decodeBlockBytes(table, version, data, rows, dst, codec, path, false, 0, 0, 0, 0, sections);
    }

    /**
     * As above; with {@code trim}, trade columns other than the times are decoded only for rows in the range; of a
     * trade block only the sections in {@code sections} are decoded (the time section always).
     */
    private static long decodeBlockBytes(
            Table table,
            int version,
            MemorySegment data,
            int rows,
            ColumnData dst,
            ColumnBlockCodec codec,
            Path path,
            boolean trim,
            long fromNanos,
            long toNanos,
            long blockMinTs,
            long blockMaxTs,
            int sections) {
        long p = 0;
        if (table == Table.BOOK && version >= 2) {
            return codec.decodeBookBlock(version, data, rows, dst, path);
        }
        int longColumns = table.longColumns().size();
        p = codec.decodeLongs(data, p, rows, dst.longs(0), path);
        int fromRow = 0;
        int toRow = rows;
        if (trim && table == Table.TRADES) {
            // Only trade blocks: other tables' readers may look at rows outside the range (a gap's end, a book's
            // event boundaries).
            if (fromNanos > blockMinTs) {
                fromRow = dst.lowerBound(fromNanos);
            }
            if (toNanos <= blockMaxTs) {
                toRow = Math.max(fromRow, dst.lowerBound(toNanos));
            }
        }
        if (table != Table.TRADES) {
            sections = ALL_SECTIONS; // projection is for trade blocks: other readers look at every column
        }
        for (int c = 1; c < longColumns; c++) {
            if ((sections & (1 << c)) == 0) {
                p = codec.skipSection(data, p, path);
            } else if (c == 1) {
                p = codec.decodeReceiveTimes(data, p, rows, dst.longs(0), dst.longs(1), fromRow, toRow, path);
            } else {
                p = codec.decodeLongs(data, p, rows, dst.longs(c), fromRow, toRow, path);
            }
        }
        int byteColumns = table.byteColumns().size();
        for (int c = 0; c < byteColumns; c++) {
            if ((sections & (1 << (longColumns + c))) == 0) {
                p = codec.skipSection(data, p, path);
            } else {
                p = codec.decodeBytes(data, p, rows, dst.bytes(c), fromRow, toRow, path);
            }
        }
        for (int c = 0; c < table.stringColumns().size(); c++) {
            if ((sections & (1 << (longColumns + byteColumns + c))) == 0) {
                p = codec.skipSection(data, p, path);
            } else {
                p = codec.decodeStrings(data, p, rows, dst, c, path);
            }
        }
        return p;
    }

    /** Checks every block checksum and decodes every block; throws on the first problem. */
    public void verifyAllBlocks() {
        ColumnData scratch = new ColumnData(table, 1024);
        ColumnBlockCodec codec = new ColumnBlockCodec(0);
        for (int b = 0; b < blockCount(); b++) {
            decodeBlock(b, scratch, codec);
            long[] ts = scratch.longs(0);
            if (ts[0] != blockMinTs[b] || ts[scratch.size() - 1] != blockMaxTs[b]) {
                throw StorageException.corrupt("block " + b + " times disagree with the index", path, blockOffsets[b]);
            }
        }
    }

    private int crc(long offset, long length) {
        CRC32C crc = new CRC32C();
        crc.update(file.asSlice(offset, length).asByteBuffer());
        return (int) crc.getValue();
    }

    @Override
    public void close() {
        if (arena.scope().isAlive()) {
            arena.close();
        }
    }

    @Override
    public String toString() {
        return "ChunkFile[" + path + ", rows=" + rowCount + "]";
    }
}
