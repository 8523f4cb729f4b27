package dev.tickvault.store.wal;

import java.nio.file.Path;

/**
 * One problem {@link WriteAheadLog#verify} found.
 *
 * @param file the segment file
 * @param offset byte offset in the file where the problem starts
 * @param severity whether it loses acknowledged data or is an ordinary torn tail
 * @param description what is wrong, for people
 */
public record WalProblem(Path file, long offset, Severity severity, String description) {

    /** How bad a problem is. */
    public enum Severity {
        /**
         * Incomplete or checksum-bad bytes at the very end of the newest segment with no valid record after them: what
         * a crash in the middle of a write leaves. {@link WriteAheadLog#open} cuts them off and goes on; a warning.
         */
        TORN_TAIL,
        /** Damage that open refuses to repair (checksum-bad record followed by valid ones, LSN gap, bad header). */
        CORRUPT,
        /** A file with an unknown magic number or format version. */
        FORMAT_VERSION
    }

    @Override
    public String toString() {
        return severity + " " + description + " [file=" + file + ", offset=" + offset + "]";
    }
}
