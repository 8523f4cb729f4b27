package dev.tickvault.bench;

import dev.tickvault.feed.FeedSink;
import dev.tickvault.model.GapMarker;
import dev.tickvault.model.SeriesKey;
import dev.tickvault.model.Side;

/** A {@link FeedSink} for benchmarks: sums every value it is given so that nothing is optimised away. */
public final class SummingSink implements FeedSink {
    long sum;

    @Override
    public void trade(
            SeriesKey series,
            long tsNanos,
            long recvTsNanos,
            long priceMantissa,
            int priceScale,
            long quantityMantissa,
            int quantityScale,
            Side side,
            long tradeId,
            String textTradeId) {
        sum += series.hashCode()
                + tsNanos
                + recvTsNanos
                + priceMantissa
                + priceScale
                + quantityMantissa
                + quantityScale
                + side.code()
                + tradeId;
    }

    @Override
    public void bookLevel(
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
            int flags) {
        sum += priceMantissa + quantityMantissa + flags;
    }

    @Override
    public void gap(GapMarker gap) {
        sum++;
    }
}
