package dev.tickvault.record;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickvault.live.LiveTrade;
import dev.tickvault.live.LiveTradeHub;
import dev.tickvault.model.SeriesKey;
import dev.tickvault.model.Side;
import dev.tickvault.store.StoreConfig;
import dev.tickvault.store.TickStore;
import dev.tickvault.store.TradeCursor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recorder's sink commits in the background (the store's default durability: every commit fsynced): the feed
 * thread hands rows over and goes on; once {@code close()} returns every row is committed, every trade was pushed to
 * the live hub in order and every frame's latency was recorded, the background ones from the committer thread.
 */
class StoreFeedSinkBackgroundCommitTest {

    private static final SeriesKey BTC = SeriesKey.of("binance", "BTCUSDT");
    private static final long T0 = 1_723_161_253_000_000_000L;

    @TempDir
    Path dir;

    @Test
    void backgroundCommitsReportEveryRowTradeAndLatencyInOrder() {
        int frames = 5_000;
        LiveTradeHub hub = new LiveTradeHub();
        LiveTradeHub.Subscription subscription = hub.subscribe(BTC, 2 * frames, () -> {});
        AtomicLong latencies = new AtomicLong();
        Set<String> latencyThreads = ConcurrentHashMap.newKeySet();
        String feedThread = Thread.currentThread().getName();
        try (TickStore store = TickStore.open(dir, StoreConfig.defaults())) {
            StoreFeedSink sink = new StoreFeedSink(
                            store,
                            new CommitPolicy(97, Long.MAX_VALUE),
                            System::nanoTime,
                            nanos -> {
                                latencies.incrementAndGet();
                                latencyThreads.add(Thread.currentThread().getName());
                            },
                            () -> System.currentTimeMillis() * 1_000_000L)
                    .publishTo(hub);
            for (int i = 0; i < frames; i++) {
                // two rows per frame: a frame's rows are never split between commits
                sink.trade(BTC, T0 + i, T0 + i + 5, 6_000_000 + i, 2, 1_000, 8, Side.BUY, 2L * i, null);
                sink.trade(BTC, T0 + i, T0 + i + 5, 6_000_000 + i, 2, 2_000, 8, Side.SELL, 2L * i + 1, null);
                sink.endOfFrame(T0 + i + 5);
                assertThat(sink.rowsCommitted() % 2).as("whole frames only").isZero();
            }
            sink.close();
            assertThat(sink.rowsCommitted()).isEqualTo(2L * frames);
            assertThat(sink.commits()).isGreaterThanOrEqualTo(2L * frames / 98);
            assertThat(latencies.get()).isEqualTo(frames);
            assertThat(latencyThreads)
                    .as("background commits report from the committer thread")
                    .anyMatch(name -> name.startsWith("tickvault-commit-"))
                    .allMatch(name -> name.startsWith("tickvault-commit-") || name.equals(feedThread));
            List<Long> pushed = new ArrayList<>();
            subscription.drain((LiveTrade trade) -> pushed.add(trade.tradeId()));
            assertThat(pushed).hasSize(2 * frames);
            for (int i = 0; i < pushed.size(); i++) {
                assertThat(pushed.get(i)).as("live trade %d", i).isEqualTo(i);
            }
            long stored = 0;
            try (TradeCursor cursor = store.trades(BTC, Long.MIN_VALUE, Long.MAX_VALUE)) {
                while (cursor.next()) {
                    assertThat(cursor.tradeId()).isEqualTo(stored++);
                }
            }
            assertThat(stored).isEqualTo(2L * frames);
        }
    }
}
