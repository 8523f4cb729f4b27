package dev.tickvault.feed.binance;

import dev.tickvault.model.SeriesKey;
import dev.tickvault.model.Side;

/**
 * What {@link BinanceMessageParser} found in one message. Called on the parsing thread, during {@link
 * BinanceMessageParser#parse}; objects handed over ({@link DepthEvent}) are reused by the next message.
 */
public interface BinanceMessageListener {

    /**
     * A {@code trade} or {@code aggTrade} event.
     *
     * @param tradeId {@code t} of a trade, {@code a} of an aggregate trade
     * @param takerSide {@link Side#SELL} when {@code m} (buyer is the maker) is true, else {@link Side#BUY}
     * @param tradeTimeMillis {@code T}
     * @param aggregated true for {@code aggTrade}
     */
    void trade(
            SeriesKey series,
            long tradeId,
            long priceMantissa,
            int priceScale,
            long quantityMantissa,
            int quantityScale,
            Side takerSide,
            long tradeTimeMillis,
            boolean aggregated);

    /** A {@code depthUpdate} event (diff). */
    void depthUpdate(DepthEvent event);

    /** A REST depth snapshot ({@code lastUpdateId}, {@code bids}, {@code asks}); its series is null. */
    void depthSnapshot(DepthEvent snapshot);

    /**
     * A {@code bookTicker} event.
     *
     * @param eventTimeMillis {@code T} or {@code E} where present (USD-M), else {@link DepthEvent#ABSENT} (spot)
     */
    void bookTicker(
            SeriesKey series,
            long updateId,
            long bidPriceMantissa,
            int bidPriceScale,
            long bidQuantityMantissa,
            int bidQuantityScale,
            long askPriceMantissa,
            int askPriceScale,
            long askQuantityMantissa,
            int askQuantityScale,
            long eventTimeMillis);

    /** A reply to a request: {@code {"result":…,"id":N}}. */
    void reply(long id);

    /** An error reply ({@code {"error":{"code":…,"msg":…},"id":N}} or {@code {"code":…,"msg":…}}). */
    void error(long id, long code, String message);

    /** A {@code serverShutdown} event: the server will close this connection soon. */
    void serverShutdown(long eventTimeMillis);

    /** A well-formed event of a kind this feed does not record (e.g. {@code kline}). */
    void ignored();
}
