package dev.tickvault.record;

import dev.tickvault.feed.alphavantage.AlphaVantageClient;
import dev.tickvault.feed.alphavantage.AlphaVantageIntradayParser;
import dev.tickvault.feed.alphavantage.AlphaVantagePoller;
import dev.tickvault.feed.alphavantage.IntradayBar;
import dev.tickvault.model.SeriesKey;
import dev.tickvault.model.VendorBar;
import dev.tickvault.store.StoreWriter;
import dev.tickvault.store.TickStore;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A running {@link VendorBarPlan}: an {@link AlphaVantagePoller} on its own daemon thread whose bars are appended to
 * the store's {@code bars} table and committed as they come (a vendor sends a few bars a minute). On start each symbol
 * resumes after the newest bar already stored, so a restarted recorder stores no bar twice. Alpha Vantage's compact answer holds the latest 100 bars: a recorder that is
 * down (or rate-limited) longer than that misses the bars in between, which stay visible as a jump in bar times.
 *
 * <p>Threading: the poller's thread is the only one writing; {@link #close()} stops it first, then commits.
 */
final class VendorBarRecording implements AutoCloseable {

    private static final long DAY_NANOS = 86_400_000_000_000L;

    private final VendorBarPlan plan;
    private final AlphaVantageClient client;
    private final AlphaVantagePoller poller;
    private final StoreWriter writer;
    private final LongSupplier clock;
    private final AtomicLong rowsCommitted = new AtomicLong();

    private VendorBarRecording(TickStore store, VendorBarPlan plan, LongSupplier clock) {
        this.plan = plan;
        this.clock = clock;
        this.writer = store.newWriter();
        this.client = new AlphaVantageClient(plan.config());
        this.poller = new AlphaVantagePoller(client, plan.symbols(), plan.pollInterval(), this::store, true);
    }

    /** Seeds each symbol from the store and starts polling. */
    static VendorBarRecording start(TickStore store, VendorBarPlan plan, LongSupplier epochNanosClock) {
        VendorBarRecording recording = new VendorBarRecording(store, plan, epochNanosClock);
        try {
            long now = epochNanosClock.getAsLong();
            for (String symbol : plan.symbols()) {
                SeriesKey series = SeriesKey.of(AlphaVantageIntradayParser.EXCHANGE, symbol);
                long newest = newestBarNanos(store, series, now);
                if (newest != Long.MIN_VALUE) {
                    recording.poller.resumeAfter(symbol, newest);
                }
            }
            recording.poller.start();
            return recording;
        } catch (RuntimeException e) {
            recording.close();
            throw e;
        }
    }

    /**
     * The time of the newest stored bar of {@code series}, or {@code Long.MIN_VALUE}: searched back from a day before
     * {@code nowNanos} in windows that double, so only about the newest bars are read.
     */
    static long newestBarNanos(TickStore store, SeriesKey series, long nowNanos) {
        long width = DAY_NANOS;
        while (true) {
            long from = nowNanos - width > nowNanos || width == Long.MAX_VALUE ? Long.MIN_VALUE : nowNanos - width;
            List<VendorBar> bars = store.vendorBars(series, from, Long.MAX_VALUE, Integer.MAX_VALUE);
            if (!bars.isEmpty()) {
                return bars.getLast().tsNanos();
            }
            if (from == Long.MIN_VALUE) {
                return Long.MIN_VALUE;
            }
            width = width > Long.MAX_VALUE / 4 ? Long.MAX_VALUE : width * 4;
        }
    }

    /** Stores one bar; if that fails, nothing of it stays pending and the poller offers it again next round. */
    private void store(IntradayBar bar) {
        try {
            writer.appendVendorBar(bar.toVendorBar(clock.getAsLong()));
            writer.commit();
        } catch (RuntimeException e) {
            try {
                writer.rollback();
            } catch (RuntimeException rollbackFailure) {
                e.addSuppressed(rollbackFailure);
            }
            throw e;
        }
        rowsCommitted.incrementAndGet();
    }

    String name() {
        return plan.name();
    }

    long rowsCommitted() {
        return rowsCommitted.get();
    }

    /** Rounds, bars stored, failed requests, rate-limited rounds; for the status line. */
    String status() {
        return String.format(
                java.util.Locale.ROOT,
                "%s rounds %d bars %d errors %d rate-limited %d",
                plan.name(),
                poller.rounds(),
                poller.delivered(),
                poller.errors(),
                poller.rateLimited());
    }

    @Override
    public void close() {
        try {
            poller.close();
            writer.commit();
        } finally {
            writer.close();
            client.close();
        }
    }
}
