package dev.tickvault.model;

/**
 * One trade as recorded. Prices and quantities are exact decimals; timestamps are nanoseconds since the Unix epoch
 * (UTC): {@code tsNanos} is the exchange's time, {@code recvTsNanos} the local receive time.
 *
 * @param tradeId the venue's numeric trade id, or {@link #NO_TRADE_ID}
 * @param tradeIdText the venue's trade id when it is not numeric (e.g. a UUID), else {@code null}
 */
public record Trade(
        SeriesKey series,
        long tsNanos,
        long recvTsNanos,
        Decimal price,
        Decimal quantity,
        Side side,
        long tradeId,
        String tradeIdText) {

    /** Marks a trade without a numeric id. */
    public static final long NO_TRADE_ID = Long.MIN_VALUE;

    public Trade {
        java.util.Objects.requireNonNull(series, "series");
        java.util.Objects.requireNonNull(price, "price");
        java.util.Objects.requireNonNull(quantity, "quantity");
        java.util.Objects.requireNonNull(side, "side");
    }

    public Trade(
            SeriesKey series,
            long tsNanos,
            long recvTsNanos,
            Decimal price,
            Decimal quantity,
            Side side,
            long tradeId) {
        this(series, tsNanos, recvTsNanos, price, quantity, side, tradeId, null);
    }

    /** The trade id as text: the numeric id, the textual id, or an empty string when there is none. */
    public String tradeIdString() {
        if (tradeIdText != null) {
            return tradeIdText;
        }
        return tradeId == NO_TRADE_ID ? "" : Long.toString(tradeId);
    }
}
