package dev.tickvault.store.partition;

import static dev.tickvault.store.partition.ChunkLayout.*;

import dev.tickvault.store.Table;
import dev.tickvault.store.codec.ByteSink;
import dev.tickvault.store.io.DurableFiles;
import dev.tickvault.store.memtable.ColumnData;
import dev.tickvault.store.memtable.EncodedBlocks;
import java.nio.ByteBuffer;
import java.nio.file.Path;
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

    /** @param compressionLevel zstd level on top of the column encodings (0 = off) */
    public ChunkWriter(int rowsPerBlock, int compressionLevel) {
        this(rowsPerBlock, compressionLevel, FORMAT_VERSION);
    }

    /**
     * @param formatVersion {@link ChunkLayout#FORMAT_VERSION}, or an older readable version (1: book blocks one
     *     section per column; 2: trade blocks in the version-1 forms) for tests that check old files still read
     */
    ChunkWriter(int rowsPerBlock, int compressionLevel, int formatVersion) {
        if (formatVersion < OLDEST_READABLE_VERSION || formatVersion > FORMAT_VERSION) {
            throw new IllegalArgumentException("cannot write chunk format version " + formatVersion);
        }
        this.formatVersion = formatVersion;
        this.codec = new ColumnBlockCodec(compressionLevel);
        if (rowsPerBlock < 1) {
            throw new IllegalArgumentException("rowsPerBlock must be positive: " + rowsPerBlock);
        }
        this.rowsPerBlock = rowsPerBlock;
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
        int blockCount = 0;
        long totalRows = 0;
        for (EncodedBlocks piece : pieces) {
            blockCount += piece.blockCount();
            for (int b = 0; b < piece.blockCount(); b++) {
                if (piece.blockRows(b) > rowsPerBlock) {
                    throw new IllegalArgumentException(
                            "an encoded block of " + piece.blockRows(b) + " rows exceeds " + rowsPerBlock);
                }
                totalRows += piece.blockRows(b);
            }
        }
        out.reset();
        out.ensureCapacity(HEADER_SIZE);
        out.position(HEADER_SIZE);
        long[] blockOffsets = new long[blockCount];
        long[] blockMinTs = new long[blockCount];
        long[] blockMaxTs = new long[blockCount];
        int index = 0;
        for (EncodedBlocks piece : pieces) {
            int base = out.position() - piece.blockOffset(0);
            out.putBytes(piece.bytes(), piece.blockOffset(0), piece.bytes().length - piece.blockOffset(0));
            for (int b = 0; b < piece.blockCount(); b++, index++) {
                blockOffsets[index] = base + piece.blockOffset(b);
                blockMinTs[index] = piece.blockMinTs(b);
                blockMaxTs[index] = piece.blockMaxTs(b);
            }
        }
        CRC32C crc = new CRC32C();
        int indexOffset = out.position();
        index = 0;
        for (EncodedBlocks piece : pieces) {
            for (int b = 0; b < piece.blockCount(); b++, index++) {
                crc.reset();
                crc.update(out.array(), (int) blockOffsets[index], piece.blockLength(b));
                out.putInt(piece.blockRows(b));
                out.putInt((int) crc.getValue());
                out.putLong(blockMinTs[index]);
                out.putLong(blockMaxTs[index]);
                out.putLong(blockOffsets[index]);
                out.putLong(piece.blockLength(b));
            }
        }
        finishFile(table, totalRows, blockCount, blockMinTs[0], blockMaxTs[blockCount - 1], maxLsn, indexOffset);
        publish(target);
        return ChunkFile.open(target);
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
        Table table = slices.getFirst().data().table();
        long totalRows = 0;
        for (Slice slice : slices) {
            totalRows += slice.size();
        }
        int blockCount = (int) ((totalRows + rowsPerBlock - 1) / rowsPerBlock);
        long[] blockOffsets = new long[blockCount];
        long[] blockLengths = new long[blockCount];
        int[] blockRows = new int[blockCount];
        int[] blockCrcs = new int[blockCount];
        long[] blockMinTs = new long[blockCount];
        long[] blockMaxTs = new long[blockCount];
        out.reset();
        out.ensureCapacity(HEADER_SIZE);
        out.position(HEADER_SIZE);
        CRC32C crc = new CRC32C();
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
            blockOffsets[b] = blockStart;
            blockLengths[b] = out.position() - blockStart;
            blockRows[b] = count;
            blockMinTs[b] = source.ts(start);
            blockMaxTs[b] = source.ts(start + count - 1);
            crc.reset();
            crc.update(out.array(), blockStart, out.position() - blockStart);
            blockCrcs[b] = (int) crc.getValue();
        }
        int indexOffset = out.position();
        for (int b = 0; b < blockCount; b++) {
            out.putInt(blockRows[b]);
            out.putInt(blockCrcs[b]);
            out.putLong(blockMinTs[b]);
            out.putLong(blockMaxTs[b]);
            out.putLong(blockOffsets[b]);
            out.putLong(blockLengths[b]);
        }
        finishFile(table, totalRows, blockCount, blockMinTs[0], blockMaxTs[blockCount - 1], maxLsn, indexOffset);
    }

    /** Appends the trailer after the index that ends at the current position, then writes the header. */
    private void finishFile(
            Table table, long totalRows, int blockCount, long minTs, long maxTs, long maxLsn, int indexOffset) {
        CRC32C crc = new CRC32C();
        crc.update(out.array(), indexOffset, out.position() - indexOffset);
        int indexCrc = (int) crc.getValue();
        out.putLong(indexOffset);
        out.putInt(indexCrc);
        out.putInt(TRAILER_MAGIC);

        int fileEnd = out.position();
        out.position(0);
        out.putLong(MAGIC);
        out.putInt(formatVersion);
        out.putInt(table.id());
        out.putLong(totalRows);
        out.putLong(minTs);
        out.putLong(maxTs);
        out.putLong(maxLsn);
        out.putInt(blockCount);
        out.putInt(rowsPerBlock);
        out.putInt(0); // reserved
        crc.reset();
        crc.update(out.array(), 0, HEADER_CRC_OFFSET);
        out.putInt((int) crc.getValue());
        out.position(fileEnd);
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
}
