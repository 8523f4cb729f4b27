package dev.tickvault.feed.binance;

import dev.tickvault.model.SeriesKey;

/**
 * A Binance depth diff ({@code depthUpdate}) or REST depth snapshot, parsed into reusable primitive storage. The parser
 * hands out one instance per message and overwrites it with the next; the book sync copies the ones it must keep
 * (diffs buffered while a snapshot is awaited). Not thread-safe.
 *
 * <p>For a snapshot {@link #firstUpdateId()} and {@link #lastUpdateId()} both hold {@code lastUpdateId}, and {@link
 * #series()} is {@code null} (a REST body does not name its symbol: the request URL does).
 */
public final class DepthEvent {

    /** Marks a field the message did not carry. */
    public static final long ABSENT = Long.MIN_VALUE;

    SeriesKey series;
    long firstUpdateId = ABSENT;
    long lastUpdateId = ABSENT;
    long previousUpdateId = ABSENT;
    long eventTimeMillis = ABSENT;
    long transactionTimeMillis = ABSENT;
    final DepthLevels bids = new DepthLevels();
    final DepthLevels asks = new DepthLevels();

    void clear() {
        series = null;
        firstUpdateId = ABSENT;
        lastUpdateId = ABSENT;
        previousUpdateId = ABSENT;
        eventTimeMillis = ABSENT;
        transactionTimeMillis = ABSENT;
        bids.clear();
        asks.clear();
    }

    void copyFrom(DepthEvent other) {
        series = other.series;
        firstUpdateId = other.firstUpdateId;
        lastUpdateId = other.lastUpdateId;
        previousUpdateId = other.previousUpdateId;
        eventTimeMillis = other.eventTimeMillis;
        transactionTimeMillis = other.transactionTimeMillis;
        bids.copyFrom(other.bids);
        asks.copyFrom(other.asks);
    }

    public SeriesKey series() {
        return series;
    }

    /** {@code U} (a snapshot: its {@code lastUpdateId}). */
    public long firstUpdateId() {
        return firstUpdateId;
    }

    /** {@code u} (a snapshot: its {@code lastUpdateId}). */
    public long lastUpdateId() {
        return lastUpdateId;
    }

    /** {@code pu} (USD-M futures), else {@link #ABSENT}. */
    public long previousUpdateId() {
        return previousUpdateId;
    }

    /** {@code E}, or {@link #ABSENT} (spot snapshots). */
    public long eventTimeMillis() {
        return eventTimeMillis;
    }

    /** {@code T} (USD-M futures), or {@link #ABSENT}. */
    public long transactionTimeMillis() {
        return transactionTimeMillis;
    }

    /**
     * The venue's time of this event in ns: {@code T} where present (the matching engine's time), else {@code E}, else
     * {@code fallbackNanos}.
     */
    public long venueTimeNanos(long fallbackNanos) {
        if (transactionTimeMillis != ABSENT) {
            return transactionTimeMillis * 1_000_000L;
        }
        return eventTimeMillis != ABSENT ? eventTimeMillis * 1_000_000L : fallbackNanos;
    }

    public DepthLevels bids() {
        return bids;
    }

    public DepthLevels asks() {
        return asks;
    }
}
