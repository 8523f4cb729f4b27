package dev.tickvault.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickvault.feed.FeedStats;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Recorder;
import org.junit.jupiter.api.Test;

class FeedStatusBoardTest {

    @Test
    void ratesLatenciesAndPrometheusCounters() {
        AtomicLong clock = new AtomicLong(0);
        FeedStatusBoard board = new FeedStatusBoard(clock::get);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        board.bindTo(registry);
        FeedStats stats = new FeedStats();
        Recorder latency = board.register("binance", stats);
        stats.messages.add(500);
        stats.gaps.increment();
        for (int i = 1; i <= 100; i++) {
            latency.recordValue(i * 1_000_000L); // 1..100 ms
        }
        clock.set(2_000_000_000L);
        FeedStatusBoard.FeedStatus status = board.snapshot().get(0);
        assertThat(status.name()).isEqualTo("binance");
        assertThat(status.messagesPerSecond()).isEqualTo(250.0);
        assertThat(status.gaps()).isEqualTo(1);
        assertThat(status.commitLatencyP50Millis()).isBetween(49.0, 51.0);
        assertThat(status.commitLatencyP99Millis()).isBetween(98.0, 100.1);
        assertThat(registry.scrape())
                .contains("tickvault_feed_messages_total{feed=\"binance\"} 500.0")
                .contains("tickvault_feed_gaps_total{feed=\"binance\"} 1.0");
    }
}
