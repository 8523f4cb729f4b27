package dev.tickvault.feed.transport;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with full jitter: the delay before attempt {@code n} (0-based) is uniform in {@code [0,
 * min(max, base × 2^n)]}, so a crowd of clients that lost the same server doesn't reconnect in lock step.
 */
public record ReconnectBackoff(Duration base, Duration max) {

    public ReconnectBackoff {
        if (base.isNegative() || base.isZero() || max.compareTo(base) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < base <= max: base=" + base + " max=" + max);
        }
    }

    /** The ceiling of the delay before attempt {@code attempt} (0-based): {@code min(max, base × 2^attempt)}. */
    public long ceilingNanos(int attempt) {
        long baseNanos = base.toNanos();
        long maxNanos = max.toNanos();
        int shift = Math.min(Math.max(attempt, 0), 40);
        long ceiling = baseNanos << shift;
        return ceiling <= 0 || ceiling > maxNanos || (ceiling >> shift) != baseNanos ? maxNanos : ceiling;
    }

    /** A random delay in {@code [0, ceilingNanos(attempt)]}. */
    public long delayNanos(int attempt) {
        return ThreadLocalRandom.current().nextLong(ceilingNanos(attempt) + 1);
    }
}
