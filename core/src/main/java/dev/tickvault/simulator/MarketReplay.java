package dev.tickvault.simulator;

import dev.tickvault.feed.book.OrderBook;
import dev.tickvault.model.DecimalParser;
import dev.tickvault.model.SeriesKey;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One venue's market replayed from a {@link RecordedMarket}, shared by every connection of a protocol served from it
 * (Kraken v2, Coinbase Advanced Trade): like an exchange, the market goes on whoever is connected, and a client that
 * subscribes (or resubscribes) gets a snapshot of the book as it is now. It starts at the first subscription, is paced
 * by the recorded times divided by the simulator's speed (0: as fast as it reads), and stops at the recording's end.
 *
 * <p>It keeps the true book of every product (Kraken's truncated to the recorded depth, as the venue's own book feed
 * was), numbers trades where the recording has no ids (1, 2, … per product) and keeps the last {@link #RECENT_TRADES}
 * trades of each product for trade snapshots. Listeners see each event after the book applied it.
 *
 * <p>Confined to the simulator's event loop.
 */
final class MarketReplay {

    static final int RECENT_TRADES = 50;
    private static final int BATCH = 1024;
    private static final long MAX_SLEEP_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    /** Sees every event of the market, after the book applied it. */
    interface Listener {
        void onEvent(RecordedMarket.Event event, long tradeId);

        boolean listenerClosed();
    }

    /** A trade as the market numbered it. */
    record NumberedTrade(String product, RecordedMarket.Trade trade, long tradeId, long timeNanos) {}

    private final ExchangeSimulator simulator;
    private final RecordedMarket market;
    private final String venue;
    private final double speed;
    private final Map<String, OrderBook> books = new HashMap<>();
    private final Map<String, Long> lastTradeIds = new HashMap<>();
    private final Map<String, ArrayDeque<NumberedTrade>> recentTrades = new HashMap<>();
    private final Map<String, Long> lastTimes = new HashMap<>();
    private final List<Listener> listeners = new ArrayList<>();
    private final DecimalParser price = new DecimalParser();
    private final DecimalParser quantity = new DecimalParser();
    private int cursor;
    private boolean started;
    private boolean scheduled;
    private long startMonoNanos;
    private long marketTimeNanos;

    MarketReplay(ExchangeSimulator simulator, RecordedMarket market, String venue) {
        this.simulator = simulator;
        this.market = market;
        this.venue = venue;
        this.speed = simulator.config().speed();
        this.marketTimeNanos =
                market.events.isEmpty() ? 0 : market.events.get(0).timeNanos();
    }

    RecordedMarket market() {
        return market;
    }

    void addListener(Listener listener) {
        listeners.add(listener);
    }

    void removeListener(Listener listener) {
        listeners.remove(listener);
    }

    /** Starts the replay (idempotent). */
    void start() {
        if (!started) {
            started = true;
            startMonoNanos = System.nanoTime();
            schedule(0);
        }
    }

    boolean finished() {
        return started && cursor >= market.events.size();
    }

    /** The book of {@code product} now, or null if the recording has not given it a snapshot yet. */
    OrderBook book(String product) {
        return books.get(product);
    }

    /** The market's time: that of the last event replayed (of the first one before the replay starts). */
    long timeNanos() {
        return marketTimeNanos;
    }

    /** Time of the last event of {@code product} (0 if none yet). */
    long lastTimeNanos(String product) {
        return lastTimes.getOrDefault(product, 0L);
    }

    /** The last trades of {@code product}, oldest first. */
    List<NumberedTrade> recentTrades(String product) {
        ArrayDeque<NumberedTrade> recent = recentTrades.get(product);
        return recent == null ? List.of() : List.copyOf(recent);
    }

    private void schedule(long delayNanos) {
        if (scheduled) {
            return;
        }
        scheduled = true;
        simulator.loop().schedule(this::pump, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
    }

    private void pump() {
        scheduled = false;
        List<RecordedMarket.Event> events = market.events;
        boolean fast = speed == 0;
        long due = fast ? Long.MAX_VALUE : (long) ((System.nanoTime() - startMonoNanos) * speed);
        int done = 0;
        while (cursor < events.size() && done < BATCH && events.get(cursor).offsetNanos() <= due) {
            apply(events.get(cursor++));
            done++;
        }
        listeners.removeIf(Listener::listenerClosed);
        for (SimSession s : simulator.sessions()) {
            s.flush();
        }
        if (cursor >= events.size()) {
            return;
        }
        if (done == BATCH || fast) {
            schedule(0);
        } else {
            long waitRecorded = events.get(cursor).offsetNanos() - due;
            schedule(Math.min(MAX_SLEEP_NANOS, (long) (waitRecorded / speed)));
        }
    }

    private void apply(RecordedMarket.Event e) {
        long tradeId = -1;
        lastTimes.put(e.product(), e.timeNanos());
        marketTimeNanos = Math.max(marketTimeNanos, e.timeNanos());
        if (e.trade() != null) {
            long last = lastTradeIds.getOrDefault(e.product(), 0L);
            tradeId = e.trade().tradeId() >= 0 ? e.trade().tradeId() : last + 1;
            lastTradeIds.put(e.product(), tradeId);
            ArrayDeque<NumberedTrade> recent = recentTrades.computeIfAbsent(e.product(), p -> new ArrayDeque<>());
            recent.addLast(new NumberedTrade(e.product(), e.trade(), tradeId, e.timeNanos()));
            if (recent.size() > RECENT_TRADES) {
                recent.removeFirst();
            }
        } else {
            OrderBook book = books.get(e.product());
            if (e.snapshot() || book == null) {
                book = new OrderBook(SeriesKey.of(venue, e.product()), BinanceMarket.MAX_LEVELS);
                books.put(e.product(), book);
            }
            for (RecordedMarket.Level level : e.levels()) {
                long p = price.parse(level.price(), 0, level.price().length());
                long q = quantity.parse(level.quantity(), 0, level.quantity().length());
                book.set(level.side(), p, price.scale(), q, quantity.scale());
            }
            if (market.recordedDepth > 0) {
                book.truncate(market.recordedDepth);
            }
        }
        for (int i = 0; i < listeners.size(); i++) {
            Listener listener = listeners.get(i);
            if (!listener.listenerClosed()) {
                listener.onEvent(e, tradeId);
            }
        }
    }
}
