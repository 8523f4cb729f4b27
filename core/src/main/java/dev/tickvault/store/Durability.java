package dev.tickvault.store;

/** When a commit's write-ahead-log bytes are forced to disk. */
public enum Durability {
    /** Every commit is fsynced before {@code commit()} returns (group commit shares one fsync between writers). */
    SYNC_EVERY_COMMIT,
    /** Commits return once written; a background task fsyncs every {@code syncIntervalMillis}. */
    SYNC_INTERVAL,
    /** Never fsync explicitly: the operating system writes pages back when it likes. */
    OS
}
