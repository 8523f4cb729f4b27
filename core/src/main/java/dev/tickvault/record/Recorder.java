package dev.tickvault.record;

import dev.tickvault.feed.FeedConnection;
import dev.tickvault.feed.FeedHandler;
import dev.tickvault.feed.FeedStats;
import dev.tickvault.feed.capture.CapturingFeedHandler;
import dev.tickvault.feed.capture.TickvaultCaptureFormat;
import dev.tickvault.feed.capture.TickvaultCaptureWriter;
import dev.tickvault.feed.transport.WebSocketFeedClient;
import dev.tickvault.live.FeedStatusBoard;
import dev.tickvault.live.LiveTradeHub;
import dev.tickvault.store.TickStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code tickvault record}: runs feeds into a store. Each {@link FeedPlan} becomes a running feed: a {@link
 * WebSocketFeedClient} (its own event loop) driving the venue's handler, which writes through its own {@link
 * StoreFeedSink} (commits at frame boundaries, at most {@link CommitPolicy#live()} apart), optionally through a raw
 * capture file. Feeds are independent: one venue's reconnects never touch another's.
 *
 * <p>Back-pressure: if the store falls behind, a feed's commit blocks its own event loop (the store bounds what it
 * holds in memory); that feed's socket then stops being read and TCP pushes back on the venue. Nothing is dropped
 * silently: if the venue gives up on us, the handler writes the span down as a gap marker.
 *
 * <p>{@link #close()} stops every feed (normal WebSocket close), commits what each received, and closes captures:
 * after it returns, everything received is committed.
 */
public final class Recorder implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Recorder.class);
    private static final long MAX_LATENCY_NANOS = 3_600_000_000_000L;

    private final List<RunningFeed> feeds = new ArrayList<>();
    private final List<VendorBarRecording> barPolls = new ArrayList<>();
    private boolean closed;

    /** Settings shared by the feeds of one recorder. */
    public record Options(CommitPolicy commitPolicy, Path captureDirectory) {
        public static Options defaults() {
            return new Options(CommitPolicy.live(), null);
        }

        public Options withCaptureDirectory(Path directory) {
            return new Options(commitPolicy, directory);
        }
    }

    private Recorder() {}

    /**
     * Starts every plan. If one fails to start, those already started are stopped and the error is thrown.
     *
     * @param liveTrades receives committed trades (for the server's live WebSocket), or null
     * @param board where each feed's counters and latencies are published, or null
     */
    public static Recorder start(
            TickStore store, List<FeedPlan> plans, Options options, LiveTradeHub liveTrades, FeedStatusBoard board) {
        return start(store, plans, List.of(), options, liveTrades, board);
    }

    /**
     * Starts every WebSocket feed plan and every vendor-bar plan (REST pollers into the {@code bars} table). If one
     * fails to start, those already started are stopped and the error is thrown.
     */
    public static Recorder start(
            TickStore store,
            List<FeedPlan> plans,
            List<VendorBarPlan> barPlans,
            Options options,
            LiveTradeHub liveTrades,
            FeedStatusBoard board) {
        Recorder recorder = new Recorder();
        try {
            if (options.captureDirectory() != null) {
                Files.createDirectories(options.captureDirectory());
            }
            for (FeedPlan plan : plans) {
                recorder.feeds.add(RunningFeed.start(store, plan, options, liveTrades, board));
            }
            for (VendorBarPlan plan : barPlans) {
                recorder.barPolls.add(VendorBarRecording.start(store, plan, Recorder::epochNanos));
                LOG.info("recording {} bars of {} from {}", plan.name(), plan.symbols(), plan.config());
            }
            return recorder;
        } catch (IOException | RuntimeException e) {
            recorder.close();
            if (e instanceof IOException io) {
                throw new UncheckedIOException("cannot start recording: " + io.getMessage(), io);
            }
            throw (RuntimeException) e;
        }
    }

    /** Counters of each feed, by name. */
    public List<FeedStats> stats() {
        return feeds.stream().map(f -> f.handler.stats()).toList();
    }

    public List<String> feedNames() {
        List<String> names = new ArrayList<>();
        feeds.forEach(f -> names.add(f.plan.name()));
        barPolls.forEach(p -> names.add(p.name()));
        return names;
    }

    /** Rows committed so far by all feeds (read from the feeds' threads' last commit; approximate while running). */
    public long rowsCommitted() {
        return feeds.stream().mapToLong(f -> f.sink.rowsCommitted()).sum()
                + barPolls.stream().mapToLong(VendorBarRecording::rowsCommitted).sum();
    }

    /** A status line part per vendor-bar poller (rounds, bars, errors, rate-limited rounds). */
    public List<String> vendorBarStatus() {
        return barPolls.stream().map(VendorBarRecording::status).toList();
    }

    private static long epochNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        RuntimeException failure = null;
        for (VendorBarRecording poll : barPolls) {
            try {
                poll.close();
            } catch (RuntimeException e) {
                LOG.error("stopping {} failed: {}", poll.name(), e.toString());
                failure = e;
            }
        }
        for (RunningFeed feed : feeds) {
            try {
                feed.close();
            } catch (RuntimeException e) {
                LOG.error("stopping feed {} failed: {}", feed.plan.name(), e.toString());
                if (failure == null) {
                    failure = e;
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** One plan, running. */
    private static final class RunningFeed {
        final FeedPlan plan;
        final StoreFeedSink sink;
        final FeedHandler handler;
        final WebSocketFeedClient client;
        final CapturingFeedHandler capture;
        final List<AutoCloseable> resources;

        private RunningFeed(
                FeedPlan plan,
                StoreFeedSink sink,
                FeedHandler handler,
                WebSocketFeedClient client,
                CapturingFeedHandler capture,
                List<AutoCloseable> resources) {
            this.plan = plan;
            this.sink = sink;
            this.handler = handler;
            this.client = client;
            this.capture = capture;
            this.resources = resources;
        }

        static RunningFeed start(
                TickStore store, FeedPlan plan, Options options, LiveTradeHub liveTrades, FeedStatusBoard board)
                throws IOException {
            DeferredExecutor executor = new DeferredExecutor();
            DeferredHandler outermost = new DeferredHandler();
            List<AutoCloseable> resources = new ArrayList<>();
            // The sink needs the latency recorder, which the board hands out per feed stats: build the handler with
            // a sink whose latency target is bound once the stats exist.
            LatencyTarget latency = new LatencyTarget();
            StoreFeedSink sink = new StoreFeedSink(
                    store,
                    options.commitPolicy(),
                    System::nanoTime,
                    latency,
                    plan.transport().clock()::nowNanos);
            if (liveTrades != null) {
                sink.publishTo(liveTrades);
            }
            FeedHandler venue = plan.newHandler(sink, new FeedPlan.Context(executor, outermost, resources));
            if (board != null) {
                latency.recorder = board.register(plan.name(), venue.stats());
            }
            FeedHandler handler = new CommittingFeedHandler(venue, sink);
            CapturingFeedHandler capture = null;
            if (options.captureDirectory() != null) {
                String stamp = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
                        .withZone(ZoneOffset.UTC)
                        .format(Instant.now());
                Path file =
                        options.captureDirectory().resolve(plan.name() + "-" + stamp + TickvaultCaptureFormat.SUFFIX);
                capture = new CapturingFeedHandler(handler, TickvaultCaptureWriter.create(file));
                handler = capture;
            }
            outermost.target = handler;
            WebSocketFeedClient client = new WebSocketFeedClient(plan.transport(), handler);
            executor.target = client.handlerExecutor();
            RunningFeed feed = new RunningFeed(plan, sink, venue, client, capture, resources);
            for (URI uri : plan.uris()) {
                client.open(uri);
            }
            LOG.info("recording {} from {}", plan.name(), plan.uris());
            return feed;
        }

        void close() {
            try {
                client.close();
            } finally {
                for (AutoCloseable resource : resources) {
                    try {
                        resource.close();
                    } catch (Exception e) {
                        LOG.warn("closing {} of feed {} failed: {}", resource, plan.name(), e.toString());
                    }
                }
                try {
                    // The feed's event loop has stopped: this thread may use the sink now.
                    sink.close();
                } finally {
                    if (capture != null) {
                        capture.close();
                    }
                }
            }
        }
    }

    /** Receive → commit latencies go to the board's recorder once the feed is registered (clamped to its range). */
    private static final class LatencyTarget implements java.util.function.LongConsumer {
        volatile org.HdrHistogram.Recorder recorder;

        @Override
        public void accept(long nanos) {
            org.HdrHistogram.Recorder r = recorder;
            if (r != null) {
                r.recordValue(Math.min(nanos, MAX_LATENCY_NANOS));
            }
        }
    }

    /** An executor whose target (the transport's handler executor) exists only after the handler is built. */
    private static final class DeferredExecutor implements Executor {
        volatile Executor target;

        @Override
        public void execute(Runnable task) {
            Executor t = target;
            if (t == null) {
                throw new IllegalStateException("the feed is not started yet");
            }
            t.execute(task);
        }
    }

    /** The outermost handler, known only after the decorators are built. */
    private static final class DeferredHandler implements FeedHandler {
        volatile FeedHandler target;

        @Override
        public void onOpen(FeedConnection connection, long nowNanos) {
            target.onOpen(connection, nowNanos);
        }

        @Override
        public void onMessage(FeedConnection connection, byte[] utf8, int offset, int length, long recvTsNanos) {
            target.onMessage(connection, utf8, offset, length, recvTsNanos);
        }

        @Override
        public void onRestResponse(String url, byte[] body, long recvTsNanos) {
            target.onRestResponse(url, body, recvTsNanos);
        }

        @Override
        public void onClose(FeedConnection connection, long nowNanos, String reason) {
            target.onClose(connection, nowNanos, reason);
        }

        @Override
        public void onTimer(long nowNanos) {
            target.onTimer(nowNanos);
        }

        @Override
        public FeedStats stats() {
            return target.stats();
        }
    }
}
