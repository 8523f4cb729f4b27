package dev.tickvault.store.engine;

import dev.tickvault.store.memtable.ColumnData;
import java.util.List;

/**
 * Merges time-ordered sources into one time-ordered stream. Sources are given oldest first; on equal times the
 * older source's row comes first, so rows keep their commit order. With one source it adds no comparisons.
 */
final class MergingRowCursor {

    private final RowSource[] sources;
    private final boolean[] live;
    private int current = -1;
    private boolean started;

    MergingRowCursor(List<RowSource> sources) {
        this.sources = sources.toArray(RowSource[]::new);
        this.live = new boolean[this.sources.length];
    }

    boolean next() {
        if (!started) {
            started = true;
            for (int i = 0; i < sources.length; i++) {
                live[i] = sources[i].advance();
            }
        } else if (current >= 0) {
            live[current] = sources[current].advance();
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
        return best >= 0;
    }

    ColumnData data() {
        return sources[current].data();
    }

    int row() {
        return sources[current].row();
    }
}
