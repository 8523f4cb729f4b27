package dev.tickvault.store.engine;

import dev.tickvault.model.SeriesKey;
import dev.tickvault.store.StorageException;
import dev.tickvault.store.Table;
import dev.tickvault.store.codec.ByteColumnCodec;
import dev.tickvault.store.codec.ByteSink;
import dev.tickvault.store.codec.LongColumnCodec;
import dev.tickvault.store.codec.StringColumnCodec;
import dev.tickvault.store.memtable.ColumnData;
import dev.tickvault.store.partition.ColumnBlockCodec;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The payload of a commit record in the write-ahead log: every row of one commit, grouped by slot.
 *
 * <p>Written: record type {@link #RECORD_COMMIT_V3}, whose columns are the rows' values as they are, so that logging a
 * commit costs a memory copy and its checksum. The rows are encoded and compressed once, when the flusher writes them
 * into partition files (encoding them for the log too cost the writer more than the extra bytes cost the disk).
 *
 * <pre>
 * commit  := section count (u32), section*
 * section := table id (u8), exchange length (u8), exchange (ASCII), symbol length (u8), symbol (ASCII),
 *            row count n (u32), long column*, byte column*, string column*   (each kind in table order)
 * long column   := n values (i64 each)            -- version 3
 * byte column   := n values (u8 each)             -- version 3
 * string column := encoded length (u32), StringColumnCodec bytes
 * </pre>
 *
 * Still replayed: {@link #RECORD_COMMIT} (version 1: every column is {@code encoded length (u32), encoded bytes}, by
 * LongColumnCodec / ByteColumnCodec / StringColumnCodec) and {@link #RECORD_COMMIT_V2} (as version 1, except that a
 * book section holds a single {@code block length (u32) | book block}, the chunk files' book block layout with every
 * section stored RAW).
 *
 * All integers little-endian. The record's CRC is the write-ahead log's; a section that does not parse is reported
 * as corruption. Not thread-safe: one per writer.
 */
final class CommitCodec {

    /** Commit record, version 1: every table's section is one column per table column. */
    static final int RECORD_COMMIT = 1;
    /** Commit record, version 2: book sections hold one book block. */
    static final int RECORD_COMMIT_V2 = 2;
    /** Commit record, version 3 (written): long and byte columns hold the values as they are. */
    static final int RECORD_COMMIT_V3 = 3;

    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /**
     * Where a commit is assembled: native memory, so that the log writes it to its file without first copying it
     * into a temporary direct buffer (what a channel does with a heap buffer). Grows; freed by the GC.
     */
    private MemorySegment payload = Arena.ofAuto().allocate(1 << 16);

    private long position;
    /** Scratch for the (rare) string columns, which their codec writes to a {@link ByteSink}. */
    private final ByteSink strings = new ByteSink(1 << 10);

    private final StringColumnCodec stringCodec = new StringColumnCodec();
    private static final String[] NO_STRINGS = new String[0];

    /**
     * Serialises the buffered rows; returns the payload, valid until the next call. The log may read it from another
     * thread (its group-commit leader) while this thread waits in {@code append}.
     */
    MemorySegment encode(Map<SlotKey, ColumnData> sections) {
        position = 0;
        int count = 0;
        for (ColumnData rows : sections.values()) {
            if (rows.size() > 0) {
                count++;
            }
        }
        putInt(count);
        for (Map.Entry<SlotKey, ColumnData> e : sections.entrySet()) {
            ColumnData rows = e.getValue();
            int n = rows.size();
            if (n == 0) {
                continue;
            }
            Table table = e.getKey().table();
            SeriesKey series = e.getKey().series();
            ensureRemaining(3L + series.exchange().length() + series.symbol().length() + 4);
            putByte(table.id());
            putAscii(series.exchange());
            putAscii(series.symbol());
            putInt(n);
            ensureRemaining(
                    ((long) table.longColumns().size() * 8 + table.byteColumns().size()) * n);
            for (int c = 0; c < table.longColumns().size(); c++) {
                MemorySegment.copy(rows.longs(c), 0, payload, LONG, position, n);
                position += 8L * n;
            }
            for (int c = 0; c < table.byteColumns().size(); c++) {
                MemorySegment.copy(rows.bytes(c), 0, payload, ValueLayout.JAVA_BYTE, position, n);
                position += n;
            }
            for (int c = 0; c < table.stringColumns().size(); c++) {
                String[] values = rows.strings(c);
                strings.reset();
                if (values == null) {
                    // Every row null (the common case): the one-byte ALL_NULL form, written without a scan.
                    stringCodec.encode(NO_STRINGS, 0, 0, strings);
                } else {
                    stringCodec.encode(values, 0, n, strings);
                }
                ensureRemaining(4L + strings.position());
                putInt(strings.position());
                MemorySegment.copy(strings.array(), 0, payload, ValueLayout.JAVA_BYTE, position, strings.position());
                position += strings.position();
            }
        }
        return payload.asSlice(0, position);
    }

    private void ensureRemaining(long bytes) {
        long needed = position + bytes;
        if (needed > payload.byteSize()) {
            MemorySegment grown = Arena.ofAuto().allocate(Math.max(needed, payload.byteSize() * 2));
            MemorySegment.copy(payload, 0, grown, 0, position);
            payload = grown;
        }
    }

    private void putByte(int value) {
        payload.set(ValueLayout.JAVA_BYTE, position++, (byte) value);
    }

    private void putInt(int value) {
        ensureRemaining(4);
        payload.set(INT, position, value);
        position += 4;
    }

    private void putAscii(String s) {
        putByte(s.length());
        for (int i = 0; i < s.length(); i++) {
            putByte(s.charAt(i));
        }
    }

    /** True for every commit record type that {@link #decode} reads. */
    static boolean isCommit(int type) {
        return type == RECORD_COMMIT || type == RECORD_COMMIT_V2 || type == RECORD_COMMIT_V3;
    }

    /** Parses a commit payload of record type {@code type}, handing each section's rows to {@code sink}. */
    static void decode(int type, MemorySegment payload, BiConsumer<SlotKey, ColumnData> sink) {
        if (!isCommit(type)) {
            throw new StorageException(StorageException.Kind.CORRUPT, "unknown log record type " + type);
        }
        ColumnBlockCodec blockCodec = null;
        Reader in = new Reader(payload);
        int sections = in.readInt();
        LongColumnCodec longCodec = new LongColumnCodec();
        ByteColumnCodec byteCodec = new ByteColumnCodec();
        StringColumnCodec stringCodec = new StringColumnCodec();
        for (int s = 0; s < sections; s++) {
            Table table = Table.ofId(in.readByte());
            String exchange = in.readAscii();
            String symbol = in.readAscii();
            SeriesKey series;
            try {
                series = SeriesKey.of(exchange, symbol);
            } catch (IllegalArgumentException e) {
                throw new StorageException(
                        StorageException.Kind.CORRUPT, "commit record names an invalid series: " + e.getMessage());
            }
            int n = in.readInt();
            if (n < 0) {
                throw new StorageException(StorageException.Kind.CORRUPT, "commit record has a negative row count");
            }
            ColumnData rows = new ColumnData(table, n);
            rows.reserve(n);
            if (type == RECORD_COMMIT_V2 && table == Table.BOOK && n > 0) {
                if (blockCodec == null) {
                    blockCodec = new ColumnBlockCodec(0);
                }
                MemorySegment block = in.column();
                in.expectConsumed(blockCodec.decodeBookBlock(block, n, rows, null), block);
                sink.accept(new SlotKey(table, series), rows);
                continue;
            }
            if (type == RECORD_COMMIT_V3) {
                for (int c = 0; c < table.longColumns().size(); c++) {
                    MemorySegment.copy(in.values(8L * n), LONG, 0, rows.longs(c), 0, n);
                }
                for (int c = 0; c < table.byteColumns().size(); c++) {
                    MemorySegment.copy(in.values(n), ValueLayout.JAVA_BYTE, 0, rows.bytes(c), 0, n);
                }
            } else {
                for (int c = 0; c < table.longColumns().size(); c++) {
                    MemorySegment column = in.column();
                    in.expectConsumed(longCodec.decode(column, 0, n, rows.longs(c), 0), column);
                }
                for (int c = 0; c < table.byteColumns().size(); c++) {
                    MemorySegment column = in.column();
                    in.expectConsumed(byteCodec.decode(column, 0, n, rows.bytes(c), 0), column);
                }
            }
            for (int c = 0; c < table.stringColumns().size(); c++) {
                MemorySegment column = in.column();
                String[] values = new String[n];
                in.expectConsumed(stringCodec.decode(column, 0, n, values, 0), column);
                for (int i = 0; i < n; i++) {
                    rows.setString(c, i, values[i]);
                }
            }
            sink.accept(new SlotKey(table, series), rows);
        }
        if (in.position != payload.byteSize()) {
            throw new StorageException(StorageException.Kind.CORRUPT, "commit record has trailing bytes");
        }
    }

    /** Bounds-checked little-endian reads from a payload. */
    private static final class Reader {
        private final MemorySegment payload;
        private long position;

        Reader(MemorySegment payload) {
            this.payload = payload;
        }

        private void need(long n) {
            if (n < 0 || position + n > payload.byteSize()) {
                throw new StorageException(
                        StorageException.Kind.CORRUPT,
                        "commit record truncated at byte " + position + " (needs " + n + ")");
            }
        }

        int readByte() {
            need(1);
            return payload.get(ValueLayout.JAVA_BYTE, position++) & 0xff;
        }

        int readInt() {
            need(4);
            int v = payload.get(INT, position);
            position += 4;
            return v;
        }

        String readAscii() {
            int n = readByte();
            need(n);
            byte[] bytes = payload.asSlice(position, n).toArray(ValueLayout.JAVA_BYTE);
            position += n;
            return new String(bytes, StandardCharsets.US_ASCII);
        }

        /** The next {@code n} bytes (a column of raw values). */
        MemorySegment values(long n) {
            need(n);
            MemorySegment values = payload.asSlice(position, n);
            position += n;
            return values;
        }

        MemorySegment column() {
            int n = readInt();
            need(n);
            MemorySegment column = payload.asSlice(position, n);
            position += n;
            return column;
        }

        void expectConsumed(long consumed, MemorySegment column) {
            if (consumed != column.byteSize()) {
                throw new StorageException(
                        StorageException.Kind.CORRUPT,
                        "commit record column decoded " + consumed + " of " + column.byteSize() + " bytes");
            }
        }
    }
}
