package dev.tickvault.server;

import dev.tickvault.live.LiveTrade;
import dev.tickvault.live.LiveTradeHub;
import dev.tickvault.model.Trade;
import dev.tickvault.store.TickStore;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * For {@code tickvault serve} on a store another process records into: refreshes the read-only store every {@code
 * periodMillis} and pushes the trades it finds newly committed to the live WebSocket's hub, so the dashboard's chart
 * moves as it does under {@code record --serve}. One daemon thread; the hub never blocks it (its subscribers' queues
 * are bounded and drop the oldest). A failed refresh is logged and retried on the next tick.
 */
public final class FollowedStorePublisher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FollowedStorePublisher.class);

    private final TickStore store;
    private final ScheduledExecutorService refresher;

    private FollowedStorePublisher(TickStore store, LiveTradeHub hub, long periodMillis) {
        this.store = store;
        store.onCommittedTrades(trade -> publish(hub, trade));
        this.refresher = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "tickvault-store-follower");
            thread.setDaemon(true);
            return thread;
        });
        refresher.scheduleWithFixedDelay(this::refresh, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    }

    /** Starts following {@code store} (which must be {@linkplain TickStore#openReadOnly read-only}). */
    public static FollowedStorePublisher start(TickStore store, LiveTradeHub hub, long periodMillis) {
        if (!store.isReadOnly()) {
            throw new IllegalArgumentException("the store must be open read-only: " + store.directory());
        }
        if (periodMillis < 1) {
            throw new IllegalArgumentException("periodMillis must be positive: " + periodMillis);
        }
        return new FollowedStorePublisher(store, hub, periodMillis);
    }

    private static void publish(LiveTradeHub hub, Trade trade) {
        if (hub.hasSubscribers(trade.series())) {
            hub.publish(new LiveTrade(
                    trade.series(),
                    trade.tsNanos(),
                    trade.recvTsNanos(),
                    trade.price().mantissa(),
                    trade.price().scale(),
                    trade.quantity().mantissa(),
                    trade.quantity().scale(),
                    trade.side(),
                    trade.tradeId()));
        }
    }

    private void refresh() {
        try {
            store.refresh();
        } catch (RuntimeException e) {
            LOG.warn("cannot refresh {} from its writer; trying again: {}", store.directory(), e.toString());
        }
    }

    /** Stops refreshing. Idempotent. Does not close the store. */
    @Override
    public void close() {
        refresher.shutdownNow();
        try {
            refresher.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        store.onCommittedTrades(null);
    }
}
