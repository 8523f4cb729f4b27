package dev.tickvault.testing;

import dev.tickvault.feed.book.OrderBook;
import dev.tickvault.model.BookUpdate;
import dev.tickvault.model.SeriesKey;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Rebuilding books from book update rows as a reader does (tests): a row that begins a snapshot (venue or checkpoint)
 * clears the book, and every row sets its level (a zero quantity deletes it).
 */
public final class BookRows {

    private BookRows() {}

    /** Applies one row to {@code book}. */
    public static void apply(OrderBook book, BookUpdate row) {
        if (row.isSnapshotBegin()) {
            book.clear();
        }
        book.set(
                row.side(),
                row.price().mantissa(),
                row.price().scale(),
                row.quantity().mantissa(),
                row.quantity().scale());
    }

    /** The book that all of {@code rows}, applied in order, leave (whatever their series). */
    public static OrderBook rebuild(SeriesKey series, int maxLevelsPerSide, List<BookUpdate> rows) {
        OrderBook book = new OrderBook(series, maxLevelsPerSide);
        for (BookUpdate row : rows) {
            apply(book, row);
        }
        return book;
    }

    /** The books that {@code rows} leave, one per series. */
    public static Map<SeriesKey, OrderBook> rebuildEach(List<BookUpdate> rows, int maxLevelsPerSide) {
        Map<SeriesKey, OrderBook> books = new HashMap<>();
        for (BookUpdate row : rows) {
            apply(books.computeIfAbsent(row.series(), s -> new OrderBook(s, maxLevelsPerSide)), row);
        }
        return books;
    }
}
