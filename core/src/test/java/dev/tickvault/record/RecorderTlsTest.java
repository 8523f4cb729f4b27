package dev.tickvault.record;

import static dev.tickvault.record.RecorderTestSupport.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tickvault.feed.FeedStats;
import dev.tickvault.feed.binance.BinanceMarket;
import dev.tickvault.feed.transport.RecordingHandler;
import dev.tickvault.feed.transport.TransportConfig;
import dev.tickvault.feed.transport.TransportStats;
import dev.tickvault.feed.transport.WebSocketFeedClient;
import dev.tickvault.model.SeriesKey;
import dev.tickvault.simulator.BinanceMarketKind;
import dev.tickvault.simulator.ExchangeSimulator;
import dev.tickvault.simulator.SimulatorConfig;
import dev.tickvault.store.StoreConfig;
import dev.tickvault.store.TickStore;
import dev.tickvault.testing.TestCertificates;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS end to end: the simulator serves {@code wss://} and {@code https://} with a self-signed certificate made at test
 * time; the real recorder, told to trust that certificate ({@link FeedSpec#caFile()}), records Binance spot over both
 * (WebSocket stream and REST depth snapshots). Without that trust the handshake fails with a clear reason, is counted
 * and retried with backoff; nothing crashes.
 */
class RecorderTlsTest {

    @TempDir
    static Path certificates;

    private static TestCertificates simulatorCertificate;

    @TempDir
    Path dir;

    @BeforeAll
    static void makeCertificate() throws Exception {
        simulatorCertificate = TestCertificates.create(certificates, "simulator");
    }

    private static ExchangeSimulator tlsSimulator() {
        return ExchangeSimulator.start(SimulatorConfig.defaults()
                .withBinanceSpot(SimulatorConfig.BinanceSourceConfig.synthetic(2, 300, 5))
                .withTls(simulatorCertificate.serverTls()));
    }

    @Test
    void recordsOverWssAndHttpsWhenTheCertificateIsTrusted() throws Exception {
        try (ExchangeSimulator simulator = tlsSimulator();
                TickStore store = TickStore.open(dir, StoreConfig.defaults())) {
            String ws = simulator.binanceWebSocketBase(BinanceMarketKind.SPOT) + "/stream";
            String rest = simulator.baseUri() + "/api/v3/depth";
            assertThat(ws).startsWith("wss://");
            assertThat(rest).startsWith("https://");
            List<String> symbols = simulator.binanceSymbols(BinanceMarketKind.SPOT);
            FeedSpec spec = new FeedSpec("binance", symbols, List.of("trades", "book"), ws, rest)
                    .withCaFile(simulatorCertificate.certificatePem().toString());
            Recorder recorder = Recorder.start(
                    store, VenuePlans.binance(spec, BinanceMarket.SPOT, null), Recorder.Options.defaults(), null, null);
            FeedStats stats = recorder.stats().get(0);
            try {
                await(
                        "trades and synced books over TLS",
                        Duration.ofSeconds(20),
                        () -> stats.trades.sum() > 30 && stats.bookUpdates.sum() > 100);
                Thread.sleep(300);
            } finally {
                recorder.close();
            }
            assertThat(simulator.stats().restRequests.sum())
                    .as("a depth snapshot per symbol, over https")
                    .isGreaterThanOrEqualTo(symbols.size());
            assertThat(stats.gaps.sum()).isZero();
            assertThat(stats.malformed.sum()).isZero();
            for (String symbol : symbols) {
                SeriesKey series = SeriesKey.of("binance", symbol);
                assertThat(RecorderTestSupport.trades(store, series)).as(symbol).isNotEmpty();
                assertThat(RecorderTestSupport.bookRows(store, series))
                        .as(symbol + ": book rows, so the https snapshot arrived")
                        .isNotEmpty();
            }
        }
    }

    @Test
    void anUntrustedCertificateFailsWithAClearReasonAndIsRetriedWithBackoff() throws Exception {
        try (ExchangeSimulator simulator = tlsSimulator()) {
            URI uri = URI.create(
                    simulator.binanceWebSocketBase(BinanceMarketKind.SPOT) + "/stream?streams=syn0usdt@trade");

            // The JDK's default trust store: the self-signed certificate is not trusted.
            RecordingHandler handler = new RecordingHandler();
            long startMono = System.nanoTime();
            try (WebSocketFeedClient client = new WebSocketFeedClient(TransportConfig.defaults("untrusted"), handler)) {
                client.open(uri);
                TransportStats stats = client.stats();
                await(
                        "three failed handshakes, each a failed connect",
                        Duration.ofSeconds(10),
                        () -> stats.tlsFailures.sum() >= 3 && stats.connectFailures.sum() >= 3);
                double seconds = (System.nanoTime() - startMono) / 1e9;
                assertThat(stats.opened.sum()).isZero();
                assertThat(handler.openCount()).isZero();
                assertThat(stats.lastFailure)
                        .startsWith("TLS handshake with 127.0.0.1:" + simulator.port() + " failed")
                        .contains("trust store");
                // Backoff (0.5 s base, doubling, full jitter): a handful of attempts, not a hot loop.
                Thread.sleep(2_000);
                assertThat(stats.connectAttempts.sum())
                        .as("attempts in %.1f s + 2 s", seconds)
                        .isLessThan(20);
            }
            assertThat(simulator.connections()).isEmpty();

            // Trusting another certificate than the server's fails alike.
            TestCertificates other = TestCertificates.create(Files.createTempDirectory(dir, "other"), "other");
            RecordingHandler otherHandler = new RecordingHandler();
            try (WebSocketFeedClient client = new WebSocketFeedClient(
                    TransportConfig.defaults("other-ca").withTrustedCertificates(other.certificatePem()),
                    otherHandler)) {
                client.open(uri);
                await(
                        "a failed handshake",
                        Duration.ofSeconds(10),
                        () -> client.stats().tlsFailures.sum() >= 1);
                assertThat(client.stats().lastFailure).contains("trusted: " + other.certificatePem());
                assertThat(otherHandler.openCount()).isZero();
            }

            // The recorder without the trust: runs, records nothing, closes cleanly.
            try (TickStore store = TickStore.open(dir.resolve("store"), StoreConfig.defaults())) {
                List<String> symbols = simulator.binanceSymbols(BinanceMarketKind.SPOT);
                FeedSpec spec = new FeedSpec(
                        "binance",
                        symbols,
                        List.of("trades", "book"),
                        simulator.binanceWebSocketBase(BinanceMarketKind.SPOT) + "/stream",
                        simulator.baseUri() + "/api/v3/depth");
                Recorder recorder = Recorder.start(
                        store,
                        VenuePlans.binance(spec, BinanceMarket.SPOT, null),
                        Recorder.Options.defaults(),
                        null,
                        null);
                Thread.sleep(1_500);
                FeedStats stats = recorder.stats().get(0);
                recorder.close();
                assertThat(stats.trades.sum()).isZero();
                assertThat(stats.reconnects.sum()).isZero();
            }
        }
    }
}
