package dev.tickvault.record;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickvault.feed.FeedStats;
import dev.tickvault.feed.binance.BinanceMarket;
import dev.tickvault.feed.capture.FeedReplay;
import dev.tickvault.feed.capture.TickvaultCaptureReader;
import dev.tickvault.model.DecimalFormat;
import dev.tickvault.model.SeriesKey;
import dev.tickvault.simulator.BinanceMarketKind;
import dev.tickvault.simulator.ExchangeSimulator;
import dev.tickvault.simulator.SimulatorConfig;
import dev.tickvault.store.StoreConfig;
import dev.tickvault.store.TickStore;
import dev.tickvault.store.TradeCursor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code record --capture}: the raw frames the recorder kept, replayed through the same handler into a second store,
 * give exactly the trades the live recording stored.
 */
class CaptureAndReplayTest {

    @TempDir
    Path dir;

    @Test
    void replayingTheRawCaptureReproducesTheRecordedTrades() throws Exception {
        Path captures = dir.resolve("raw");
        List<String> symbols;
        List<String> live = new ArrayList<>();
        SimulatorConfig simulatorConfig =
                SimulatorConfig.defaults().withBinanceSpot(SimulatorConfig.BinanceSourceConfig.synthetic(2, 400, 5));
        try (ExchangeSimulator simulator = ExchangeSimulator.start(simulatorConfig);
                TickStore store = TickStore.open(dir.resolve("live"), StoreConfig.defaults())) {
            symbols = simulator.binanceSymbols(BinanceMarketKind.SPOT);
            FeedSpec spec = new FeedSpec(
                    "binance",
                    symbols,
                    List.of("trades", "book"),
                    simulator.binanceWebSocketBase(BinanceMarketKind.SPOT) + "/stream",
                    simulator.baseUri() + "/api/v3/depth");
            Recorder recorder = Recorder.start(
                    store,
                    VenuePlans.binance(spec, BinanceMarket.SPOT, null),
                    Recorder.Options.defaults().withCaptureDirectory(captures),
                    null,
                    null);
            FeedStats stats = recorder.stats().get(0);
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (stats.trades.sum() < 300 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            recorder.close();
            for (String symbol : symbols) {
                live.addAll(trades(store, symbol));
            }
        }
        assertThat(live).hasSizeGreaterThanOrEqualTo(300);
        List<Path> files;
        try (Stream<Path> list = Files.list(captures)) {
            files = list.toList();
        }
        assertThat(files).singleElement().satisfies(f -> assertThat(f.toString())
                .endsWith(".tvcap"));
        List<String> replayed = new ArrayList<>();
        try (TickStore store = TickStore.open(dir.resolve("replayed"), StoreConfig.defaults());
                StoreFeedSink sink = new StoreFeedSink(store, CommitPolicy.bulk());
                TickvaultCaptureReader reader = TickvaultCaptureReader.open(files.get(0))) {
            FeedReplay.replay(List.of(reader), VenuePlans.replayHandler("binance", symbols, false, sink));
            sink.commit();
            for (String symbol : symbols) {
                replayed.addAll(trades(store, symbol));
            }
        }
        assertThat(replayed).containsExactlyInAnyOrderElementsOf(live);
    }

    private static List<String> trades(TickStore store, String symbol) {
        List<String> out = new ArrayList<>();
        try (TradeCursor c = store.trades(SeriesKey.of("binance", symbol), Long.MIN_VALUE, Long.MAX_VALUE)) {
            while (c.next()) {
                out.add(symbol + " " + c.tradeId() + " " + c.tsNanos() + " " + c.recvTsNanos() + " "
                        + DecimalFormat.toString(c.priceMantissa(), c.priceScale()) + " "
                        + DecimalFormat.toString(c.quantityMantissa(), c.quantityScale()) + " " + c.side());
            }
        }
        return out;
    }
}
