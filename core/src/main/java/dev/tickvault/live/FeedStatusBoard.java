package dev.tickvault.live;

import dev.tickvault.feed.FeedStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The recorder's feeds as the dashboard and {@code /metrics} see them: counters from each handler's {@link
 * FeedStats}, message rates, and the receive → commit latency of frames (an HdrHistogram {@link Recorder} the feed's
 * sink records into from its own thread). Thread-safe.
 */
public final class FeedStatusBoard {

    /** One feed at one moment. {@code commitLatencyP99Millis} is null before any frame was committed. */
    public record FeedStatus(
            String name,
            long messages,
            double messagesPerSecond,
            long trades,
            long bookUpdates,
            long reconnects,
            long gaps,
            long malformed,
            long resyncs,
            Double commitLatencyP50Millis,
            Double commitLatencyP99Millis) {}

    private final List<Entry> entries = new CopyOnWriteArrayList<>();
    private final LongSupplier nanoClock;
    private MeterRegistry registry;

    public FeedStatusBoard() {
        this(System::nanoTime);
    }

    public FeedStatusBoard(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    /**
     * Adds a feed. Returns the latency recorder its sink should record receive → commit delays (ns) into.
     */
    public synchronized Recorder register(String name, FeedStats stats) {
        Entry entry = new Entry(name, stats, new Recorder(3_600_000_000_000L, 3), nanoClock.getAsLong());
        entries.add(entry);
        if (registry != null) {
            bind(entry, registry);
        }
        return entry.latency;
    }

    /** Publishes every feed's counters to {@code meterRegistry} (Prometheus at {@code /metrics}). */
    public synchronized void bindTo(MeterRegistry meterRegistry) {
        this.registry = meterRegistry;
        for (Entry entry : entries) {
            bind(entry, meterRegistry);
        }
    }

    private static void bind(Entry e, MeterRegistry r) {
        FeedStats s = e.stats;
        counter(r, "tickvault.feed.messages", "frames received", e.name, s.messages);
        counter(r, "tickvault.feed.trades", "trades recorded", e.name, s.trades);
        counter(r, "tickvault.feed.book.updates", "book level updates recorded", e.name, s.bookUpdates);
        counter(r, "tickvault.feed.malformed", "malformed frames skipped", e.name, s.malformed);
        counter(r, "tickvault.feed.gaps", "gap markers written", e.name, s.gaps);
        counter(r, "tickvault.feed.resyncs", "per-symbol resynchronisations", e.name, s.resyncs);
        counter(r, "tickvault.feed.reconnects", "connections reopened", e.name, s.reconnects);
        Gauge.builder("tickvault.feed.commit.latency.p99", e, entry -> entry.p99Seconds())
                .description("receive → commit latency of frames, 99th percentile over the last scrape interval")
                .baseUnit("seconds")
                .tag("feed", e.name)
                .register(r);
    }

    /** Micrometer holds {@code value} weakly: it must be a field of the (strongly held) stats, not a lambda. */
    private static void counter(MeterRegistry r, String name, String description, String feed, LongAdder value) {
        FunctionCounter.builder(name, value, LongAdder::doubleValue)
                .description(description)
                .tag("feed", feed)
                .register(r);
    }

    /** Every feed now; rates are over the time since the previous call. */
    public synchronized List<FeedStatus> snapshot() {
        long now = nanoClock.getAsLong();
        List<FeedStatus> out = new ArrayList<>(entries.size());
        for (Entry e : entries) {
            long messages = e.stats.messages.sum();
            double seconds = Math.max(1e-9, (now - e.lastNanos) / 1e9);
            double rate = (messages - e.lastMessages) / seconds;
            e.lastNanos = now;
            e.lastMessages = messages;
            Histogram interval = e.latency.getIntervalHistogram(e.recycled);
            e.recycled = interval;
            if (interval.getTotalCount() > 0) {
                e.p50Millis = interval.getValueAtPercentile(50) / 1e6;
                e.p99Millis = interval.getValueAtPercentile(99) / 1e6;
            }
            out.add(new FeedStatus(
                    e.name,
                    messages,
                    rate,
                    e.stats.trades.sum(),
                    e.stats.bookUpdates.sum(),
                    e.stats.reconnects.sum(),
                    e.stats.gaps.sum(),
                    e.stats.malformed.sum(),
                    e.stats.resyncs.sum(),
                    e.p50Millis,
                    e.p99Millis));
        }
        return out;
    }

    private static final class Entry {
        final String name;
        final FeedStats stats;
        final Recorder latency;
        long lastNanos;
        long lastMessages;
        Histogram recycled;
        Double p50Millis;
        Double p99Millis;

        Entry(String name, FeedStats stats, Recorder latency, long nowNanos) {
            this.name = name;
            this.stats = stats;
            this.latency = latency;
            this.lastNanos = nowNanos;
        }

        double p99Seconds() {
            Double p99 = p99Millis;
            return p99 == null ? Double.NaN : p99 / 1e3;
        }
    }
}
