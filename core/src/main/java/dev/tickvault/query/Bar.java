package dev.tickvault.query;

import dev.tickvault.model.Decimal;
import java.math.BigDecimal;

/**
 * One OHLCV bar: the trades with {@code startNanos <= ts < startNanos + interval} (and within the queried range).
 *
 * <p>Prices keep the spelling of the trade they come from. Volumes are exact sums at the largest quantity scale of the
 * bar's trades. Buy and sell volume are the taker's side; trades of unknown side count in {@code volume} only. VWAP is
 * {@code Σ(price × qty) / Σqty}, the numerator and denominator exact, the quotient rounded half-even to {@value
 * BarCursor#VWAP_SIGNIFICANT_DIGITS} significant digits, trailing zeros beyond the bar's largest price scale dropped;
 * {@code null} when the volume is zero (and on filled bars).
 *
 * @param filled true for a bar made up for an interval without trades (o = h = l = c = previous close, count 0)
 */
public record Bar(
        long startNanos,
        Decimal open,
        Decimal high,
        Decimal low,
        Decimal close,
        BigDecimal volume,
        BigDecimal buyVolume,
        BigDecimal sellVolume,
        BigDecimal vwap,
        long tradeCount,
        boolean filled) {}
