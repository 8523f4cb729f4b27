package dev.tickvault.query;

import dev.tickvault.model.SeriesKey;
import dev.tickvault.model.Side;
import dev.tickvault.store.TickStore;
import dev.tickvault.store.TradeCursor;
import java.util.ArrayList;
import java.util.List;

/**
 * Trades of several series (symbols, venues) merged into one stream in time order: a k-way merge of one {@link
 * TradeCursor} per series over a binary heap. Equal timestamps come out in the order the series were given (then in
 * each series' own order), so the output is deterministic. Memory: one cursor per series, nothing per row.
 *
 * <p>Not thread-safe. Closing it closes every input cursor.
 */
public final class MergedTradeCursor implements TradeCursor {

    private final TradeCursor[] inputs;
    /** Heap of input indexes, ordered by (current ts, index). */
    private final int[] heap;

    private int heapSize;
    private TradeCursor current;
    private boolean started;

    public MergedTradeCursor(List<TradeCursor> inputs) {
        this.inputs = inputs.toArray(TradeCursor[]::new);
        this.heap = new int[this.inputs.length];
    }

    /** Opens one cursor per series over {@code [fromNanos, toNanos)} and merges them. */
    public static MergedTradeCursor open(TickStore store, List<SeriesKey> series, long fromNanos, long toNanos) {
        List<TradeCursor> cursors = new ArrayList<>(series.size());
        try {
            for (SeriesKey key : series) {
                cursors.add(store.trades(key, fromNanos, toNanos));
            }
        } catch (RuntimeException e) {
            cursors.forEach(TradeCursor::close);
            throw e;
        }
        return new MergedTradeCursor(cursors);
    }

    @Override
    public boolean next() {
        if (!started) {
            started = true;
            for (int i = 0; i < inputs.length; i++) {
                if (inputs[i].next()) {
                    heap[heapSize++] = i;
                    siftUp(heapSize - 1);
                }
            }
        } else if (current != null) {
            int top = heap[0];
            if (inputs[top].next()) {
                siftDown(0);
            } else {
                heap[0] = heap[--heapSize];
                if (heapSize > 0) {
                    siftDown(0);
                }
            }
        }
        current = heapSize > 0 ? inputs[heap[0]] : null;
        return current != null;
    }

    private boolean before(int a, int b) {
        long ta = inputs[a].tsNanos();
        long tb = inputs[b].tsNanos();
        return ta < tb || (ta == tb && a < b);
    }

    private void siftUp(int at) {
        int item = heap[at];
        while (at > 0) {
            int parent = (at - 1) >>> 1;
            if (!before(item, heap[parent])) {
                break;
            }
            heap[at] = heap[parent];
            at = parent;
        }
        heap[at] = item;
    }

    private void siftDown(int at) {
        int item = heap[at];
        while (true) {
            int child = 2 * at + 1;
            if (child >= heapSize) {
                break;
            }
            if (child + 1 < heapSize && before(heap[child + 1], heap[child])) {
                child++;
            }
            if (!before(heap[child], item)) {
                break;
            }
            heap[at] = heap[child];
            at = child;
        }
        heap[at] = item;
    }

    private TradeCursor current() {
        if (current == null) {
            throw new IllegalStateException("no current row: call next() first");
        }
        return current;
    }

    @Override
    public SeriesKey series() {
        return current().series();
    }

    @Override
    public long tsNanos() {
        return current().tsNanos();
    }

    @Override
    public long recvTsNanos() {
        return current().recvTsNanos();
    }

    @Override
    public long priceMantissa() {
        return current().priceMantissa();
    }

    @Override
    public int priceScale() {
        return current().priceScale();
    }

    @Override
    public long quantityMantissa() {
        return current().quantityMantissa();
    }

    @Override
    public int quantityScale() {
        return current().quantityScale();
    }

    @Override
    public Side side() {
        return current().side();
    }

    @Override
    public long tradeId() {
        return current().tradeId();
    }

    @Override
    public String tradeIdText() {
        return current().tradeIdText();
    }

    @Override
    public void close() {
        RuntimeException failure = null;
        for (TradeCursor input : inputs) {
            try {
                input.close();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        current = null;
        if (failure != null) {
            throw failure;
        }
    }
}
