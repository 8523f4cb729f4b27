package dev.tickvault.store.wal;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@link WriteAheadLog#open} found and repaired.
 *
 * @param segmentsScanned segment files checked
 * @param recordsRecovered valid records found in them
 * @param bytesTruncated bytes cut from the end of the newest segment (a torn or damaged tail), 0 if none
 * @param truncatedFiles the files that were cut (at most the newest segment)
 * @param lastLsn LSN of the last valid record, or {@code firstLsn - 1} of the newest segment if it holds none
 */
public record RecoveryReport(
        int segmentsScanned, long recordsRecovered, long bytesTruncated, List<Path> truncatedFiles, long lastLsn) {

    public RecoveryReport {
        truncatedFiles = List.copyOf(truncatedFiles);
    }

    /** True when nothing had to be cut. */
    public boolean clean() {
        return bytesTruncated == 0;
    }
}
