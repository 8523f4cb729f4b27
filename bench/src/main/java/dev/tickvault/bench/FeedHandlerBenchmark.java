package dev.tickvault.bench;

import dev.tickvault.feed.FeedConnection;
import dev.tickvault.feed.FeedHandler;
import dev.tickvault.feed.capture.CaptureReader;
import dev.tickvault.feed.capture.CapturedFrame;
import dev.tickvault.feed.capture.CryptofeedCaptureReader;
import dev.tickvault.feed.coinbase.CoinbaseExchangeConfig;
import dev.tickvault.feed.coinbase.CoinbaseExchangeFeedHandler;
import dev.tickvault.feed.kraken.KrakenV1Config;
import dev.tickvault.feed.kraken.KrakenV1FeedHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
 * Feed handler speed on the real recordings: every received frame of the Kraken v1 book recording (5 pairs, depth
 * 1000, 5 snapshots and 1,821 checksummed updates, each verified) or of the Coinbase Exchange recording (level2 and
 * matches for 5 products) is fed to a fresh handler writing to a sink that only sums what it gets. The score is the
 * time to replay the whole recording; frames per second = frames / score.
 *
 * <pre>
 *   java -jar bench/target/tickvault-bench.jar FeedHandler -f 1 -wi 3 -i 5 -w 1 -r 1
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FeedHandlerBenchmark {

    /** Which recording and handler. */
    @Param({"kraken-v1-book", "coinbase-exchange"})
    public String feed;

    /** The recordings folder (see its README). */
    @Param("../shared/captures")
    public String captures;

    private final List<byte[]> frames = new ArrayList<>();
    private final List<Long> times = new ArrayList<>();
    private long[] recvTs;
    private final SummingSink sink = new SummingSink();
    private final FeedConnection connection = new FeedConnection() {
        @Override
        public void send(String text) {}

        @Override
        public void reconnect(String reason) {}

        @Override
        public String name() {
            return "bench";
        }
    };

    @Setup(Level.Trial)
    public void load() {
        Path file = Path.of(captures)
                .resolve(
                        feed.equals("kraken-v1-book")
                                ? "kraken/cryptofeed/KRAKEN.ws.50.0"
                                : "coinbase/cryptofeed/COINBASE.ws.28.0");
        try (CaptureReader reader = CryptofeedCaptureReader.open(file)) {
            for (CapturedFrame f = reader.next(); f != null; f = reader.next()) {
                if (f.kind() == CapturedFrame.Kind.RECEIVED) {
                    frames.add(f.payload());
                    times.add(f.recvTsNanos());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        recvTs = times.stream().mapToLong(Long::longValue).toArray();
        System.out.println("\n" + feed + ": " + frames.size() + " frames");
    }

    private FeedHandler newHandler() {
        return feed.equals("kraken-v1-book")
                ? new KrakenV1FeedHandler(
                        KrakenV1Config.defaults(List.of("WAVES/EUR", "KSM/XBT", "GRT/ETH", "ETH/CHF", "OMG/USD")), sink)
                : new CoinbaseExchangeFeedHandler(
                        CoinbaseExchangeConfig.defaults(
                                        List.of("SKL-BTC", "BAND-GBP", "NMR-EUR", "BAND-BTC", "SKL-GBP"))
                                .withLevel2Channel("level2"),
                        sink);
    }

    @Benchmark
    public long replay() {
        FeedHandler handler = newHandler();
        handler.onOpen(connection, recvTs[0]);
        for (int i = 0; i < recvTs.length; i++) {
            byte[] frame = frames.get(i);
            handler.onMessage(connection, frame, 0, frame.length, recvTs[i]);
        }
        if (handler.stats().malformed.sum() != 0) {
            throw new IllegalStateException("malformed frames in " + feed);
        }
        return sink.sum;
    }

    /** Sums what it receives so the work cannot be optimised away. */
}
