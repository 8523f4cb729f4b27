package dev.tickvault.store;

import java.util.List;

/** Rows and bytes on disk per table and partition, as {@code tickvault stats} prints them. */
public record StoreStats(List<PartitionStats> partitions, long walBytes, long memtableRows) {

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
