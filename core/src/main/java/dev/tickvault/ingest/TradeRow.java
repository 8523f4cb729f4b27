package dev.tickvault.ingest;

import dev.tickvault.model.Decimal;
import dev.tickvault.model.SeriesKey;
import dev.tickvault.model.Side;
import dev.tickvault.model.Trade;

/**
 * One parsed trade, as a reader hands it to a {@link TradeSink}. Readers reuse one instance for every row, so a
 * sink must copy what it keeps ({@link #toTrade()}) before it returns. Not thread-safe.
 */
public final class TradeRow {

    SeriesKey series;
    long tsNanos;
    long recvTsNanos;
    long priceMantissa;
    int priceScale;
    long quantityMantissa;
    int quantityScale;
    Side side = Side.UNKNOWN;
    long tradeId = Trade.NO_TRADE_ID;
    String tradeIdText;
    long lineNumber;

    public SeriesKey series() {
        return series;
    }

    public long tsNanos() {
        return tsNanos;
    }

    public long recvTsNanos() {
        return recvTsNanos;
    }

    public long priceMantissa() {
        return priceMantissa;
    }

    public int priceScale() {
        return priceScale;
    }

    public long quantityMantissa() {
        return quantityMantissa;
    }

    public int quantityScale() {
        return quantityScale;
    }

    public Side side() {
        return side;
    }

    /** The numeric trade id, or {@link Trade#NO_TRADE_ID}. */
    public long tradeId() {
        return tradeId;
    }

    /** The trade id when it is not a plain number, else {@code null}. */
    public String tradeIdText() {
        return tradeIdText;
    }

    /** Line of the input this row came from (1-based). */
    public long lineNumber() {
        return lineNumber;
    }

    /** A copy of this row as an immutable {@link Trade}. */
    public Trade toTrade() {
        return new Trade(
                series,
                tsNanos,
                recvTsNanos,
                Decimal.of(priceMantissa, priceScale),
                Decimal.of(quantityMantissa, quantityScale),
                side,
                tradeId,
                tradeIdText);
    }
}
