package dev.tickvault.feed.alphavantage;

import dev.tickvault.model.Decimal;
import dev.tickvault.model.SeriesKey;
import dev.tickvault.model.VendorBar;

/**
 * One intraday OHLCV bar from Alpha Vantage, with exact decimals as the API wrote them ({@code "160.9100"} keeps its
 * four decimals).
 *
 * @param series exchange {@value AlphaVantageIntradayParser#EXCHANGE} and the symbol
 * @param interval the bar length as the API names it: {@code 1min}, {@code 5min}, {@code 15min}, {@code 30min},
 *     {@code 60min}
 * @param barTimeNanos the time Alpha Vantage labels the bar with, converted from its time zone (US/Eastern) to ns since
 *     the epoch (UTC). The documentation does not say whether the label is the bar's start or end; it is kept as given.
 */
public record IntradayBar(
        SeriesKey series,
        String interval,
        long barTimeNanos,
        Decimal open,
        Decimal high,
        Decimal low,
        Decimal close,
        Decimal volume) {

    public IntradayBar {
        VendorBar.requireAll(series, interval, open, high, low, close, volume);
    }

    /** The bar as the store keeps it, received at {@code recvTsNanos}. */
    public VendorBar toVendorBar(long recvTsNanos) {
        return new VendorBar(series, interval, barTimeNanos, recvTsNanos, open, high, low, close, volume);
    }
}
