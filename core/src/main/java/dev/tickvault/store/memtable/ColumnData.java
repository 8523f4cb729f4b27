package dev.tickvault.store.memtable;

import dev.tickvault.store.Table;
import java.util.Arrays;

/**
 * Rows of one table in columnar arrays: the unit that buffers, commits, flushes and decodes. Long column 0 is the
 * time column. Not thread-safe; once published in a {@link Run} it is never modified.
 */
public final class ColumnData {

    private final Table table;
    private final long[][] longs;
    private final byte[][] bytes;
    private final String[][] strings;
    private int size;
    /**
     * Rows the numeric arrays hold (every long and byte column has this length): a field rather than {@code
     * longs[0].length} so the per-row {@link #reserve} reads no array. Grows only in {@code reserve}, when the arrays
     * are replaced, so a change of capacity tells a holder of the arrays that they were replaced.
     */
    private int capacity;

    public ColumnData(Table table, int initialCapacity) {
        this.table = table;
        this.capacity = Math.max(1, initialCapacity);
        this.longs = new long[table.longColumns().size()][capacity];
        this.bytes = new byte[table.byteColumns().size()][capacity];
        this.strings = new String[table.stringColumns().size()][];
    }

    /** Columns not yet allocated: for {@link #exactCopy}, which installs them. */
    private ColumnData(Table table) {
        this.table = table;
        this.longs = new long[table.longColumns().size()][];
        this.bytes = new byte[table.byteColumns().size()][];
        this.strings = new String[table.stringColumns().size()][];
    }

    public Table table() {
        return table;
    }

    public int size() {
        return size;
    }

    public int capacity() {
        return capacity;
    }

    public long[] longs(int column) {
        return longs[column];
    }

    public byte[] bytes(int column) {
        return bytes[column];
    }

    /** The string column, or {@code null} when every value so far is null (the common case). */
    public String[] strings(int column) {
        return strings[column];
    }

    public long ts(int row) {
        return longs[0][row];
    }

    /** Makes room for {@code extra} more rows and returns the index of the first. */
    public int reserve(int extra) {
        int needed = size + extra;
        if (needed > capacity) {
            grow(needed);
        }
        int first = size;
        size = needed;
        return first;
    }

    /**
     * Replaces the arrays with longer copies holding at least {@code needed} rows (half as many again as now). The
     * only place a buffer's long and byte arrays are replaced, always with a change of {@link #capacity()}: the
     * writer's appenders ({@code ColumnAppender}) hold the arrays and re-read them when the
     * capacity changes, so any other replacement must change the capacity too (or those would write to stale arrays).
     */
    private void grow(int needed) {
        int newCapacity = Math.max(needed, capacity + (capacity >> 1) + 16);
        for (int c = 0; c < longs.length; c++) {
            longs[c] = Arrays.copyOf(longs[c], newCapacity);
        }
        for (int c = 0; c < bytes.length; c++) {
            bytes[c] = Arrays.copyOf(bytes[c], newCapacity);
        }
        for (int c = 0; c < strings.length; c++) {
            if (strings[c] != null) {
                strings[c] = Arrays.copyOf(strings[c], newCapacity);
            }
        }
        capacity = newCapacity;
    }

    /**
     * Makes room for at least {@code rows} rows without changing the size (growing as {@link #reserve} does: the
     * arrays replaced and the capacity changed).
     */
    public void ensureCapacity(int rows) {
        if (rows > capacity) {
            grow(rows);
        }
    }

    public void setString(int column, int row, String value) {
        if (value == null && strings[column] == null) {
            return;
        }
        if (strings[column] == null) {
            strings[column] = new String[capacity()];
        }
        strings[column][row] = value;
    }

    public String string(int column, int row) {
        String[] values = strings[column];
        return values == null ? null : values[row];
    }

    /** Installs decoded columns wholesale (used by readers); arrays may be longer than {@code rows}. */
    public void setSize(int rows) {
        if (rows > capacity()) {
            throw new IllegalArgumentException("size " + rows + " exceeds capacity " + capacity());
        }
        size = rows;
    }

    public void clear() {
        size = 0;
        for (int c = 0; c < strings.length; c++) {
            strings[c] = null;
        }
    }

    /** Appends row {@code row} of {@code source} (same table). */
    public void appendRow(ColumnData source, int row) {
        int target = reserve(1);
        for (int c = 0; c < longs.length; c++) {
            longs[c][target] = source.longs[c][row];
        }
        for (int c = 0; c < bytes.length; c++) {
            bytes[c][target] = source.bytes[c][row];
        }
        for (int c = 0; c < strings.length; c++) {
            String[] values = source.strings[c];
            if (values != null && values[row] != null) {
                setString(c, target, values[row]);
            }
        }
    }

    /** Appends rows {@code [from, to)} of {@code source} (same table). */
    public void appendRange(ColumnData source, int from, int to) {
        int count = to - from;
        if (count <= 0) {
            return;
        }
        int target = reserve(count);
        for (int c = 0; c < longs.length; c++) {
            System.arraycopy(source.longs[c], from, longs[c], target, count);
        }
        for (int c = 0; c < bytes.length; c++) {
            System.arraycopy(source.bytes[c], from, bytes[c], target, count);
        }
        for (int c = 0; c < strings.length; c++) {
            String[] values = source.strings[c];
            if (values != null) {
                for (int i = 0; i < count; i++) {
                    if (values[from + i] != null) {
                        setString(c, target + i, values[from + i]);
                    }
                }
            }
        }
    }

    /** True when the time column is non-decreasing. */
    public boolean isSortedByTime() {
        long[] ts = longs[0];
        for (int i = 1; i < size; i++) {
            if (ts[i] < ts[i - 1]) {
                return false;
            }
        }
        return true;
    }

    /** An exact-size copy ordered by time; rows with equal times keep their order (stable). */
    public ColumnData sortedCopy() {
        if (isSortedByTime()) {
            return exactCopy();
        }
        return sortedByTime();
    }

    /**
     * A copy holding exactly {@link #size()} rows. {@code Arrays.copyOf} lets the JIT skip zeroing each new array
     * before the copy fills it (a separate allocation and {@code System.arraycopy} zero it first).
     */
    private ColumnData exactCopy() {
        ColumnData copy = new ColumnData(table);
        for (int c = 0; c < longs.length; c++) {
            copy.longs[c] = Arrays.copyOf(longs[c], Math.max(1, size));
        }
        for (int c = 0; c < bytes.length; c++) {
            copy.bytes[c] = Arrays.copyOf(bytes[c], Math.max(1, size));
        }
        for (int c = 0; c < strings.length; c++) {
            if (strings[c] != null) {
                copy.strings[c] = Arrays.copyOf(strings[c], Math.max(1, size));
            }
        }
        copy.size = size;
        copy.capacity = Math.max(1, size);
        return copy;
    }

    /** A copy ordered by time; rows with equal times keep their order (stable). Returns this if already sorted. */
    public ColumnData sortedByTime() {
        if (isSortedByTime()) {
            return this;
        }
        ColumnData sorted = new ColumnData(table, size);
        sortInto(sorted);
        return sorted;
    }

    /**
     * As {@link #sortedByTime()}, but the rows out of order are sorted into {@code scratch} (same table; cleared and
     * grown as needed) rather than into a new copy: for a caller that reads the sorted rows and keeps none of them, so
     * one scratch serves every call. Returns this if already sorted, else {@code scratch}.
     */
    public ColumnData sortedByTime(ColumnData scratch) {
        if (scratch.table != table) {
            throw new IllegalArgumentException("not a " + table + " scratch: " + scratch.table);
        }
        if (isSortedByTime()) {
            return this;
        }
        scratch.clear();
        sortInto(scratch);
        return scratch;
    }

    /** Fills the empty {@code sorted} with these rows in time order (stable). */
    private void sortInto(ColumnData sorted) {
        int[] order = StableIndexSort.sortByKey(longs[0], size);
        sorted.reserve(size);
        // Nearly sorted rows (the usual case) reorder as a few long stretches of consecutive rows: copy those whole.
        int stretches = 1;
        for (int i = 1; i < size; i++) {
            stretches += order[i] != order[i - 1] + 1 ? 1 : 0;
        }
        if (stretches <= size / MIN_STRETCH_ROWS) {
            copyStretches(order, sorted);
        } else {
            gather(order, sorted);
        }
        for (int c = 0; c < strings.length; c++) {
            String[] src = strings[c];
            if (src != null) {
                for (int i = 0; i < size; i++) {
                    sorted.setString(c, i, src[order[i]]);
                }
            }
        }
    }

    /** Below this mean length, stretches of consecutive rows are gathered row by row rather than copied whole. */
    private static final int MIN_STRETCH_ROWS = 16;

    /** Copies the numeric columns into {@code sorted} in {@code order}, one array copy per stretch of consecutive rows. */
    private void copyStretches(int[] order, ColumnData sorted) {
        int start = 0;
        while (start < size) {
            int end = start + 1;
            while (end < size && order[end] == order[end - 1] + 1) {
                end++;
            }
            int from = order[start];
            int length = end - start;
            for (int c = 0; c < longs.length; c++) {
                System.arraycopy(longs[c], from, sorted.longs[c], start, length);
            }
            for (int c = 0; c < bytes.length; c++) {
                System.arraycopy(bytes[c], from, sorted.bytes[c], start, length);
            }
            start = end;
        }
    }

    /** Copies the numeric columns into {@code sorted} in {@code order}, row by row. */
    private void gather(int[] order, ColumnData sorted) {
        for (int c = 0; c < longs.length; c++) {
            long[] src = longs[c];
            long[] dst = sorted.longs[c];
            for (int i = 0; i < size; i++) {
                dst[i] = src[order[i]];
            }
        }
        for (int c = 0; c < bytes.length; c++) {
            byte[] src = bytes[c];
            byte[] dst = sorted.bytes[c];
            for (int i = 0; i < size; i++) {
                dst[i] = src[order[i]];
            }
        }
    }

    /** First row whose time is ≥ {@code ts} in a time-sorted column data (binary search), or {@code size()}. */
    public int lowerBound(long ts) {
        long[] times = longs[0];
        int lo = 0;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (times[mid] < ts) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /**
     * Heap bytes of the numeric columns of {@code rows} rows of {@code table} held exactly (no spare capacity, string
     * columns not counted): what decoding {@code rows} rows allocates at least.
     */
    public static long columnBytes(Table table, int rows) {
        return 64 + (8L * table.longColumns().size() + table.byteColumns().size()) * rows;
    }

    /** Approximate heap bytes held, for the memory limit. */
    public long sizeBytes() {
        long bytesPerRow = 8L * longs.length + bytes.length;
        return 64 + bytesPerRow * capacity() + stringSizeBytes();
    }

    /** Approximate heap bytes of the string columns alone (part of {@link #sizeBytes()}). */
    public long stringSizeBytes() {
        long total = 0;
        for (String[] column : strings) {
            if (column != null) {
                total += 8L * column.length;
                for (int i = 0; i < size; i++) {
                    if (column[i] != null) {
                        total += 48 + column[i].length();
                    }
                }
            }
        }
        return total;
    }
}
