package dev.tickvault.feed.kraken;

import dev.tickvault.feed.FeedConnection;
import dev.tickvault.feed.FeedSink;
import dev.tickvault.feed.FeedStats;
import dev.tickvault.feed.book.BookSide;
import dev.tickvault.feed.book.OrderBook;
import dev.tickvault.feed.json.ParsedLevels;
import dev.tickvault.model.BookUpdate;
import dev.tickvault.model.GapMarker;
import dev.tickvault.model.SeriesKey;
import dev.tickvault.model.Side;

/**
 * The book of one Kraken pair and its sync state, shared by the v1 and v2 handlers (the book rules are the same).
 *
 * <ul>
 *   <li>A snapshot replaces the book and is written as a snapshot run; if the book was out of sync before, a gap
 *       marker from the last verified update to the snapshot is written first.
 *   <li>An update sets every level of the message in order (zero deletes), then the book is truncated to the
 *       subscribed depth as Kraken requires. The levels truncated away are written as zero-quantity rows of the same
 *       event, so the stored stream rebuilds exactly this book; the event's last row carries {@link
 *       BookUpdate#EVENT_END}.
 *   <li>While out of sync (checksum mismatch, connection lost) updates are ignored until the next snapshot.
 * </ul>
 *
 * Not thread-safe: owned by one handler.
 */
final class KrakenBook {

    /**
     * Feed time between two resubscriptions of one pair: a mismatch sooner than this after the last one waits for
     * the handler's timer, so a systematic mismatch cannot turn into a request storm (Kraken rate-limits requests).
     */
    static final long MIN_RESUBSCRIBE_INTERVAL_NANOS = 5_000_000_000L;

    final SeriesKey series;
    final String symbol;
    final int depth;
    final OrderBook book;
    private final ParsedLevels truncated;

    /** The connection the book is kept from: claimed by the snapshot it sent (see {@link KrakenBooks}). */
    FeedConnection connection;

    private boolean synced;
    private long lastEventTsNanos;
    private long lastVerifiedTsNanos;
    private String pendingGapReason;
    private long pendingGapFromNanos;
    private long lastCheckpointNanos;
    private long checksumsVerified;
    private long checksumMismatches;
    private long lastResubscribeNanos = Long.MIN_VALUE;
    private boolean resubscribePending;

    KrakenBook(SeriesKey series, String symbol, int depth, int maxLevelsPerMessage) {
        this.series = series;
        this.symbol = symbol;
        this.depth = depth;
        this.book = new OrderBook(series, depth + maxLevelsPerMessage);
        this.truncated = new ParsedLevels(2 * maxLevelsPerMessage);
    }

    boolean synced() {
        return synced;
    }

    long checksumsVerified() {
        return checksumsVerified;
    }

    long checksumMismatches() {
        return checksumMismatches;
    }

    long lastEventTsNanos() {
        return lastEventTsNanos;
    }

    /** Replaces the book with {@code levels}; returns the rows written. */
    int applySnapshot(ParsedLevels levels, long tsNanos, long recvTsNanos, FeedSink sink, FeedStats stats) {
        writePendingGap(tsNanos, sink, stats);
        book.clear();
        levels.applyTo(book);
        book.truncate(depth);
        int rows = book.writeSnapshot(sink, tsNanos, recvTsNanos, 0, 0, 0);
        stats.bookUpdates.add(rows);
        synced = true;
        lastEventTsNanos = tsNanos;
        lastVerifiedTsNanos = tsNanos;
        lastCheckpointNanos = recvTsNanos;
        return rows;
    }

    /** Applies one update message (ignored while out of sync); returns the rows written. */
    int applyUpdate(ParsedLevels levels, long tsNanos, long recvTsNanos, FeedSink sink, FeedStats stats) {
        if (!synced) {
            return 0;
        }
        levels.applyTo(book);
        truncated.clear();
        collectBeyondDepth(book.bids(), Side.BUY);
        collectBeyondDepth(book.asks(), Side.SELL);
        book.truncate(depth);
        int total = levels.size() + truncated.size();
        levels.writeUpdate(sink, series, tsNanos, recvTsNanos, truncated.size() == 0);
        for (int i = 0; i < truncated.size(); i++) {
            sink.bookLevel(
                    series,
                    tsNanos,
                    recvTsNanos,
                    truncated.side(i),
                    truncated.priceMantissa(i),
                    truncated.priceScale(i),
                    0,
                    truncated.quantityScale(i),
                    0,
                    0,
                    levels.size() + i == total - 1 ? BookUpdate.EVENT_END : 0);
        }
        stats.bookUpdates.add(total);
        lastEventTsNanos = tsNanos;
        return total;
    }

    private void collectBeyondDepth(BookSide side, Side which) {
        for (int level = depth; level < side.size(); level++) {
            truncated.add(which, side.priceMantissa(level), side.priceScale(level), 0, side.quantityScale(level), 0);
        }
    }

    /**
     * Compares the book with the venue's checksum. On a match the book counts as verified up to its last event; on a
     * mismatch it goes out of sync (reason {@code checksum-mismatch}) and the caller must resubscribe.
     */
    boolean verify(long expectedChecksum, KrakenBookChecksum checksum) {
        if (checksum.compute(book) == expectedChecksum) {
            checksumsVerified++;
            lastVerifiedTsNanos = lastEventTsNanos;
            return true;
        }
        checksumMismatches++;
        markOutOfSync("checksum-mismatch");
        return false;
    }

    /**
     * Whether a resubscription may be sent now; if not, it is remembered and {@link #resubscribeDue} answers true
     * once the interval has passed.
     */
    boolean tryResubscribe(long nowNanos) {
        if (lastResubscribeNanos != Long.MIN_VALUE
                && nowNanos - lastResubscribeNanos < MIN_RESUBSCRIBE_INTERVAL_NANOS) {
            resubscribePending = true;
            return false;
        }
        lastResubscribeNanos = nowNanos;
        resubscribePending = false;
        return true;
    }

    /** A deferred resubscription whose time has come (the caller sends it); false otherwise. */
    boolean resubscribeDue(long nowNanos) {
        if (resubscribePending && nowNanos - lastResubscribeNanos >= MIN_RESUBSCRIBE_INTERVAL_NANOS) {
            lastResubscribeNanos = nowNanos;
            resubscribePending = false;
            return true;
        }
        return false;
    }

    /** The book can no longer be trusted: a gap is written from the last verified update when a snapshot arrives. */
    void markOutOfSync(String reason) {
        if (synced) {
            pendingGapReason = reason;
            pendingGapFromNanos = lastVerifiedTsNanos;
        }
        synced = false;
    }

    private void writePendingGap(long toNanos, FeedSink sink, FeedStats stats) {
        if (pendingGapReason != null) {
            sink.gap(new GapMarker(
                    series, "book", pendingGapFromNanos, Math.max(pendingGapFromNanos, toNanos), pendingGapReason));
            stats.gaps.increment();
            pendingGapReason = null;
        }
    }

    /** Writes a {@link BookUpdate#CHECKPOINT} snapshot if the book is in sync and the interval has passed. */
    int checkpointIfDue(long nowNanos, long intervalNanos, FeedSink sink, FeedStats stats) {
        if (!synced || nowNanos - lastCheckpointNanos < intervalNanos) {
            return 0;
        }
        lastCheckpointNanos = nowNanos;
        int rows = book.writeSnapshot(sink, lastEventTsNanos, nowNanos, 0, 0, BookUpdate.CHECKPOINT);
        stats.bookUpdates.add(rows);
        return rows;
    }
}
