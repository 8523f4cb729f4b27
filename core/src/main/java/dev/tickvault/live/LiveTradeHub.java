package dev.tickvault.live;

import dev.tickvault.model.SeriesKey;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Fans out committed trades to live subscribers (the server's WebSocket clients). Publishers (the recorder's feed
 * threads, right after a commit) never block: each subscriber has a bounded queue ({@link Subscription}); when it is
 * full the oldest trades are dropped and counted, and the subscriber is told how many it missed. Thread-safe.
 */
public final class LiveTradeHub {

    private final Map<SeriesKey, List<Subscription>> bySeries = new ConcurrentHashMap<>();
    private final LongAdder published = new LongAdder();

    /** True if anyone listens to {@code series} (publishers skip the work otherwise). */
    public boolean hasSubscribers(SeriesKey series) {
        List<Subscription> list = bySeries.get(series);
        return list != null && !list.isEmpty();
    }

    /** Delivers {@code trade} to every subscriber of its series. */
    public void publish(LiveTrade trade) {
        List<Subscription> list = bySeries.get(trade.series());
        if (list != null) {
            for (Subscription subscription : list) {
                subscription.offer(trade);
            }
            published.increment();
        }
    }

    /**
     * Subscribes to one series. {@code wake} is called (from a publisher's thread, at most once until the next
     * {@link Subscription#drain}) when trades are waiting; the subscriber then drains on its own thread.
     */
    public Subscription subscribe(SeriesKey series, int capacity, Runnable wake) {
        Subscription subscription = new Subscription(this, series, capacity, wake);
        bySeries.computeIfAbsent(series, s -> new CopyOnWriteArrayList<>()).add(subscription);
        return subscription;
    }

    void unsubscribe(Subscription subscription) {
        List<Subscription> list = bySeries.get(subscription.series());
        if (list != null) {
            list.remove(subscription);
        }
    }

    public long published() {
        return published.sum();
    }

    /** One subscriber's bounded queue. */
    public static final class Subscription implements AutoCloseable {
        private final LiveTradeHub hub;
        private final SeriesKey series;
        private final LiveTrade[] ring;
        private final Runnable wake;
        private int head;
        private int size;
        private long dropped;
        private boolean wakePending;
        private boolean closed;

        Subscription(LiveTradeHub hub, SeriesKey series, int capacity, Runnable wake) {
            if (capacity < 1) {
                throw new IllegalArgumentException("capacity must be positive: " + capacity);
            }
            this.hub = hub;
            this.series = series;
            this.ring = new LiveTrade[capacity];
            this.wake = wake;
        }

        public SeriesKey series() {
            return series;
        }

        void offer(LiveTrade trade) {
            boolean callWake;
            synchronized (this) {
                if (closed) {
                    return;
                }
                if (size == ring.length) {
                    head = (head + 1) % ring.length; // full: drop the oldest
                    size--;
                    dropped++;
                }
                ring[(head + size) % ring.length] = trade;
                size++;
                callWake = !wakePending;
                wakePending = true;
            }
            if (callWake) {
                wake.run();
            }
        }

        /**
         * Hands every waiting trade to {@code consumer} in order and returns how many were dropped (queue full)
         * since the last drain.
         */
        public long drain(Consumer<LiveTrade> consumer) {
            LiveTrade[] batch;
            long lost;
            synchronized (this) {
                batch = new LiveTrade[size];
                for (int i = 0; i < size; i++) {
                    batch[i] = ring[(head + i) % ring.length];
                    ring[(head + i) % ring.length] = null;
                }
                head = 0;
                size = 0;
                lost = dropped;
                dropped = 0;
                wakePending = false;
            }
            for (LiveTrade trade : batch) {
                consumer.accept(trade);
            }
            return lost;
        }

        @Override
        public void close() {
            synchronized (this) {
                closed = true;
            }
            hub.unsubscribe(this);
        }
    }
}
