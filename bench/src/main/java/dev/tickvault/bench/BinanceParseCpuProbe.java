package dev.tickvault.bench;

import dev.tickvault.feed.FeedConnection;
import dev.tickvault.feed.FeedSink;
import dev.tickvault.feed.binance.BinanceFeedConfig;
import dev.tickvault.feed.binance.BinanceFeedHandler;
import dev.tickvault.feed.binance.BinanceMarket;
import dev.tickvault.feed.binance.BinanceMessageParser;
import dev.tickvault.feed.binance.DepthSnapshotRequester;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.List;

/**
 * CPU time per Binance frame, a measure that holds up on a shared machine (wall-clock JMH scores swing with the load;
 * the thread's own CPU time much less): the frames of {@link BinanceParseBenchmark} are parsed round after round, each
 * round timed with {@link ThreadMXBean#getCurrentThreadCpuTime()}, after a warm-up. Reports the median and the best
 * round in ns of CPU per frame (and per level for depth frames) for:
 *
 * <ul>
 *   <li>{@code trade}/{@code depth}: {@link BinanceMessageParser} into the benchmark's normalising listener;
 *   <li>{@code handler-trade}: whole {@link BinanceFeedHandler#onMessage} of the trade frames into a summing {@link
 *       FeedSink} (a fresh handler each round, so every trade id is new).
 * </ul>
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp bench/target/tickvault-bench.jar dev.tickvault.bench.BinanceParseCpuProbe [rounds [name filter]]
 * </pre>
 */
public final class BinanceParseCpuProbe {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private BinanceParseCpuProbe() {}

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        String only = args.length > 1 ? args[1] : "";
        for (String market : List.of("spot", "usdm")) {
            BinanceParseBenchmark bench = new BinanceParseBenchmark();
            bench.market = market;
            bench.load();
            if ((market + " trade").contains(only)) {
                measure(market + " trade", bench.tradeFrames(), bench.newParser(), rounds, 0);
            }
            if ((market + " depth").contains(only)) {
                measure(
                        market + " depth",
                        bench.depthFrames(),
                        bench.newParser(),
                        rounds,
                        bench.meanLevelsPerDepthFrame());
            }
            if ((market + " depth-parse-only").contains(only)) {
                BinanceParseBenchmark.SummingListener sizesOnly = new BinanceParseBenchmark.SummingListener() {
                    @Override
                    public void depthUpdate(dev.tickvault.feed.binance.DepthEvent event) {
                        sum += event.bids().size() + event.asks().size();
                    }
                };
                measure(
                        market + " depth-parse-only",
                        bench.depthFrames(),
                        bench.newParser(),
                        rounds,
                        bench.meanLevelsPerDepthFrame(),
                        sizesOnly);
            }
            if ((market + " handler-trade").contains(only)) {
                handler(market, bench.tradeFrames(), rounds);
            }
        }
    }

    /**
     * One measurement as a round to repeat, for comparing two builds round by round in one JVM (each loaded by its own
     * class loader, rounds interleaved, so both see the same load): {@code kind} is {@code trade}, {@code depth} or
     * {@code handler-trade}; each call of the supplier runs one round and returns CPU ns per frame.
     */
    public static java.util.function.DoubleSupplier round(String market, String kind) {
        BinanceParseBenchmark bench = new BinanceParseBenchmark();
        bench.market = market;
        bench.load();
        if (kind.equals("handler-trade")) {
            byte[][] frames = bench.tradeFrames();
            BinanceFeedConfig config = BinanceFeedConfig.defaults(
                            market.equals("spot") ? BinanceMarket.SPOT : BinanceMarket.USDM_FUTURES, List.of("BTCUSDT"))
                    .withCheckpointIntervalNanos(0);
            SummingSink sink = new SummingSink();
            FeedConnection connection = new FeedConnection() {
                @Override
                public void send(String text) {}

                @Override
                public void reconnect(String reason) {}

                @Override
                public String name() {
                    return "probe";
                }
            };
            return () -> {
                long start = THREADS.getCurrentThreadCpuTime();
                for (int p = 0; p < 5; p++) {
                    replay(config, sink, connection, frames);
                }
                return (THREADS.getCurrentThreadCpuTime() - start) / (5.0 * frames.length) + (sink.sum & 0) * 0.0;
            };
        }
        byte[][] frames = kind.equals("trade") ? bench.tradeFrames() : bench.depthFrames();
        BinanceMessageParser parser = bench.newParser();
        BinanceParseBenchmark.SummingListener listener = new BinanceParseBenchmark.SummingListener();
        int passes = Math.max(1, 50_000 / frames.length);
        return () -> {
            long start = THREADS.getCurrentThreadCpuTime();
            parseAll(frames, parser, listener, passes);
            return (THREADS.getCurrentThreadCpuTime() - start) / (double) ((long) passes * frames.length)
                    + (listener.sum & 0) * 0.0;
        };
    }

    private static void measure(String name, byte[][] frames, BinanceMessageParser parser, int rounds, double levels) {
        measure(name, frames, parser, rounds, levels, new BinanceParseBenchmark.SummingListener());
    }

    private static void measure(
            String name,
            byte[][] frames,
            BinanceMessageParser parser,
            int rounds,
            double levels,
            BinanceParseBenchmark.SummingListener listener) {
        int passes = Math.max(1, 100_000 / frames.length);
        for (int w = 0; w < 20; w++) {
            parseAll(frames, parser, listener, passes);
        }
        double[] nanosPerFrame = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            long start = THREADS.getCurrentThreadCpuTime();
            parseAll(frames, parser, listener, passes);
            nanosPerFrame[r] = (THREADS.getCurrentThreadCpuTime() - start) / (double) ((long) passes * frames.length);
        }
        report(name, nanosPerFrame, levels, listener.sum);
    }

    private static void parseAll(
            byte[][] frames, BinanceMessageParser parser, BinanceParseBenchmark.SummingListener listener, int passes) {
        for (int p = 0; p < passes; p++) {
            for (byte[] frame : frames) {
                if (!parser.parse(frame, 0, frame.length, listener)) {
                    throw new IllegalStateException(parser.failure());
                }
            }
        }
    }

    private static void handler(String market, byte[][] frames, int rounds) {
        SummingSink sink = new SummingSink();
        BinanceFeedConfig config = BinanceFeedConfig.defaults(
                        market.equals("spot") ? BinanceMarket.SPOT : BinanceMarket.USDM_FUTURES, List.of("BTCUSDT"))
                .withCheckpointIntervalNanos(0);
        FeedConnection connection = new FeedConnection() {
            @Override
            public void send(String text) {}

            @Override
            public void reconnect(String reason) {}

            @Override
            public String name() {
                return "probe";
            }
        };
        for (int w = 0; w < 60; w++) {
            replay(config, sink, connection, frames);
        }
        double[] nanosPerFrame = new double[rounds];
        int passes = Math.max(1, 200_000 / frames.length);
        for (int r = 0; r < rounds; r++) {
            long start = THREADS.getCurrentThreadCpuTime();
            for (int p = 0; p < passes; p++) {
                replay(config, sink, connection, frames);
            }
            nanosPerFrame[r] = (THREADS.getCurrentThreadCpuTime() - start) / (double) ((long) passes * frames.length);
        }
        report(market + " handler-trade", nanosPerFrame, 0, sink.sum);
    }

    private static void replay(BinanceFeedConfig config, SummingSink sink, FeedConnection connection, byte[][] frames) {
        BinanceFeedHandler handler = new BinanceFeedHandler(config, sink, DepthSnapshotRequester.NONE, null);
        long recvTsNanos = 1;
        for (byte[] frame : frames) {
            handler.onMessage(connection, frame, 0, frame.length, recvTsNanos++);
        }
        if (handler.stats().malformed.sum() != 0 || handler.stats().trades.sum() != frames.length) {
            throw new IllegalStateException("not every trade frame became a trade");
        }
    }

    private static void report(String name, double[] nanosPerFrame, double levels, long checksum) {
        double[] sorted = nanosPerFrame.clone();
        Arrays.sort(sorted);
        double median = sorted[sorted.length / 2];
        double best = sorted[0];
        String perLevel = levels > 0
                ? String.format(", %.1f / %.1f ns per level (%.0f levels)", median / levels, best / levels, levels)
                : "";
        System.out.printf(
                "%-22s CPU ns/frame median %7.1f best %7.1f  (%.2fM frames per CPU-second)%s  [checksum %d]%n",
                name, median, best, 1e3 / median, perLevel, checksum);
    }

    /** Sums what it receives so the work cannot be optimised away. */
}
