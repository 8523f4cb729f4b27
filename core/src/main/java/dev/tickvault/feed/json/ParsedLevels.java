package dev.tickvault.feed.json;

import dev.tickvault.feed.FeedSink;
import dev.tickvault.feed.book.OrderBook;
import dev.tickvault.model.BookUpdate;
import dev.tickvault.model.SeriesKey;
import dev.tickvault.model.Side;
import java.util.Arrays;

/**
 * The book levels of one message as parsed, before they are applied: venues may put the symbol after the levels and
 * the last level must be flagged as the end of the event, so a handler collects a message's levels here first.
 * Bounded: at most {@link #maxLevels()} levels; {@link #add} refuses more (the frame is then treated as malformed).
 *
 * <p>Not thread-safe; reused from message to message (no allocation once grown).
 */
public final class ParsedLevels {

    private final int maxLevels;
    private byte[] sides = new byte[64];
    private long[] priceMantissas = new long[64];
    private byte[] priceScales = new byte[64];
    private long[] quantityMantissas = new long[64];
    private byte[] quantityScales = new byte[64];
    private long[] tsNanos = new long[64];
    private int size;

    public ParsedLevels(int maxLevels) {
        if (maxLevels < 1) {
            throw new IllegalArgumentException("maxLevels must be positive: " + maxLevels);
        }
        this.maxLevels = maxLevels;
    }

    public int maxLevels() {
        return maxLevels;
    }

    public void clear() {
        size = 0;
    }

    public int size() {
        return size;
    }

    /**
     * Appends one level; returns false (adding nothing) when the buffer already holds {@link #maxLevels()}.
     *
     * @param side {@link Side#BUY} for a bid, {@link Side#SELL} for an ask
     * @param levelTsNanos the level's own time where the venue gives one, else 0
     */
    public boolean add(Side side, long pMantissa, int pScale, long qMantissa, int qScale, long levelTsNanos) {
        if (size == maxLevels) {
            return false;
        }
        if (size == sides.length) {
            int capacity = Math.min(maxLevels, size * 2);
            sides = Arrays.copyOf(sides, capacity);
            priceMantissas = Arrays.copyOf(priceMantissas, capacity);
            priceScales = Arrays.copyOf(priceScales, capacity);
            quantityMantissas = Arrays.copyOf(quantityMantissas, capacity);
            quantityScales = Arrays.copyOf(quantityScales, capacity);
            tsNanos = Arrays.copyOf(tsNanos, capacity);
        }
        sides[size] = (byte) side.code();
        priceMantissas[size] = pMantissa;
        priceScales[size] = (byte) pScale;
        quantityMantissas[size] = qMantissa;
        quantityScales[size] = (byte) qScale;
        tsNanos[size] = levelTsNanos;
        size++;
        return true;
    }

    public Side side(int i) {
        return Side.ofCode(sides[i]);
    }

    public long priceMantissa(int i) {
        return priceMantissas[i];
    }

    public int priceScale(int i) {
        return priceScales[i];
    }

    public long quantityMantissa(int i) {
        return quantityMantissas[i];
    }

    public int quantityScale(int i) {
        return quantityScales[i];
    }

    public long tsNanos(int i) {
        return tsNanos[i];
    }

    /** The latest level time, or 0 when no level has one. */
    public long maxTsNanos() {
        long max = 0;
        for (int i = 0; i < size; i++) {
            max = Math.max(max, tsNanos[i]);
        }
        return max;
    }

    /** Sets every level on {@code book}, in order (a zero quantity deletes the level). */
    public void applyTo(OrderBook book) {
        for (int i = 0; i < size; i++) {
            book.set(side(i), priceMantissas[i], priceScales[i], quantityMantissas[i], quantityScales[i]);
        }
    }

    /**
     * Writes every level as a book update row of one event at {@code tsNanos} (no update ids); the last row carries
     * {@link BookUpdate#EVENT_END} when {@code lastEndsEvent} (false when more rows of the same event follow).
     */
    public void writeUpdate(FeedSink sink, SeriesKey series, long tsNanos, long recvTsNanos, boolean lastEndsEvent) {
        for (int i = 0; i < size; i++) {
            sink.bookLevel(
                    series,
                    tsNanos,
                    recvTsNanos,
                    side(i),
                    priceMantissas[i],
                    priceScales[i],
                    quantityMantissas[i],
                    quantityScales[i],
                    0,
                    0,
                    lastEndsEvent && i == size - 1 ? BookUpdate.EVENT_END : 0);
        }
    }
}
