package dev.tickvault.bench;

import dev.tickvault.feed.FeedHandler;
import dev.tickvault.feed.binance.BinanceFeedConfig;
import dev.tickvault.feed.binance.BinanceFeedHandler;
import dev.tickvault.feed.binance.BinanceMarket;
import dev.tickvault.feed.binance.DepthSnapshotRequester;
import dev.tickvault.feed.binance.HttpDepthSnapshotRequester;
import dev.tickvault.feed.transport.TransportConfig;
import dev.tickvault.feed.transport.WebSocketFeedClient;
import dev.tickvault.record.CommitPolicy;
import dev.tickvault.record.CommittingFeedHandler;
import dev.tickvault.record.StoreFeedSink;
import dev.tickvault.simulator.BinanceMarketKind;
import dev.tickvault.simulator.ExchangeSimulator;
import dev.tickvault.simulator.SimulatorConfig;
import dev.tickvault.store.StoreConfig;
import dev.tickvault.store.TickStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;

/**
 * End-to-end latency of recording: from a frame's local receipt (the transport's clock) to the commit that makes its
 * rows durable and visible, with the real transport, Binance handler (book sync, REST snapshots) and store, fed by the
 * exchange simulator's synthetic Binance spot market over loopback.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp bench/target/tickvault-bench.jar \
 *     dev.tickvault.bench.RecordLatencyBenchmark [--rate 50000] [--seconds 30] [--symbols 3] [--durability SYNC_EVERY_COMMIT]
 * </pre>
 */
public final class RecordLatencyBenchmark {

    public static void main(String[] args) throws Exception {
        double rate = 50_000;
        int seconds = 30;
        int symbols = 3;
        String durability = "SYNC_EVERY_COMMIT";
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--rate" -> rate = Double.parseDouble(args[i + 1]);
                case "--seconds" -> seconds = Integer.parseInt(args[i + 1]);
                case "--symbols" -> symbols = Integer.parseInt(args[i + 1]);
                case "--durability" -> durability = args[i + 1];
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Path dir = Files.createTempDirectory("tickvault-latency");
        Histogram latency = new Histogram(3_600_000_000_000L, 3);
        SimulatorConfig simulatorConfig = SimulatorConfig.defaults()
                .withBinanceSpot(SimulatorConfig.BinanceSourceConfig.synthetic(symbols, rate, 1));
        long frames;
        long rows;
        try (ExchangeSimulator simulator = ExchangeSimulator.start(simulatorConfig);
                TickStore store = TickStore.open(
                        dir,
                        StoreConfig.defaults().withDurability(dev.tickvault.store.Durability.valueOf(durability)))) {
            List<String> names = simulator.binanceSymbols(BinanceMarketKind.SPOT);
            BinanceFeedConfig config = BinanceFeedConfig.defaults(BinanceMarket.SPOT, names)
                    .withUrls(
                            simulator.binanceWebSocketBase(BinanceMarketKind.SPOT) + "/stream",
                            simulator.baseUri() + "/api/v3/depth");
            TransportConfig transport = TransportConfig.defaults("latency");
            StoreFeedSink sink = new StoreFeedSink(
                    store, CommitPolicy.live(), System::nanoTime, latency::recordValue, transport.clock()::nowNanos);
            AtomicReference<DepthSnapshotRequester> requester = new AtomicReference<>();
            BinanceFeedHandler handler = new BinanceFeedHandler(
                    config, sink, series -> requester.get().request(series), null);
            FeedHandler committing = new CommittingFeedHandler(handler, sink);
            WebSocketFeedClient client = new WebSocketFeedClient(transport, committing);
            try (HttpDepthSnapshotRequester http = new HttpDepthSnapshotRequester(
                    HttpDepthSnapshotRequester.Config.defaults(config),
                    HttpClient.newHttpClient(),
                    client.handlerExecutor(),
                    committing,
                    transport.clock()::nowNanos)) {
                requester.set(http);
                client.open(URI.create(config.streamUrl()));
                Thread.sleep(3_000); // sync books, warm up
                client.handlerExecutor().execute(latency::reset);
                Thread.sleep(seconds * 1_000L);
                frames = handler.stats().messages.sum();
                client.close();
            }
            sink.close();
            rows = sink.rowsCommitted();
        }
        System.out.printf(
                Locale.ROOT,
                "rate asked %.0f msg/s, %d symbols, %s: %,d frames received in total, %,d rows committed;"
                        + " frames measured %,d (%.0f/s)%n"
                        + "receive → commit latency: p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms%n",
                rate,
                symbols,
                durability,
                frames,
                rows,
                latency.getTotalCount(),
                latency.getTotalCount() / (double) seconds,
                latency.getValueAtPercentile(50) / 1e6,
                latency.getValueAtPercentile(99) / 1e6,
                latency.getValueAtPercentile(99.9) / 1e6,
                latency.getMaxValue() / 1e6);
    }
}
