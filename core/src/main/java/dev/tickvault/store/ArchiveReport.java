package dev.tickvault.store;

import java.time.LocalDate;
import java.util.List;

/**
 * What {@link TickStore#archive} did: one entry per book partition (series and UTC day) it recompressed into one
 * archived chunk file, and how many closed partitions it left as they were because the memtable still held rows of
 * them (archived by a later call).
 */
public record ArchiveReport(LocalDate before, List<Partition> partitions, int skippedPartitions) {

    public ArchiveReport {
        partitions = List.copyOf(partitions);
    }

    /**
     * One archived partition: {@code filesMerged} chunk files of {@code bytesBefore} bytes replaced by one file of
     * {@code bytesAfter} bytes holding the same {@code rows} rows; {@code cpuNanos} is the archiving thread's CPU time.
     */
    public record Partition(
            String table,
            String exchange,
            String symbol,
            String day,
            int filesMerged,
            long bytesBefore,
            long bytesAfter,
            long rows,
            long cpuNanos) {}

    public long filesMerged() {
        return partitions.stream().mapToLong(Partition::filesMerged).sum();
    }

    public long bytesBefore() {
        return partitions.stream().mapToLong(Partition::bytesBefore).sum();
    }

    public long bytesAfter() {
        return partitions.stream().mapToLong(Partition::bytesAfter).sum();
    }

    public long rows() {
        return partitions.stream().mapToLong(Partition::rows).sum();
    }

    public long cpuNanos() {
        return partitions.stream().mapToLong(Partition::cpuNanos).sum();
    }
}
