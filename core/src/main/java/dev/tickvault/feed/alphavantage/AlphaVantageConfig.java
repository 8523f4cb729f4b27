package dev.tickvault.feed.alphavantage;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Settings of the Alpha Vantage intraday client.
 *
 * <p>The API key comes from the environment ({@value #API_KEY_VARIABLE}) or from configuration; it travels only in the
 * request URL and is never logged: {@link #toString()} masks it and the client redacts it from URLs and messages.
 *
 * @param baseUrl the query endpoint: {@link #DEFAULT_BASE_URL}, or the local simulator
 * @param apiKey the account's key
 * @param interval {@code 1min}, {@code 5min}, {@code 15min}, {@code 30min} or {@code 60min}
 * @param outputSize {@code compact} (latest 100 bars) or {@code full}
 * @param dataType {@code json} or {@code csv}
 * @param limits the key's request limits (see {@link RequestRateLimiter#freeTier()}, {@link
 *     RequestRateLimiter#premium(int)})
 * @param rateMarginNanos added to each limit's period (clock differences, time in flight)
 * @param requestTimeout the longest a request may take
 */
public record AlphaVantageConfig(
        URI baseUrl,
        String apiKey,
        String interval,
        String outputSize,
        String dataType,
        List<RequestRateLimiter.Limit> limits,
        long rateMarginNanos,
        Duration requestTimeout) {

    public static final URI DEFAULT_BASE_URL = URI.create("https://www.alphavantage.co/query");
    public static final String API_KEY_VARIABLE = "ALPHAVANTAGE_API_KEY";
    private static final Set<String> INTERVALS = Set.of("1min", "5min", "15min", "30min", "60min");

    public AlphaVantageConfig {
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        limits = List.copyOf(limits);
        if (apiKey == null || apiKey.isBlank()) {
            throw new IllegalArgumentException(
                    "Alpha Vantage API key missing: set " + API_KEY_VARIABLE + " or give it in the configuration");
        }
        if (!INTERVALS.contains(interval)) {
            throw new IllegalArgumentException("interval must be one of " + INTERVALS + ": " + interval);
        }
        if (!outputSize.equals("compact") && !outputSize.equals("full")) {
            throw new IllegalArgumentException("outputSize must be compact or full: " + outputSize);
        }
        if (!dataType.equals("json") && !dataType.equals("csv")) {
            throw new IllegalArgumentException("dataType must be json or csv: " + dataType);
        }
        if (limits.isEmpty() || rateMarginNanos < 0) {
            throw new IllegalArgumentException("give at least one rate limit and a margin >= 0");
        }
    }

    /** 1-minute bars, compact JSON, the free tier's limits with a 1 s margin, key from the process environment. */
    public static AlphaVantageConfig fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    /** 1-minute bars, compact JSON, the free tier's limits with a 1 s margin, key from {@code environment}. */
    public static AlphaVantageConfig fromEnvironment(Map<String, String> environment) {
        return of(DEFAULT_BASE_URL, environment.get(API_KEY_VARIABLE));
    }

    /** 1-minute bars, compact JSON, the free tier's limits with a 1 s margin, a 30 s timeout. */
    public static AlphaVantageConfig of(URI baseUrl, String apiKey) {
        return new AlphaVantageConfig(
                baseUrl,
                apiKey,
                "1min",
                "compact",
                "json",
                RequestRateLimiter.freeTier(),
                1_000_000_000L,
                Duration.ofSeconds(30));
    }

    public AlphaVantageConfig withFormat(String newOutputSize, String newDataType) {
        return new AlphaVantageConfig(
                baseUrl, apiKey, interval, newOutputSize, newDataType, limits, rateMarginNanos, requestTimeout);
    }

    public AlphaVantageConfig withInterval(String newInterval) {
        return new AlphaVantageConfig(
                baseUrl, apiKey, newInterval, outputSize, dataType, limits, rateMarginNanos, requestTimeout);
    }

    public AlphaVantageConfig withLimits(List<RequestRateLimiter.Limit> newLimits, long newMarginNanos) {
        return new AlphaVantageConfig(
                baseUrl, apiKey, interval, outputSize, dataType, newLimits, newMarginNanos, requestTimeout);
    }

    /** Never shows the key. */
    @Override
    public String toString() {
        return "AlphaVantageConfig[baseUrl=" + baseUrl + ", apiKey=***, interval=" + interval + ", outputSize="
                + outputSize + ", dataType=" + dataType + ", limits=" + limits + ", rateMarginNanos="
                + rateMarginNanos + ", requestTimeout=" + requestTimeout + "]";
    }
}
