package dev.tickvault.store;

/**
 * How a {@link TickStore} behaves. Start from {@link #defaults()} and change what you need with the {@code with*}
 * methods.
 *
 * @param durability when commits reach the disk
 * @param syncIntervalMillis with {@link Durability#SYNC_INTERVAL}: how often the log is fsynced
 * @param memtableLimitBytes committed rows held in memory before they are flushed to partition files; when the
 *     limit is reached a flush starts, and writers block (back-pressure) while memory is twice the limit. Rows
 *     count at the size of their columns (43 bytes per trade, 52 per book level update: the default 256 MiB holds
 *     ~6M trades), also those an asynchronous commit keeps as its encoded blocks only (~4 bytes per trade held),
 *     because an out-of-order merge or a flush may have to decode them: the limit bounds what the memtable can
 *     take, not only what it holds
 * @param walSegmentSizeBytes size at which the write-ahead log rolls to a new segment file
 * @param compressionLevel zstd level applied on top of the column encodings (0 turns zstd off)
 * @param deduplicateTradeIds drop a trade whose (exchange, symbol, trade id) was already stored
 * @param archiveAfterDays {@link #ARCHIVE_OFF} (the default), or N &ge; 0: a writable store archives, on one
 *     low-priority background thread, the book partitions of UTC days more than N days before today (as {@link
 *     TickStore#archive} with the cutoff today − N) once their rows are all in partition files — after the flushes
 *     that write them, and at least once a minute. Archived book data takes ~2 B per level update instead of ~2.5 but
 *     reads ~30 times slower (the book at an instant ~250 ms instead of ~9 ms): hence opt-in. Days already archived
 *     are left alone (rows that arrive late for one stay in their flush file until {@link TickStore#archive} merges
 *     them). Read-only stores ignore it.
 */
public record StoreConfig(
        Durability durability,
        long syncIntervalMillis,
        long memtableLimitBytes,
        long walSegmentSizeBytes,
        int compressionLevel,
        boolean deduplicateTradeIds,
        int archiveAfterDays) {

    /** {@link #archiveAfterDays()}: nothing is archived automatically. */
    public static final int ARCHIVE_OFF = -1;

    public StoreConfig {
        if (syncIntervalMillis <= 0) {
            throw new IllegalArgumentException("syncIntervalMillis must be positive: " + syncIntervalMillis);
        }
        if (memtableLimitBytes < 1 << 16) {
            throw new IllegalArgumentException("memtableLimitBytes must be at least 64 KiB: " + memtableLimitBytes);
        }
        if (walSegmentSizeBytes < 1 << 16) {
            throw new IllegalArgumentException("walSegmentSizeBytes must be at least 64 KiB: " + walSegmentSizeBytes);
        }
        if (compressionLevel < 0 || compressionLevel > 22) {
            throw new IllegalArgumentException("compressionLevel must be in [0, 22]: " + compressionLevel);
        }
        if (archiveAfterDays < 0 && archiveAfterDays != ARCHIVE_OFF) {
            throw new IllegalArgumentException(
                    "archiveAfterDays must be 0 or more (or ARCHIVE_OFF to archive nothing): " + archiveAfterDays);
        }
    }

    public static StoreConfig defaults() {
        return new StoreConfig(Durability.SYNC_EVERY_COMMIT, 100, 256L << 20, 64L << 20, 3, false, ARCHIVE_OFF);
    }

    public StoreConfig withDurability(Durability value) {
        return new StoreConfig(
                value,
                syncIntervalMillis,
                memtableLimitBytes,
                walSegmentSizeBytes,
                compressionLevel,
                deduplicateTradeIds,
                archiveAfterDays);
    }

    public StoreConfig withSyncIntervalMillis(long value) {
        return new StoreConfig(
                durability,
                value,
                memtableLimitBytes,
                walSegmentSizeBytes,
                compressionLevel,
                deduplicateTradeIds,
                archiveAfterDays);
    }

    public StoreConfig withMemtableLimitBytes(long value) {
        return new StoreConfig(
                durability,
                syncIntervalMillis,
                value,
                walSegmentSizeBytes,
                compressionLevel,
                deduplicateTradeIds,
                archiveAfterDays);
    }

    public StoreConfig withWalSegmentSizeBytes(long value) {
        return new StoreConfig(
                durability,
                syncIntervalMillis,
                memtableLimitBytes,
                value,
                compressionLevel,
                deduplicateTradeIds,
                archiveAfterDays);
    }

    public StoreConfig withCompressionLevel(int value) {
        return new StoreConfig(
                durability,
                syncIntervalMillis,
                memtableLimitBytes,
                walSegmentSizeBytes,
                value,
                deduplicateTradeIds,
                archiveAfterDays);
    }

    public StoreConfig withDeduplicateTradeIds(boolean value) {
        return new StoreConfig(
                durability,
                syncIntervalMillis,
                memtableLimitBytes,
                walSegmentSizeBytes,
                compressionLevel,
                value,
                archiveAfterDays);
    }

    /** Archives closed days automatically, {@code days} after they end ({@link #ARCHIVE_OFF} turns it off). */
    public StoreConfig withArchiveAfterDays(int days) {
        return new StoreConfig(
                durability,
                syncIntervalMillis,
                memtableLimitBytes,
                walSegmentSizeBytes,
                compressionLevel,
                deduplicateTradeIds,
                days);
    }
}
