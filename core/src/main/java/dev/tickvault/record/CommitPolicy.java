package dev.tickvault.record;

/**
 * When a {@link StoreFeedSink} commits: after {@code maxRows} rows, or when {@code maxDelayNanos} have passed since
 * the first uncommitted row (checked at the end of each frame and on the handler's timer), whichever comes first.
 * Rows are only ever committed at frame boundaries, so a frame's rows are stored all or none.
 */
public record CommitPolicy(int maxRows, long maxDelayNanos) {

    public CommitPolicy {
        if (maxRows < 1) {
            throw new IllegalArgumentException("maxRows must be at least 1: " + maxRows);
        }
        if (maxDelayNanos < 0) {
            throw new IllegalArgumentException("maxDelayNanos must not be negative: " + maxDelayNanos);
        }
    }

    /** Live recording: at most 10 ms or 16,384 rows between commits. */
    public static CommitPolicy live() {
        return new CommitPolicy(16_384, 10_000_000L);
    }

    /** Replay and import: large commits, by row count only. */
    public static CommitPolicy bulk() {
        return new CommitPolicy(262_144, Long.MAX_VALUE);
    }
}
