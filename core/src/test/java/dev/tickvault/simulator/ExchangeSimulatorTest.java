package dev.tickvault.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickvault.feed.Captures;
import dev.tickvault.feed.capture.CapturedFrame;
import dev.tickvault.feed.capture.CryptofeedCaptureReader;
import dev.tickvault.feed.transport.RecordingHandler;
import dev.tickvault.feed.transport.TransportConfig;
import dev.tickvault.feed.transport.WebSocketFeedClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link ExchangeSimulator} through real sockets: the transport as WebSocket client, the JDK's HttpClient for REST. */
class ExchangeSimulatorTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        http.close();
    }

    private ExchangeSimulator start(SimulatorConfig config) {
        ExchangeSimulator s = ExchangeSimulator.start(config);
        toClose.add(s);
        return s;
    }

    private WebSocketFeedClient client(dev.tickvault.feed.FeedHandler handler) {
        WebSocketFeedClient c = new WebSocketFeedClient(
                TransportConfig.defaults("t")
                        .withReconnectDelays(Duration.ofMillis(50), Duration.ofMillis(500))
                        .withTimerInterval(Duration.ofMillis(100)),
                handler);
        toClose.add(c);
        return c;
    }

    private HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(URI uri) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(uri)
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Fetches a REST snapshot on a test thread and hands it to the follower on its handler thread. */
    private CompletableFuture<Void> deliverSnapshot(
            WebSocketFeedClient client, BinanceDepthFollower follower, URI url) {
        return http.sendAsync(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofByteArray())
                .thenAcceptAsync(
                        response -> {
                            assertThat(response.statusCode()).isEqualTo(200);
                            follower.onRestResponse(url.toString(), response.body(), 0);
                        },
                        client.handlerExecutor());
    }

    private static <T> T onHandlerThread(WebSocketFeedClient client, java.util.function.Supplier<T> read) {
        return CompletableFuture.supplyAsync(read, client.handlerExecutor())
                .orTimeout(10, TimeUnit.SECONDS)
                .join();
    }

    private static void await(String what, Duration timeout, java.util.function.BooleanSupplier condition) {
        new RecordingHandler().await(what, timeout, condition);
    }

    @Test
    void syntheticRestSnapshotPlusDiffsEqualsTheTrueBook() throws Exception {
        ExchangeSimulator sim = start(SimulatorConfig.defaults()
                .withBinanceSpot(SimulatorConfig.BinanceSourceConfig.synthetic(2, 3000, 7)
                        .withMaxMessages(6000)));
        BinanceDepthFollower follower = new BinanceDepthFollower(
                "SYN0USDT", "{\"method\":\"SUBSCRIBE\",\"params\":[\"syn0usdt@depth@100ms\"],\"id\":1}");
        WebSocketFeedClient client = client(follower);
        client.open(URI.create(sim.binanceWebSocketBase(BinanceMarketKind.SPOT) + "/ws"));
        await("diffs", WAIT, () -> follower.diffsReceived > 50);

        sim.faults().slowRest(Duration.ofMillis(300), 1); // diffs keep coming while the snapshot is on its way
        long beforeMillis = System.nanoTime() / 1_000_000;
        deliverSnapshot(client, follower, URI.create(sim.baseUri() + "/api/v3/depth?symbol=SYN0USDT&limit=5000"))
                .get(10, TimeUnit.SECONDS);
        assertThat(System.nanoTime() / 1_000_000 - beforeMillis).isGreaterThanOrEqualTo(300);
        await("end of the source", WAIT, () -> sim.binanceFinished(BinanceMarketKind.SPOT));
        ExchangeSimulator.TrueBook truth = sim.trueBook(BinanceMarketKind.SPOT, "SYN0USDT");
        await("the follower at the last diff", WAIT, () -> follower.lastApplied == truth.lastUpdateId());

        assertThat(follower.error).isNull();
        assertThat(follower.gaps).isZero();
        assertThat(follower.diffsBufferedAtSnapshot).isPositive();
        List<String> clientLevels = onHandlerThread(client, () -> BinanceDepthFollower.levels(follower.book, 100_000));
        assertThat(clientLevels).isEqualTo(BinanceDepthFollower.levels(truth.book(), 100_000));
        assertThat(clientLevels).hasSizeGreaterThan(30);
        assertThat(truth.book().isCrossed()).isFalse();
        assertThat(sim.stats().restDelayed.sum()).isEqualTo(1);
        assertThat(sim.stats().faults(FaultType.SLOW_REST)).isEqualTo(1);
    }

    @Test
    void recordingRestSnapshotPlusDiffsEqualsTheTrueBook() throws Exception {
        ExchangeSimulator sim = start(SimulatorConfig.defaults()
                .withCompression(false)
                .withSpeed(20)
                .withBinanceSpot(
                        SimulatorConfig.BinanceSourceConfig.recording(Captures.require(Captures.BINANCE_SPOT))));
        BinanceDepthFollower follower = new BinanceDepthFollower("BTCUSDT", null);
        WebSocketFeedClient client = client(follower);
        client.open(sim.binanceCombinedStreamUri(BinanceMarketKind.SPOT, List.of("btcusdt@depth@100ms")));
        await("diffs", WAIT, () -> follower.diffsReceived > 20);
        deliverSnapshot(client, follower, URI.create(sim.baseUri() + "/api/v3/depth?symbol=BTCUSDT&limit=5000"))
                .get(10, TimeUnit.SECONDS);
        await("more diffs after the snapshot", WAIT, () -> follower.diffsReceived > 200);
        ExchangeSimulator.TrueBook truth;
        // compare at a moment the follower has applied exactly the true book's last diff
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            truth = sim.trueBook(BinanceMarketKind.SPOT, "BTCUSDT");
            ExchangeSimulator.TrueBook t = truth;
            List<String> mine = onHandlerThread(
                    client,
                    () -> follower.lastApplied == t.lastUpdateId()
                            ? BinanceDepthFollower.levels(follower.book, 1000)
                            : null);
            if (mine != null) {
                assertThat(mine).isEqualTo(BinanceDepthFollower.levels(t.book(), 1000));
                break;
            }
            assertThat(System.nanoTime())
                    .as("follower caught up with the true book")
                    .isLessThan(deadline);
            Thread.sleep(5);
        }
        assertThat(follower.error).isNull();
        assertThat(follower.gaps).isZero();
        assertThat(follower.snapshotLastUpdateId).isGreaterThan(50093239218L); // not the recording's own snapshot
    }

    @Test
    void usdmRecordingReplaysUnderUsdmWithAnUnbrokenPuChain() throws Exception {
        ExchangeSimulator sim = start(SimulatorConfig.defaults()
                .withSpeed(0)
                .withCompression(false)
                .withBinanceUsdm(
                        SimulatorConfig.BinanceSourceConfig.recording(Captures.require(Captures.BINANCE_USDM))));
        RecordingHandler handler = new RecordingHandler().maxFrames(3000);
        client(handler).open(URI.create(sim.binanceWebSocketBase(BinanceMarketKind.USDM) + "/ws/btcusdt@depth@0ms"));
        handler.await("diffs", WAIT, () -> handler.frames.size() >= 1000);

        java.util.regex.Pattern ids = java.util.regex.Pattern.compile("\"U\":(\\d+),\"u\":(\\d+),\"pu\":(\\d+)");
        long previousU = -1;
        for (RecordingHandler.Frame f : handler.frames().subList(0, 1000)) {
            assertThat(f.text()).startsWith("{\"e\":\"depthUpdate\"").doesNotContain("\"stream\"");
            java.util.regex.Matcher m = ids.matcher(f.text());
            assertThat(m.find()).isTrue();
            if (previousU >= 0) {
                assertThat(Long.parseLong(m.group(3))).isEqualTo(previousU);
            }
            previousU = Long.parseLong(m.group(2));
        }
        HttpResponse<String> snapshot = get(URI.create(sim.baseUri() + "/fapi/v1/depth?symbol=BTCUSDT&limit=1000"));
        assertThat(snapshot.statusCode()).isEqualTo(200);
        assertThat(snapshot.body())
                .startsWith("{\"lastUpdateId\":")
                .contains("\"E\":")
                .contains("\"bids\":[[\"");
        assertThat(get(URI.create(sim.baseUri() + "/api/v3/depth?symbol=BTCUSDT"))
                        .statusCode())
                .as("no spot market served")
                .isEqualTo(404);
    }

    @Test
    void sequenceGapIsSeenByTheClientButAppliedToTheTrueBook() throws Exception {
        ExchangeSimulator sim = start(SimulatorConfig.defaults()
                .withBinanceSpot(SimulatorConfig.BinanceSourceConfig.synthetic(1, 2000, 3)
                        .withMaxMessages(3000)));
        BinanceDepthFollower follower = new BinanceDepthFollower("SYN0USDT", null);
        WebSocketFeedClient client = client(follower);
        client.open(sim.binanceCombinedStreamUri(BinanceMarketKind.SPOT, List.of("syn0usdt@depth")));
        await("diffs", WAIT, () -> follower.diffsReceived > 20);
        deliverSnapshot(client, follower, URI.create(sim.baseUri() + "/api/v3/depth?symbol=SYN0USDT&limit=1000"))
                .get(10, TimeUnit.SECONDS);
        await("synced", WAIT, () -> follower.synced && follower.diffsReceived > 100);

        assertThat(sim.faults().sequenceGap(BinanceMarketKind.SPOT, "SYN0USDT")).isTrue();
        assertThat(sim.faults().sequenceGap(BinanceMarketKind.SPOT, "NOPE")).isFalse();
        await("end of the source", WAIT, () -> sim.binanceFinished(BinanceMarketKind.SPOT));
        ExchangeSimulator.TrueBook truth = sim.trueBook(BinanceMarketKind.SPOT, "SYN0USDT");
        await("the follower at the last diff", WAIT, () -> follower.lastApplied == truth.lastUpdateId());

        assertThat(follower.gaps).isEqualTo(1);
        assertThat(sim.stats().depthDiffsSkipped.sum()).isEqualTo(1);
        assertThat(sim.stats().faults(FaultType.GAP)).isEqualTo(1);
    }

    @Test
    void restRejectionsServedAsConfigured() throws Exception {
        ExchangeSimulator sim = start(SimulatorConfig.defaults()
                .withBinanceSpot(SimulatorConfig.BinanceSourceConfig.synthetic(1, 100, 1))
                .withBinanceUsdm(SimulatorConfig.BinanceSourceConfig.synthetic(1, 100, 2)));
        URI spot = URI.create(sim.baseUri() + "/api/v3/depth?symbol=SYN0USDT&limit=5");
        URI usdm = URI.create(sim.baseUri() + "/fapi/v1/depth?symbol=SYN0USDT&limit=5");
        sim.faults().rejectRest(429, 2, Duration.ofSeconds(7));
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> r = get(spot);
            assertThat(r.statusCode()).isEqualTo(429);
            assertThat(r.headers().firstValue("Retry-After")).hasValue("7");
            assertThat(r.body()).contains("\"code\":-1003");
        }
        HttpResponse<String> ok = get(spot);
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body())
                .startsWith("{\"lastUpdateId\":")
                .contains("\"bids\":[[\"")
                .contains("\"asks\":[[\"");

        assertThat(post(URI.create(sim.baseUri() + "/control/fault?type=418&count=1&retryAfter=120"))
                        .body())
                .isEqualTo("{\"type\":\"http_418\",\"affected\":1}");
        HttpResponse<String> banned = get(usdm);
        assertThat(banned.statusCode()).isEqualTo(418);
        assertThat(banned.headers().firstValue("Retry-After")).hasValue("120");
        HttpResponse<String> usdmOk = get(usdm);
        assertThat(usdmOk.statusCode()).isEqualTo(200);
        assertThat(usdmOk.body()).contains("\"E\":").contains("\"T\":");
        assertThat(get(URI.create(sim.baseUri() + "/api/v3/depth?symbol=NOPE")).statusCode())
                .isEqualTo(400);

        assertThat(sim.stats().faults(FaultType.HTTP_429)).isEqualTo(2);
        assertThat(sim.stats().faults(FaultType.HTTP_418)).isEqualTo(1);
        assertThat(sim.stats().restRejected.sum()).isEqualTo(3);
        assertThat(sim.stats().restRequests.sum()).isEqualTo(6);
        String stats = get(URI.create(sim.baseUri() + "/control/stats")).body();
        assertThat(stats).contains("\"restRejected\":3").contains("\"http_429\":2");
    }

    @Test
    void controlEndpointInjectsFaultsIntoConnections() throws Exception {
        ExchangeSimulator sim = start(
                SimulatorConfig.defaults().withBinanceSpot(SimulatorConfig.BinanceSourceConfig.synthetic(1, 500, 1)));
        RecordingHandler handler = new RecordingHandler();
        client(handler).open(sim.binanceCombinedStreamUri(BinanceMarketKind.SPOT, List.of("syn0usdt@trade")));
        handler.await("data", WAIT, () -> handler.frames.size() > 5);
        int id = sim.connections().get(0).id();

        assertThat(post(URI.create(sim.baseUri() + "/control/fault?type=corrupt&connection=" + id))
                        .body())
                .isEqualTo("{\"type\":\"corrupt\",\"affected\":1}");
        handler.await("corrupted frame", WAIT, () -> handler.frames().stream()
                .anyMatch(f -> f.text().contains("~#@!")));
        assertThat(post(URI.create(sim.baseUri() + "/control/fault?type=truncate"))
                        .statusCode())
                .isEqualTo(200);
        handler.await("truncated frame", WAIT, () -> handler.frames().stream()
                .anyMatch(f -> f.text().startsWith("{\"stream\"") && !f.text().endsWith("}")));
        assertThat(post(URI.create(sim.baseUri() + "/control/fault?type=disconnect"))
                        .body())
                .isEqualTo("{\"type\":\"disconnect\",\"affected\":1}");
        handler.await("reconnected", WAIT, () -> handler.openCount() == 2);

        assertThat(post(URI.create(sim.baseUri() + "/control/fault?type=bogus")).statusCode())
                .isEqualTo(400);
        assertThat(get(URI.create(sim.baseUri() + "/control/fault?type=disconnect"))
                        .statusCode())
                .isEqualTo(405);
        assertThat(sim.stats().faults(FaultType.CORRUPT)).isEqualTo(1);
        assertThat(sim.stats().faults(FaultType.TRUNCATE)).isEqualTo(1);
        assertThat(sim.stats().faults(FaultType.DISCONNECT)).isEqualTo(1);
        // every frame but the two damaged ones is valid: a trade envelope
        java.util.regex.Pattern trade = java.util.regex.Pattern.compile(
                "\\{\"stream\":\"syn0usdt@trade\",\"data\":\\{\"e\":\"trade\",\"E\":\\d+,\"s\":\"SYN0USDT\",\"t\":\\d+,"
                        + "\"p\":\"\\d+\\.\\d{2}\",\"q\":\"\\d+\\.\\d{4}\",\"T\":\\d+,\"m\":(true|false),\"M\":true}}");
        long damaged = handler.frames().stream()
                .filter(f -> !trade.matcher(f.text()).matches())
                .count();
        assertThat(damaged).isEqualTo(2);
        // the reconnected connection streams again (awaited: on a loaded machine its first frame may still be due)
        handler.await(
                "frames on the new connection",
                WAIT,
                () -> sim.connections().size() == 1 && sim.connections().get(0).framesSent() > 0);
        assertThat(sim.connections()).singleElement().satisfies(c -> assertThat(c.id())
                .isNotEqualTo(id));
    }

    @Test
    void anOutageDropsEveryConnectionAndRefusesUpgradesUntilItIsOver() throws Exception {
        ExchangeSimulator sim = start(
                SimulatorConfig.defaults().withBinanceSpot(SimulatorConfig.BinanceSourceConfig.synthetic(1, 500, 1)));
        RecordingHandler handler = new RecordingHandler();
        WebSocketFeedClient client = client(handler);
        client.open(sim.binanceCombinedStreamUri(BinanceMarketKind.SPOT, List.of("syn0usdt@trade")));
        handler.await("data", WAIT, () -> handler.frames.size() > 5);

        // bad durations are refused, nothing dropped
        assertThat(post(URI.create(sim.baseUri() + "/control/fault?type=outage&millis=0"))
                        .statusCode())
                .isEqualTo(400);
        assertThat(post(URI.create(sim.baseUri() + "/control/fault?type=outage&millis=soon"))
                        .statusCode())
                .isEqualTo(400);
        assertThat(sim.connections()).hasSize(1);

        long start = System.nanoTime();
        assertThat(post(URI.create(sim.baseUri() + "/control/fault?type=outage&millis=1500"))
                        .body())
                .isEqualTo("{\"type\":\"outage\",\"affected\":1}");
        // The client retries (backoff 50–500 ms): refused with 503 until the outage is over, then back.
        handler.await("reconnected", WAIT, () -> handler.openCount() == 2);
        long downMillis = (System.nanoTime() - start) / 1_000_000;
        assertThat(downMillis).as("no reconnect before the outage ends").isGreaterThanOrEqualTo(1500);
        assertThat(sim.stats().upgradesRefused.sum()).isPositive();
        assertThat(client.stats().connectFailures.sum())
                .isEqualTo(sim.stats().upgradesRefused.sum());
        assertThat(sim.stats().faults(FaultType.OUTAGE)).isEqualTo(1);
        assertThat(get(URI.create(sim.baseUri() + "/control/stats")).body()).contains("\"upgradesRefused\":");
    }

    @Test
    void syntheticSourceIsDeterministicBySeed() {
        List<String> first = syntheticMessages(11);
        List<String> second = syntheticMessages(11);
        List<String> other = syntheticMessages(12);
        assertThat(first).hasSize(400).isEqualTo(second).isNotEqualTo(other);
        // trade ids contiguous
        List<Long> ids = first.stream()
                .filter(s -> s.contains("\"e\":\"trade\""))
                .map(s -> Long.parseLong(s.replaceAll(".*\"t\":(\\d+).*", "$1")))
                .toList();
        for (int i = 1; i < ids.size(); i++) {
            assertThat(ids.get(i)).isEqualTo(ids.get(i - 1) + 1);
        }
    }

    private List<String> syntheticMessages(long seed) {
        try (ExchangeSimulator sim = ExchangeSimulator.start(SimulatorConfig.defaults()
                .withBinanceUsdm(SimulatorConfig.BinanceSourceConfig.synthetic(1, 0, seed)
                        .withMaxMessages(400)))) {
            RecordingHandler handler = new RecordingHandler();
            try (WebSocketFeedClient client = new WebSocketFeedClient(TransportConfig.defaults("d"), handler)) {
                client.open(sim.binanceCombinedStreamUri(
                        BinanceMarketKind.USDM,
                        List.of("syn0usdt@depth@0ms", "syn0usdt@trade", "syn0usdt@bookTicker")));
                handler.await("400 messages", WAIT, () -> handler.frames.size() >= 400);
                return handler.frames().stream()
                        .map(f -> f.text().replaceAll("\"([ET])\":\\d+", "\"$1\":0"))
                        .toList();
            }
        }
    }

    @Test
    void coinbaseSubscribeThenRecordedFramesOfTheSubscribedProducts() throws IOException {
        List<String> expected = new ArrayList<>();
        try (CryptofeedCaptureReader reader = CryptofeedCaptureReader.open(Captures.require(Captures.COINBASE_WS))) {
            for (CapturedFrame f; (f = reader.next()) != null; ) {
                String t = f.payloadText();
                if (f.kind() == CapturedFrame.Kind.RECEIVED
                        && t.contains("\"product_id\":\"BAND-GBP\"")
                        && (t.startsWith("{\"type\":\"snapshot\"")
                                || t.startsWith("{\"type\":\"l2update\"")
                                || t.contains("\"type\":\"match\"")
                                || t.contains("\"type\":\"last_match\""))) {
                    expected.add(t);
                }
            }
        }
        ExchangeSimulator sim = start(SimulatorConfig.defaults().withSpeed(0).withCoinbase(Captures.COINBASE_WS));
        RecordingHandler handler = new RecordingHandler()
                .onOpen(
                        (c, t) -> c.send(
                                "{\"type\":\"subscribe\",\"product_ids\":[\"BAND-GBP\"],\"channels\":[\"level2\",\"matches\"]}"));
        client(handler).open(sim.coinbaseUri());
        handler.await("every BAND-GBP frame", WAIT, () -> handler.frames.size() >= expected.size() + 1);

        List<RecordingHandler.Frame> frames = handler.frames();
        assertThat(frames.get(0).text())
                .isEqualTo(
                        "{\"type\":\"subscriptions\",\"channels\":[{\"name\":\"level2\",\"product_ids\":[\"BAND-GBP\"]},"
                                + "{\"name\":\"matches\",\"product_ids\":[\"BAND-GBP\"]}]}");
        assertThat(frames.subList(1, frames.size()).stream()
                        .map(RecordingHandler.Frame::text)
                        .toList())
                .isEqualTo(expected);
        assertThat(expected.get(0)).startsWith("{\"type\":\"snapshot\"");
    }

    @Test
    void coinbaseUnknownProductIsAnError() {
        ExchangeSimulator sim = start(SimulatorConfig.defaults().withCoinbase(Captures.require(Captures.COINBASE_WS)));
        RecordingHandler handler = new RecordingHandler()
                .onOpen((c, t) ->
                        c.send("{\"type\":\"subscribe\",\"product_ids\":[\"BTC-USD\"],\"channels\":[\"level2\"]}"));
        client(handler).open(sim.coinbaseUri());
        handler.await("reply", WAIT, () -> !handler.frames.isEmpty());
        assertThat(handler.frames.get(0).text())
                .contains("\"type\":\"error\"")
                .contains("BTC-USD is not a valid product");
    }

    @Test
    void krakenSubscriptionStatusThenBookFramesAndABadChecksum() throws IOException {
        List<String> recorded = new ArrayList<>();
        try (CryptofeedCaptureReader reader = CryptofeedCaptureReader.open(Captures.require(Captures.KRAKEN_BOOK))) {
            for (CapturedFrame f; (f = reader.next()) != null; ) {
                if (f.kind() == CapturedFrame.Kind.RECEIVED
                        && f.payloadText().endsWith(",\"book-1000\",\"ETH/CHF\"]")) {
                    recorded.add(f.payloadText());
                }
            }
        }
        ExchangeSimulator sim = start(SimulatorConfig.defaults()
                .withSpeed(5)
                .withKraken(List.of(Captures.KRAKEN_BOOK, Captures.require(Captures.KRAKEN_TRADES))));
        RecordingHandler handler = new RecordingHandler()
                .onOpen(
                        (c, t) -> c.send(
                                "{\"event\":\"subscribe\",\"pair\":[\"ETH/CHF\",\"XBT/USD\"],\"subscription\":{\"name\":\"book\",\"depth\":1000},\"reqid\":42}"));
        client(handler).open(sim.krakenUri());
        handler.await("snapshot", WAIT, () -> handler.frames.size() >= 4);

        List<String> texts =
                handler.frames().stream().map(RecordingHandler.Frame::text).toList();
        assertThat(texts.get(0)).contains("\"event\":\"systemStatus\"").contains("\"status\":\"online\"");
        assertThat(texts.get(1))
                .isEqualTo(
                        "{\"channelID\":496,\"channelName\":\"book-1000\",\"event\":\"subscriptionStatus\","
                                + "\"pair\":\"ETH/CHF\",\"reqid\":42,\"status\":\"subscribed\",\"subscription\":{\"depth\":1000,\"name\":\"book\"}}");
        assertThat(texts.get(2)).contains("\"status\":\"error\"").contains("XBT/USD");
        assertThat(texts.get(3)).isEqualTo(recorded.get(0)); // the snapshot, byte for byte

        assertThat(sim.faults().badChecksum("ETH/CHF")).isEqualTo(1);
        int from = handler.frames.size();
        handler.await("an update after the fault", WAIT, () -> handler.frames().stream()
                .skip(from)
                .anyMatch(f -> f.text().contains("\"c\":\"")));
        String altered = handler.frames().stream()
                .skip(from)
                .filter(f -> f.text().contains("\"c\":\""))
                .findFirst()
                .orElseThrow()
                .text();
        assertThat(recorded).doesNotContain(altered);
        String checksum = altered.replaceAll(".*\"c\":\"(\\d+)\".*", "$1");
        String original = recorded.stream()
                .filter(r -> r.replaceAll("\"c\":\"\\d+\"", "").equals(altered.replaceAll("\"c\":\"\\d+\"", "")))
                .findFirst()
                .orElseThrow();
        long recordedChecksum = Long.parseLong(original.replaceAll(".*\"c\":\"(\\d+)\".*", "$1"));
        assertThat(Long.parseLong(checksum)).isEqualTo((recordedChecksum + 1) & 0xFFFFFFFFL);
        assertThat(sim.stats().faults(FaultType.CHECKSUM)).isEqualTo(1);
        assertThat(handler.frames.get(handler.frames.size() - 1).bytes()).isNotEmpty();
        assertThat(new String(handler.frames.get(0).bytes(), StandardCharsets.UTF_8))
                .startsWith("{");
    }
}
