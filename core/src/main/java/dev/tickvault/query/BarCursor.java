package dev.tickvault.query;

import dev.tickvault.model.Decimal;
import dev.tickvault.model.DecimalMath;
import dev.tickvault.model.SeriesKey;
import dev.tickvault.model.Side;
import dev.tickvault.store.TickStore;
import dev.tickvault.store.TradeBatchCursor;
import dev.tickvault.store.TradeColumn;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * Streams OHLCV {@link Bar}s of one series over {@code [fromNanos, toNanos)}, computed from the store's trade column
 * arrays ({@link TickStore#tradeBatches}, reading only the {@link #COLUMNS} it needs) in one pass. Memory is bounded: one bar in progress and one bar of
 * look-ahead, whatever the range.
 *
 * <p>Bars are aligned to the interval in UTC ({@link BarInterval#startOf}); the range is not widened, so a bar cut by
 * {@code fromNanos} or {@code toNanos} holds only the trades inside the range. Intervals without trades are omitted, or
 * with {@code fill} emitted as {@linkplain Bar#filled() filled} bars from {@code fromNanos}'s bar (when given) to the
 * bar before {@code toNanos} (when given; else to the last trade): o = h = l = c = the previous close, volumes 0,
 * count 0, no VWAP. The close before the range is the last trade found before {@code fromNanos} within {@link
 * #FILL_LOOKBACK_NANOS}; intervals before any known close are omitted.
 *
 * <p>Exactness: volumes and the VWAP numerator are {@link ExactSum}s (a long while it fits, then 128 bits, then
 * BigInteger — never rounded); the only rounding is the VWAP's final division, once per bar.
 *
 * <p>Not thread-safe. Close it to release the store cursor.
 */
public final class BarCursor implements AutoCloseable {

    /** Significant digits of the VWAP (the quotient is rounded half-even to this many). */
    public static final int VWAP_SIGNIFICANT_DIGITS = 20;

    /** How far before {@code fromNanos} a filled series looks for the previous close. */
    public static final long FILL_LOOKBACK_NANOS = 7 * BarInterval.NANOS_PER_DAY;

    private static final MathContext VWAP_CONTEXT = new MathContext(VWAP_SIGNIFICANT_DIGITS, RoundingMode.HALF_EVEN);
    private static final int BUY = Side.BUY.code();
    private static final int SELL = Side.SELL.code();

    /** The trade columns bars are computed from: the others (receive times, trade ids) are not decoded. */
    static final Set<TradeColumn> COLUMNS = Collections.unmodifiableSet(EnumSet.of(
            TradeColumn.TS,
            TradeColumn.PRICE,
            TradeColumn.PRICE_SCALE,
            TradeColumn.QUANTITY,
            TradeColumn.QUANTITY_SCALE,
            TradeColumn.SIDE));

    /** The columns the previous close is looked up from. */
    private static final Set<TradeColumn> CLOSE_COLUMNS = Collections.unmodifiableSet(
            EnumSet.of(TradeColumn.PRICE, TradeColumn.PRICE_SCALE, TradeColumn.QUANTITY_SCALE));

    private final TradeBatchCursor batches;
    private final long intervalNanos;
    private final boolean fill;
    private final long fillEndNanos;

    // Batch position.
    private long[] ts;
    private long[] prices;
    private byte[] priceScales;
    private long[] quantities;
    private byte[] quantityScales;
    private byte[] sides;
    private int row;
    private int batchEnd;
    private boolean exhausted;

    // Bar in progress.
    private long barStart;
    private long barEnd = Long.MIN_VALUE;
    private long count;
    private long openMantissa;
    private int openScale;
    private long highMantissa;
    private int highScale;
    private long lowMantissa;
    private int lowScale;
    private long closeMantissa;
    private int closeScale;
    private int maxPriceScale;
    private final ExactSum volume = new ExactSum();
    private final ExactSum buyVolume = new ExactSum();
    private final ExactSum sellVolume = new ExactSum();
    private final ExactSum notional = new ExactSum();

    // Output.
    private Bar upcoming;
    private Bar current;
    private Decimal previousClose;
    private int previousQuantityScale;
    private long fillCursor;

    private BarCursor(
            TradeBatchCursor batches,
            BarInterval interval,
            boolean fill,
            long fromNanos,
            long toNanos,
            Decimal closeBefore,
            int quantityScaleBefore) {
        this.batches = batches;
        this.intervalNanos = interval.nanos();
        this.fill = fill;
        this.fillEndNanos = toNanos == Long.MAX_VALUE ? Long.MIN_VALUE : toNanos; // unbounded: no trailing fill
        this.previousClose = closeBefore;
        this.previousQuantityScale = quantityScaleBefore;
        this.fillCursor = fromNanos == Long.MIN_VALUE ? Long.MAX_VALUE : interval.startOf(fromNanos);
    }

    /**
     * Opens a bar cursor.
     *
     * @param fill emit filled bars for intervals without trades
     */
    public static BarCursor open(
            TickStore store, SeriesKey series, long fromNanos, long toNanos, BarInterval interval, boolean fill) {
        if (fromNanos >= toNanos) {
            throw new IllegalArgumentException("empty range: from " + fromNanos + " >= to " + toNanos);
        }
        Decimal closeBefore = null;
        int quantityScaleBefore = 0;
        if (fill && fromNanos != Long.MIN_VALUE) {
            long[] last = lastTradeBefore(store, series, fromNanos, FILL_LOOKBACK_NANOS);
            if (last != null) {
                closeBefore = Decimal.of(last[0], (int) last[1]);
                quantityScaleBefore = (int) last[2];
            }
        }
        return new BarCursor(
                store.tradeBatches(series, fromNanos, toNanos, COLUMNS),
                interval,
                fill,
                fromNanos,
                toNanos,
                closeBefore,
                quantityScaleBefore);
    }

    /**
     * The last trade with {@code ts < beforeNanos} and {@code ts >= beforeNanos - lookbackNanos}, as {price mantissa,
     * price scale, quantity scale}, or null: searched in windows growing backwards from one minute, so the work is
     * about twice the distance to that trade.
     */
    static long[] lastTradeBefore(TickStore store, SeriesKey series, long beforeNanos, long lookbackNanos) {
        long limit = saturatingSubtract(beforeNanos, lookbackNanos);
        long hi = beforeNanos;
        long width = 60 * BarInterval.NANOS_PER_SECOND;
        while (hi > limit) {
            long lo = Math.max(limit, saturatingSubtract(hi, width));
            long[] found = null;
            try (TradeBatchCursor c = store.tradeBatches(series, lo, hi, CLOSE_COLUMNS)) {
                for (int n = c.next(); n > 0; n = c.next()) {
                    int last = c.offset() + n - 1;
                    found = new long[] {c.priceMantissas()[last], c.priceScales()[last], c.quantityScales()[last]};
                }
            }
            if (found != null) {
                return found;
            }
            hi = lo;
            width = width > Long.MAX_VALUE / 2 ? Long.MAX_VALUE : width * 2;
        }
        return null;
    }

    private static long saturatingSubtract(long a, long b) {
        long r = a - b;
        return ((a ^ b) & (a ^ r)) < 0 ? Long.MIN_VALUE : r;
    }

    /** Moves to the next bar; false at the end. */
    public boolean next() {
        if (upcoming == null && !exhausted) {
            upcoming = nextTradedBar();
        }
        long fillLimit = upcoming != null ? upcoming.startNanos() : fillEndNanos;
        if (fill && previousClose != null && fillCursor < fillLimit) {
            current = new Bar(
                    fillCursor,
                    previousClose,
                    previousClose,
                    previousClose,
                    previousClose,
                    BigDecimal.valueOf(0, previousQuantityScale),
                    BigDecimal.valueOf(0, previousQuantityScale),
                    BigDecimal.valueOf(0, previousQuantityScale),
                    null,
                    0,
                    true);
            fillCursor = fillCursor > Long.MAX_VALUE - intervalNanos ? Long.MAX_VALUE : fillCursor + intervalNanos;
            return true;
        }
        if (upcoming == null) {
            current = null;
            return false;
        }
        current = upcoming;
        upcoming = null;
        previousClose = current.close();
        previousQuantityScale = current.volume().scale();
        long start = current.startNanos();
        fillCursor = start > Long.MAX_VALUE - intervalNanos ? Long.MAX_VALUE : start + intervalNanos;
        return true;
    }

    /** The current bar (after {@link #next()} returned true). */
    public Bar bar() {
        if (current == null) {
            throw new IllegalStateException("no current bar: call next() first");
        }
        return current;
    }

    private Bar nextTradedBar() {
        while (true) {
            if (row >= batchEnd) {
                int n = batches.next();
                if (n == 0) {
                    exhausted = true;
                    return count > 0 ? finishBar() : null;
                }
                ts = batches.tsNanos();
                prices = batches.priceMantissas();
                priceScales = batches.priceScales();
                quantities = batches.quantityMantissas();
                quantityScales = batches.quantityScales();
                sides = batches.sides();
                row = batches.offset();
                batchEnd = row + n;
            }
            int r = row;
            int end = batchEnd;
            long[] times = ts;
            while (r < end) {
                long t = times[r];
                if (t >= barEnd) {
                    if (count > 0) {
                        row = r;
                        return finishBar();
                    }
                    startBar(t);
                }
                accumulate(r);
                r++;
            }
            row = r;
        }
    }

    private void startBar(long t) {
        barStart = Math.floorDiv(t, intervalNanos) * intervalNanos;
        barEnd = barStart > Long.MAX_VALUE - intervalNanos ? Long.MAX_VALUE : barStart + intervalNanos;
        volume.reset();
        buyVolume.reset();
        sellVolume.reset();
        notional.reset();
        maxPriceScale = 0;
    }

    private void accumulate(int r) {
        long price = prices[r];
        int priceScale = priceScales[r];
        long quantity = quantities[r];
        int quantityScale = quantityScales[r];
        if (count == 0) {
            openMantissa = highMantissa = lowMantissa = price;
            openScale = highScale = lowScale = priceScale;
        } else {
            if (priceScale == highScale
                    ? price > highMantissa
                    : DecimalMath.compare(price, priceScale, highMantissa, highScale) > 0) {
                highMantissa = price;
                highScale = priceScale;
            }
            if (priceScale == lowScale
                    ? price < lowMantissa
                    : DecimalMath.compare(price, priceScale, lowMantissa, lowScale) < 0) {
                lowMantissa = price;
                lowScale = priceScale;
            }
        }
        closeMantissa = price;
        closeScale = priceScale;
        if (priceScale > maxPriceScale) {
            maxPriceScale = priceScale;
        }
        count++;
        volume.add(quantity, quantityScale);
        int side = sides[r];
        if (side == BUY) {
            buyVolume.add(quantity, quantityScale);
        } else if (side == SELL) {
            sellVolume.add(quantity, quantityScale);
        }
        notional.addProduct(price, quantity, priceScale + quantityScale);
    }

    private Bar finishBar() {
        BigDecimal totalVolume = volume.toBigDecimal();
        int volumeScale = volume.scale();
        Bar bar = new Bar(
                barStart,
                Decimal.of(openMantissa, openScale),
                Decimal.of(highMantissa, highScale),
                Decimal.of(lowMantissa, lowScale),
                Decimal.of(closeMantissa, closeScale),
                totalVolume,
                buyVolume.toBigDecimal().setScale(volumeScale),
                sellVolume.toBigDecimal().setScale(volumeScale),
                vwap(notional.toBigDecimal(), totalVolume, maxPriceScale),
                count,
                false);
        count = 0;
        return bar;
    }

    /**
     * {@code numerator / volume} rounded half-even to {@value #VWAP_SIGNIFICANT_DIGITS} significant digits, trailing
     * zeros beyond {@code priceScale} dropped; null when the volume is zero.
     */
    public static BigDecimal vwap(BigDecimal numerator, BigDecimal volume, int priceScale) {
        if (volume.signum() == 0) {
            return null;
        }
        BigDecimal quotient = numerator.divide(volume, VWAP_CONTEXT);
        if (quotient.scale() > priceScale) {
            BigDecimal stripped = quotient.stripTrailingZeros();
            quotient =
                    stripped.scale() < priceScale ? quotient.setScale(priceScale, RoundingMode.UNNECESSARY) : stripped;
        }
        return quotient;
    }

    @Override
    public void close() {
        batches.close();
    }
}
