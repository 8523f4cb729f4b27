package dev.tickvault.feed.json;

import dev.tickvault.feed.FeedSink;
import dev.tickvault.model.BookUpdate;
import dev.tickvault.model.Decimal;
import dev.tickvault.model.GapMarker;
import dev.tickvault.model.SeriesKey;
import dev.tickvault.model.Side;
import dev.tickvault.model.Trade;
import java.util.ArrayList;
import java.util.List;

/** A {@link FeedSink} that keeps every row as a model record, in order (tests; extended where a test adds to it). */
public class CollectingSink implements FeedSink {

    public final List<Trade> trades = new ArrayList<>();
    public final List<BookUpdate> levels = new ArrayList<>();
    public final List<GapMarker> gaps = new ArrayList<>();
    /** Every row in delivery order (Trade, BookUpdate or GapMarker). */
    public final List<Object> rows = new ArrayList<>();

    public int frames;

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
        Trade t = new Trade(
                series,
                tsNanos,
                recvTsNanos,
                Decimal.of(priceMantissa, priceScale),
                Decimal.of(quantityMantissa, quantityScale),
                side,
                tradeId,
                textTradeId);
        trades.add(t);
        rows.add(t);
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
        BookUpdate u = new BookUpdate(
                series,
                tsNanos,
                recvTsNanos,
                side,
                Decimal.of(priceMantissa, priceScale),
                Decimal.of(quantityMantissa, quantityScale),
                firstUpdateId,
                lastUpdateId,
                flags);
        levels.add(u);
        rows.add(u);
    }

    @Override
    public void gap(GapMarker gap) {
        gaps.add(gap);
        rows.add(gap);
    }

    @Override
    public void endOfFrame(long recvTsNanos) {
        frames++;
    }

    public List<Trade> trades(SeriesKey series) {
        return trades.stream().filter(t -> t.series().equals(series)).toList();
    }

    public List<BookUpdate> levels(SeriesKey series) {
        return levels.stream().filter(u -> u.series().equals(series)).toList();
    }
}
