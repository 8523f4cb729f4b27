package dev.tickvault.feed.coinbase;

import dev.tickvault.feed.FeedConnection;
import dev.tickvault.feed.FeedSink;
import dev.tickvault.feed.FeedStats;
import dev.tickvault.feed.book.OrderBook;
import dev.tickvault.feed.json.ParsedLevels;
import dev.tickvault.model.BookUpdate;
import dev.tickvault.model.GapMarker;
import dev.tickvault.model.SeriesKey;

/**
 * One Coinbase product's book and trade state, shared by the Exchange and Advanced Trade handlers.
 *
 * <p>Book: a snapshot replaces it (written as a snapshot run, preceded by a gap marker if the book was out of sync);
 * updates set levels (zero deletes) and are written with {@link BookUpdate#EVENT_END} on the event's last level.
 * Coinbase's level2 carries no sequence numbers and no checksum, so the one consistency check available is that the
 * book never crosses: after every event a crossed book puts the product out of sync (the handler resubscribes).
 * While out of sync, updates are ignored until the next snapshot.
 *
 * <p>Row times never go back within a product: an event older than the last one written (an update whose {@code
 * event_time} precedes the snapshot it applies on, stamped with its message or receive time; or a snapshot older than
 * the updates before it) is written at the last time. The store orders rows by time, so this keeps its order the order
 * the rows were applied here, and a reader rebuilds the same book.
 *
 * <p>Not thread-safe: owned by one handler.
 */
final class CoinbaseProduct {

    final String name;
    final SeriesKey series;
    /** Position in the handler's product list (orders trades of one frame by product, then id). */
    int index;

    final OrderBook book;

    /**
     * The connection the book is kept from, claimed by the snapshot it sent: while a replacement connection overlaps
     * the old one the book switches over at the new snapshot and the other connection's updates are skipped.
     */
    FeedConnection bookConnection;
    /** The connection that last subscribed trades (a close there means trades may be missing). */
    FeedConnection tradeConnection;

    long lastTradeId = -1;
    long lastTradeTsNanos;
    long lastSequence = -1;
    String tradeGapReason;

    private boolean synced;
    private long lastEventTsNanos;
    private String pendingGapReason;
    private long pendingGapFromNanos;
    private long lastCheckpointNanos;
    private long crossedEvents;

    CoinbaseProduct(String name, SeriesKey series, int maxLevelsPerSide) {
        this.name = name;
        this.series = series;
        this.book = new OrderBook(series, maxLevelsPerSide);
    }

    boolean synced() {
        return synced;
    }

    /**
     * Whether a book message from {@code connection} is to be applied: a snapshot claims the book for its connection
     * (the snapshot's connection keeps the book from now on); an update from another connection (an overlapping
     * replacement) is counted as a duplicate and skipped.
     */
    boolean acceptsBook(FeedConnection connection, boolean snapshot, FeedStats stats) {
        if (snapshot) {
            bookConnection = connection;
            return true;
        }
        if (bookConnection != connection) {
            stats.duplicatesSkipped.increment();
            return false;
        }
        return true;
    }

    long crossedEvents() {
        return crossedEvents;
    }

    /** Replaces the book; returns false if the snapshot itself is crossed (the product is then out of sync). */
    boolean applySnapshot(ParsedLevels levels, long eventTsNanos, long recvTsNanos, FeedSink sink, FeedStats stats) {
        long tsNanos = Math.max(eventTsNanos, lastEventTsNanos);
        if (pendingGapReason != null) {
            sink.gap(new GapMarker(
                    series, "book", pendingGapFromNanos, Math.max(pendingGapFromNanos, tsNanos), pendingGapReason));
            stats.gaps.increment();
            pendingGapReason = null;
        }
        book.clear();
        levels.applyTo(book);
        stats.bookUpdates.add(book.writeSnapshot(sink, tsNanos, recvTsNanos, 0, 0, 0));
        synced = true;
        lastEventTsNanos = tsNanos;
        lastCheckpointNanos = recvTsNanos;
        return checkNotCrossed();
    }

    /**
     * Applies one event's levels (ignored while out of sync); returns false if the book is crossed afterwards (the
     * product is then out of sync and must be resubscribed).
     */
    boolean applyUpdate(ParsedLevels levels, long eventTsNanos, long recvTsNanos, FeedSink sink, FeedStats stats) {
        if (!synced) {
            return true;
        }
        long tsNanos = Math.max(eventTsNanos, lastEventTsNanos);
        levels.applyTo(book);
        levels.writeUpdate(sink, series, tsNanos, recvTsNanos, true);
        stats.bookUpdates.add(levels.size());
        lastEventTsNanos = tsNanos;
        return checkNotCrossed();
    }

    private boolean checkNotCrossed() {
        if (book.isCrossed()) {
            crossedEvents++;
            markOutOfSync("crossed-book");
            return false;
        }
        return true;
    }

    /** The book can no longer be trusted: the next snapshot writes a gap from the last event. */
    void markOutOfSync(String reason) {
        if (synced) {
            pendingGapReason = reason;
            pendingGapFromNanos = lastEventTsNanos;
        }
        synced = false;
    }

    /** Writes a {@link BookUpdate#CHECKPOINT} snapshot if in sync and the interval has passed. */
    void checkpointIfDue(long nowNanos, long intervalNanos, FeedSink sink, FeedStats stats) {
        if (synced && nowNanos - lastCheckpointNanos >= intervalNanos) {
            lastCheckpointNanos = nowNanos;
            stats.bookUpdates.add(book.writeSnapshot(sink, lastEventTsNanos, nowNanos, 0, 0, BookUpdate.CHECKPOINT));
        }
    }
}
