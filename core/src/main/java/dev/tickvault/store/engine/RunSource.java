package dev.tickvault.store.engine;

import dev.tickvault.store.memtable.ColumnData;
import dev.tickvault.store.memtable.Run;
import dev.tickvault.store.partition.ChunkFile;

/** Rows of an in-memory run with {@code from <= ts < to}, part after part. */
final class RunSource implements RowSource {

    private final Run run;
    private final long fromNanos;
    private final long toNanos;
    /** The block sections an encoded-only part decodes ({@link ChunkFile#ALL_SECTIONS} or a projection's). */
    private final int sections;

    private int partIndex = -1;
    private ColumnData data;
    private int row;
    private int end;

    RunSource(Run run, long fromNanos, long toNanos, int sections) {
        this.run = run;
        this.fromNanos = fromNanos;
        this.toNanos = toNanos;
        this.sections = sections;
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
        int parts = run.partCount();
        while (++partIndex < parts) {
            if (run.partMinTs(partIndex) >= toNanos) {
                break;
            }
            if (run.partMaxTs(partIndex) < fromNanos) {
                continue;
            }
            ColumnData part =
                    run.part(partIndex, sections); // an encoded-only part is decoded here, when the range needs it
            data = part;
            row = part.lowerBound(fromNanos);
            end = part.lowerBound(toNanos);
            if (row < end) {
                return true;
            }
        }
        partIndex = parts;
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
