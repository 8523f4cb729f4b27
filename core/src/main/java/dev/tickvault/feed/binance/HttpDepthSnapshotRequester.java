package dev.tickvault.feed.binance;

import dev.tickvault.feed.FeedHandler;
import dev.tickvault.model.SeriesKey;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live {@link DepthSnapshotRequester}: {@code GET <depthUrl>?symbol=…&limit=…} with the JDK {@link HttpClient}, paced
 * within Binance's request-weight limit, the body handed to {@link FeedHandler#onRestResponse} through the executor
 * that runs the handler (the transport's event loop), so the handler sees it on its own thread.
 *
 * <p>Pacing: a token bucket of {@code weightBudget} per {@code weightWindow} (default: half the market's documented
 * per-minute REQUEST_WEIGHT, leaving room for other clients on the same IP), each request costing {@link
 * BinanceMarket#depthRequestWeight(int)}; one request in flight at a time. {@code 429} (too many requests): all
 * requests pause for the response's {@code Retry-After} seconds (or {@code pauseAfter429} without one), then the same
 * request is retried. {@code 418} (IP banned for ignoring 429s): pause for {@code Retry-After}, which Binance documents
 * as the time "until the ban is over" (bans last 2 minutes to 3 days), or {@code pauseAfter418} without one. Other failures (I/O errors, 5xx): retried after {@code retryDelay}. A 4xx other than 429/418
 * (e.g. an invalid symbol) will not improve by retrying: that request is dropped and logged. Everything is counted.
 *
 * <p>Bounded: a symbol is queued at most once (a repeated request while one is pending is ignored); at most {@code
 * maxQueued} symbols wait, further requests are refused and counted ({@link #refused}). Threading: {@link #request}
 * may be called from any thread; the queue and pacing live on one scheduler thread of this object's own.
 */
public final class HttpDepthSnapshotRequester implements DepthSnapshotRequester, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HttpDepthSnapshotRequester.class);

    /**
     * @param depthUrl the REST depth endpoint, e.g. {@code https://api.binance.com/api/v3/depth}
     * @param limit levels per side requested
     * @param weightBudget request weight this requester may use per {@code weightWindow}
     */
    public record Config(
            BinanceMarket market,
            String depthUrl,
            int limit,
            int weightBudget,
            Duration weightWindow,
            Duration requestTimeout,
            Duration pauseAfter429,
            Duration pauseAfter418,
            Duration retryDelay,
            int maxQueued) {

        public Config {
            Objects.requireNonNull(market, "market");
            Objects.requireNonNull(depthUrl, "depthUrl");
            if (weightBudget < market.depthRequestWeight(limit)) {
                throw new IllegalArgumentException("weight budget " + weightBudget + " is below one request's weight "
                        + market.depthRequestWeight(limit));
            }
            if (weightWindow.isZero() || weightWindow.isNegative() || maxQueued < 1) {
                throw new IllegalArgumentException("weightWindow and maxQueued must be positive");
            }
        }

        /** Half the documented per-minute weight, 10 s timeout, 60 s after a 429 and 5 min after a 418 without
         * Retry-After, retry 5 s. */
        public static Config defaults(BinanceFeedConfig feed) {
            BinanceMarket market = feed.market();
            return new Config(
                    market,
                    feed.depthUrl(),
                    feed.snapshotLimit(),
                    market.requestWeightPerMinute() / 2,
                    Duration.ofMinutes(1),
                    Duration.ofSeconds(10),
                    Duration.ofSeconds(60),
                    Duration.ofMinutes(5),
                    Duration.ofSeconds(5),
                    4_096);
        }

        String url(String symbol) {
            return depthUrl + "?symbol=" + symbol.toUpperCase(Locale.ROOT) + "&limit=" + limit;
        }
    }

    private final Config config;
    private final HttpClient client;
    private final Executor handlerExecutor;
    private final FeedHandler handler;
    private final LongSupplier epochNanos;
    private final ScheduledExecutorService scheduler;
    private final int weight;
    private final double weightPerNano;

    // Scheduler thread only:
    private final ArrayDeque<String> queue = new ArrayDeque<>();
    private final Set<String> queued = new HashSet<>();
    private boolean inFlight;
    private boolean pumpScheduled;
    private double tokens;
    private long lastRefillNanos;
    private long pausedUntilNanos;

    /** Requests sent. */
    public final LongAdder requests = new LongAdder();
    /** Successful responses handed to the handler. */
    public final LongAdder delivered = new LongAdder();
    /** 429 responses. */
    public final LongAdder tooManyRequests = new LongAdder();
    /** 418 responses. */
    public final LongAdder banned = new LongAdder();
    /** I/O errors, time-outs and unexpected statuses (retried or, for other 4xx, dropped). */
    public final LongAdder failures = new LongAdder();
    /** Requests refused because {@code maxQueued} symbols were waiting, or dropped after a non-retryable 4xx. */
    public final LongAdder refused = new LongAdder();
    /** Request weight spent. */
    public final LongAdder weightUsed = new LongAdder();
    /** The last {@code X-MBX-USED-WEIGHT-1M} header seen (the IP's whole usage), or -1. */
    public final AtomicLong lastUsedWeightHeader = new AtomicLong(-1);

    /**
     * @param handlerExecutor runs tasks on the handler's thread (the transport's event loop for this handler)
     * @param epochNanos the clock giving receive times (ns since the epoch)
     */
    public HttpDepthSnapshotRequester(
            Config config, HttpClient client, Executor handlerExecutor, FeedHandler handler, LongSupplier epochNanos) {
        this.config = Objects.requireNonNull(config, "config");
        this.client = Objects.requireNonNull(client, "client");
        this.handlerExecutor = Objects.requireNonNull(handlerExecutor, "handlerExecutor");
        this.handler = Objects.requireNonNull(handler, "handler");
        this.epochNanos = Objects.requireNonNull(epochNanos, "epochNanos");
        this.weight = config.market().depthRequestWeight(config.limit());
        this.weightPerNano =
                (double) config.weightBudget() / config.weightWindow().toNanos();
        this.tokens = config.weightBudget();
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "binance-depth-snapshots");
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        this.scheduler = executor;
        this.lastRefillNanos = System.nanoTime();
    }

    @Override
    public void request(SeriesKey series) {
        String symbol = series.symbol();
        try {
            scheduler.execute(() -> enqueue(symbol));
        } catch (RejectedExecutionException closed) {
            refused.increment();
            LOG.warn("snapshot request for {} after close: ignored", symbol);
        }
    }

    private void enqueue(String symbol) {
        if (queued.contains(symbol)) {
            return;
        }
        if (queued.size() >= config.maxQueued()) {
            refused.increment();
            LOG.error("snapshot request for {} refused: {} symbols already waiting", symbol, queued.size());
            return;
        }
        queued.add(symbol);
        queue.add(symbol);
        pump();
    }

    private void pump() {
        if (inFlight || queue.isEmpty()) {
            return;
        }
        long now = System.nanoTime();
        if (now < pausedUntilNanos) {
            schedulePump(pausedUntilNanos - now);
            return;
        }
        tokens = Math.min(config.weightBudget(), tokens + (now - lastRefillNanos) * weightPerNano);
        lastRefillNanos = now;
        if (tokens < weight) {
            schedulePump((long) Math.ceil((weight - tokens) / weightPerNano));
            return;
        }
        tokens -= weight;
        String symbol = queue.peek();
        String url = config.url(symbol);
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .timeout(config.requestTimeout())
                .GET()
                .build();
        inFlight = true;
        requests.increment();
        weightUsed.add(weight);
        client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
                .whenCompleteAsync((response, error) -> complete(symbol, url, response, error), scheduler);
    }

    private void schedulePump(long delayNanos) {
        if (!pumpScheduled) {
            pumpScheduled = true;
            scheduler.schedule(
                    () -> {
                        pumpScheduled = false;
                        pump();
                    },
                    Math.max(1, delayNanos),
                    TimeUnit.NANOSECONDS);
        }
    }

    private void complete(String symbol, String url, HttpResponse<byte[]> response, Throwable error) {
        inFlight = false;
        long now = System.nanoTime();
        if (error != null) {
            failures.increment();
            LOG.warn("snapshot request {} failed ({}): retrying in {}", url, error.toString(), config.retryDelay());
            pausedUntilNanos = now + config.retryDelay().toNanos();
        } else {
            response.headers()
                    .firstValue("X-MBX-USED-WEIGHT-1M")
                    .ifPresent(v -> lastUsedWeightHeader.set(parseLong(v, -1)));
            int status = response.statusCode();
            if (status == 200) {
                queue.poll();
                queued.remove(symbol);
                delivered.increment();
                byte[] body = response.body();
                long recvTsNanos = epochNanos.getAsLong();
                try {
                    handlerExecutor.execute(() -> handler.onRestResponse(url, body, recvTsNanos));
                } catch (RejectedExecutionException stopped) {
                    LOG.warn("snapshot for {} not delivered: the handler's executor is stopped", symbol);
                }
            } else if (status == 429) {
                tooManyRequests.increment();
                Duration pause = retryAfter(response).orElse(config.pauseAfter429());
                LOG.warn("snapshot request {}: 429 too many requests, pausing {}", url, pause);
                pausedUntilNanos = now + pause.toNanos();
            } else if (status == 418) {
                banned.increment();
                Duration pause = retryAfter(response).orElse(config.pauseAfter418());
                LOG.error("snapshot request {}: 418 IP banned, pausing {}", url, pause);
                pausedUntilNanos = now + pause.toNanos();
            } else if (status >= 400 && status < 500) {
                failures.increment();
                refused.increment();
                queue.poll();
                queued.remove(symbol);
                LOG.error("snapshot request {}: HTTP {} ({}); not retried", url, status, sample(response.body()));
            } else {
                failures.increment();
                LOG.warn("snapshot request {}: HTTP {}, retrying in {}", url, status, config.retryDelay());
                pausedUntilNanos = now + config.retryDelay().toNanos();
            }
        }
        pump();
    }

    private static Optional<Duration> retryAfter(HttpResponse<?> response) {
        return response.headers()
                .firstValue("Retry-After")
                .map(v -> parseLong(v.trim(), -1))
                .filter(seconds -> seconds >= 0)
                .map(Duration::ofSeconds);
    }

    private static long parseLong(String text, long fallback) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static String sample(byte[] body) {
        String text = new String(body, 0, Math.min(body.length, 200), java.nio.charset.StandardCharsets.UTF_8);
        return text.replace('\n', ' ');
    }

    /** Stops the scheduler; requests not yet answered are abandoned. Idempotent. */
    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
