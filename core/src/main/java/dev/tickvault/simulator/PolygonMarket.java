package dev.tickvault.simulator;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A synthetic US stock market for the Polygon.io stocks WebSocket ({@link PolygonSession}): the captures hold no
 * Polygon recording, so trades and NBBO quotes are generated, deterministically per ticker, and published every
 * {@link #TICK_MILLIS} ms to every connection subscribed to them. Like the real feed it goes on whoever is connected
 * and has no replay: what a client misses while it is away is gone.
 *
 * <p>A ticker's market starts the first time any client subscribes to it. Each tick it makes 0–3 trades and 0–2
 * quotes: prices on a cent grid (sometimes a sub-penny print with 4 decimals, as off-exchange trades have), spelt as
 * JSON numbers the way the vendor's encoder writes them (no trailing zeros: {@code 187.5}); sizes in whole shares
 * ({@code "s"}), or fractional ({@code "s":0,"ds":"0.25"}) now and then; trade ids ({@code "i"}) counting 1, 2, … per
 * ticker; sequence numbers ({@code "q"}) increasing; times the wall clock in Unix milliseconds.
 *
 * <p>The {@link Tape} of each ticker keeps what was published (the last {@value #TAPE_LIMIT} trades and quotes; older
 * ones are dropped and counted; at most {@value #MAX_TICKERS} tickers) so tests can compare what a recorder stored with what the venue sent.
 *
 * <p>Confined to the simulator's event loop.
 */
public final class PolygonMarket {

    static final long TICK_MILLIS = 20;
    static final int TAPE_LIMIT = 20_000;
    /** Tickers the market will run at most (each is a subscription away): beyond, subscriptions are refused. */
    static final int MAX_TICKERS = 1_000;

    /** A published trade, fields as sent. */
    public record Trade(
            String ticker, String id, String price, long size, String fractionalSize, long timeMillis, long sequence) {
        /** The size as sent: {@code ds} when present, else {@code s}. */
        public String sizeText() {
            return fractionalSize != null ? fractionalSize : Long.toString(size);
        }
    }

    /** A published NBBO quote, fields as sent. */
    public record Quote(
            String ticker,
            String bidPrice,
            long bidSize,
            String askPrice,
            long askSize,
            long timeMillis,
            long sequence) {}

    /** What one ticker has published. */
    static final class Tape {
        final ArrayDeque<Trade> trades = new ArrayDeque<>();
        final ArrayDeque<Quote> quotes = new ArrayDeque<>();
        long droppedTrades;
        long droppedQuotes;
    }

    /** Receives each tick's events of the tickers it subscribed to. */
    interface Listener {
        /** Called once per tick with the events of every ticker (the listener picks its own). */
        void onTick(List<Trade> trades, List<Quote> quotes);

        boolean listenerClosed();
    }

    private final Map<String, TickerState> tickers = new LinkedHashMap<>();
    private final List<Listener> listeners = new ArrayList<>();
    private final List<Trade> tickTrades = new ArrayList<>();
    private final List<Quote> tickQuotes = new ArrayList<>();

    void addListener(Listener listener) {
        listeners.add(listener);
    }

    /** Starts {@code ticker}'s market if it is not running yet; false if {@value #MAX_TICKERS} already run. */
    boolean open(String ticker) {
        if (!tickers.containsKey(ticker) && tickers.size() >= MAX_TICKERS) {
            return false;
        }
        tickers.computeIfAbsent(ticker, TickerState::new);
        return true;
    }

    Tape tape(String ticker) {
        TickerState state = tickers.get(ticker);
        return state == null ? null : state.tape;
    }

    /** One step of every running ticker, published to the listeners. */
    void tick(long nowMillis) {
        if (tickers.isEmpty()) {
            return;
        }
        tickTrades.clear();
        tickQuotes.clear();
        for (TickerState state : tickers.values()) {
            state.step(nowMillis, tickTrades, tickQuotes);
        }
        listeners.removeIf(Listener::listenerClosed);
        for (Listener listener : listeners) {
            listener.onTick(tickTrades, tickQuotes);
        }
    }

    private static final class TickerState {
        final String ticker;
        final SplittableRandom random;
        final Tape tape = new Tape();
        long priceCents;
        long nextTradeId = 1;
        /** Polygon's {@code q}: increasing per ticker (here contiguous per ticker; the vendor's are not). */
        long sequence;

        TickerState(String ticker) {
            this.ticker = ticker;
            this.random = new SplittableRandom(ticker.hashCode() * 0x9E3779B97F4A7C15L);
            this.priceCents = 5_000 + random.nextLong(45_000);
        }

        void step(long nowMillis, List<Trade> trades, List<Quote> quotes) {
            int tradeCount = random.nextInt(4);
            for (int i = 0; i < tradeCount; i++) {
                priceCents = Math.max(100, priceCents + random.nextInt(-2, 3));
                String price = random.nextInt(10) == 0
                        ? trimmed(priceCents * 100 + random.nextInt(1, 100), 4) // a sub-penny print
                        : trimmed(priceCents, 2);
                boolean fractional = random.nextInt(8) == 0;
                long size = fractional ? 0 : 1 + random.nextLong(500);
                String fractionalSize = fractional ? trimmed(1 + random.nextInt(99), 2) : null;
                Trade trade = new Trade(
                        ticker, Long.toString(nextTradeId++), price, size, fractionalSize, nowMillis, ++sequence);
                trades.add(trade);
                keep(tape.trades, trade);
            }
            int quoteCount = random.nextInt(3);
            for (int i = 0; i < quoteCount; i++) {
                long spread = 1 + random.nextInt(3);
                Quote quote = new Quote(
                        ticker,
                        trimmed(priceCents - spread, 2),
                        100L * (1 + random.nextInt(20)),
                        trimmed(priceCents + 1, 2),
                        100L * (1 + random.nextInt(20)),
                        nowMillis,
                        ++sequence);
                quotes.add(quote);
                if (tape.quotes.size() == TAPE_LIMIT) {
                    tape.quotes.removeFirst();
                    tape.droppedQuotes++;
                }
                tape.quotes.addLast(quote);
            }
        }

        private void keep(ArrayDeque<Trade> deque, Trade trade) {
            if (deque.size() == TAPE_LIMIT) {
                deque.removeFirst();
                tape.droppedTrades++;
            }
            deque.addLast(trade);
        }
    }

    /** {@code units / 10^scale} spelt as a JSON encoder writes the number: no trailing zeros, no lone point. */
    static String trimmed(long units, int scale) {
        StringBuilder text = new StringBuilder(Long.toString(units));
        while (text.length() <= scale) {
            text.insert(0, '0');
        }
        text.insert(text.length() - scale, '.');
        int end = text.length();
        while (text.charAt(end - 1) == '0') {
            end--;
        }
        if (text.charAt(end - 1) == '.') {
            end--;
        }
        return text.substring(0, end);
    }
}
