package dev.tickvault.output;

import dev.tickvault.feed.book.OrderBook;
import dev.tickvault.store.TradeCursor;
import java.io.IOException;

/** Writes the rows of a trade cursor in one output format: {@link #begin}, {@link #row} per row, {@link #end}. */
public interface TradeOutput {

    void begin() throws IOException;

    /** Writes the cursor's current row. */
    void row(TradeCursor cursor) throws IOException;

    /**
     * Writes the cursor's current row followed by the best bid and offer of {@code book} ({@code null} or empty sides
     * when unknown); only for outputs created with the BBO columns.
     */
    void row(TradeCursor cursor, OrderBook book) throws IOException;

    /** Finishes the document and flushes. */
    void end() throws IOException;
}
