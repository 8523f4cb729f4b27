package dev.tickvault.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickvault.feed.FeedStats;
import dev.tickvault.feed.binance.BinanceMarket;
import dev.tickvault.record.FeedSpec;
import dev.tickvault.record.Recorder;
import dev.tickvault.record.VenuePlans;
import dev.tickvault.server.ServerConfig;
import dev.tickvault.simulator.BinanceMarketKind;
import dev.tickvault.simulator.ExchangeSimulator;
import dev.tickvault.simulator.SimulatorConfig;
import dev.tickvault.store.Durability;
import dev.tickvault.store.StoreConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 32 HTTP clients query trades, bars, the book and symbols as fast as they can while the recorder records the
 * simulator into the same store: no client sees an error, and ingest is never blocked (frames keep arriving and being
 * committed; no reconnect, no gap).
 */
class QueriesWhileRecordingTest {

    @TempDir
    Path dir;

    @Test
    void thirtyTwoClientsWhileRecording() throws Exception {
        SimulatorConfig simulatorConfig =
                SimulatorConfig.defaults().withBinanceSpot(SimulatorConfig.BinanceSourceConfig.synthetic(3, 500, 3));
        try (ExchangeSimulator simulator = ExchangeSimulator.start(simulatorConfig)) {
            List<String> symbols = simulator.binanceSymbols(BinanceMarketKind.SPOT);
            FeedSpec spec = new FeedSpec(
                    "binance",
                    symbols,
                    List.of("trades", "book"),
                    simulator.binanceWebSocketBase(BinanceMarketKind.SPOT) + "/stream",
                    simulator.baseUri() + "/api/v3/depth");
            AtomicLong answered = new AtomicLong();
            List<String> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
            long[] framesDuringLoad = new long[2];
            FeedStats[] feed = new FeedStats[1];
            RecordingRun.run(
                    new RecordingRun.Settings(
                            dir,
                            StoreConfig.defaults().withDurability(Durability.SYNC_EVERY_COMMIT),
                            VenuePlans.binance(spec, BinanceMarket.SPOT, null),
                            java.util.List.of(),
                            Recorder.Options.defaults(),
                            ServerConfig.defaults().withPort(0),
                            Duration.ofMillis(1),
                            Duration.ZERO),
                    new PrintWriter(new StringWriter()),
                    new PrintWriter(new StringWriter()),
                    (server, recorder) -> {
                        feed[0] = recorder.stats().get(0);
                        String base = server.baseUri().toString();
                        waitFor(() -> feed[0].trades.sum() > 50 && feed[0].bookUpdates.sum() > 50);
                        String symbol = symbols.get(0);
                        List<String> paths = List.of(
                                "/api/v1/trades?exchange=binance&symbol=" + symbol + "&format=csv",
                                "/api/v1/bars?exchange=binance&symbol=" + symbol + "&interval=1s&last=60",
                                "/api/v1/book?exchange=binance&symbol=" + symbol + "&depth=20",
                                "/api/v1/symbols",
                                "/api/v1/feeds",
                                "/metrics");
                        framesDuringLoad[0] = feed[0].messages.sum();
                        long reconnectsBefore = feed[0].reconnects.sum();
                        long gapsBefore = feed[0].gaps.sum();
                        ExecutorService clients = Executors.newFixedThreadPool(32);
                        // Its own executor: the 32 client threads block in send().
                        HttpClient http = HttpClient.newHttpClient();
                        long until = System.nanoTime() + Duration.ofSeconds(6).toNanos();
                        List<Future<?>> futures = new ArrayList<>();
                        for (int c = 0; c < 32; c++) {
                            int client = c;
                            futures.add(clients.submit(() -> {
                                for (int i = 0; System.nanoTime() < until; i++) {
                                    String path = paths.get((client + i) % paths.size());
                                    try {
                                        HttpResponse<String> response = http.send(
                                                HttpRequest.newBuilder(URI.create(base + path))
                                                        .timeout(Duration.ofSeconds(30))
                                                        .build(),
                                                HttpResponse.BodyHandlers.ofString());
                                        if (response.statusCode() != 200) {
                                            errors.add(path + " → " + response.statusCode() + " " + response.body());
                                        }
                                        answered.incrementAndGet();
                                    } catch (Exception e) {
                                        errors.add(path + " → " + e);
                                    }
                                }
                                return null;
                            }));
                        }
                        for (Future<?> f : futures) {
                            f.get();
                        }
                        clients.shutdown();
                        framesDuringLoad[1] = feed[0].messages.sum();
                        assertThat(feed[0].reconnects.sum()).isEqualTo(reconnectsBefore);
                        assertThat(feed[0].gaps.sum()).isEqualTo(gapsBefore);
                    });
            assertThat(errors).isEmpty();
            assertThat(answered.get()).isGreaterThan(100);
            // ~500 frames/s for 6 s kept arriving while the clients hammered the same store.
            assertThat(framesDuringLoad[1] - framesDuringLoad[0]).isGreaterThan(1_000);
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("recording did not start within 20 s");
            }
            Thread.sleep(20);
        }
    }
}
