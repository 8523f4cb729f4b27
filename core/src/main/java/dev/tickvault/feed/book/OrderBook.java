package dev.tickvault.feed.book;

import dev.tickvault.feed.FeedSink;
import dev.tickvault.model.BookUpdate;
import dev.tickvault.model.DecimalMath;
import dev.tickvault.model.SeriesKey;
import dev.tickvault.model.Side;

/**
 * A price-level (L2) order book of one symbol in exact fixed point. Every level keeps its price and quantity with the
 * scale the venue wrote, so it prints back byte for byte (Kraken's checksum depends on it).
 *
 * <p>A snapshot replaces the book ({@link #clear()} then {@link #set}); deltas {@link #set} levels in order, a zero
 * quantity deleting the level. Crossed or locked books are reported by {@link #isCrossed()} / {@link #isLocked()},
 * never "fixed". Each side holds at most {@code maxLevelsPerSide} levels: when a new level would exceed it, the level
 * farthest from the touch is dropped and counted in {@link #droppedLevels()}.
 *
 * <p>Not thread-safe: one book belongs to one feed handler.
 */
public final class OrderBook {

    private final SeriesKey series;
    private final BookSide bids;
    private final BookSide asks;

    public OrderBook(SeriesKey series, int maxLevelsPerSide) {
        this.series = java.util.Objects.requireNonNull(series, "series");
        this.bids = new BookSide(true, maxLevelsPerSide);
        this.asks = new BookSide(false, maxLevelsPerSide);
    }

    public SeriesKey series() {
        return series;
    }

    /** Removes every level (the first step of applying a snapshot). */
    public void clear() {
        bids.clear();
        asks.clear();
    }

    /**
     * Sets the level at {@code price} on {@code side} to {@code quantity}; zero (at any scale) deletes it.
     *
     * @param side {@link Side#BUY} for bids, {@link Side#SELL} for asks
     */
    public void set(Side side, long priceMantissa, int priceScale, long quantityMantissa, int quantityScale) {
        side(side).set(priceMantissa, priceScale, quantityMantissa, quantityScale);
    }

    /** The bids ({@link Side#BUY}) or the asks ({@link Side#SELL}). */
    public BookSide side(Side side) {
        return switch (side) {
            case BUY -> bids;
            case SELL -> asks;
            case UNKNOWN -> throw new IllegalArgumentException("a book level has a side: bid or ask");
        };
    }

    public BookSide bids() {
        return bids;
    }

    public BookSide asks() {
        return asks;
    }

    /** True if both sides have levels and the best bid is above the best ask. */
    public boolean isCrossed() {
        return compareTouch() > 0;
    }

    /** True if both sides have levels and the best bid equals the best ask. */
    public boolean isLocked() {
        return compareTouch() == 0;
    }

    private int compareTouch() {
        if (bids.size() == 0 || asks.size() == 0) {
            return -1;
        }
        return DecimalMath.compare(
                bids.priceMantissa(0), bids.priceScale(0), asks.priceMantissa(0), asks.priceScale(0));
    }

    /** Levels dropped on both sides because a side was full. */
    public long droppedLevels() {
        return bids.droppedLevels() + asks.droppedLevels();
    }

    /** Keeps only the best {@code depth} levels of each side (Kraken truncates to the subscribed depth). */
    public void truncate(int depth) {
        bids.truncate(depth);
        asks.truncate(depth);
    }

    /**
     * Writes the whole book to {@code sink} as one snapshot: bids best first, then asks best first; the first level
     * flagged {@link BookUpdate#SNAPSHOT_BEGIN}, the last {@link BookUpdate#SNAPSHOT_END} and {@link
     * BookUpdate#EVENT_END}, every one with {@code extraFlags} (e.g. {@link BookUpdate#CHECKPOINT}). An empty book
     * writes nothing and returns 0.
     *
     * @return the number of levels written
     */
    public int writeSnapshot(
            FeedSink sink, long tsNanos, long recvTsNanos, long firstUpdateId, long lastUpdateId, int extraFlags) {
        int total = bids.size() + asks.size();
        int written = 0;
        for (int pass = 0; pass < 2; pass++) {
            BookSide s = pass == 0 ? bids : asks;
            Side side = pass == 0 ? Side.BUY : Side.SELL;
            for (int i = 0; i < s.size(); i++) {
                int flags = extraFlags;
                if (written == 0) {
                    flags |= BookUpdate.SNAPSHOT_BEGIN;
                }
                if (written == total - 1) {
                    flags |= BookUpdate.SNAPSHOT_END | BookUpdate.EVENT_END;
                }
                sink.bookLevel(
                        series,
                        tsNanos,
                        recvTsNanos,
                        side,
                        s.priceMantissa(i),
                        s.priceScale(i),
                        s.quantityMantissa(i),
                        s.quantityScale(i),
                        firstUpdateId,
                        lastUpdateId,
                        flags);
                written++;
            }
        }
        return written;
    }

    @Override
    public String toString() {
        return "OrderBook[" + series + ", " + bids.size() + " bids, " + asks.size() + " asks]";
    }
}
