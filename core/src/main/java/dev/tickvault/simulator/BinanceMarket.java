package dev.tickvault.simulator;

import dev.tickvault.feed.book.BookSide;
import dev.tickvault.feed.book.OrderBook;
import dev.tickvault.model.DecimalFormat;
import dev.tickvault.model.SeriesKey;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One Binance market (spot or USD-M) of the simulator: the TRUE book of each symbol, kept by applying every depth diff
 * the source publishes (also the ones a {@link FaultType#GAP} keeps from the clients), the connected clients, and the
 * pump that paces the source.
 *
 * <p>A REST snapshot is the true book at the moment it is answered, with {@code lastUpdateId} = the {@code u} of the
 * last diff published, so a client that buffers diffs and applies those after the snapshot ends with the true book.
 *
 * <p>Confined to the simulator's event loop.
 */
final class BinanceMarket {

    /** Most levels a true book keeps per side (Binance serves up to 5000 in a snapshot). */
    static final int MAX_LEVELS = 20_000;

    private static final int PACED_BATCH = 4096;
    private static final int FAST_BATCH = 256;

    /** One symbol's true state. */
    static final class Symbol {
        final String name;
        final OrderBook book;
        long lastUpdateId;
        long nextTradeId = 1;
        boolean gapPending;
        /** The next depth diff goes out truncated (to every client receiving it), as {@link FaultType#TRUNCATE}. */
        boolean truncatePending;

        Symbol(String name, String venue) {
            this.name = name;
            this.book = new OrderBook(SeriesKey.of(venue, name), MAX_LEVELS);
        }
    }

    final BinanceMarketKind kind;
    private final ExchangeSimulator simulator;
    private final BinanceSource source;
    private final EventLoop loop;
    private final Map<String, Symbol> symbols = new LinkedHashMap<>();
    private final List<BinanceSession> sessions = new ArrayList<>();
    private long startMonoNanos;
    private boolean started;
    private boolean pumpScheduled;
    private boolean stopped;

    BinanceMarket(BinanceMarketKind kind, ExchangeSimulator simulator, BinanceSource source, EventLoop loop) {
        this.kind = kind;
        this.simulator = simulator;
        this.source = source;
        this.loop = loop;
        source.seed(this);
    }

    Symbol symbol(String name) {
        return symbols.get(name);
    }

    Symbol addSymbol(String name) {
        return symbols.computeIfAbsent(name, n -> new Symbol(n, kind.venue));
    }

    Iterable<Symbol> symbols() {
        return symbols.values();
    }

    BinanceSource source() {
        return source;
    }

    void add(BinanceSession session) {
        sessions.add(session);
    }

    void remove(BinanceSession session) {
        sessions.remove(session);
    }

    List<BinanceSession> sessions() {
        return sessions;
    }

    /** A client subscribed to something: start the source if it was waiting for one. */
    void onSubscriber() {
        start();
    }

    void start() {
        if (!started && !stopped) {
            started = true;
            startMonoNanos = System.nanoTime();
            schedulePump(0);
        }
    }

    void stop() {
        stopped = true;
    }

    private void schedulePump(long delayNanos) {
        if (pumpScheduled || stopped) {
            return;
        }
        pumpScheduled = true;
        if (delayNanos <= 0) {
            loop.execute(this::pump);
        } else {
            loop.schedule(this::pump, delayNanos, TimeUnit.NANOSECONDS);
        }
    }

    private void pump() {
        pumpScheduled = false;
        if (stopped || source.finished()) {
            return;
        }
        boolean fast = source.fast();
        int emitted;
        if (fast) {
            if (sessions.isEmpty() || !allWritable()) {
                schedulePump(TimeUnit.MILLISECONDS.toNanos(1));
                return;
            }
            emitted = source.emit(this, 0, true, FAST_BATCH);
        } else {
            emitted = source.emit(this, System.nanoTime() - startMonoNanos, false, PACED_BATCH);
        }
        for (BinanceSession s : sessions) {
            s.flush();
        }
        if (source.finished()) {
            return;
        }
        boolean more = fast ? emitted == FAST_BATCH : emitted == PACED_BATCH;
        schedulePump(more ? 0 : TimeUnit.MICROSECONDS.toNanos(500));
    }

    private boolean allWritable() {
        for (BinanceSession s : sessions) {
            if (!s.channel.isWritable()) {
                return false;
            }
        }
        return true;
    }

    /** Applies a depth diff to the true book and sends the event to every client subscribed to its stream. */
    void publish(BinanceEvent event) {
        Symbol symbol = symbols.get(event.symbol());
        if (event.kind() == BinanceEvent.Kind.DEPTH && symbol != null) {
            event.levels().applyTo(symbol.book);
            symbol.lastUpdateId = event.lastUpdateId();
            if (symbol.gapPending) {
                symbol.gapPending = false;
                simulator.stats().depthDiffsSkipped.increment();
                return;
            }
        }
        boolean truncate = false;
        if (event.kind() == BinanceEvent.Kind.DEPTH && symbol != null && symbol.truncatePending) {
            symbol.truncatePending = false;
            truncate = true;
        }
        for (int i = 0; i < sessions.size(); i++) {
            BinanceSession session = sessions.get(i);
            String name = session.subscribedName(event.streamKey());
            if (name == null) {
                continue;
            }
            ByteBuf out;
            if (!session.combined) {
                out = Unpooled.wrappedBuffer(event.bytes(), event.dataOffset(), event.dataLength());
            } else if (event.envelope() != null && name.equals(event.streamName())) {
                out = Unpooled.wrappedBuffer(event.envelope());
            } else {
                byte[] head = ("{\"stream\":\"" + name + "\",\"data\":").getBytes(StandardCharsets.US_ASCII);
                out = Unpooled.wrappedBuffer(
                        Unpooled.wrappedBuffer(head),
                        Unpooled.wrappedBuffer(event.bytes(), event.dataOffset(), event.dataLength()),
                        Unpooled.wrappedBuffer(new byte[] {'}'}));
            }
            if (truncate) {
                session.truncateNextFrame();
            }
            session.sendData(out);
        }
    }

    /** A REST depth snapshot of {@code symbol}'s true book, best {@code limit} levels a side. */
    String snapshotJson(Symbol symbol, int limit) {
        StringBuilder s = new StringBuilder(64 + 64 * Math.min(limit, 2000));
        s.append("{\"lastUpdateId\":").append(symbol.lastUpdateId);
        if (kind == BinanceMarketKind.USDM) {
            long now = System.currentTimeMillis();
            s.append(",\"E\":").append(now).append(",\"T\":").append(now);
        }
        s.append(",\"bids\":");
        appendLevels(s, symbol.book.bids(), limit);
        s.append(",\"asks\":");
        appendLevels(s, symbol.book.asks(), limit);
        return s.append('}').toString();
    }

    private static void appendLevels(StringBuilder s, BookSide side, int limit) {
        s.append('[');
        int n = Math.min(limit, side.size());
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                s.append(',');
            }
            s.append("[\"");
            DecimalFormat.append(s, side.priceMantissa(i), side.priceScale(i));
            s.append("\",\"");
            DecimalFormat.append(s, side.quantityMantissa(i), side.quantityScale(i));
            s.append("\"]");
        }
        s.append(']');
    }
}
