package dev.tickvault.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tickvault.live.LiveTrade;
import dev.tickvault.live.LiveTradeHub;
import dev.tickvault.model.SeriesKey;
import dev.tickvault.model.Side;
import dev.tickvault.record.CommitPolicy;
import dev.tickvault.record.StoreFeedSink;
import dev.tickvault.store.StoreConfig;
import dev.tickvault.store.TickStore;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The live trades WebSocket, fed by a real recorder sink committing to a real store. */
class LiveWebSocketTest {

    private static final SeriesKey BTC = SeriesKey.of("binance", "BTCUSDT");

    @TempDir
    Path dir;

    @Test
    void committedTradesArePushedInOrderWithExactDecimals() throws Exception {
        LiveTradeHub hub = new LiveTradeHub();
        try (TickStore store = TickStore.open(dir, StoreConfig.defaults());
                HttpApiServer server = HttpApiServer.start(
                        store,
                        ServerConfig.defaults().withPort(0),
                        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                        hub,
                        new dev.tickvault.live.FeedStatusBoard());
                HttpClient client = HttpClient.newHttpClient()) {
            LinkedBlockingQueue<String> messages = new LinkedBlockingQueue<>();
            WebSocket socket = client.newWebSocketBuilder()
                    .buildAsync(
                            URI.create(
                                    "ws://127.0.0.1:" + server.port() + "/api/v1/live?exchange=binance&symbol=BTCUSDT"),
                            collector(messages))
                    .get(10, TimeUnit.SECONDS);
            assertThat(messages.poll(10, TimeUnit.SECONDS)).contains("\"type\":\"subscribed\"");
            long t0 = 1_723_161_253_000_000_000L;
            try (StoreFeedSink sink = new StoreFeedSink(store, CommitPolicy.live()).publishTo(hub)) {
                for (int i = 0; i < 100; i++) {
                    sink.trade(
                            BTC, t0 + i, t0 + i + 7, 6_183_763_000_000L + i, 8, 2_000 + i, 8, Side.SELL, 100 + i, null);
                    sink.endOfFrame(t0 + i + 7);
                }
                // Another series: not pushed to this subscriber.
                sink.trade(SeriesKey.of("binance", "ETHUSDT"), t0, t0, 1, 0, 1, 0, Side.BUY, 1, null);
                sink.commit();
            }
            List<String> trades = new ArrayList<>();
            String lastBar = null;
            while (trades.size() < 100) {
                String message = messages.poll(10, TimeUnit.SECONDS);
                assertThat(message).isNotNull();
                if (message.contains("\"type\":\"bar\"")) {
                    lastBar = message;
                } else {
                    trades.add(message);
                }
            }
            String tail = messages.poll(2, TimeUnit.SECONDS);
            if (tail != null) {
                assertThat(tail).contains("\"type\":\"bar\"");
                lastBar = tail;
            }
            // The forming 1m bar, exact: 100 trades at 61837.63000000 + i·10^-8, qty (2000 + i)·10^-8, taker sells.
            assertThat(lastBar)
                    .contains("\"interval\":\"1m\"")
                    .contains("\"ts\":\"2024-08-08T23:54:00.000000000Z\"")
                    .contains("\"open\":\"61837.63000000\"")
                    .contains("\"high\":\"61837.63000099\"")
                    .contains("\"low\":\"61837.63000000\"")
                    .contains("\"close\":\"61837.63000099\"")
                    .contains("\"volume\":\"0.00204950\"")
                    .contains("\"buy_volume\":\"0\"")
                    .contains("\"sell_volume\":\"0.00204950\"")
                    .contains("\"count\":100");
            assertThat(trades.get(0))
                    .contains("\"price\":\"61837.63000000\"")
                    .contains("\"qty\":\"0.00002000\"")
                    .contains("\"side\":\"sell\"")
                    .contains("\"trade_id\":\"100\"")
                    .contains("\"symbol\":\"BTCUSDT\"");
            assertThat(trades.get(99)).contains("\"trade_id\":\"199\"");
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void badParametersAndMissingTokensAreRefusedBeforeTheHandshake() throws Exception {
        try (TickStore store = TickStore.open(dir, StoreConfig.defaults());
                HttpApiServer server = HttpApiServer.start(
                        store,
                        ServerConfig.defaults().withPort(0).withBearerToken("tok"),
                        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                        new LiveTradeHub(),
                        new dev.tickvault.live.FeedStatusBoard());
                HttpClient client = HttpClient.newHttpClient()) {
            String base = "ws://127.0.0.1:" + server.port() + "/api/v1/live";
            assertThatThrownBy(() -> connect(client, base + "?exchange=binance&symbol=BTCUSDT"))
                    .hasCauseInstanceOf(WebSocketHandshakeException.class)
                    .satisfies(e -> assertThat(status(e)).isEqualTo(401));
            assertThatThrownBy(() -> connect(client, base + "?exchange=binance&access_token=tok"))
                    .satisfies(e -> assertThat(status(e)).isEqualTo(400));
            assertThatThrownBy(() -> connect(client, base + "?exchange=..&symbol=x&access_token=tok"))
                    .satisfies(e -> assertThat(status(e)).isEqualTo(400));
            WebSocket ok = connect(client, base + "?exchange=binance&symbol=BTCUSDT&access_token=tok");
            ok.sendClose(WebSocket.NORMAL_CLOSURE, "").get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aSlowSubscriberLosesTheOldestTradesAndIsTold() {
        LiveTradeHub hub = new LiveTradeHub();
        CountDownLatch woken = new CountDownLatch(1);
        try (LiveTradeHub.Subscription subscription = hub.subscribe(BTC, 3, woken::countDown)) {
            for (int i = 0; i < 5; i++) {
                hub.publish(new LiveTrade(BTC, i, i, 1, 0, 1, 0, Side.BUY, i));
            }
            assertThat(woken.getCount()).isZero();
            List<Long> ids = new ArrayList<>();
            long dropped = subscription.drain(t -> ids.add(t.tradeId()));
            assertThat(ids).containsExactly(2L, 3L, 4L);
            assertThat(dropped).isEqualTo(2);
        }
        assertThat(hub.hasSubscribers(BTC)).isFalse();
    }

    private static WebSocket connect(HttpClient client, String uri) throws Exception {
        return client.newWebSocketBuilder()
                .buildAsync(URI.create(uri), collector(new LinkedBlockingQueue<>()))
                .get(10, TimeUnit.SECONDS);
    }

    private static int status(Throwable e) {
        Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
        return ((WebSocketHandshakeException) cause).getResponse().statusCode();
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
