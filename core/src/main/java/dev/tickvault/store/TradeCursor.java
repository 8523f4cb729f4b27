package dev.tickvault.store;

import dev.tickvault.model.Decimal;
import dev.tickvault.model.SeriesKey;
import dev.tickvault.model.Side;
import dev.tickvault.model.Trade;

/**
 * Streams trades of one series in time order (ties keep commit order). Call {@link #next()} before reading a row;
 * the accessors describe the current row. Not thread-safe. Close it to release mapped files.
 */
public interface TradeCursor extends AutoCloseable {

    /** Moves to the next row; false at the end. */
    boolean next();

    SeriesKey series();

    long tsNanos();

    long recvTsNanos();

    long priceMantissa();

    int priceScale();

    long quantityMantissa();

    int quantityScale();

    Side side();

    /** The numeric trade id or {@link Trade#NO_TRADE_ID}. */
    long tradeId();

    /** The textual trade id, or {@code null} when the id is numeric or absent. */
    String tradeIdText();

    default Trade toTrade() {
        return new Trade(
                series(),
                tsNanos(),
                recvTsNanos(),
                Decimal.of(priceMantissa(), priceScale()),
                Decimal.of(quantityMantissa(), quantityScale()),
                side(),
                tradeId(),
                tradeIdText());
    }

    @Override
    void close();
}
