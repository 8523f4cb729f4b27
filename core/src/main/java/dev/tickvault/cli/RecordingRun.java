package dev.tickvault.cli;

import dev.tickvault.live.FeedStatusBoard;
import dev.tickvault.live.LiveTradeHub;
import dev.tickvault.record.FeedPlan;
import dev.tickvault.record.Recorder;
import dev.tickvault.record.VendorBarPlan;
import dev.tickvault.server.HttpApiServer;
import dev.tickvault.server.ServerConfig;
import dev.tickvault.store.StoreConfig;
import dev.tickvault.store.TickStore;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One recording session as {@code record} and {@code demo} run it: open the store, start the feeds (and the HTTP
 * server if asked), print a status line every few seconds, and on Ctrl-C / SIGTERM / the end of {@code duration}
 * stop the feeds, commit everything received, and close the store.
 */
final class RecordingRun {

    /** What to run. {@code server} null: no HTTP server; {@code duration} null: until stopped. */
    record Settings(
            Path dataDirectory,
            StoreConfig storeConfig,
            List<FeedPlan> plans,
            List<VendorBarPlan> vendorBarPlans,
            Recorder.Options recorderOptions,
            ServerConfig server,
            Duration duration,
            Duration statusInterval) {}

    /** Hooks for the demo: called once everything runs, with the server's base URI (or null). */
    interface Started {
        void started(HttpApiServer server, Recorder recorder) throws Exception;
    }

    private RecordingRun() {}

    static int run(Settings settings, PrintWriter out, PrintWriter err, Started started) throws Exception {
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch closed = new CountDownLatch(1);
        Thread hook = new Thread(
                () -> {
                    stop.countDown();
                    try {
                        closed.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "tickvault-record-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        FeedStatusBoard board = new FeedStatusBoard();
        board.bindTo(registry);
        LiveTradeHub hub = new LiveTradeHub();
        long rows;
        try (TickStore store = TickStore.open(settings.dataDirectory(), settings.storeConfig())) {
            HttpApiServer server = settings.server() == null
                    ? null
                    : HttpApiServer.start(store, settings.server(), registry, hub, board);
            try {
                Recorder recorder = Recorder.start(
                        store, settings.plans(), settings.vendorBarPlans(), settings.recorderOptions(), hub, board);
                try {
                    out.println("recording " + String.join(", ", recorder.feedNames()) + " into "
                            + settings.dataDirectory()
                            + (server == null ? "" : "; dashboard and API at " + server.baseUri() + "/")
                            + " (Ctrl-C stops)");
                    out.flush();
                    if (started != null) {
                        started.started(server, recorder);
                    }
                    long deadline = settings.duration() == null
                            ? Long.MAX_VALUE
                            : System.nanoTime() + settings.duration().toNanos();
                    long statusNanos = settings.statusInterval().toNanos();
                    while (true) {
                        long wait =
                                Math.min(deadline - System.nanoTime(), statusNanos > 0 ? statusNanos : Long.MAX_VALUE);
                        if (wait <= 0 || stop.await(wait, TimeUnit.NANOSECONDS)) {
                            break;
                        }
                        if (statusNanos > 0) {
                            List<FeedStatusBoard.FeedStatus> feeds = board.snapshot();
                            if (!feeds.isEmpty()) {
                                printStatus(feeds, err);
                            }
                            for (String vendor : recorder.vendorBarStatus()) {
                                err.println(vendor);
                            }
                            err.flush();
                        }
                    }
                } finally {
                    recorder.close();
                    rows = recorder.rowsCommitted();
                }
            } finally {
                if (server != null) {
                    server.close();
                }
            }
            out.printf(Locale.ROOT, "stopped: %,d rows committed%n", rows);
            out.flush();
        } finally {
            closed.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is exiting through the hook
            }
        }
        return 0;
    }

    static void printStatus(List<FeedStatusBoard.FeedStatus> feeds, PrintWriter err) {
        StringBuilder line = new StringBuilder();
        for (FeedStatusBoard.FeedStatus f : feeds) {
            if (!line.isEmpty()) {
                line.append(" | ");
            }
            line.append(String.format(
                    Locale.ROOT,
                    "%s %,.0f msg/s trades %,d book %,d gaps %d reconn %d bad %d",
                    f.name(),
                    f.messagesPerSecond(),
                    f.trades(),
                    f.bookUpdates(),
                    f.gaps(),
                    f.reconnects(),
                    f.malformed()));
            if (f.commitLatencyP99Millis() != null) {
                line.append(String.format(Locale.ROOT, " commit p99 %.1f ms", f.commitLatencyP99Millis()));
            }
        }
        err.println(line);
        err.flush();
    }
}
