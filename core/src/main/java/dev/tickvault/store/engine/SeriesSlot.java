package dev.tickvault.store.engine;

import dev.tickvault.store.memtable.Run;
import dev.tickvault.store.partition.ChunkFile;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The committed rows of one {@link SlotKey}: in-memory runs and chunk files, published together as one immutable
 * {@link State} so that a reader sees every committed row exactly once whatever the flusher is doing. Updates are
 * serialised by the slot's monitor; reads take {@link #state()} without locking.
 */
final class SeriesSlot {

    /**
     * An immutable snapshot. Runs are ordered oldest first; sizes shrink geometrically towards the newest (runs of
     * similar size are merged on publish), so a slot never holds more than ~log2(rows) runs. Chunks are ordered by
     * file sequence (oldest first).
     */
    record State(Run[] runs, int frozenRuns, ChunkFile[] chunks, long flushedLsn) {

        /** Bytes counted against the memory limit ({@link Run#chargedBytes()}). */
        long memoryBytes() {
            long total = 0;
            for (Run run : runs) {
                total += run.chargedBytes();
            }
            return total;
        }

        /** Bytes held ({@link Run#sizeBytes()}): at most {@link #memoryBytes()}. */
        long heldBytes() {
            long total = 0;
            for (Run run : runs) {
                total += run.sizeBytes();
            }
            return total;
        }
    }

    private final SlotKey key;
    private final List<String> corruptFiles;
    private volatile State state;
    private TradeIdWindow tradeIds;

    SeriesSlot(SlotKey key, List<ChunkFile> chunks) {
        this(key, chunks, List.of());
    }

    /**
     * @param corruptFiles chunk files of this slot that failed their checks at open, with the reason: every query of
     *     the slot reports them rather than return partial data
     */
    SeriesSlot(SlotKey key, List<ChunkFile> chunks, List<String> corruptFiles) {
        this.key = key;
        this.corruptFiles = List.copyOf(corruptFiles);
        long flushed = 0;
        for (ChunkFile chunk : chunks) {
            flushed = Math.max(flushed, chunk.maxLsn());
        }
        this.state = new State(new Run[0], 0, chunks.toArray(ChunkFile[]::new), flushed);
    }

    SlotKey key() {
        return key;
    }

    /** The deduplication window, or null before its first use. Accessed only in commit order. */
    TradeIdWindow tradeIds() {
        return tradeIds;
    }

    void tradeIds(TradeIdWindow window) {
        tradeIds = window;
    }

    List<String> corruptFiles() {
        return corruptFiles;
    }

    State state() {
        return state;
    }

    /** Publishes a committed run; returns the change in memory counted against the limit (bytes). */
    synchronized long publish(Run run) {
        State current = state;
        long before = current.memoryBytes();
        List<Run> runs = new ArrayList<>(Arrays.asList(current.runs()));
        int tail = runs.size() - 1;
        if (tail >= current.frozenRuns() && runs.get(tail).canAppend(run)) {
            runs.set(tail, runs.get(tail).append(run)); // in-order commit: no copy
        } else {
            runs.add(run);
        }
        // Keep sizes geometric: merge the newest run into its predecessor while it is at least half as big.
        // Runs frozen by a flush in progress are never merged (the flush replaces exactly those).
        while (runs.size() > current.frozenRuns() + 1) {
            Run last = runs.get(runs.size() - 1);
            Run previous = runs.get(runs.size() - 2);
            if (last.size() * 2L < previous.size()) {
                break;
            }
            runs.remove(runs.size() - 1);
            runs.set(runs.size() - 1, Run.merge(previous, last));
        }
        State next = new State(runs.toArray(Run[]::new), current.frozenRuns(), current.chunks(), current.flushedLsn());
        state = next;
        return next.memoryBytes() - before;
    }

    /** Freezes the current runs for a flush and returns them (oldest first); empty when there is nothing to flush. */
    synchronized Run[] freeze() {
        State current = state;
        if (current.frozenRuns() != 0) {
            throw new IllegalStateException("a flush of " + key + " is already in progress");
        }
        state = new State(current.runs(), current.runs().length, current.chunks(), current.flushedLsn());
        return current.runs();
    }

    /**
     * Replaces the frozen runs (those the flush wrote out) by the chunk files it wrote. Returns the
     * memory released, as counted against the limit (bytes).
     */
    synchronized long replaceFlushed(List<ChunkFile> written, long flushedLsn) {
        State current = state;
        int flushedRuns = current.frozenRuns();
        long before = current.memoryBytes();
        Run[] remaining = Arrays.copyOfRange(current.runs(), flushedRuns, current.runs().length);
        ChunkFile[] chunks = Arrays.copyOf(current.chunks(), current.chunks().length + written.size());
        for (int i = 0; i < written.size(); i++) {
            chunks[current.chunks().length + i] = written.get(i);
        }
        State next = new State(remaining, 0, chunks, Math.max(current.flushedLsn(), flushedLsn));
        state = next;
        return before - next.memoryBytes();
    }

    /**
     * Replaces the chunk files {@code superseded} (all of them in this slot's state) by {@code archive}, which holds
     * their rows, at the place of the last of them in the chunk order (the newest flush it covers). Runs are kept.
     */
    synchronized void replaceArchived(List<ChunkFile> superseded, ChunkFile archive) {
        State current = state;
        List<ChunkFile> chunks = new ArrayList<>(current.chunks().length);
        int left = superseded.size();
        for (ChunkFile chunk : current.chunks()) {
            if (superseded.contains(chunk)) {
                if (--left == 0) {
                    chunks.add(archive);
                }
            } else {
                chunks.add(chunk);
            }
        }
        if (left != 0) {
            throw new IllegalStateException("archived chunk files are no longer all in " + key);
        }
        state = new State(current.runs(), current.frozenRuns(), chunks.toArray(new ChunkFile[0]), current.flushedLsn());
    }

    /** Ends a failed flush: the frozen runs stay in memory and may be merged again. */
    synchronized void unfreeze() {
        State current = state;
        state = new State(current.runs(), 0, current.chunks(), current.flushedLsn());
    }
}
