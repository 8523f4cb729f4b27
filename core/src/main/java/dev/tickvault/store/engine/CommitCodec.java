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
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The payload of a commit record in the write-ahead log: every row of one commit, grouped by slot, each column
 * encoded by the column codecs (no zstd: the log is on the commit path, where encoding speed matters most).
 *
 * <pre>
 * commit  := section count (u32), section*
 * section := table id (u8), exchange length (u8), exchange (ASCII), symbol length (u8), symbol (ASCII),
 *            row count (u32), column*  (long columns, then byte columns, then string columns, in table order)
 * column  := encoded length (u32), encoded bytes (LongColumnCodec / ByteColumnCodec / StringColumnCodec)
 * </pre>
 *
 * Record types differ in book sections only:
 *
 * <ul>
 *   <li>{@link #RECORD_COMMIT} (version 1, replayed, no longer written): one column per book column, as for every
 *       other table.
 *   <li>{@link #RECORD_COMMIT_V2} (replayed, no longer written): a book section holds a single {@code block length
 *       (u32) | book block}, the book block layout of chunk format 2 (per-event times and update ids, see {@code
 *       BookBlockCodec}) with every section stored RAW (no zstd).
 *   <li>{@link #RECORD_COMMIT_BOOK_FORMAT_3} (written): as version 2, but the book block is the layout of chunk
 *       format 3 ({@code DictionaryBookBlockCodec}, prices as ticks, every section RAW). It encodes in ~25-30 CPU ns
 *       per level update where format 2 took ~36-42 (its column codecs plan several encodings per column), at ~30 %
 *       more log bytes (varints without zstd: 3.9-4.7 against 3.0-3.6 B per update on the real Binance depth), and
 *       the writer runs the same encoder as the flusher.
 * </ul>
 *
 * All integers little-endian. The record's CRC is the write-ahead log's; a section that does not parse is reported
 * as corruption. Not thread-safe: one per writer.
 */
final class CommitCodec {

    /** Commit record, version 1: every table's section is one column per table column. */
    static final int RECORD_COMMIT = 1;
    /** Commit record, version 2: book sections hold one book block of chunk format 2. */
    static final int RECORD_COMMIT_V2 = 2;
    /**
     * Commit record whose book sections hold one book block of chunk format 3 (RAW sections). Type 8, not 3: types 3
     * to 7 are left to other record changes.
     */
    static final int RECORD_COMMIT_BOOK_FORMAT_3 = 8;

    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final ByteSink out = new ByteSink(1 << 16);
    private final LongColumnCodec longCodec = new LongColumnCodec();
    private final ByteColumnCodec byteCodec = new ByteColumnCodec();
    private final StringColumnCodec stringCodec = new StringColumnCodec();
    private final ColumnBlockCodec blockCodec = new ColumnBlockCodec(0);
    private String[] nulls = new String[0];
    private final int recordType;

    /** A codec that writes {@link #RECORD_COMMIT_BOOK_FORMAT_3} records. */
    CommitCodec() {
        this(RECORD_COMMIT_BOOK_FORMAT_3);
    }

    /**
     * A codec that writes records of {@code recordType}: {@link #RECORD_COMMIT_BOOK_FORMAT_3}, or {@link
     * #RECORD_COMMIT_V2} (tests of replaying logs written before type 8).
     */
    CommitCodec(int recordType) {
        if (recordType != RECORD_COMMIT_BOOK_FORMAT_3 && recordType != RECORD_COMMIT_V2) {
            throw new IllegalArgumentException("cannot write commit record type " + recordType);
        }
        this.recordType = recordType;
    }

    /** The record type {@link #encode} writes: the type to log its payload under. */
    int recordType() {
        return recordType;
    }

    /** True for every record type {@link #decode} reads. */
    static boolean isCommitRecord(int type) {
        return type == RECORD_COMMIT || type == RECORD_COMMIT_V2 || type == RECORD_COMMIT_BOOK_FORMAT_3;
    }

    /** The chunk format of the book blocks in book sections of record type {@code type}; 0 when it has none. */
    private static int bookBlockFormat(int type) {
        return switch (type) {
            case RECORD_COMMIT_V2 -> 2;
            case RECORD_COMMIT_BOOK_FORMAT_3 -> 3;
            default -> 0;
        };
    }

    /** Serialises the buffered rows into {@link #buffer()}; returns the length. Valid until the next call. */
    int encode(Map<SlotKey, ColumnData> sections) {
        out.reset();
        int count = 0;
        for (ColumnData rows : sections.values()) {
            if (rows.size() > 0) {
                count++;
            }
        }
        out.putInt(count);
        for (Map.Entry<SlotKey, ColumnData> e : sections.entrySet()) {
            ColumnData rows = e.getValue();
            int n = rows.size();
            if (n == 0) {
                continue;
            }
            Table table = e.getKey().table();
            SeriesKey series = e.getKey().series();
            out.putByte(table.id());
            putAscii(series.exchange());
            putAscii(series.symbol());
            out.putInt(n);
            if (table == Table.BOOK) {
                int at = startColumn();
                blockCodec.encodeBookBlock(bookBlockFormat(recordType), rows, 0, n, out);
                endColumn(at);
                continue;
            }
            for (int c = 0; c < table.longColumns().size(); c++) {
                int at = startColumn();
                longCodec.encodeFast(rows.longs(c), 0, n, out);
                endColumn(at);
            }
            for (int c = 0; c < table.byteColumns().size(); c++) {
                int at = startColumn();
                byteCodec.encode(rows.bytes(c), 0, n, out);
                endColumn(at);
            }
            for (int c = 0; c < table.stringColumns().size(); c++) {
                String[] values = rows.strings(c);
                if (values == null) {
                    if (nulls.length < n) {
                        nulls = new String[n];
                    }
                    values = nulls;
                }
                int at = startColumn();
                stringCodec.encode(values, 0, n, out);
                endColumn(at);
            }
        }
        return out.position();
    }

    byte[] buffer() {
        return out.array();
    }

    private int startColumn() {
        int at = out.position();
        out.putInt(0);
        return at;
    }

    private void endColumn(int at) {
        int end = out.position();
        out.position(at);
        out.putInt(end - at - 4);
        out.position(end);
    }

    private void putAscii(String s) {
        out.putByte(s.length());
        for (int i = 0; i < s.length(); i++) {
            out.putByte(s.charAt(i));
        }
    }

    /** Parses a commit payload of record type {@code type}, handing each section's rows to {@code sink}. */
    static void decode(int type, MemorySegment payload, BiConsumer<SlotKey, ColumnData> sink) {
        if (!isCommitRecord(type)) {
            throw new StorageException(StorageException.Kind.CORRUPT, "unknown log record type " + type);
        }
        int bookFormat = bookBlockFormat(type);
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
            if (bookFormat != 0 && table == Table.BOOK && n > 0) {
                if (blockCodec == null) {
                    blockCodec = new ColumnBlockCodec(0);
                }
                MemorySegment block = in.column();
                in.expectConsumed(blockCodec.decodeBookBlock(bookFormat, block, n, rows, null), block);
                sink.accept(new SlotKey(table, series), rows);
                continue;
            }
            for (int c = 0; c < table.longColumns().size(); c++) {
                MemorySegment column = in.column();
                in.expectConsumed(longCodec.decode(column, 0, n, rows.longs(c), 0), column);
            }
            for (int c = 0; c < table.byteColumns().size(); c++) {
                MemorySegment column = in.column();
                in.expectConsumed(byteCodec.decode(column, 0, n, rows.bytes(c), 0), column);
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
