package dev.tickvault.feed.binance;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tickvault.feed.Captures;
import dev.tickvault.feed.capture.CapturedFrame;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link HttpDepthSnapshotRequester} against a real HTTP server on the loopback interface that answers like Binance
 * (429 / 418 with {@code Retry-After}, then the recorded snapshot), feeding a real {@link BinanceFeedHandler} on its
 * own thread.
 */
class HttpDepthSnapshotRequesterTest {

    record Scripted(int status, String retryAfter, byte[] body) {}

    private HttpServer server;
    private final LinkedBlockingQueue<Scripted> script = new LinkedBlockingQueue<>();
    private final Map<String, byte[]> bodiesBySymbol = new ConcurrentHashMap<>();
    private final List<Long> arrivalsNanos = new CopyOnWriteArrayList<>();
    private final List<String> queries = new CopyOnWriteArrayList<>();
    private final ExecutorService handlerThread = Executors.newSingleThreadExecutor();
    private HttpClient client;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v3/depth", this::answer);
        server.start();
        client = HttpClient.newHttpClient();
    }

    @AfterEach
    void stop() throws InterruptedException {
        server.stop(0);
        handlerThread.shutdownNow();
        handlerThread.awaitTermination(5, TimeUnit.SECONDS);
        client.close();
    }

    private void answer(HttpExchange exchange) throws IOException {
        arrivalsNanos.add(System.nanoTime());
        String query = exchange.getRequestURI().getQuery();
        queries.add(query);
        Scripted next = script.poll();
        if (next == null) {
            String symbol = query.replaceAll(".*symbol=([A-Z]+).*", "$1");
            next = new Scripted(200, null, bodiesBySymbol.getOrDefault(symbol, "{}".getBytes()));
        }
        if (next.retryAfter() != null) {
            exchange.getResponseHeaders().add("Retry-After", next.retryAfter());
        }
        exchange.getResponseHeaders().add("X-MBX-USED-WEIGHT-1M", "42");
        exchange.sendResponseHeaders(next.status(), next.body().length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(next.body());
        }
    }

    private String depthUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/api/v3/depth";
    }

    private HttpDepthSnapshotRequester.Config config(int limit, int budget, Duration window, Duration min418) {
        return new HttpDepthSnapshotRequester.Config(
                BinanceMarket.SPOT,
                depthUrl(),
                limit,
                budget,
                window,
                Duration.ofSeconds(5),
                Duration.ofSeconds(30), // without Retry-After: far longer than the test waits
                min418,
                Duration.ofSeconds(30),
                16);
    }

    private void onHandlerThread(Runnable task) throws Exception {
        handlerThread.submit(task).get(10, TimeUnit.SECONDS);
    }

    private boolean waitFor(BooleanSupplier condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            AtomicReference<Boolean> done = new AtomicReference<>(false);
            onHandlerThread(() -> done.set(condition.getAsBoolean()));
            if (done.get()) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }

    /** Replays the spot recording's diffs before its snapshot; the handler then asks for one over HTTP. */
    private BinanceFeedHandler spotHandlerAwaitingSnapshot(
            HttpDepthSnapshotRequester.Config config, AtomicReference<HttpDepthSnapshotRequester> requester)
            throws Exception {
        List<CapturedFrame> frames = BinanceRecordings.hftbacktest(Captures.require(Captures.BINANCE_SPOT));
        CapturedFrame rest = frames.stream()
                .filter(f -> f.kind() == CapturedFrame.Kind.REST)
                .findFirst()
                .orElseThrow();
        script.add(new Scripted(200, null, rest.payload()));
        BinanceFeedHandler handler = new BinanceFeedHandler(
                BinanceFeedConfig.defaults(BinanceMarket.SPOT, List.of("BTCUSDT"))
                        .withUrls("ws://unused", depthUrl()),
                new RecordingSink(),
                series -> requester.get().request(series),
                null);
        requester.set(new HttpDepthSnapshotRequester(
                config, client, handlerThread, handler, () -> System.currentTimeMillis() * 1_000_000L));
        ReplayConnection connection = new ReplayConnection("live");
        onHandlerThread(() -> {
            for (CapturedFrame f : frames) {
                if (f.kind() == CapturedFrame.Kind.REST) {
                    break;
                }
                handler.onMessage(connection, f.payload(), 0, f.payload().length, f.recvTsNanos());
            }
        });
        return handler;
    }

    @Test
    void aTooManyRequestsAnswerIsHonouredThenTheSnapshotSyncsTheBook() throws Exception {
        script.add(new Scripted(429, "1", "{\"code\":-1003,\"msg\":\"Too many requests\"}".getBytes()));
        AtomicReference<HttpDepthSnapshotRequester> requester = new AtomicReference<>();
        BinanceFeedHandler handler = spotHandlerAwaitingSnapshot(
                config(1000, 3000, Duration.ofMinutes(1), Duration.ofMinutes(5)), requester);
        try (HttpDepthSnapshotRequester r = requester.get()) {
            assertThat(waitFor(() -> handler.counters().snapshotsApplied.sum() == 1))
                    .isTrue();
            assertThat(arrivalsNanos).hasSize(2);
            assertThat(arrivalsNanos.get(1) - arrivalsNanos.get(0)).isGreaterThanOrEqualTo(1_000_000_000L);
            assertThat(queries).containsOnly("symbol=BTCUSDT&limit=1000");
            assertThat(r.tooManyRequests.sum()).isEqualTo(1);
            assertThat(r.delivered.sum()).isEqualTo(1);
            assertThat(r.weightUsed.sum()).isEqualTo(100); // two requests of weight 50 (limit 1000)
            assertThat(r.lastUsedWeightHeader.get()).isEqualTo(42);
            assertThat(handler.book("BTCUSDT").bids().size()).isPositive();
        }
    }

    @Test
    void anIpBanBacksOffUntilRetryAfter() throws Exception {
        // Binance: a 418's Retry-After is the time until the ban is over. The pause for a 418 without one (here 30 s,
        // far longer than the test waits) does not apply.
        script.add(new Scripted(418, "2", "{\"code\":-1003,\"msg\":\"banned\"}".getBytes()));
        AtomicReference<HttpDepthSnapshotRequester> requester = new AtomicReference<>();
        BinanceFeedHandler handler = spotHandlerAwaitingSnapshot(
                config(1000, 3000, Duration.ofMinutes(1), Duration.ofSeconds(30)), requester);
        try (HttpDepthSnapshotRequester r = requester.get()) {
            assertThat(waitFor(() -> handler.counters().snapshotsApplied.sum() == 1))
                    .isTrue();
            assertThat(arrivalsNanos).hasSize(2);
            assertThat(arrivalsNanos.get(1) - arrivalsNanos.get(0))
                    .isGreaterThanOrEqualTo(2_000_000_000L)
                    .isLessThan(10_000_000_000L);
            assertThat(r.banned.sum()).isEqualTo(1);
        }
    }

    @Test
    void anIpBanWithoutRetryAfterPausesForTheConfiguredTime() throws Exception {
        script.add(new Scripted(418, null, "{\"code\":-1003,\"msg\":\"banned\"}".getBytes()));
        AtomicReference<HttpDepthSnapshotRequester> requester = new AtomicReference<>();
        BinanceFeedHandler handler = spotHandlerAwaitingSnapshot(
                config(1000, 3000, Duration.ofMinutes(1), Duration.ofSeconds(2)), requester);
        try (HttpDepthSnapshotRequester r = requester.get()) {
            assertThat(waitFor(() -> handler.counters().snapshotsApplied.sum() == 1))
                    .isTrue();
            assertThat(arrivalsNanos).hasSize(2);
            assertThat(arrivalsNanos.get(1) - arrivalsNanos.get(0)).isGreaterThanOrEqualTo(2_000_000_000L);
            assertThat(r.banned.sum()).isEqualTo(1);
        }
    }

    @Test
    void requestsArePacedWithinTheWeightBudgetAndEachSymbolGetsItsOwnSnapshot() throws Exception {
        List<CapturedFrame> rest = BinanceRecordings.read(dev.tickvault.feed.capture.CryptofeedCaptureReader.open(
                Captures.require(Captures.BINANCE_CRYPTOFEED_REST)));
        for (CapturedFrame f : rest) {
            bodiesBySymbol.put(f.url().replaceAll(".*symbol=([A-Z]+).*", "$1"), f.payload());
        }
        List<String> symbols = List.of("NKNUSDT", "BLZETH", "LRCBTC");
        BinanceFeedHandler handler = new BinanceFeedHandler(
                BinanceFeedConfig.defaults(BinanceMarket.SPOT, symbols).withUrls("ws://unused", depthUrl()),
                new RecordingSink(),
                DepthSnapshotRequester.NONE,
                null);
        // limit 100 weighs 5; a budget of 10 per 2 s lets two go at once and the third one second later.
        try (HttpDepthSnapshotRequester r = new HttpDepthSnapshotRequester(
                config(100, 10, Duration.ofSeconds(2), Duration.ofMinutes(5)),
                client,
                handlerThread,
                handler,
                () -> System.currentTimeMillis() * 1_000_000L)) {
            for (String symbol : symbols) {
                r.request(dev.tickvault.model.SeriesKey.of("binance", symbol));
                r.request(dev.tickvault.model.SeriesKey.of("binance", symbol)); // a repeat while pending: ignored
            }
            assertThat(waitFor(() -> handler.counters().snapshotsApplied.sum() == 3))
                    .isTrue();
            assertThat(arrivalsNanos).hasSize(3);
            assertThat(arrivalsNanos.get(2) - arrivalsNanos.get(1)).isGreaterThanOrEqualTo(900_000_000L);
            assertThat(r.weightUsed.sum()).isEqualTo(15);
            assertThat(queries)
                    .containsExactly("symbol=NKNUSDT&limit=100", "symbol=BLZETH&limit=100", "symbol=LRCBTC&limit=100");
            for (String symbol : symbols) {
                assertThat(handler.book(symbol).asks().size()).as(symbol).isPositive();
            }
        }
    }
}
