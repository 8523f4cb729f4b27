package dev.tickvault.store.wal;

import java.lang.foreign.MemorySegment;

/** Receives the records of a {@link WriteAheadLog#replay replay}, in LSN order. */
@FunctionalInterface
public interface RecordHandler {

    /**
     * Called once per record.
     *
     * @param lsn the record's log sequence number
     * @param type the type byte given to {@link WriteAheadLog#append}, 0..255
     * @param payload a read-only view of the payload, valid only during this call (it maps the segment file; copy
     *     what you keep)
     */
    void onRecord(long lsn, int type, MemorySegment payload);
}
