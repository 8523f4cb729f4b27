package dev.tickvault.feed.alphavantage;

import java.util.List;

/**
 * One intraday response of Alpha Vantage, parsed.
 *
 * @param symbol the symbol the bars belong to
 * @param interval {@code 1min} ... {@code 60min}
 * @param timeZone the time zone the API wrote the bar times in (JSON {@code "6. Time Zone"}; CSV bodies carry none and
 *     are read as {@value AlphaVantageIntradayParser#DEFAULT_TIME_ZONE})
 * @param bars the bars in ascending time order, one per bar time
 * @param skippedBars bars that were malformed (bad number, bad or non-existent local time) and left out
 */
public record IntradaySeries(String symbol, String interval, String timeZone, List<IntradayBar> bars, int skippedBars) {

    public IntradaySeries {
        bars = List.copyOf(bars);
    }
}
