package dev.tickvault.query;

import dev.tickvault.feed.book.BookSide;
import dev.tickvault.model.SeriesKey;
import dev.tickvault.store.TickStore;

/**
 * The best bid and offer of one series over {@code [fromNanos, toNanos)}: one row after each book event in the range
 * that changes the best bid or ask (price or quantity, or a side appearing or emptying). The book is first rebuilt up
 * to {@code fromNanos} from the newest snapshot before it (see {@link BookStream}); if there is none, rows start at the
 * first snapshot in the range. The row's time is the event's.
 *
 * <p>Not thread-safe. Memory: one book.
 */
public final class BboCursor implements AutoCloseable {

    private final BookStream stream;
    private final long toNanos;
    private long tsNanos;
    // Last BBO reported (or the state at the range start): presence, price and quantity of each side.
    private boolean hasBid;
    private long bidPrice;
    private int bidPriceScale;
    private long bidQuantity;
    private int bidQuantityScale;
    private boolean hasAsk;
    private long askPrice;
    private int askPriceScale;
    private long askQuantity;
    private int askQuantityScale;
    private boolean known;

    private BboCursor(BookStream stream, long fromNanos, long toNanos) {
        this.stream = stream;
        this.toNanos = toNanos;
        if (fromNanos != Long.MIN_VALUE) {
            stream.applyUpTo(fromNanos - 1);
        }
        if (stream.synced()) {
            capture();
        }
    }

    public static BboCursor open(
            TickStore store, SeriesKey series, long fromNanos, long toNanos, BookQueryConfig config) {
        BookStream stream =
                BookStream.open(store, series, fromNanos, toNanos, config.lookbackNanos(), config.maxLevelsPerSide());
        try {
            return new BboCursor(stream, fromNanos, toNanos);
        } catch (RuntimeException e) {
            stream.close();
            throw e;
        }
    }

    /** Moves to the next change of the best bid or ask; false at the end. */
    public boolean next() {
        while (stream.applyNextEvent(toNanos - 1)) {
            if (stream.synced() && (!known || changed())) {
                capture();
                tsNanos = stream.lastEventTsNanos();
                return true;
            }
        }
        return false;
    }

    private boolean changed() {
        BookSide bids = stream.book().bids();
        BookSide asks = stream.book().asks();
        return differs(bids, hasBid, bidPrice, bidPriceScale, bidQuantity, bidQuantityScale)
                || differs(asks, hasAsk, askPrice, askPriceScale, askQuantity, askQuantityScale);
    }

    private static boolean differs(BookSide side, boolean has, long price, int priceScale, long qty, int qtyScale) {
        if (side.size() == 0) {
            return has;
        }
        return !has
                || side.priceMantissa(0) != price
                || side.priceScale(0) != priceScale
                || side.quantityMantissa(0) != qty
                || side.quantityScale(0) != qtyScale;
    }

    private void capture() {
        known = true;
        BookSide bids = stream.book().bids();
        BookSide asks = stream.book().asks();
        hasBid = bids.size() > 0;
        if (hasBid) {
            bidPrice = bids.priceMantissa(0);
            bidPriceScale = bids.priceScale(0);
            bidQuantity = bids.quantityMantissa(0);
            bidQuantityScale = bids.quantityScale(0);
        }
        hasAsk = asks.size() > 0;
        if (hasAsk) {
            askPrice = asks.priceMantissa(0);
            askPriceScale = asks.priceScale(0);
            askQuantity = asks.quantityMantissa(0);
            askQuantityScale = asks.quantityScale(0);
        }
    }

    /** Time of the event that made this BBO. */
    public long tsNanos() {
        return tsNanos;
    }

    public boolean hasBid() {
        return hasBid;
    }

    public long bidPriceMantissa() {
        return bidPrice;
    }

    public int bidPriceScale() {
        return bidPriceScale;
    }

    public long bidQuantityMantissa() {
        return bidQuantity;
    }

    public int bidQuantityScale() {
        return bidQuantityScale;
    }

    public boolean hasAsk() {
        return hasAsk;
    }

    public long askPriceMantissa() {
        return askPrice;
    }

    public int askPriceScale() {
        return askPriceScale;
    }

    public long askQuantityMantissa() {
        return askQuantity;
    }

    public int askQuantityScale() {
        return askQuantityScale;
    }

    @Override
    public void close() {
        stream.close();
    }
}
