package dev.tickvault.store;

import java.util.List;

/**
 * Rows and bytes on disk per table and partition, as {@code tickvault stats} prints them.
 *
 * @param autoArchivedPartitions partitions the automatic archive step ({@link StoreConfig#archiveAfterDays()}) of
 *     this open store archived so far (0 when it is off, and in a read-only view)
 * @param autoArchiveFailures passes of that step that failed so far (each logged; the first of a series as a warning)
 */
public record StoreStats(
        List<PartitionStats> partitions,
        long walBytes,
        long memtableRows,
        long autoArchivedPartitions,
        long autoArchiveFailures) {

    /** Stats without an automatic archive step. */
    public StoreStats(List<PartitionStats> partitions, long walBytes, long memtableRows) {
        this(partitions, walBytes, memtableRows, 0, 0);
    }

    /** One partition: a table's rows of one series on one UTC day. */
    public record PartitionStats(
            String table, String exchange, String symbol, String day, long rows, long bytesOnDisk, int files) {

        public double bytesPerRow() {
            return rows == 0 ? 0 : (double) bytesOnDisk / rows;
        }
    }

    public long totalRows() {
        return partitions.stream().mapToLong(PartitionStats::rows).sum();
    }

    public long totalBytesOnDisk() {
        return partitions.stream().mapToLong(PartitionStats::bytesOnDisk).sum();
    }
}
