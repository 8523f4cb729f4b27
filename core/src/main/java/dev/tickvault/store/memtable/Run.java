package dev.tickvault.store.memtable;

import java.util.Arrays;

/**
 * Committed rows of one series held in memory, ordered by time: immutable once published.
 *
 * <p>A run is a sequence of parts, each sorted by time, where every part starts no earlier than the previous one
 * ends. In-order ingest therefore appends a commit as one more part without copying a row; only commits that
 * overlap earlier rows in time are merged (copied).
 *
 * <p>A part may carry its rows already encoded as chunk-file blocks ({@link EncodedBlocks}, written by the commit into
 * its log record): a flush whose parts all carry them copies the bytes instead of encoding the rows again. Appending
 * keeps them; a merge that copies rows drops them (the merged rows have no blocks).
 *
 * <p>Its size in memory (columns and encoded blocks) is computed once, when it is made: the store sums it on every
 * commit.
 */
public final class Run {

    private final ColumnData[] parts;
    /** Per part, its rows as encoded blocks, or null; the array itself is null when no part has them. */
    private final EncodedBlocks[] encoded;

    private final long lsn;
    private final long sizeBytes;

    /**
     * @param parts the rows, each part non-empty and sorted by time (stable), parts in time order
     * @param lsn the highest write-ahead-log sequence number whose rows this run holds
     */
    public Run(ColumnData[] parts, long lsn) {
        this(parts, null, lsn);
    }

    /**
     * @param parts the rows, each part non-empty and sorted by time (stable), parts in time order
     * @param encoded null, or per part its rows encoded as blocks (null entries for parts without)
     * @param lsn the highest write-ahead-log sequence number whose rows this run holds
     */
    public Run(ColumnData[] parts, EncodedBlocks[] encoded, long lsn) {
        if (encoded != null && encoded.length != parts.length) {
            throw new IllegalArgumentException("one entry of encoded blocks per part");
        }
        long bytes = 0;
        for (int p = 0; p < parts.length; p++) {
            ColumnData part = parts[p];
            if (part.size() == 0) {
                throw new IllegalArgumentException("a run's parts must not be empty");
            }
            bytes += part.sizeBytes();
            if (encoded != null && encoded[p] != null) {
                if (encoded[p].totalRows() != part.size()) {
                    throw new IllegalArgumentException(
                            "encoded blocks hold " + encoded[p].totalRows() + " rows, their part " + part.size());
                }
                bytes += encoded[p].sizeBytes();
            }
        }
        this.parts = parts;
        this.encoded = encoded;
        this.lsn = lsn;
        this.sizeBytes = bytes;
    }

    public Run(ColumnData rows, long lsn) {
        this(new ColumnData[] {rows}, lsn);
    }

    /** One part, with its rows' encoded blocks (or null). */
    public Run(ColumnData rows, EncodedBlocks blocks, long lsn) {
        this(new ColumnData[] {rows}, blocks == null ? null : new EncodedBlocks[] {blocks}, lsn);
    }

    /** Part {@code part}'s rows as encoded blocks, or null when it has none. */
    public EncodedBlocks encoded(int part) {
        return encoded == null ? null : encoded[part];
    }

    /** The parts; callers must not modify the array or the column data. */
    public ColumnData[] parts() {
        return parts;
    }

    /** The highest write-ahead-log sequence number whose rows this run holds. */
    public long lsn() {
        return lsn;
    }

    public int size() {
        int total = 0;
        for (ColumnData part : parts) {
            total += part.size();
        }
        return total;
    }

    public long minTs() {
        return parts[0].ts(0);
    }

    public long maxTs() {
        ColumnData last = parts[parts.length - 1];
        return last.ts(last.size() - 1);
    }

    public long sizeBytes() {
        return sizeBytes;
    }

    /** True when {@code newer} can follow this run without reordering any row. */
    public boolean canAppend(Run newer) {
        return newer.minTs() >= maxTs();
    }

    /** This run followed by {@code newer}, which must start no earlier than this run ends. Copies no rows. */
    public Run append(Run newer) {
        ColumnData[] joined = Arrays.copyOf(parts, parts.length + newer.parts.length);
        System.arraycopy(newer.parts, 0, joined, parts.length, newer.parts.length);
        EncodedBlocks[] joinedBlocks = null;
        if (encoded != null || newer.encoded != null) {
            joinedBlocks = new EncodedBlocks[joined.length];
            if (encoded != null) {
                System.arraycopy(encoded, 0, joinedBlocks, 0, parts.length);
            }
            if (newer.encoded != null) {
                System.arraycopy(newer.encoded, 0, joinedBlocks, parts.length, newer.parts.length);
            }
        }
        return new Run(joined, joinedBlocks, Math.max(lsn, newer.lsn));
    }

    /** All rows in one column data (the only part, or a copy of all parts). */
    public ColumnData rows() {
        if (parts.length == 1) {
            return parts[0];
        }
        ColumnData all = new ColumnData(parts[0].table(), size());
        for (ColumnData part : parts) {
            all.appendRange(part, 0, part.size());
        }
        return all;
    }

    /** Merges two runs into one sorted run; on equal times rows of {@code older} come first. */
    public static Run merge(Run older, Run newer) {
        if (older.canAppend(newer)) {
            return older.append(newer);
        }
        ColumnData a = older.rows();
        ColumnData b = newer.rows();
        ColumnData merged = new ColumnData(a.table(), a.size() + b.size());
        int i = 0;
        int j = 0;
        while (i < a.size() && j < b.size()) {
            if (b.ts(j) < a.ts(i)) {
                int end = j + 1;
                long limit = a.ts(i);
                while (end < b.size() && b.ts(end) < limit) {
                    end++;
                }
                merged.appendRange(b, j, end);
                j = end;
            } else {
                int end = i + 1;
                long limit = b.ts(j);
                while (end < a.size() && a.ts(end) <= limit) {
                    end++;
                }
                merged.appendRange(a, i, end);
                i = end;
            }
        }
        merged.appendRange(a, i, a.size());
        merged.appendRange(b, j, b.size());
        return new Run(merged, Math.max(older.lsn(), newer.lsn()));
    }

    @Override
    public String toString() {
        return "Run[rows=" + size() + ", parts=" + parts.length + ", lsn=" + lsn + "]";
    }
}
