package dev.tickvault.record;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tickvault.feed.alphavantage.AlphaVantageConfig;
import dev.tickvault.feed.alphavantage.RequestRateLimiter;
import dev.tickvault.model.SeriesKey;
import dev.tickvault.model.VendorBar;
import dev.tickvault.store.Durability;
import dev.tickvault.store.StoreConfig;
import dev.tickvault.store.TickStore;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recorder polling Alpha Vantage's intraday endpoint (a real HTTP server on the loopback interface answering with
 * the documented JSON) into the store's bars table: every bar stored once with the vendor's exact decimals, the
 * still-forming newest bar held back, later polls appending only new bars, and a restarted recorder storing no bar
 * twice.
 */
class VendorBarRecordingTest {

    private static final SeriesKey IBM = SeriesKey.of("alphavantage", "IBM");
    /** 2024-07-01 09:30 US/Eastern (EDT) = 13:30Z. */
    private static final long FIRST_BAR_NANOS = 1_719_840_600_000_000_000L;

    @TempDir
    Path dir;

    private HttpServer server;
    private final Map<String, String> keys = new ConcurrentHashMap<>();
    /** How many minutes the next answer holds (the vendor's series grows). */
    private final AtomicInteger minutes = new AtomicInteger(3);

    private final AtomicInteger requests = new AtomicInteger();

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/query", this::answer);
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private void answer(HttpExchange exchange) throws IOException {
        String query = exchange.getRequestURI().getRawQuery();
        keys.put("last", query);
        requests.incrementAndGet();
        byte[] body = json(minutes.get()).getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** The documented intraday JSON for IBM with bars 09:30 … 09:30+n-1 minutes, newest first. */
    private static String json(int n) {
        StringBuilder series = new StringBuilder();
        for (int i = n - 1; i >= 0; i--) {
            series.append(series.isEmpty() ? "" : ",")
                    .append(String.format("\"2024-07-01 09:%02d:00\"", 30 + i))
                    .append(": {\"1. open\": \"1")
                    .append(i)
                    .append("0.1000\", \"2. high\": \"200.0000\", \"3. low\": \"0.0100\", \"4. close\": \"150.2500\", ")
                    .append("\"5. volume\": \"")
                    .append(1000 + i)
                    .append("\"}");
        }
        return "{\"Meta Data\": {\"1. Information\": \"Intraday (1min) open, high, low, close prices and volume\", "
                + "\"2. Symbol\": \"IBM\", \"3. Last Refreshed\": \"2024-07-01 09:59:00\", \"4. Interval\": \"1min\", "
                + "\"5. Output Size\": \"Compact\", \"6. Time Zone\": \"US/Eastern\"}, \"Time Series (1min)\": {"
                + series + "}}";
    }

    private VendorBarPlan plan() {
        URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/query");
        AlphaVantageConfig config =
                AlphaVantageConfig.of(base, "TESTKEY").withLimits(RequestRateLimiter.premium(600), 0);
        return new VendorBarPlan("alphavantage", config, List.of("IBM"), Duration.ofMillis(100));
    }

    private static List<VendorBar> stored(TickStore store) {
        return store.vendorBars(IBM, Long.MIN_VALUE, Long.MAX_VALUE, 1000);
    }

    @Test
    void barsAreStoredOnceExactlyAsPublishedAcrossPollsAndRestarts() {
        StoreConfig config = StoreConfig.defaults().withDurability(Durability.SYNC_EVERY_COMMIT);
        try (TickStore store = TickStore.open(dir, config)) {
            try (Recorder recorder =
                    Recorder.start(store, List.of(), List.of(plan()), Recorder.Options.defaults(), null, null)) {
                // 3 bars published: the newest may still be forming, so 2 are stored
                waitUntil(() -> stored(store).size() == 2);
                minutes.set(5);
                waitUntil(() -> stored(store).size() == 4);
                int before = requests.get();
                waitUntil(() -> requests.get() >= before + 3);
                assertThat(stored(store)).hasSize(4); // the same answer again adds nothing
                assertThat(recorder.feedNames()).containsExactly("alphavantage");
                assertThat(recorder.rowsCommitted()).isEqualTo(4);
            }
            List<VendorBar> bars = stored(store);
            for (int i = 0; i < bars.size(); i++) {
                VendorBar bar = bars.get(i);
                assertThat(bar.tsNanos()).isEqualTo(FIRST_BAR_NANOS + i * 60_000_000_000L);
                assertThat(bar.interval()).isEqualTo("1min");
                assertThat(bar.open()).hasToString("1" + i + "0.1000");
                assertThat(bar.high()).hasToString("200.0000");
                assertThat(bar.low()).hasToString("0.0100");
                assertThat(bar.close()).hasToString("150.2500");
                assertThat(bar.volume()).hasToString(Integer.toString(1000 + i));
                assertThat(bar.recvTsNanos()).isGreaterThan(FIRST_BAR_NANOS);
            }
            assertThat(keys.get("last"))
                    .contains("function=TIME_SERIES_INTRADAY")
                    .contains("symbol=IBM");
        }
        // restart: the vendor still answers with the same 5 bars plus one; only the new complete bar is added
        minutes.set(6);
        try (TickStore store = TickStore.open(dir, config)) {
            List<VendorBar> before = new ArrayList<>(stored(store));
            try (Recorder recorder =
                    Recorder.start(store, List.of(), List.of(plan()), Recorder.Options.defaults(), null, null)) {
                waitUntil(() -> stored(store).size() == 5);
                assertThat(recorder.vendorBarStatus())
                        .singleElement()
                        .asString()
                        .startsWith("alphavantage rounds ");
                int polled = requests.get();
                waitUntil(() -> requests.get() >= polled + 3);
            }
            List<VendorBar> after = stored(store);
            assertThat(after).hasSize(5).startsWith(before.toArray(VendorBar[]::new));
            assertThat(after.get(4).tsNanos()).isEqualTo(FIRST_BAR_NANOS + 4 * 60_000_000_000L);
        }
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }
}
