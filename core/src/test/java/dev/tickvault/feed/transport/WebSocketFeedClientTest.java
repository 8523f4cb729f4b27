package dev.tickvault.feed.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickvault.feed.Captures;
import dev.tickvault.feed.capture.CapturedFrame;
import dev.tickvault.feed.capture.HftbacktestCaptureReader;
import dev.tickvault.simulator.BinanceMarketKind;
import dev.tickvault.simulator.ExchangeSimulator;
import dev.tickvault.simulator.FaultInjector;
import dev.tickvault.simulator.FaultType;
import dev.tickvault.simulator.SimulatorConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link WebSocketFeedClient} against a real {@link ExchangeSimulator} on loopback: no mocks. */
class WebSocketFeedClientTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final List<String> SPOT_STREAMS =
            List.of("btcusdt@depth@100ms", "btcusdt@trade", "btcusdt@bookTicker");

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private ExchangeSimulator simulator(SimulatorConfig config) {
        ExchangeSimulator s = ExchangeSimulator.start(config);
        toClose.add(s);
        return s;
    }

    private ExchangeSimulator syntheticSimulator(double rate) {
        return simulator(
                SimulatorConfig.defaults().withBinanceSpot(SimulatorConfig.BinanceSourceConfig.synthetic(2, rate, 42)));
    }

    private WebSocketFeedClient client(TransportConfig config, RecordingHandler handler) {
        WebSocketFeedClient c = new WebSocketFeedClient(config, handler);
        toClose.add(c);
        return c;
    }

    private static TransportConfig fastConfig() {
        return TransportConfig.defaults("test")
                .withReconnectDelays(Duration.ofMillis(50), Duration.ofMillis(500))
                .withTimerInterval(Duration.ofMillis(100));
    }

    /** The envelopes the simulator replays from the spot recording: after the snapshot, diffs it covers skipped. */
    static List<String> expectedSpotFrames() throws IOException {
        Pattern u = Pattern.compile("\"u\":(\\d+)");
        List<String> out = new ArrayList<>();
        long lastUpdateId = -1;
        try (HftbacktestCaptureReader reader = HftbacktestCaptureReader.open(Captures.require(Captures.BINANCE_SPOT))) {
            for (CapturedFrame f; (f = reader.next()) != null; ) {
                String text = f.payloadText();
                if (f.kind() == CapturedFrame.Kind.REST) {
                    Matcher m = Pattern.compile("\"lastUpdateId\":(\\d+)").matcher(text);
                    assertThat(m.find()).isTrue();
                    lastUpdateId = Long.parseLong(m.group(1));
                    continue;
                }
                if (lastUpdateId < 0) {
                    continue;
                }
                if (text.contains("@depth")) {
                    Matcher m = u.matcher(text);
                    assertThat(m.find()).isTrue();
                    if (Long.parseLong(m.group(1)) <= lastUpdateId) {
                        continue;
                    }
                }
                out.add(text);
            }
        }
        return out;
    }

    @Test
    void recordedFramesArriveByteExactOnOneThread() throws IOException {
        List<String> expected = expectedSpotFrames();
        ExchangeSimulator sim = simulator(SimulatorConfig.defaults()
                .withSpeed(0)
                .withCompression(false) // 41k frames: deflate is slow on a loaded machine (Coinbase's test covers it)
                .withBinanceSpot(SimulatorConfig.BinanceSourceConfig.recording(Captures.BINANCE_SPOT)));
        RecordingHandler handler = new RecordingHandler();
        WebSocketFeedClient client = client(fastConfig(), handler);
        client.open(sim.binanceCombinedStreamUri(BinanceMarketKind.SPOT, SPOT_STREAMS));

        handler.await("every replayed frame", Duration.ofSeconds(60), () -> handler.frames.size() >= expected.size());
        List<RecordingHandler.Frame> frames = handler.frames();
        assertThat(frames).hasSize(expected.size());
        for (int i = 0; i < expected.size(); i++) {
            assertThat(frames.get(i).text()).as("frame %d", i).isEqualTo(expected.get(i));
        }
        handler.await("a timer call", WAIT, () -> handler.timerCalls.get() > 0);
        assertThat(handler.threads).as("every handler call on one thread").hasSize(1);
        assertThat(handler.threads.iterator().next()).startsWith("tickvault-feed-test");
        long now = NanoClock.system().nowNanos();
        assertThat(handler.frames.get(0).recvTsNanos()).isBetween(now - 120_000_000_000L, now);
        assertThat(client.stats().textFrames.sum()).isEqualTo(expected.size());
        assertThat(client.stats().bytesReceived.sum())
                .isEqualTo(expected.stream()
                        .mapToLong(s -> s.getBytes(StandardCharsets.UTF_8).length)
                        .sum());
    }

    @Test
    void subscribeOnRawStreamAndListSubscriptions() throws IOException {
        List<String> expected = expectedSpotFrames();
        String firstTrade =
                expected.stream().filter(s -> s.contains("@trade")).findFirst().orElseThrow();
        String firstTradeData = firstTrade.substring(firstTrade.indexOf("\"data\":") + 7, firstTrade.length() - 1);
        ExchangeSimulator sim = simulator(SimulatorConfig.defaults()
                .withSpeed(0)
                .withBinanceSpot(SimulatorConfig.BinanceSourceConfig.recording(Captures.BINANCE_SPOT)));
        RecordingHandler handler = new RecordingHandler().onOpen((c, t) -> {
            c.send("{\"method\":\"SUBSCRIBE\",\"params\":[\"btcusdt@trade\"],\"id\":1}");
            c.send("{\"method\":\"LIST_SUBSCRIPTIONS\",\"id\":2}");
        });
        client(fastConfig(), handler).open(URI.create(sim.binanceWebSocketBase(BinanceMarketKind.SPOT) + "/ws"));

        handler.await(
                "both replies and trades",
                WAIT,
                () -> handler.frames.size() >= 10
                        && handler.frames().stream().anyMatch(f -> f.text().contains("\"id\":2")));
        List<String> texts =
                handler.frames().stream().map(RecordingHandler.Frame::text).toList();
        // the reply to SUBSCRIBE comes first; trades may overtake the reply to LIST_SUBSCRIPTIONS
        assertThat(texts.get(0)).isEqualTo("{\"result\":null,\"id\":1}");
        assertThat(texts).contains("{\"result\":[\"btcusdt@trade\"],\"id\":2}");
        List<String> trades =
                texts.stream().filter(t -> t.startsWith("{\"e\":\"trade\"")).toList();
        assertThat(trades).hasSizeGreaterThanOrEqualTo(8);
        assertThat(trades.get(0)).isEqualTo(firstTradeData);
        assertThat(texts).allMatch(t -> t.startsWith("{\"e\":\"trade\"") || t.startsWith("{\"result\""));
    }

    @Test
    void disconnectFaultReconnectsAndResubscribes() {
        ExchangeSimulator sim = syntheticSimulator(2000);
        RecordingHandler handler = new RecordingHandler()
                .onOpen((c, t) -> c.send("{\"method\":\"SUBSCRIBE\",\"params\":[\"syn0usdt@trade\"],\"id\":7}"));
        WebSocketFeedClient client = client(fastConfig(), handler);
        client.open(URI.create(sim.binanceWebSocketBase(BinanceMarketKind.SPOT) + "/ws"));
        handler.await("first connection delivering", WAIT, () -> handler.frames.size() > 20);

        assertThat(sim.faults().disconnect(FaultInjector.ALL)).isEqualTo(1);
        handler.await("a second connection", Duration.ofSeconds(5), () -> handler.openCount() == 2);
        String second = handler.opened.get(1).name();
        handler.await(
                "trades on the second connection",
                Duration.ofSeconds(5),
                () -> handler.framesOf(second).size() > 5);

        assertThat(handler.events.get(handler.indexOfEvent("close test#1"))).contains("closed by peer");
        assertThat(handler.framesOf(second).get(0).text()).isEqualTo("{\"result\":null,\"id\":7}");
        assertThat(handler.stats().reconnects.sum()).isEqualTo(1);
        assertThat(client.stats().reconnects.sum()).isEqualTo(1);
        assertThat(sim.stats().faults(FaultType.DISCONNECT)).isEqualTo(1);
        assertThat(sim.connections()).singleElement().satisfies(c -> assertThat(c.subscriptions())
                .containsExactly("syn0usdt@trade"));
    }

    @Test
    void stallTripsTheWatchdog() {
        ExchangeSimulator sim = syntheticSimulator(1000);
        RecordingHandler handler = new RecordingHandler();
        WebSocketFeedClient client = client(
                fastConfig().withPingInterval(Duration.ofMillis(200)).withStaleAfter(Duration.ofMillis(700)), handler);
        client.open(sim.binanceCombinedStreamUri(BinanceMarketKind.SPOT, List.of("syn0usdt@trade", "syn1usdt@trade")));
        handler.await("data", WAIT, () -> handler.frames.size() > 10);

        assertThat(sim.faults().stall(FaultInjector.ALL, Duration.ofSeconds(30)))
                .isEqualTo(1);
        handler.await("watchdog reconnect", Duration.ofSeconds(5), () -> handler.openCount() == 2);
        String second = handler.opened.get(1).name();
        handler.await("data on the new connection", WAIT, () -> !handler.framesOf(second)
                .isEmpty());

        assertThat(client.stats().watchdogTrips.sum()).isEqualTo(1);
        assertThat(handler.events.get(handler.indexOfEvent("close test#1"))).contains("stale");
        assertThat(sim.stats().framesDroppedStalled.sum()).isPositive();
    }

    /**
     * The default liveness settings (a ping a second, stale after 3 s without a frame): a connection that carries no
     * data at all stays up for more than three deadlines because its pongs arrive; once the server stops answering
     * (a stall: no data, no pong), the watchdog drops it and a new connection is open within 5 s.
     */
    @Test
    void aQuietHealthyConnectionSurvivesAndAStallIsDetectedWithinFiveSecondsWithTheDefaults() throws Exception {
        ExchangeSimulator sim = syntheticSimulator(1000);
        RecordingHandler handler = new RecordingHandler();
        TransportConfig defaults = TransportConfig.defaults("test");
        WebSocketFeedClient client = client(defaults, handler);
        client.open(URI.create(sim.binanceWebSocketBase(BinanceMarketKind.SPOT) + "/ws")); // nothing subscribed
        handler.await("open", WAIT, () -> handler.openCount() == 1);

        Thread.sleep(defaults.staleAfter().multipliedBy(3).plusSeconds(1).toMillis());
        assertThat(handler.frames()).as("a quiet connection: no data").isEmpty();
        assertThat(client.stats().pongsReceived.sum()).as("pongs kept it alive").isGreaterThanOrEqualTo(8);
        assertThat(client.stats().watchdogTrips.sum()).isZero();
        assertThat(handler.openCount()).isEqualTo(1);
        assertThat(client.openConnectionNames()).containsExactly("test#1");

        long stallMono = System.nanoTime();
        assertThat(sim.faults().stall(FaultInjector.ALL, Duration.ofSeconds(30)))
                .isEqualTo(1);
        handler.await("watchdog reconnect", Duration.ofSeconds(5), () -> handler.openCount() == 2);
        long reopenedMono = System.nanoTime();
        assertThat(reopenedMono - stallMono)
                .as("stall detected and the connection reopened")
                .isLessThan(Duration.ofSeconds(5).toNanos())
                .isGreaterThanOrEqualTo(
                        defaults.staleAfter().minus(defaults.pingInterval()).toNanos());
        assertThat(client.stats().watchdogTrips.sum()).isEqualTo(1);
        assertThat(handler.events.get(handler.indexOfEvent("close test#1"))).contains("stale");
        assertThat(sim.stats().pongsWithheld.sum()).isPositive();
    }

    @Test
    void serverShutdownRotationOpensTheReplacementBeforeClosingTheOld() {
        ExchangeSimulator sim = syntheticSimulator(1000);
        RecordingHandler handler = new RecordingHandler().onText((c, text) -> {
            if (text.contains("\"serverShutdown\"")) {
                c.rotate();
            }
        });
        WebSocketFeedClient client = client(fastConfig(), handler);
        client.open(sim.binanceCombinedStreamUri(BinanceMarketKind.SPOT, List.of("syn0usdt@trade", "syn1usdt@depth")));
        handler.await("data", WAIT, () -> handler.frames.size() > 10);

        assertThat(sim.faults().serverShutdown(FaultInjector.ALL, Duration.ofSeconds(5)))
                .isEqualTo(1);
        handler.await("old connection closed", WAIT, () -> handler.indexOfEvent("close test#1") >= 0);
        handler.await("frames continue", WAIT, () -> handler.framesOf("test#2").size() > 20);

        int open2 = handler.indexOfEvent("open test#2");
        int data2 = handler.indexOfEvent("data test#2");
        int close1 = handler.indexOfEvent("close test#1");
        assertThat(open2).isPositive().isLessThan(data2);
        assertThat(data2).isLessThan(close1);
        assertThat(handler.events.get(close1)).contains("rotated");
        assertThat(client.stats().rotations.sum()).isEqualTo(1);
        assertThat(handler.stats().reconnects.sum()).isZero();
        assertThat(client.openConnectionNames()).containsExactly("test#2");
    }

    @Test
    void maxConnectionAgeRotates() {
        ExchangeSimulator sim = syntheticSimulator(1000);
        RecordingHandler handler = new RecordingHandler();
        WebSocketFeedClient client = client(fastConfig().withMaxConnectionAge(Duration.ofMillis(500)), handler);
        client.open(sim.binanceCombinedStreamUri(BinanceMarketKind.SPOT, List.of("syn0usdt@trade")));

        handler.await("two rotations", WAIT, () -> client.stats().rotations.sum() >= 2);
        int open2 = handler.indexOfEvent("open test#2");
        int data2 = handler.indexOfEvent("data test#2");
        int close1 = handler.indexOfEvent("close test#1");
        assertThat(open2).isLessThan(data2);
        assertThat(data2).isLessThan(close1);
        assertThat(handler.stats().reconnects.sum()).isZero();
    }

    @Test
    void oversizedMessageFailsTheConnectionAndReconnects() {
        ExchangeSimulator sim = syntheticSimulator(500);
        RecordingHandler handler = new RecordingHandler();
        WebSocketFeedClient client = client(fastConfig().withMaxFrameBytes(64 << 10), handler);
        client.open(sim.binanceCombinedStreamUri(BinanceMarketKind.SPOT, List.of("syn0usdt@trade")));
        handler.await("data", WAIT, () -> handler.frames.size() > 5);

        assertThat(sim.faults().oversizedFrame(FaultInjector.ALL, 1 << 20)).isEqualTo(1);
        handler.await("reconnected", WAIT, () -> handler.openCount() == 2);
        handler.await("data again", WAIT, () -> !handler.framesOf("test#2").isEmpty());

        assertThat(client.stats().oversizedFrames.sum()).isEqualTo(1);
        assertThat(handler.events.get(handler.indexOfEvent("close test#1"))).contains("larger than 65536");
        assertThat(handler.frames()).noneMatch(f -> f.bytes().length > 64 << 10);
        assertThat(handler.stats().reconnects.sum()).isEqualTo(1);
    }

    @Test
    void closeStopsEverythingAndLeavesNoThreads() {
        ExchangeSimulator sim = syntheticSimulator(500);
        RecordingHandler handler = new RecordingHandler();
        WebSocketFeedClient client = new WebSocketFeedClient(fastConfig(), handler);
        client.open(sim.binanceCombinedStreamUri(BinanceMarketKind.SPOT, List.of("syn0usdt@trade")));
        handler.await("data", WAIT, () -> handler.frames.size() > 5);

        client.close();
        assertThat(client.isTerminated()).isTrue();
        assertThat(handler.events).last().asString().isEqualTo("close test#1: client closed");
        assertThat(threadsAfterExit("tickvault-feed-test")).isEmpty();
        int timers = handler.timerCalls.get();
        sim.close();
        assertThat(sim.isTerminated()).isTrue();
        assertThat(threadsAfterExit("tickvault-simulator")).isEmpty();
        assertThat(handler.timerCalls.get()).isEqualTo(timers);
        client.close(); // idempotent
    }

    @Test
    void tlsAgainstAPlainPortFailsTheHandshakeAndKeepsRetrying() {
        ExchangeSimulator sim = syntheticSimulator(10);
        RecordingHandler handler = new RecordingHandler();
        WebSocketFeedClient client = client(fastConfig(), handler);
        client.open(URI.create("wss://127.0.0.1:" + sim.port() + "/ws"));

        handler.await(
                "several failed attempts",
                WAIT,
                () -> client.stats().connectFailures.sum() >= 3);
        assertThat(handler.openCount()).isZero();
        assertThat(handler.events).isEmpty(); // never opened: no onOpen, no onClose
        assertThat(client.stats().connectAttempts.sum()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void refusedConnectionIsRetriedWithBackoff() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort(); // closed again: nothing listens there
        }
        RecordingHandler handler = new RecordingHandler();
        WebSocketFeedClient client = client(fastConfig(), handler);
        client.open(URI.create("ws://127.0.0.1:" + port + "/ws"));
        handler.await(
                "several refused attempts",
                WAIT,
                () -> client.stats().connectFailures.sum() >= 3);
        assertThat(handler.openCount()).isZero();
    }

    @Test
    void simulatorConnectionAgeAnnouncesShutdownAndTheHandlerRotates() {
        ExchangeSimulator sim = simulator(SimulatorConfig.defaults()
                .withMaxConnectionAge(Duration.ofMillis(400), Duration.ofSeconds(5))
                .withBinanceSpot(SimulatorConfig.BinanceSourceConfig.synthetic(1, 500, 5)));
        RecordingHandler handler = new RecordingHandler().onText((c, text) -> {
            if (text.startsWith("{\"e\":\"serverShutdown\",\"E\":")) {
                c.rotate();
            }
        });
        WebSocketFeedClient client = client(fastConfig(), handler);
        client.open(sim.binanceCombinedStreamUri(BinanceMarketKind.SPOT, List.of("syn0usdt@trade")));

        handler.await(
                "rotated after the announced shutdown",
                WAIT,
                () -> client.stats().rotations.sum() >= 1);
        handler.await("old connection closed", WAIT, () -> handler.indexOfEvent("close test#1") >= 0);
        assertThat(handler.indexOfEvent("open test#2")).isLessThan(handler.indexOfEvent("data test#2"));
        assertThat(handler.indexOfEvent("data test#2")).isLessThan(handler.indexOfEvent("close test#1"));
        assertThat(sim.stats().maxAgeDisconnects.sum()).isPositive();
        assertThat(handler.stats().reconnects.sum()).isZero();
    }

    @Test
    void pingsBothWays() {
        // A trade a second: the connection is idle between them, so the client pings.
        ExchangeSimulator sim = simulator(SimulatorConfig.defaults()
                .withServerPingInterval(Duration.ofMillis(200))
                .withBinanceSpot(SimulatorConfig.BinanceSourceConfig.synthetic(1, 1, 5)));
        RecordingHandler handler = new RecordingHandler();
        WebSocketFeedClient client = client(fastConfig().withPingInterval(Duration.ofMillis(200)), handler);
        client.open(sim.binanceCombinedStreamUri(BinanceMarketKind.SPOT, List.of("syn0usdt@trade")));

        handler.await(
                "pongs from the client", WAIT, () -> sim.stats().pongsReceived.sum() >= 2);
        handler.await(
                "pings from the client", WAIT, () -> sim.stats().pingsReceived.sum() >= 2);
        assertThat(client.stats().pingsSent.sum()).isGreaterThanOrEqualTo(2);
        assertThat(handler.frames()).noneMatch(f -> f.bytes().length == 0); // pongs are not delivered as data
    }

    @Test
    void aBusyConnectionSendsNoPings() throws InterruptedException {
        // ~200 trade frames a second: never silent for the 200 ms ping interval, so no ping is spent against the
        // venue's
        // incoming-message limit (Binance counts pings in its 5 per second).
        ExchangeSimulator sim = simulator(SimulatorConfig.defaults()
                .withServerPingInterval(Duration.ZERO)
                .withBinanceSpot(SimulatorConfig.BinanceSourceConfig.synthetic(1, 500, 5)));
        RecordingHandler handler = new RecordingHandler();
        WebSocketFeedClient client = client(fastConfig().withPingInterval(Duration.ofMillis(200)), handler);
        client.open(sim.binanceCombinedStreamUri(BinanceMarketKind.SPOT, List.of("syn0usdt@trade")));
        handler.await("data flowing", WAIT, () -> handler.frames().size() >= 50);
        Thread.sleep(1_000);
        assertThat(handler.frames().size()).isGreaterThan(150); // trades are ~40 % of the 500 messages a second
        assertThat(client.stats().pingsSent.sum()).isZero();
        assertThat(sim.stats().pingsReceived.sum()).isZero();
    }

    @Test
    void nanoClockFollowsTheWallClockWithSubMillisecondSteps() {
        NanoClock clock = NanoClock.system();
        long wall = java.time.Instant.now().toEpochMilli() * 1_000_000L;
        long a = clock.nowNanos();
        assertThat(Math.abs(a - wall)).isLessThan(50_000_000L);
        long smallestStep = Long.MAX_VALUE;
        long previous = a;
        for (int i = 0; i < 10_000; i++) {
            long now = clock.nowNanos();
            assertThat(now).isGreaterThanOrEqualTo(previous);
            if (now > previous) {
                smallestStep = Math.min(smallestStep, now - previous);
            }
            previous = now;
        }
        assertThat(smallestStep).as("resolution").isLessThan(1_000_000L);
        clock.resync();
        assertThat(Math.abs(clock.nowNanos() - java.time.Instant.now().toEpochMilli() * 1_000_000L))
                .isLessThan(50_000_000L);
    }

    /**
     * The live threads named {@code prefix}* once they had up to 2 s to exit: an event loop reports itself terminated
     * a moment before its thread has returned (and other tests' simulators may still be winding down).
     */
    static List<String> threadsAfterExit(String prefix) {
        long deadline = System.nanoTime() + 2_000_000_000L;
        List<String> live = liveThreads(prefix);
        while (!live.isEmpty() && System.nanoTime() < deadline) {
            LockSupport.parkNanos(10_000_000L);
            live = liveThreads(prefix);
        }
        return live;
    }

    static List<String> liveThreads(String prefix) {
        List<String> names = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive() && t.getName().startsWith(prefix)) {
                names.add(t.getName());
            }
        }
        return names;
    }

    @Test
    void backoffCeilingDoublesUpToTheMaximum() {
        ReconnectBackoff backoff = new ReconnectBackoff(Duration.ofMillis(100), Duration.ofSeconds(5));
        assertThat(backoff.ceilingNanos(0)).isEqualTo(100_000_000L);
        assertThat(backoff.ceilingNanos(3)).isEqualTo(800_000_000L);
        assertThat(backoff.ceilingNanos(6)).isEqualTo(5_000_000_000L);
        assertThat(backoff.ceilingNanos(500)).isEqualTo(5_000_000_000L);
        for (int i = 0; i < 1000; i++) {
            assertThat(backoff.delayNanos(2)).isBetween(0L, 400_000_000L);
        }
    }
}
