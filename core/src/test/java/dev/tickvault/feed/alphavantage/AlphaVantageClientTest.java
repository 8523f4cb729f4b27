package dev.tickvault.feed.alphavantage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tickvault.feed.alphavantage.AlphaVantageException.Kind;
import dev.tickvault.feed.alphavantage.RequestRateLimiter.Limit;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link AlphaVantageClient} and {@link AlphaVantagePoller} against a real HTTP server on the loopback interface (the
 * JDK's {@code HttpServer}) serving bodies shaped as https://www.alphavantage.co/documentation/#intraday documents
 * them, and the rate-limit / error bodies the API sends with HTTP 200. The rate limiter runs on the test's own clock.
 */
class AlphaVantageClientTest {

    private static final String KEY = "AVKEY-42/x+y";
    private static final long SECOND = 1_000_000_000L;

    private record Reply(int status, String body) {}

    private final Map<String, Deque<Reply>> replies = new ConcurrentHashMap<>();
    private final List<Map<String, String>> requests = Collections.synchronizedList(new ArrayList<>());
    private final List<Long> requestClock = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong clock = new AtomicLong(5_000 * SECOND);
    private final List<Long> sleeps = Collections.synchronizedList(new ArrayList<>());
    private HttpServer server;
    private AlphaVantageClient client;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/query", this::answer);
        server.start();
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        server.stop(0);
    }

    private void answer(HttpExchange exchange) throws IOException {
        Map<String, String> query = new LinkedHashMap<>();
        for (String pair : exchange.getRequestURI().getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            query.put(
                    URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        requests.add(query);
        requestClock.add(clock.get());
        Deque<Reply> queue = replies.get(query.get("symbol"));
        Reply reply = queue == null || queue.isEmpty() ? new Reply(404, "no reply set") : queue.poll();
        if (queue != null && queue.isEmpty()) {
            queue.add(reply); // the last reply repeats
        }
        byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(reply.status(), body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private void reply(String symbol, Reply... sequence) {
        replies.put(symbol, new ArrayDeque<>(List.of(sequence)));
    }

    private AlphaVantageClient client(AlphaVantageConfig config) {
        RequestRateLimiter limiter =
                new RequestRateLimiter(config.limits(), config.rateMarginNanos(), clock::get, nanos -> {
                    sleeps.add(nanos);
                    clock.addAndGet(nanos);
                });
        client = new AlphaVantageClient(config, limiter);
        return client;
    }

    private AlphaVantageConfig config() {
        URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/query");
        return AlphaVantageConfig.of(base, KEY).withLimits(List.of(new Limit(2, 60 * SECOND)), 0);
    }

    private static String json(String symbol, String... times) {
        StringBuilder series = new StringBuilder();
        for (int i = times.length - 1; i >= 0; i--) { // newest first, as the API sends them
            series.append(series.isEmpty() ? "" : ",")
                    .append("\"")
                    .append(times[i])
                    .append("\": {\"1. open\": \"10.1000\", \"2. high\": \"10.2000\", \"3. low\": \"10.0500\", "
                            + "\"4. close\": \"10.1500\", \"5. volume\": \"")
                    .append(100 + i)
                    .append("\"}");
        }
        return "{\"Meta Data\": {\"1. Information\": \"Intraday (1min) open, high, low, close prices and volume\", "
                + "\"2. Symbol\": \"" + symbol + "\", \"3. Last Refreshed\": \"" + times[times.length - 1] + "\", "
                + "\"4. Interval\": \"1min\", \"5. Output Size\": \"Compact\", \"6. Time Zone\": \"US/Eastern\"}, "
                + "\"Time Series (1min)\": {" + series + "}}";
    }

    @Test
    void requestsTheDocumentedParametersAndParsesJsonAndCsv() throws InterruptedException {
        reply("IBM", new Reply(200, json("IBM", "2024-07-01 09:30:00", "2024-07-01 09:31:00")));
        reply(
                "BRK.B",
                new Reply(200, "timestamp,open,high,low,close,volume\n2024-07-01 09:30:00,1.5,1.6,1.4,1.55,7\n"));
        AlphaVantageClient json = client(config());

        IntradaySeries ibm = json.intraday("IBM");
        assertThat(ibm.bars()).hasSize(2);
        assertThat(ibm.bars().get(0).open().toString()).isEqualTo("10.1000");
        assertThat(ibm.bars().get(0).barTimeNanos()).isEqualTo(1_719_840_600L * SECOND); // 13:30Z (EDT)
        assertThat(requests.get(0))
                .isEqualTo(Map.of(
                        "function", "TIME_SERIES_INTRADAY",
                        "symbol", "IBM",
                        "interval", "1min",
                        "outputsize", "compact",
                        "datatype", "json",
                        "apikey", KEY));
        json.close();

        AlphaVantageClient csv = client(config().withFormat("full", "csv"));
        IntradaySeries brk = csv.intraday("BRK.B");
        assertThat(brk.bars())
                .singleElement()
                .satisfies(b -> assertThat(b.close().toString()).isEqualTo("1.55"));
        assertThat(requests.get(1)).containsEntry("symbol", "BRK.B").containsEntry("outputsize", "full");
        assertThat(requests.get(1)).containsEntry("datatype", "csv");
        assertThat(csv.redact(csv.intradayUri("X").toString())).doesNotContain("AVKEY");
    }

    @Test
    void waitsForTheRateLimitInsteadOfExceedingIt() throws InterruptedException {
        reply("IBM", new Reply(200, json("IBM", "2024-07-01 09:30:00")));
        AlphaVantageClient limited = client(config()); // 2 per minute
        long start = clock.get();
        for (int i = 0; i < 5; i++) {
            limited.intraday("IBM");
        }
        assertThat(requests).hasSize(5);
        // Two at once, two more a minute later, the fifth two minutes later: never three in a minute.
        assertThat(requestClock)
                .containsExactly(start, start, start + 60 * SECOND, start + 60 * SECOND, start + 120 * SECOND);
        assertThat(sleeps).containsExactly(60 * SECOND, 60 * SECOND);
        assertThat(limited.requests()).isEqualTo(5);
    }

    @Test
    void errorBodiesAndHttpErrorsAreClearAndNeverShowTheKey() throws InterruptedException {
        reply(
                "NOTE",
                new Reply(
                        200,
                        "{\"Note\": \"Thank you for using Alpha Vantage! Our standard API call frequency is 5 calls "
                                + "per minute and 500 calls per day.\"}"));
        reply(
                "INFO",
                new Reply(
                        200,
                        "{\"Information\": \"We have detected your API key as " + KEY + " and our standard API rate "
                                + "limit is 25 requests per day.\"}"));
        reply("BAD", new Reply(200, "{\"Error Message\": \"Invalid API call.\"}"));
        reply("DOWN", new Reply(503, "Service Unavailable"));
        AlphaVantageClient errors = client(config().withLimits(List.of(Limit.perMinute(100)), 0));

        assertThatThrownBy(() -> errors.intraday("NOTE"))
                .isInstanceOfSatisfying(
                        AlphaVantageException.class, e -> assertThat(e.kind()).isEqualTo(Kind.RATE_LIMITED));
        assertThatThrownBy(() -> errors.intraday("INFO"))
                .isInstanceOfSatisfying(
                        AlphaVantageException.class, e -> assertThat(e.kind()).isEqualTo(Kind.RATE_LIMITED))
                .hasMessageContaining("detected your API key as ***")
                .hasMessageNotContaining(KEY);
        assertThatThrownBy(() -> errors.intraday("BAD"))
                .isInstanceOfSatisfying(
                        AlphaVantageException.class, e -> assertThat(e.kind()).isEqualTo(Kind.API_ERROR))
                .hasMessageContaining("Invalid API call");
        assertThatThrownBy(() -> errors.intraday("DOWN"))
                .isInstanceOfSatisfying(
                        AlphaVantageException.class, e -> assertThat(e.kind()).isEqualTo(Kind.HTTP))
                .hasMessageContaining("HTTP 503")
                .hasMessageNotContaining("AVKEY");
        assertThat(errors.failures()).isEqualTo(4);
        assertThat(errors.config().toString()).doesNotContain(KEY);
    }

    @Test
    void aBarTheConsumerFailsToTakeComesAgainNextRoundAndNoEarlierBarDoes() throws InterruptedException {
        reply("IBM", new Reply(200, json("IBM", "2024-07-01 09:30:00", "2024-07-01 09:31:00", "2024-07-01 09:32:00")));
        AlphaVantageClient polling = client(config().withLimits(List.of(Limit.perMinute(100)), 0));
        List<IntradayBar> stored = new ArrayList<>();
        boolean[] failNext = {false};
        java.util.function.Consumer<IntradayBar> store = bar -> {
            if (stored.size() == 1 && !failNext[0]) {
                failNext[0] = true; // the second bar fails once (e.g. the store pushed back)
                throw new IllegalStateException("store unavailable");
            }
            stored.add(bar);
        };
        try (AlphaVantagePoller poller =
                new AlphaVantagePoller(polling, List.of("IBM"), Duration.ofMinutes(1), store, false)) {
            assertThatThrownBy(poller::pollOnce).hasMessageContaining("store unavailable");
            assertThat(poller.pollOnce()).isEqualTo(2); // 09:31 again, then 09:32; not 09:30
            assertThat(poller.delivered()).isEqualTo(3);
        }
        assertThat(stored).extracting(b -> b.volume().toString()).containsExactly("100", "101", "102");
    }

    @Test
    void pollerDeliversEachBarOnceInOrderAndHoldsBackTheBarStillFilling() throws InterruptedException {
        reply(
                "IBM",
                new Reply(200, json("IBM", "2024-07-01 09:30:00", "2024-07-01 09:31:00", "2024-07-01 09:32:00")),
                new Reply(200, json("IBM", "2024-07-01 09:31:00", "2024-07-01 09:32:00", "2024-07-01 09:33:00")));
        reply("BAD", new Reply(200, "{\"Error Message\": \"Invalid API call.\"}"));
        AlphaVantageClient polling = client(config().withLimits(List.of(Limit.perMinute(100)), 0));
        List<IntradayBar> got = new ArrayList<>();
        try (AlphaVantagePoller poller =
                new AlphaVantagePoller(polling, List.of("BAD", "IBM"), Duration.ofMinutes(1), got::add, true)) {
            assertThat(poller.pollOnce()).isEqualTo(2);
            assertThat(poller.pollOnce()).isEqualTo(1);
            assertThat(poller.pollOnce()).isZero(); // the same response again: nothing new
            assertThat(poller.errors()).isEqualTo(3); // BAD, every round, without stopping IBM
            assertThat(poller.delivered()).isEqualTo(3);
        }
        assertThat(got)
                .extracting(b -> b.volume().toString())
                .containsExactly("100", "101", "101"); // 09:30 and 09:31 of the first response, 09:32 of the second
        assertThat(got).extracting(IntradayBar::barTimeNanos).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void pollerWithoutHoldBackAndARateLimitEndingTheRound() throws InterruptedException {
        reply(
                "IBM",
                new Reply(200, json("IBM", "2024-07-01 09:30:00", "2024-07-01 09:31:00")),
                new Reply(200, json("IBM", "2024-07-01 09:31:00", "2024-07-01 09:32:00")));
        reply(
                "LIMIT",
                new Reply(200, "{\"Note\": \"Our standard API call frequency is 5 calls per minute.\"}"),
                new Reply(200, json("LIMIT", "2024-07-01 09:30:00")));
        AlphaVantageClient polling = client(config().withLimits(List.of(Limit.perMinute(100)), 0));
        List<IntradayBar> got = new ArrayList<>();
        try (AlphaVantagePoller poller =
                new AlphaVantagePoller(polling, List.of("LIMIT", "IBM"), Duration.ofMinutes(1), got::add, false)) {
            assertThat(poller.pollOnce()).isZero(); // rate limited at LIMIT: IBM not asked this round
            assertThat(requests).extracting(q -> q.get("symbol")).containsExactly("LIMIT");
            assertThat(poller.rateLimited()).isEqualTo(1);
            assertThat(poller.pollOnce()).isEqualTo(3); // LIMIT 09:30, IBM 09:30 and 09:31
            assertThat(poller.pollOnce()).isEqualTo(1); // IBM 09:32
        }
        assertThat(got)
                .extracting(b -> b.series().symbol() + " " + b.barTimeNanos())
                .doesNotHaveDuplicates()
                .hasSize(4);
    }

    @Test
    void startedPollerRunsOnItsOwnThreadUntilClosed() throws InterruptedException {
        reply(
                "IBM",
                new Reply(200, json("IBM", "2024-07-01 09:30:00", "2024-07-01 09:31:00")),
                new Reply(200, json("IBM", "2024-07-01 09:31:00", "2024-07-01 09:32:00")));
        AlphaVantageClient polling = client(config().withLimits(List.of(Limit.perMinute(1000)), 0));
        List<IntradayBar> got = Collections.synchronizedList(new ArrayList<>());
        List<String> threads = Collections.synchronizedList(new ArrayList<>());
        AlphaVantagePoller poller = new AlphaVantagePoller(
                polling,
                List.of("IBM"),
                Duration.ofMillis(5),
                bar -> {
                    threads.add(Thread.currentThread().getName());
                    got.add(bar);
                },
                false);
        poller.start();
        long deadline = System.nanoTime() + 30 * SECOND;
        while (poller.rounds() < 3 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        poller.close();
        long rounds = poller.rounds();
        assertThat(rounds).isGreaterThanOrEqualTo(3);
        Thread.sleep(50);
        assertThat(poller.rounds()).isEqualTo(rounds); // stopped
        assertThat(got)
                .extracting(IntradayBar::barTimeNanos)
                .hasSize(3)
                .isSorted()
                .doesNotHaveDuplicates();
        assertThat(threads).containsOnly("alphavantage-poller");
    }
}
