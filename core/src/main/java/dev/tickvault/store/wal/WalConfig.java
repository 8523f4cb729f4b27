package dev.tickvault.store.wal;

import dev.tickvault.store.Durability;

/**
 * How a {@link WriteAheadLog} behaves.
 *
 * @param durability when appended records are forced to disk
 * @param syncIntervalMillis with {@link Durability#SYNC_INTERVAL}: period of the background fsync
 * @param segmentSizeBytes a new segment is started when the next write would take the active one past this size; a
 *     segment holds more only when a single write (one large record, or one group-commit batch) is larger
 * @param commitBufferBytes capacity of each of the two group-commit buffers; records larger than half of it are
 *     written straight from the caller's buffer instead of being copied. Appenders block while the buffer is full.
 */
public record WalConfig(Durability durability, long syncIntervalMillis, long segmentSizeBytes, int commitBufferBytes) {

    public static final int DEFAULT_COMMIT_BUFFER_BYTES = 1 << 20;

    public WalConfig {
        if (durability == null) {
            throw new IllegalArgumentException("durability must not be null");
        }
        if (syncIntervalMillis <= 0) {
            throw new IllegalArgumentException("syncIntervalMillis must be positive: " + syncIntervalMillis);
        }
        if (segmentSizeBytes < 1024) {
            throw new IllegalArgumentException("segmentSizeBytes must be at least 1 KiB: " + segmentSizeBytes);
        }
        if (commitBufferBytes < 1024) {
            throw new IllegalArgumentException("commitBufferBytes must be at least 1 KiB: " + commitBufferBytes);
        }
    }

    public WalConfig(Durability durability, long syncIntervalMillis, long segmentSizeBytes) {
        this(durability, syncIntervalMillis, segmentSizeBytes, DEFAULT_COMMIT_BUFFER_BYTES);
    }

    /** SYNC_EVERY_COMMIT, 100 ms interval (unused), 64 MiB segments, 1 MiB commit buffers. */
    public static WalConfig defaults() {
        return new WalConfig(Durability.SYNC_EVERY_COMMIT, 100, 64L << 20);
    }
}
