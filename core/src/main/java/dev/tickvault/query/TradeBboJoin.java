package dev.tickvault.query;

import dev.tickvault.feed.book.OrderBook;
import dev.tickvault.model.SeriesKey;
import dev.tickvault.store.TickStore;
import dev.tickvault.store.TradeCursor;
import java.util.HashMap;
import java.util.Map;

/**
 * As-of join: each trade of a cursor (one series or a {@link MergedTradeCursor}) with the best bid and offer
 * prevailing at its timestamp, i.e. the book after every event with {@code ts <= trade ts} (an event with the same
 * time as the trade counts as before it). Book streams are opened lazily, one per series, over the same range as the
 * trades, each starting at the newest snapshot before the range; they only move forward, so the whole join is one
 * pass over trades and book updates.
 *
 * <p>Not thread-safe. Closing it closes the trade cursor and the book streams.
 */
public final class TradeBboJoin implements AutoCloseable {

    private final TickStore store;
    private final TradeCursor trades;
    private final long fromNanos;
    private final long toNanos;
    private final BookQueryConfig config;
    private final Map<SeriesKey, BookStream> books = new HashMap<>();
    private BookStream currentBook;

    public TradeBboJoin(TickStore store, TradeCursor trades, long fromNanos, long toNanos, BookQueryConfig config) {
        this.store = store;
        this.trades = trades;
        this.fromNanos = fromNanos;
        this.toNanos = toNanos;
        this.config = config;
    }

    /** Moves to the next trade and brings its series' book to the trade's time; false at the end. */
    public boolean next() {
        if (!trades.next()) {
            currentBook = null;
            return false;
        }
        currentBook = books.computeIfAbsent(
                trades.series(),
                series -> BookStream.open(
                        store, series, fromNanos, toNanos, config.lookbackNanos(), config.maxLevelsPerSide()));
        currentBook.applyUpTo(trades.tsNanos());
        return true;
    }

    /** The current trade. */
    public TradeCursor trade() {
        return trades;
    }

    /** True if the current trade's book is known (a snapshot was found at or before the trade). */
    public boolean hasBook() {
        return currentBook != null && currentBook.synced();
    }

    /** The current trade's book as of its time (read its best levels; don't modify it). */
    public OrderBook book() {
        if (currentBook == null) {
            throw new IllegalStateException("no current trade: call next() first");
        }
        return currentBook.book();
    }

    @Override
    public void close() {
        RuntimeException failure = null;
        for (BookStream book : books.values()) {
            try {
                book.close();
            } catch (RuntimeException e) {
                failure = e;
            }
        }
        trades.close();
        if (failure != null) {
            throw failure;
        }
    }
}
