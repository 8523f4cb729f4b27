package dev.tickvault.sample;

import dev.tickvault.model.Decimal;
import dev.tickvault.model.SeriesKey;

/**
 * One instrument of {@link SyntheticTrades}: where it trades, its price grid and lot size, the scales its prices and
 * quantities are printed with, and its share of the day's trades.
 *
 * @param exchange exchange name as stored ({@code binance}, {@code binance-futures}, {@code cme}, ...)
 * @param symbol the venue's spelling of the symbol
 * @param tick the price grid: every price is a whole multiple of it
 * @param priceScale the scale prices are printed with ({@code 8} for Binance spot: {@code 61837.63000000})
 * @param lot the quantity grid: every quantity is a whole multiple of it
 * @param quantityScale the scale quantities are printed with
 * @param startPrice the price at the start of the day (on the grid)
 * @param share the fraction of all trades of the day that are trades of this instrument
 * @param medianNotional the median trade value in the quote currency, for the log-normal quantity
 * @param latencyMicros typical exchange-to-receiver latency in microseconds
 * @param firstTradeId the trade id of the day's first trade
 */
public record SyntheticInstrument(
        String exchange,
        String symbol,
        Decimal tick,
        int priceScale,
        Decimal lot,
        int quantityScale,
        Decimal startPrice,
        double share,
        double medianNotional,
        int latencyMicros,
        long firstTradeId) {

    public SyntheticInstrument {
        SeriesKey.validateExchange(exchange);
        SeriesKey.validateSymbol(symbol);
        if (tick.scale() > priceScale || lot.scale() > quantityScale) {
            throw new IllegalArgumentException("grid finer than the printed scale: " + symbol);
        }
        if (tick.mantissa() <= 0 || lot.mantissa() <= 0 || share <= 0 || medianNotional <= 0) {
            throw new IllegalArgumentException("tick, lot, share and notional must be positive: " + symbol);
        }
        if (startPrice.withScale(priceScale).mantissa() % tickMantissaAtPriceScale(tick, priceScale) != 0) {
            throw new IllegalArgumentException("start price off the tick grid: " + symbol);
        }
    }

    static SyntheticInstrument of(
            String exchange,
            String symbol,
            String tick,
            int priceScale,
            String lot,
            int quantityScale,
            String startPrice,
            double share,
            double medianNotional,
            int latencyMicros,
            long firstTradeId) {
        return new SyntheticInstrument(
                exchange,
                symbol,
                Decimal.parse(tick),
                priceScale,
                Decimal.parse(lot),
                quantityScale,
                Decimal.parse(startPrice),
                share,
                medianNotional,
                latencyMicros,
                firstTradeId);
    }

    public SeriesKey series() {
        return SeriesKey.of(exchange, symbol);
    }

    /** The tick as a mantissa at {@link #priceScale()}: every price mantissa is a multiple of it. */
    public long tickMantissa() {
        return tickMantissaAtPriceScale(tick, priceScale);
    }

    /** The lot as a mantissa at {@link #quantityScale()}: every quantity mantissa is a multiple of it. */
    public long lotMantissa() {
        return lot.withScale(quantityScale).mantissa();
    }

    /** The start price in ticks. */
    long startTicks() {
        return startPrice.withScale(priceScale).mantissa() / tickMantissa();
    }

    private static long tickMantissaAtPriceScale(Decimal tick, int priceScale) {
        return tick.withScale(priceScale).mantissa();
    }
}
