package dev.tickvault.feed.alphavantage;

import dev.tickvault.feed.alphavantage.AlphaVantageException.Kind;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches the latest intraday bars of a list of symbols on a fixed delay and hands each new bar to a consumer once, in
 * time order per symbol.
 *
 * <p>De-duplication is by bar time: per symbol the poller remembers the latest bar time it delivered and delivers only
 * later bars. With {@code holdBackLatestBar} (the default) the newest bar of each response is not delivered until a
 * later bar appears, because Alpha Vantage may still be filling it (its bars are refreshed during the session); the
 * price is that a symbol's last bar of the day is delivered at the first poll of the next session. Without it, a bar
 * is delivered as first seen and later revisions of it are ignored.
 *
 * <p>A round asks for every symbol in turn; the client's limiter spaces the requests. A rate-limit answer ends the
 * round (the other symbols would get the same); any other error is logged and counted and the round goes on. Memory
 * is one entry per symbol.
 *
 * <p>Threading: {@link #pollOnce()} must not run concurrently with itself; {@link #start()} runs it on one daemon
 * thread. The consumer is called from that thread. Counters may be read from any thread.
 */
public final class AlphaVantagePoller implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AlphaVantagePoller.class);

    private final AlphaVantageClient client;
    private final List<String> symbols;
    private final Duration interval;
    private final Consumer<IntradayBar> consumer;
    private final boolean holdBackLatestBar;
    private final Map<String, Long> lastDeliveredNanos = new HashMap<>();
    private final LongAdder rounds = new LongAdder();
    private final LongAdder delivered = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LongAdder rateLimited = new LongAdder();
    private ScheduledExecutorService scheduler;

    public AlphaVantagePoller(
            AlphaVantageClient client,
            List<String> symbols,
            Duration interval,
            Consumer<IntradayBar> consumer,
            boolean holdBackLatestBar) {
        this.client = client;
        this.symbols = List.copyOf(symbols);
        this.interval = interval;
        this.consumer = consumer;
        this.holdBackLatestBar = holdBackLatestBar;
        if (this.symbols.isEmpty()) {
            throw new IllegalArgumentException("no symbols to poll");
        }
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("poll interval must be positive: " + interval);
        }
    }

    /**
     * Delivers only bars of {@code symbol} later than {@code lastBarNanos} from now on: a recorder that restarts seeds
     * each symbol with the newest bar it already stored, so nothing is stored twice. Call before {@link #start()}.
     */
    public synchronized void resumeAfter(String symbol, long lastBarNanos) {
        if (!symbols.contains(symbol)) {
            throw new IllegalArgumentException("not a polled symbol: " + symbol);
        }
        lastDeliveredNanos.merge(symbol, lastBarNanos, Math::max);
    }

    /**
     * One round over every symbol.
     *
     * @return the number of bars delivered
     */
    public int pollOnce() throws InterruptedException {
        rounds.increment();
        int count = 0;
        for (String symbol : symbols) {
            IntradaySeries series;
            try {
                series = client.intraday(symbol);
            } catch (AlphaVantageException e) {
                errors.increment();
                if (e.kind() == Kind.RATE_LIMITED) {
                    rateLimited.increment();
                    LOG.warn("Alpha Vantage rate limit reached at {}; round ended: {}", symbol, e.getMessage());
                    break;
                }
                LOG.warn("Alpha Vantage poll of {} failed ({}): {}", symbol, e.kind(), e.getMessage());
                continue;
            }
            count += deliver(symbol, series.bars());
        }
        return count;
    }

    private int deliver(String symbol, List<IntradayBar> bars) {
        int end = holdBackLatestBar ? bars.size() - 1 : bars.size();
        long last = lastDeliveredNanos.getOrDefault(symbol, Long.MIN_VALUE);
        int count = 0;
        for (int i = 0; i < end; i++) {
            IntradayBar bar = bars.get(i);
            if (bar.barTimeNanos() > last) {
                consumer.accept(bar); // if it throws, this bar and the later ones come again next round
                last = bar.barTimeNanos();
                lastDeliveredNanos.put(symbol, last);
                delivered.increment();
                count++;
            }
        }
        return count;
    }

    /** Polls now and then every {@code interval} after the end of the previous round, on a daemon thread. */
    public synchronized void start() {
        if (scheduler != null) {
            throw new IllegalStateException("already started");
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "alphavantage-poller");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleWithFixedDelay(this::pollLogged, 0, interval.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void pollLogged() {
        try {
            pollOnce();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) { // a consumer failure must not end the schedule silently
            errors.increment();
            LOG.error("Alpha Vantage poll round failed", e);
        }
    }

    /** Rounds started. */
    public long rounds() {
        return rounds.sum();
    }

    /** Bars handed to the consumer. */
    public long delivered() {
        return delivered.sum();
    }

    /** Symbol requests that gave no data. */
    public long errors() {
        return errors.sum();
    }

    /** Rounds ended by a rate-limit answer. */
    public long rateLimited() {
        return rateLimited.sum();
    }

    /** Stops polling (waits up to 10 s for a round in progress). */
    @Override
    public synchronized void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            try {
                if (!scheduler.awaitTermination(10, TimeUnit.SECONDS)) {
                    LOG.warn("Alpha Vantage poller did not stop within 10 s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            scheduler = null;
        }
    }
}
