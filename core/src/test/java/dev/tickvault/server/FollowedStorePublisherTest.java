package dev.tickvault.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickvault.live.LiveTradeHub;
import dev.tickvault.model.SeriesKey;
import dev.tickvault.model.Side;
import dev.tickvault.store.StoreConfig;
import dev.tickvault.store.StoreWriter;
import dev.tickvault.store.TickStore;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live WebSocket of a server over a read-only store: trades another writer commits are pushed once each, in
 * commit order, also across the writer's flush and checkpoint (which makes the reader rebuild its snapshot).
 */
class FollowedStorePublisherTest {

    private static final SeriesKey BTC = SeriesKey.of("binance", "BTCUSDT");
    private static final Pattern TRADE_ID = Pattern.compile("\"trade_id\":\"(\\d+)\"");

    @TempDir
    Path dir;

    @Test
    @SuppressWarnings("try") // the publisher is only closed
    void tradesCommittedByTheWriterArePushedOnceInOrder() throws Exception {
        long t0 = 1_723_161_253_000_000_000L;
        // The writer (same JVM here; a read-only store takes no lock, so it could as well be another process).
        try (TickStore writerStore = TickStore.open(dir, StoreConfig.defaults());
                StoreWriter writer = writerStore.newWriter()) {
            writer.appendTrade(BTC, t0, t0, 1, 0, 1, 0, Side.BUY, 1);
            writer.commit();
            try (TickStore readOnly = TickStore.openReadOnly(dir);
                    HttpApiServer server = HttpApiServer.start(
                            readOnly,
                            ServerConfig.defaults().withPort(0),
                            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                            new LiveTradeHub(),
                            new dev.tickvault.live.FeedStatusBoard());
                    FollowedStorePublisher publisher = FollowedStorePublisher.start(readOnly, server.liveTrades(), 20);
                    HttpClient client = HttpClient.newHttpClient()) {
                LinkedBlockingQueue<String> messages = new LinkedBlockingQueue<>();
                WebSocket socket = client.newWebSocketBuilder()
                        .buildAsync(
                                URI.create("ws://127.0.0.1:" + server.port()
                                        + "/api/v1/live?exchange=binance&symbol=BTCUSDT"),
                                collector(messages))
                        .get(10, TimeUnit.SECONDS);
                assertThat(messages.poll(10, TimeUnit.SECONDS)).contains("\"type\":\"subscribed\"");
                List<Long> pushed = new ArrayList<>();
                long id = 100;
                for (int commit = 0; commit < 20; commit++) {
                    for (int i = 0; i < 10; i++, id++) {
                        writer.appendTrade(
                                BTC, t0 + id, t0 + id + 7, 6_183_763_000_000L + id, 8, 2_000, 8, Side.SELL, id);
                    }
                    writer.commit();
                    if (commit % 5 == 4) {
                        awaitIds(messages, pushed, id - 1);
                        writerStore.flush(); // checkpoint: the reader rebuilds its snapshot from partition files
                    }
                }
                awaitIds(messages, pushed, id - 1);
                List<Long> expected = new ArrayList<>();
                for (long i = 100; i < id; i++) {
                    expected.add(i);
                }
                assertThat(pushed)
                        .as("every trade committed after subscribing, once, in order")
                        .isEqualTo(expected);
                String late = messages.poll(300, TimeUnit.MILLISECONDS);
                assertThat(late == null || !late.contains("trade_id"))
                        .as("nothing pushed twice: %s", late)
                        .isTrue();
                socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
            }
        }
    }

    private static void awaitIds(LinkedBlockingQueue<String> messages, List<Long> pushed, long lastId)
            throws InterruptedException {
        while (pushed.isEmpty() || pushed.getLast() < lastId) {
            String message = messages.poll(10, TimeUnit.SECONDS);
            assertThat(message)
                    .as("trades pushed up to id %d; got %s", lastId, pushed)
                    .isNotNull();
            Matcher matcher = TRADE_ID.matcher(message);
            if (message.contains("\"type\":\"trade\"") || (!message.contains("\"type\":\"bar\"") && matcher.find())) {
                matcher.reset();
                assertThat(matcher.find()).as(message).isTrue();
                pushed.add(Long.parseLong(matcher.group(1)));
            }
        }
    }

    private static WebSocket.Listener collector(LinkedBlockingQueue<String> messages) {
        return new WebSocket.Listener() {
            private final StringBuilder partial = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    messages.add(partial.toString());
                    partial.setLength(0);
                }
                webSocket.request(1);
                return null;
            }
        };
    }
}
