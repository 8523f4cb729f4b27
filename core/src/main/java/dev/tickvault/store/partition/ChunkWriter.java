package dev.tickvault.store.partition;

import static dev.tickvault.store.partition.ChunkLayout.*;

import dev.tickvault.store.Table;
import dev.tickvault.store.codec.ByteSink;
import dev.tickvault.store.io.DurableFiles;
import dev.tickvault.store.memtable.ColumnData;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * Writes chunk files (layout in {@link ChunkLayout}): encodes time-sorted rows block by block, then publishes the
 * file atomically (temp file → fsync → rename → fsync directory). Not thread-safe: one per flushing thread.
 */
public final class ChunkWriter {

    private final int rowsPerBlock;
    private final ByteSink out = new ByteSink(1 << 20);
    private final ColumnBlockCodec codec;

    /** @param compressionLevel zstd level on top of the column encodings (0 = off) */
    public ChunkWriter(int rowsPerBlock, int compressionLevel) {
        this.codec = new ColumnBlockCodec(compressionLevel);
        if (rowsPerBlock < 1) {
            throw new IllegalArgumentException("rowsPerBlock must be positive: " + rowsPerBlock);
        }
        this.rowsPerBlock = rowsPerBlock;
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
        encode(rows, from, to, maxLsn);
        publish(target);
        return ChunkFile.open(target);
    }

    private void encode(ColumnData rows, int from, int to, long maxLsn) {
        Table table = rows.table();
        int blockCount = (to - from + rowsPerBlock - 1) / rowsPerBlock;
        long[] blockOffsets = new long[blockCount];
        long[] blockLengths = new long[blockCount];
        int[] blockRows = new int[blockCount];
        int[] blockCrcs = new int[blockCount];
        out.reset();
        out.ensureCapacity(HEADER_SIZE);
        out.position(HEADER_SIZE);
        CRC32C crc = new CRC32C();
        for (int b = 0; b < blockCount; b++) {
            int start = from + b * rowsPerBlock;
            int end = Math.min(to, start + rowsPerBlock);
            int count = end - start;
            int blockStart = out.position();
            encodeBlock(rows, table, start, count);
            blockOffsets[b] = blockStart;
            blockLengths[b] = out.position() - blockStart;
            blockRows[b] = count;
            crc.reset();
            crc.update(out.array(), blockStart, out.position() - blockStart);
            blockCrcs[b] = (int) crc.getValue();
        }
        int indexOffset = out.position();
        for (int b = 0; b < blockCount; b++) {
            int start = from + b * rowsPerBlock;
            int end = Math.min(to, start + rowsPerBlock);
            out.putInt(blockRows[b]);
            out.putInt(blockCrcs[b]);
            out.putLong(rows.ts(start));
            out.putLong(rows.ts(end - 1));
            out.putLong(blockOffsets[b]);
            out.putLong(blockLengths[b]);
        }
        crc.reset();
        crc.update(out.array(), indexOffset, out.position() - indexOffset);
        int indexCrc = (int) crc.getValue();
        out.putLong(indexOffset);
        out.putInt(indexCrc);
        out.putInt(TRAILER_MAGIC);

        int fileEnd = out.position();
        out.position(0);
        out.putLong(MAGIC);
        out.putInt(FORMAT_VERSION);
        out.putInt(table.id());
        out.putLong(to - from);
        out.putLong(rows.ts(from));
        out.putLong(rows.ts(to - 1));
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
