package dev.tickvault.store.memtable;

/**
 * Committed rows of one series held in memory, ordered by time: immutable once published.
 *
 * @param rows the rows, sorted by time (stable)
 * @param lsn the highest write-ahead-log sequence number whose rows this run holds
 */
public record Run(ColumnData rows, long lsn) {

    /** Merges two runs into one sorted run; on equal times rows of {@code older} come first. */
    public static Run merge(Run older, Run newer) {
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
}
