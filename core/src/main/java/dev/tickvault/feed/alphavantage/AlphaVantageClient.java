package dev.tickvault.feed.alphavantage;

import dev.tickvault.feed.alphavantage.AlphaVantageException.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches intraday bars from Alpha Vantage's REST API ({@code GET <baseUrl>?function=TIME_SERIES_INTRADAY&symbol=…
 * &interval=…&outputsize=…&datatype=…&apikey=…}, https://www.alphavantage.co/documentation/#intraday), never faster
 * than the key's limits: every request first waits on the {@link RequestRateLimiter}.
 *
 * <p>Errors the API reports with HTTP 200 ({@code Error Message}, {@code Note}, {@code Information}) and HTTP errors
 * throw {@link AlphaVantageException} with a clear kind; the key is redacted from every message and log line.
 *
 * <p>A response body is read up to {@link #MAX_BODY_BYTES}; a longer one is refused ({@link Kind#MALFORMED}) rather
 * than buffered without bound.
 *
 * <p>Thread-safe (the limiter serialises the rate; the JDK HTTP client is thread-safe).
 */
public final class AlphaVantageClient implements AutoCloseable {

    /** Larger than a month of 1-minute bars in {@code full} JSON (~5 MB). */
    public static final int MAX_BODY_BYTES = 64 << 20;

    private static final Logger LOG = LoggerFactory.getLogger(AlphaVantageClient.class);

    private final AlphaVantageConfig config;
    private final RequestRateLimiter limiter;
    private final HttpClient http;
    private final AlphaVantageIntradayParser parser;
    private final LongAdder requests = new LongAdder();
    private final LongAdder failures = new LongAdder();

    /** A client with its own HTTP client and a limiter on the system clock built from {@code config}. */
    public AlphaVantageClient(AlphaVantageConfig config) {
        this(config, RequestRateLimiter.system(config.limits(), config.rateMarginNanos()));
    }

    /** A client using the given limiter (shared by everything that uses the same key) and its own HTTP client. */
    public AlphaVantageClient(AlphaVantageConfig config, RequestRateLimiter limiter) {
        this.config = config;
        this.limiter = limiter;
        this.parser = new AlphaVantageIntradayParser(config.apiKey());
        this.http = HttpClient.newBuilder()
                .connectTimeout(config.requestTimeout())
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    public AlphaVantageConfig config() {
        return config;
    }

    /** Requests sent. */
    public long requests() {
        return requests.sum();
    }

    /** Requests that gave no data (any {@link AlphaVantageException}). */
    public long failures() {
        return failures.sum();
    }

    /** Bars skipped as malformed in every response so far. */
    public long malformedBars() {
        return parser.malformedBars();
    }

    /**
     * The latest intraday bars of {@code symbol} with the configured interval, output size and data type.
     *
     * @throws AlphaVantageException when the API answers with an error, a rate-limit notice, an HTTP error or an
     *     unexpected body, or the request fails
     * @throws InterruptedException if interrupted while waiting for the rate limit or the response
     */
    public IntradaySeries intraday(String symbol) throws InterruptedException {
        URI uri = intradayUri(symbol);
        long waited = limiter.acquire();
        if (waited > 0) {
            LOG.debug("Alpha Vantage: waited {} ms for the rate limit", waited / 1_000_000L);
        }
        requests.increment();
        try {
            byte[] body = get(uri);
            return config.dataType().equals("csv")
                    ? parser.parseCsv(body, symbol, config.interval())
                    : parser.parseJson(body, symbol);
        } catch (AlphaVantageException e) {
            failures.increment();
            throw new AlphaVantageException(e.kind(), redact(e.getMessage()), e.getCause());
        }
    }

    /** The request URL (with the key: never log it, log {@link #redact} of it). */
    URI intradayUri(String symbol) {
        String base = config.baseUrl().toString();
        String query = "function=TIME_SERIES_INTRADAY&symbol=" + encode(symbol) + "&interval=" + config.interval()
                + "&outputsize=" + config.outputSize() + "&datatype=" + config.dataType() + "&apikey="
                + encode(config.apiKey());
        return URI.create(base + (base.contains("?") ? "&" : "?") + query);
    }

    /** {@code text} with the API key (plain and URL-encoded) replaced by {@code ***}. */
    String redact(String text) {
        if (text == null) {
            return null;
        }
        return text.replace(config.apiKey(), "***").replace(encode(config.apiKey()), "***");
    }

    private byte[] get(URI uri) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(config.requestTimeout())
                .GET()
                .build();
        HttpResponse<InputStream> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new AlphaVantageException(Kind.IO, redact("Alpha Vantage request failed: " + uri + ": " + e), e);
        }
        byte[] body;
        try (InputStream in = response.body()) {
            body = in.readNBytes(MAX_BODY_BYTES + 1);
        } catch (IOException e) {
            throw new AlphaVantageException(
                    Kind.IO, redact("reading the Alpha Vantage response failed: " + uri + ": " + e), e);
        }
        if (body.length > MAX_BODY_BYTES) {
            throw new AlphaVantageException(
                    Kind.MALFORMED, "Alpha Vantage response larger than " + MAX_BODY_BYTES + " bytes: refused");
        }
        if (response.statusCode() != 200) {
            String sample = new String(Arrays.copyOf(body, Math.min(body.length, 300)), StandardCharsets.UTF_8);
            throw new AlphaVantageException(
                    Kind.HTTP,
                    redact("Alpha Vantage answered HTTP " + response.statusCode() + " to " + uri + ": " + sample));
        }
        return body;
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        http.close();
    }
}
