package dev.tickvault.store.engine;

import dev.tickvault.store.memtable.ColumnData;
import dev.tickvault.store.memtable.Run;

/** Rows of an in-memory run with {@code from <= ts < to}, part after part. */
final class RunSource implements RowSource {

    private final ColumnData[] parts;
    private final long fromNanos;
    private final long toNanos;
    private int partIndex = -1;
    private ColumnData data;
    private int row;
    private int end;

    RunSource(Run run, long fromNanos, long toNanos) {
        this.parts = run.parts();
        this.fromNanos = fromNanos;
        this.toNanos = toNanos;
    }

    @Override
    public boolean start() {
        return nextPart();
    }

    @Override
    public boolean skip(int n) {
        row += n;
        return row < end || nextPart();
    }

    private boolean nextPart() {
        while (++partIndex < parts.length) {
            ColumnData part = parts[partIndex];
            if (part.ts(0) >= toNanos) {
                break;
            }
            if (part.ts(part.size() - 1) < fromNanos) {
                continue;
            }
            data = part;
            row = part.lowerBound(fromNanos);
            end = part.lowerBound(toNanos);
            if (row < end) {
                return true;
            }
        }
        partIndex = parts.length;
        return false;
    }

    @Override
    public ColumnData data() {
        return data;
    }

    @Override
    public int row() {
        return row;
    }

    @Override
    public int end() {
        return end;
    }
}
