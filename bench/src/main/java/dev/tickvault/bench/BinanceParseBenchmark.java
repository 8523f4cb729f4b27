package dev.tickvault.bench;

import dev.tickvault.feed.binance.BinanceMessageListener;
import dev.tickvault.feed.binance.BinanceMessageParser;
import dev.tickvault.feed.binance.DepthEvent;
import dev.tickvault.feed.binance.DepthLevels;
import dev.tickvault.model.BookUpdate;
import dev.tickvault.model.SeriesKey;
import dev.tickvault.model.Side;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Parsing and normalising real Binance frames (the hftbacktest spot and USD-M recordings, loaded in setup): one
 * operation = one frame through {@link BinanceMessageParser} into a listener that normalises it as the feed handler
 * does (ms → ns, taker side, one row per book level with its flags) into a sink that only sums the values, so nothing
 * is optimised away. {@code -prof gc} reports the bytes allocated per frame.
 *
 * <pre>
 * ./build package
 * java --enable-native-access=ALL-UNNAMED -jar bench/target/tickvault-bench.jar BinanceParse -prof gc -f 1 -wi 3 -i 5
 * </pre>
 *
 * The recordings are read from {@code ../shared/captures/binance/hftbacktest} (override with {@code
 * -Dtickvault.captures=DIR}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
public class BinanceParseBenchmark {

    @Param({"spot", "usdm"})
    public String market;

    private byte[][] tradeFrames;
    private byte[][] depthFrames;
    private int nextTrade;
    private int nextDepth;
    private BinanceMessageParser parser;
    private final SummingListener listener = new SummingListener();

    @Setup(Level.Trial)
    public void load() {
        Path dir = Path.of(System.getProperty("tickvault.captures", "../shared/captures/binance/hftbacktest"));
        Path file = dir.resolve(market.equals("spot") ? "spot_btcusdt_20240808.gz" : "usdm_btcusdt_20240808.gz");
        List<byte[]> trades = new ArrayList<>();
        List<byte[]> depth = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(file), 1 << 16), StandardCharsets.UTF_8))) {
            for (String line; (line = reader.readLine()) != null; ) {
                String message = line.substring(line.indexOf(' ') + 1);
                if (message.contains("\"e\":\"trade\"")) {
                    trades.add(message.getBytes(StandardCharsets.UTF_8));
                } else if (message.contains("\"e\":\"depthUpdate\"")) {
                    depth.add(message.getBytes(StandardCharsets.UTF_8));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + " (set -Dtickvault.captures)", e);
        }
        tradeFrames = trades.toArray(new byte[0][]);
        depthFrames = depth.toArray(new byte[0][]);
        parser = new BinanceMessageParser(market.equals("spot") ? "binance" : "binance-futures");
        long bytes = 0;
        for (byte[] f : depthFrames) {
            bytes += f.length;
        }
        System.out.printf(
                "%n%s: %d trade frames, %d depth frames (mean %d bytes, %d levels)%n",
                market, tradeFrames.length, depthFrames.length, bytes / depthFrames.length, meanLevels());
    }

    byte[][] tradeFrames() {
        return tradeFrames;
    }

    byte[][] depthFrames() {
        return depthFrames;
    }

    BinanceMessageParser newParser() {
        return new BinanceMessageParser(market.equals("spot") ? "binance" : "binance-futures");
    }

    double meanLevelsPerDepthFrame() {
        SummingListener counter = new SummingListener();
        BinanceMessageParser counting = newParser();
        for (byte[] f : depthFrames) {
            counting.parse(f, 0, f.length, counter);
        }
        return counter.levels / (double) depthFrames.length;
    }

    private long meanLevels() {
        long levels = 0;
        SummingListener counter = new SummingListener();
        for (byte[] f : depthFrames) {
            long before = counter.levels;
            parser.parse(f, 0, f.length, counter);
            levels += counter.levels - before;
        }
        return levels / depthFrames.length;
    }

    @Benchmark
    public long trade() {
        byte[] frame = tradeFrames[nextTrade];
        nextTrade = nextTrade + 1 == tradeFrames.length ? 0 : nextTrade + 1;
        if (!parser.parse(frame, 0, frame.length, listener)) {
            throw new IllegalStateException(parser.failure());
        }
        return listener.sum;
    }

    @Benchmark
    public long depth() {
        byte[] frame = depthFrames[nextDepth];
        nextDepth = nextDepth + 1 == depthFrames.length ? 0 : nextDepth + 1;
        if (!parser.parse(frame, 0, frame.length, listener)) {
            throw new IllegalStateException(parser.failure());
        }
        return listener.sum;
    }

    /** Normalises like the feed handler and sums every value into {@link #sum}. */
    static class SummingListener implements BinanceMessageListener {
        long sum;
        long levels;

        private void row(
                SeriesKey series,
                long tsNanos,
                Side side,
                long priceMantissa,
                int priceScale,
                long quantityMantissa,
                int quantityScale,
                long firstId,
                long lastId,
                int flags) {
            sum += series.hashCode()
                    + tsNanos
                    + side.code()
                    + priceMantissa
                    + priceScale
                    + quantityMantissa
                    + quantityScale
                    + firstId
                    + lastId
                    + flags;
        }

        @Override
        public void trade(
                SeriesKey series,
                long tradeId,
                long priceMantissa,
                int priceScale,
                long quantityMantissa,
                int quantityScale,
                Side takerSide,
                long tradeTimeMillis,
                boolean aggregated) {
            row(
                    series,
                    tradeTimeMillis * 1_000_000L,
                    takerSide,
                    priceMantissa,
                    priceScale,
                    quantityMantissa,
                    quantityScale,
                    tradeId,
                    tradeId,
                    0);
        }

        @Override
        public void depthUpdate(DepthEvent event) {
            long tsNanos = event.venueTimeNanos(0);
            DepthLevels bids = event.bids();
            DepthLevels asks = event.asks();
            int total = bids.size() + asks.size();
            for (int i = 0; i < bids.size(); i++) {
                row(
                        event.series(),
                        tsNanos,
                        Side.BUY,
                        bids.priceMantissa(i),
                        bids.priceScale(i),
                        bids.quantityMantissa(i),
                        bids.quantityScale(i),
                        event.firstUpdateId(),
                        event.lastUpdateId(),
                        i == total - 1 ? BookUpdate.EVENT_END : 0);
            }
            for (int i = 0; i < asks.size(); i++) {
                row(
                        event.series(),
                        tsNanos,
                        Side.SELL,
                        asks.priceMantissa(i),
                        asks.priceScale(i),
                        asks.quantityMantissa(i),
                        asks.quantityScale(i),
                        event.firstUpdateId(),
                        event.lastUpdateId(),
                        bids.size() + i == total - 1 ? BookUpdate.EVENT_END : 0);
            }
            levels += total;
        }

        @Override
        public void depthSnapshot(DepthEvent snapshot) {}

        @Override
        public void bookTicker(
                SeriesKey series,
                long updateId,
                long bidPriceMantissa,
                int bidPriceScale,
                long bidQuantityMantissa,
                int bidQuantityScale,
                long askPriceMantissa,
                int askPriceScale,
                long askQuantityMantissa,
                int askQuantityScale,
                long eventTimeMillis) {}

        @Override
        public void reply(long id) {}

        @Override
        public void error(long id, long code, String message) {}

        @Override
        public void serverShutdown(long eventTimeMillis) {}

        @Override
        public void ignored() {}
    }
}
