package dev.tickvault.store.memtable;

/**
 * A stable natural merge sort of row indexes by a long key: rows with equal keys keep their order. The rows are cut
 * into their maximal non-decreasing runs, which are merged pairwise, so rows that are nearly in order (a committed
 * batch is, but for a few venue snapshots stamped with a receive time that sorts before their neighbours) cost one
 * pass to find the runs and one or two merge passes, where a merge sort from single rows makes log2(n) passes.
 */
final class StableIndexSort {

    private StableIndexSort() {}

    /** Row indexes {@code 0..size-1} in the order of {@code keys[row]}, stable. */
    static int[] sortByKey(long[] keys, int size) {
        int[] order = new int[size];
        int[] scratch = new int[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        // runEnds[r]: the end (exclusive) of run r; runs are contiguous from 0.
        int[] runEnds = new int[16];
        int runs = 0;
        for (int i = 1; i <= size; i++) {
            if (i == size || keys[i] < keys[i - 1]) {
                if (runs == runEnds.length) {
                    runEnds = java.util.Arrays.copyOf(runEnds, runs * 2);
                }
                runEnds[runs++] = i;
            }
        }
        while (runs > 1) {
            int merged = 0;
            int lo = 0;
            for (int r = 0; r < runs; r += 2) {
                int mid = runEnds[r];
                int hi = r + 1 < runs ? runEnds[r + 1] : mid;
                merge(keys, order, scratch, lo, mid, hi);
                runEnds[merged++] = hi;
                lo = hi;
            }
            runs = merged;
            int[] swap = order;
            order = scratch;
            scratch = swap;
        }
        return order;
    }

    /** Merges the sorted index ranges {@code [lo, mid)} and {@code [mid, hi)} of {@code from} into {@code to}. */
    private static void merge(long[] keys, int[] from, int[] to, int lo, int mid, int hi) {
        int i = lo;
        int j = mid;
        int k = lo;
        while (i < mid && j < hi) {
            to[k++] = keys[from[j]] < keys[from[i]] ? from[j++] : from[i++];
        }
        System.arraycopy(from, i, to, k, mid - i);
        k += mid - i;
        System.arraycopy(from, j, to, k, hi - j);
    }
}
