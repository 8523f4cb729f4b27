package dev.tickvault.store.memtable;

/** A stable merge sort of row indexes by a long key: rows with equal keys keep their order. */
final class StableIndexSort {

    private StableIndexSort() {}

    static int[] sortByKey(long[] keys, int size) {
        int[] order = new int[size];
        int[] scratch = new int[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        for (int width = 1; width < size; width <<= 1) {
            for (int lo = 0; lo < size; lo += width << 1) {
                int mid = Math.min(lo + width, size);
                int hi = Math.min(lo + (width << 1), size);
                int i = lo;
                int j = mid;
                int k = lo;
                while (i < mid && j < hi) {
                    scratch[k++] = keys[order[j]] < keys[order[i]] ? order[j++] : order[i++];
                }
                while (i < mid) {
                    scratch[k++] = order[i++];
                }
                while (j < hi) {
                    scratch[k++] = order[j++];
                }
            }
            int[] swap = order;
            order = scratch;
            scratch = swap;
        }
        return order;
    }
}
