package dev.tickvault.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.OperatingSystemMXBean;
import dev.tickvault.feed.FeedConnection;
import dev.tickvault.feed.FeedHandler;
import dev.tickvault.feed.FeedStats;
import dev.tickvault.feed.transport.TransportConfig;
import dev.tickvault.feed.transport.WebSocketFeedClient;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * How many messages a synthetic Binance market pushes through the transport on loopback, as fast as the client
 * reads (simulator and client in this JVM, one event loop thread each). Prints messages per second of wall time and
 * per CPU-second of the process (less sensitive to other load on the machine). Run: {@code ./build slow
 * -Dtest=SimulatorThroughputTest}.
 */
@Tag("slow")
class SimulatorThroughputTest {

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void syntheticMessagesPerSecond(boolean compression) throws Exception {
        SimulatorConfig config = SimulatorConfig.defaults()
                .withCompression(compression)
                .withBinanceSpot(SimulatorConfig.BinanceSourceConfig.synthetic(3, 0, 1));
        List<String> streams = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            streams.addAll(List.of("syn" + i + "usdt@depth", "syn" + i + "usdt@trade", "syn" + i + "usdt@bookTicker"));
        }
        AtomicLong messages = new AtomicLong();
        AtomicLong bytes = new AtomicLong();
        FeedStats stats = new FeedStats();
        FeedHandler counter = new FeedHandler() {
            @Override
            public void onOpen(FeedConnection connection, long nowNanos) {}

            @Override
            public void onMessage(FeedConnection connection, byte[] utf8, int offset, int length, long recvTsNanos) {
                messages.incrementAndGet();
                bytes.addAndGet(length);
            }

            @Override
            public void onClose(FeedConnection connection, long nowNanos, String reason) {}

            @Override
            public FeedStats stats() {
                return stats;
            }
        };
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        try (ExchangeSimulator sim = ExchangeSimulator.start(config);
                WebSocketFeedClient client = new WebSocketFeedClient(
                        TransportConfig.defaults("throughput").withCompression(compression), counter)) {
            client.open(sim.binanceCombinedStreamUri(BinanceMarketKind.SPOT, streams));
            Thread.sleep(3_000); // warm-up
            long m0 = messages.get();
            long cpu0 = os.getProcessCpuTime();
            long wall0 = System.nanoTime();
            Thread.sleep(10_000);
            long m = messages.get() - m0;
            double cpuSeconds = (os.getProcessCpuTime() - cpu0) / 1e9;
            double wallSeconds = (System.nanoTime() - wall0) / 1e9;
            System.out.printf(
                    "simulator -> transport, synthetic Binance (3 symbols, combined stream), compression=%s: "
                            + "%d messages in %.1f s = %.0f msg/s; process CPU %.1f s = %.0f msg per CPU-second; "
                            + "%.0f bytes/message; load average %.1f on %d cores%n",
                    compression,
                    m,
                    wallSeconds,
                    m / wallSeconds,
                    cpuSeconds,
                    m / cpuSeconds,
                    bytes.get() / (double) messages.get(),
                    os.getSystemLoadAverage(),
                    os.getAvailableProcessors());
            assertThat(m).isPositive();
        }
    }
}
