package dev.tickvault.store.engine;

import dev.tickvault.model.SeriesKey;
import dev.tickvault.store.StorageException;
import dev.tickvault.store.Table;
import dev.tickvault.store.memtable.ColumnData;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The payload of a commit record in the write-ahead log: every row of one commit, grouped by slot, columns raw.
 *
 * <pre>
 * commit  := section count (u32), section*
 * section := table id (u8), exchange length (u8), exchange (ASCII), symbol length (u8), symbol (ASCII),
 *            row count (u32), long column* (row count × i64), byte column* (row count × u8), string column*
 * string column := present (u8: 0 = all null, 1 = values follow), then per row: length (i32, -1 = null), UTF-8
 * </pre>
 *
 * All integers little-endian. The record's CRC is the write-ahead log's; a section that does not parse is reported
 * as corruption.
 */
final class CommitCodec {

    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private byte[] buffer = new byte[1 << 16];
    private MemorySegment segment = MemorySegment.ofArray(buffer);
    private int position;

    /** Serialises the buffered rows; the result is valid until the next call. */
    int encode(Map<SlotKey, ColumnData> sections) {
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
            ensure(16 + series.exchange().length() + series.symbol().length());
            buffer[position++] = (byte) table.id();
            putAscii(series.exchange());
            putAscii(series.symbol());
            putInt(n);
            for (int c = 0; c < table.longColumns().size(); c++) {
                ensure(n * 8);
                MemorySegment.copy(rows.longs(c), 0, segment, LONG, position, n);
                position += n * 8;
            }
            for (int c = 0; c < table.byteColumns().size(); c++) {
                ensure(n);
                System.arraycopy(rows.bytes(c), 0, buffer, position, n);
                position += n;
            }
            for (int c = 0; c < table.stringColumns().size(); c++) {
                String[] values = rows.strings(c);
                ensure(1);
                buffer[position++] = (byte) (values == null ? 0 : 1);
                if (values != null) {
                    for (int i = 0; i < n; i++) {
                        if (values[i] == null) {
                            putInt(-1);
                        } else {
                            byte[] utf8 = values[i].getBytes(StandardCharsets.UTF_8);
                            putInt(utf8.length);
                            ensure(utf8.length);
                            System.arraycopy(utf8, 0, buffer, position, utf8.length);
                            position += utf8.length;
                        }
                    }
                }
            }
        }
        return position;
    }

    byte[] buffer() {
        return buffer;
    }

    /** Parses a commit payload, handing each section's rows to {@code sink}. */
    static void decode(MemorySegment payload, BiConsumer<SlotKey, ColumnData> sink) {
        Reader in = new Reader(payload);
        int sections = in.readInt();
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
            for (int c = 0; c < table.longColumns().size(); c++) {
                in.readLongs(rows.longs(c), n);
            }
            for (int c = 0; c < table.byteColumns().size(); c++) {
                in.readBytes(rows.bytes(c), n);
            }
            for (int c = 0; c < table.stringColumns().size(); c++) {
                if (in.readByte() == 1) {
                    for (int i = 0; i < n; i++) {
                        rows.setString(c, i, in.readString());
                    }
                }
            }
            sink.accept(new SlotKey(table, series), rows);
        }
        if (in.position != payload.byteSize()) {
            throw new StorageException(StorageException.Kind.CORRUPT, "commit record has trailing bytes");
        }
    }

    private void putInt(int v) {
        ensure(4);
        segment.set(INT, position, v);
        position += 4;
    }

    private void putAscii(String s) {
        buffer[position++] = (byte) s.length();
        for (int i = 0; i < s.length(); i++) {
            buffer[position++] = (byte) s.charAt(i);
        }
    }

    private void ensure(int extra) {
        if (position + extra > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(position + extra, buffer.length * 2));
            segment = MemorySegment.ofArray(buffer);
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

        String readString() {
            int n = readInt();
            if (n < 0) {
                return null;
            }
            need(n);
            byte[] bytes = payload.asSlice(position, n).toArray(ValueLayout.JAVA_BYTE);
            position += n;
            return new String(bytes, StandardCharsets.UTF_8);
        }

        void readLongs(long[] dst, int n) {
            need(n * 8L);
            MemorySegment.copy(payload, LONG, position, dst, 0, n);
            position += n * 8L;
        }

        void readBytes(byte[] dst, int n) {
            need(n);
            MemorySegment.copy(payload, ValueLayout.JAVA_BYTE, position, dst, 0, n);
            position += n;
        }
    }
}
