package dev.tickvault.store.engine;

import dev.tickvault.store.memtable.ColumnData;
import java.util.List;

/**
 * Merges time-ordered sources into one time-ordered stream, a run of consecutive rows of one source at a time.
 * Sources are given oldest first; on equal times the older source's rows come first, so rows keep their commit
 * order. With one source, a run is a whole decoded block range: no per-row comparison at all.
 */
final class MergingRowCursor {

    private final RowSource[] sources;
    private final boolean[] live;
    private int current = -1;
    private int runStart;
    private int runLength;
    private boolean started;

    MergingRowCursor(List<RowSource> sources) {
        // Not toArray(RowSource[]::new): a method reference's first use spins a class (~2-5 ms on a first query).
        this.sources = sources.toArray(new RowSource[0]);
        this.live = new boolean[this.sources.length];
    }

    /**
     * Consumes the previous run and moves to the next: rows {@code [row(), row() + n)} of {@link #data()}, where
     * {@code n} is returned (0 at the end).
     */
    int nextRun() {
        if (closed) {
            return 0;
        }
        if (!started) {
            started = true;
            for (int i = 0; i < sources.length; i++) {
                live[i] = sources[i].start();
            }
        } else if (current >= 0) {
            live[current] = sources[current].skip(runLength);
        }
        int best = -1;
        long bestTs = Long.MAX_VALUE;
        for (int i = 0; i < sources.length; i++) {
            if (live[i]) {
                long ts = sources[i].data().ts(sources[i].row());
                if (best < 0 || ts < bestTs) {
                    best = i;
                    bestTs = ts;
                }
            }
        }
        current = best;
        if (best < 0) {
            runLength = 0;
            return 0;
        }
        RowSource source = sources[best];
        // The run ends before the first row that another source must emit first: a row with a smaller time, or
        // an equal time from an older source (lower index).
        long limit = Long.MAX_VALUE;
        boolean limitInclusive = true;
        for (int i = 0; i < sources.length; i++) {
            if (i != best && live[i]) {
                long ts = sources[i].data().ts(sources[i].row());
                if (ts < limit || (ts == limit && i < best)) {
                    limit = ts;
                    limitInclusive = i > best;
                }
            }
        }
        runStart = source.row();
        int end = source.end();
        if (limit != Long.MAX_VALUE || !limitInclusive) {
            end = Math.min(end, upperBound(source.data(), runStart, end, limit, limitInclusive));
        }
        runLength = end - runStart;
        return runLength;
    }

    private static int upperBound(ColumnData data, int from, int to, long limit, boolean inclusive) {
        long[] ts = data.longs(0);
        int lo = from;
        int hi = to;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (ts[mid] < limit || (inclusive && ts[mid] == limit)) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    ColumnData data() {
        return sources[current].data();
    }

    /** First row of the current run. */
    int row() {
        return runStart;
    }

    private boolean closed;

    /**
     * Closes every source (their block buffers go to the next query of this thread, see {@link SpareBlocks}); {@link
     * #nextRun()} returns 0 from then on. The data of earlier runs must not be read after this.
     */
    void close() {
        if (!closed) {
            closed = true;
            current = -1;
            for (RowSource source : sources) {
                source.close();
            }
        }
    }
}
