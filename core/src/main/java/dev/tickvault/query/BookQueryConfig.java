package dev.tickvault.query;

/**
 * Limits of book queries.
 *
 * @param lookbackNanos how far before the queried instant to search for a snapshot
 * @param maxLevelsPerSide levels kept per side while replaying (levels beyond are dropped farthest first, counted by
 *     the {@link dev.tickvault.feed.book.OrderBook})
 */
public record BookQueryConfig(long lookbackNanos, int maxLevelsPerSide) {

    public BookQueryConfig {
        if (lookbackNanos <= 0) {
            throw new IllegalArgumentException("lookback must be positive: " + lookbackNanos);
        }
        if (maxLevelsPerSide < 1) {
            throw new IllegalArgumentException("maxLevelsPerSide must be at least 1: " + maxLevelsPerSide);
        }
    }

    /** Seven days of lookback, 100,000 levels per side. */
    public static BookQueryConfig defaults() {
        return new BookQueryConfig(7 * BarInterval.NANOS_PER_DAY, 100_000);
    }
}
