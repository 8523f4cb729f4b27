package dev.tickvault.feed;

import dev.tickvault.model.GapMarker;
import dev.tickvault.model.SeriesKey;
import dev.tickvault.model.Side;

/**
 * Where a venue's parsers deliver normalised rows: trades, book level changes and gap markers, with exact decimals
 * (mantissa + scale as the venue wrote them) and integer nanosecond timestamps.
 *
 * <p>A feed handler calls its sink from one thread (the connection's, or the replay loop's). The recorder's sink
 * hands rows to the store; tests use sinks that collect them.
 */
public interface FeedSink {

    /**
     * One trade.
     *
     * @param tsNanos the venue's trade time (ns since the epoch)
     * @param recvTsNanos when the frame carrying it was received locally (ns since the epoch)
     * @param side the taker's side ({@link Side#UNKNOWN} where the venue doesn't say)
     * @param tradeId the venue's numeric id, or {@link dev.tickvault.model.Trade#NO_TRADE_ID}
     * @param textTradeId the venue's id where it is not numeric, else {@code null}
     */
    void trade(
            SeriesKey series,
            long tsNanos,
            long recvTsNanos,
            long priceMantissa,
            int priceScale,
            long quantityMantissa,
            int quantityScale,
            Side side,
            long tradeId,
            String textTradeId);

    /**
     * One change to one book level: the level now holds {@code quantity} (zero deletes it). Flags as in
     * {@link dev.tickvault.model.BookUpdate}.
     *
     * @param side {@link Side#BUY} for bids, {@link Side#SELL} for asks
     */
    void bookLevel(
            SeriesKey series,
            long tsNanos,
            long recvTsNanos,
            Side side,
            long priceMantissa,
            int priceScale,
            long quantityMantissa,
            int quantityScale,
            long firstUpdateId,
            long lastUpdateId,
            int flags);

    /** A span of one channel of one series whose data may be missing. */
    void gap(GapMarker gap);

    /** The end of one received frame: every row of it has been delivered (a natural commit boundary). */
    default void endOfFrame(long recvTsNanos) {}
}
