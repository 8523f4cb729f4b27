package dev.tickvault.live;

import dev.tickvault.model.SeriesKey;
import dev.tickvault.model.Side;

/** A trade just committed by the recorder, as pushed to live subscribers. */
public record LiveTrade(
        SeriesKey series,
        long tsNanos,
        long recvTsNanos,
        long priceMantissa,
        int priceScale,
        long quantityMantissa,
        int quantityScale,
        Side side,
        long tradeId) {}
