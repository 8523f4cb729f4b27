package dev.tickvault.simulator;

import dev.tickvault.feed.book.BookSide;
import dev.tickvault.feed.book.OrderBook;
import dev.tickvault.model.DecimalFormat;
import dev.tickvault.model.Side;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.LongSupplier;

/**
 * Generates a Binance market: {@code symbols} symbols named {@code SYN0USDT}, {@code SYN1USDT}, …, taking turns, each
 * message a depth diff (40 %), a trade (30 %) or a bookTicker (30 %), at {@code messagesPerSecond} in all (0: as
 * fast as the clients read).
 *
 * <p>Consistent like the real thing: depth diffs change 1–4 levels near the touch of the true book and never cross
 * it, update ids are contiguous ({@code U} = previous {@code u} + 1, one id per level change; USD-M adds {@code pu}),
 * trade ids are contiguous per symbol and trade at the touch, and a bookTicker carries the true best levels and the
 * last {@code u}. Prices have 2 decimals, quantities 4. The same seed gives the same messages (only {@code E}/{@code
 * T} follow the clock).
 */
final class BinanceSyntheticSource implements BinanceSource {

    private static final int PRICE_SCALE = 2;
    private static final int QUANTITY_SCALE = 4;
    private static final int START_LEVELS = 20;
    private static final int WINDOW_TICKS = 20;

    private final BinanceMarketKind kind;
    private final int symbolCount;
    private final double messagesPerSecond;
    private final long maxMessages;
    private final SplittableRandom random;
    private final LongSupplier clockMillis;
    private final List<BinanceMarket.Symbol> symbols = new ArrayList<>();
    private final StringBuilder text = new StringBuilder(512);
    private long published;
    private int next;

    BinanceSyntheticSource(
            BinanceMarketKind kind, SimulatorConfig.BinanceSourceConfig config, LongSupplier clockMillis) {
        if (config.symbols() < 1) {
            throw new IllegalArgumentException("a synthetic market needs at least one symbol: " + config.symbols());
        }
        this.kind = kind;
        this.symbolCount = config.symbols();
        this.messagesPerSecond = config.messagesPerSecond();
        this.maxMessages = config.maxMessages();
        this.random = new SplittableRandom(config.seed());
        this.clockMillis = clockMillis;
    }

    static String symbolName(int i) {
        return "SYN" + i + "USDT";
    }

    @Override
    public void seed(BinanceMarket market) {
        for (int i = 0; i < symbolCount; i++) {
            BinanceMarket.Symbol s = market.addSymbol(symbolName(i));
            long mid = 10_000L * (i + 1) * 100; // 10000.00, 20000.00, …
            for (int level = 1; level <= START_LEVELS; level++) {
                s.book.set(Side.BUY, mid - level, PRICE_SCALE, quantity(), QUANTITY_SCALE);
                s.book.set(Side.SELL, mid + level, PRICE_SCALE, quantity(), QUANTITY_SCALE);
            }
            s.lastUpdateId = 1_000_000L * (i + 1);
            s.nextTradeId = 1 + 100_000L * i;
            symbols.add(s);
        }
    }

    private long quantity() {
        return 1 + random.nextLong(50_000); // 0.0001 … 5.0000
    }

    @Override
    public int emit(BinanceMarket market, long elapsedNanos, boolean fast, int maxMessages) {
        long due = fast ? Long.MAX_VALUE : (long) (elapsedNanos / 1e9 * messagesPerSecond) - published;
        if (maxMessages() > 0) {
            due = Math.min(due, maxMessages() - published);
        }
        int n = (int) Math.min(maxMessages, Math.max(0, due));
        for (int i = 0; i < n; i++) {
            market.publish(nextEvent());
            published++;
        }
        return n;
    }

    private long maxMessages() {
        return maxMessages;
    }

    /** The next message (also used by tests to check determinism). */
    BinanceEvent nextEvent() {
        BinanceMarket.Symbol s = symbols.get(next);
        next = (next + 1) % symbols.size();
        double r = random.nextDouble();
        if (r < 0.4) {
            return depth(s);
        } else if (r < 0.7) {
            return trade(s);
        } else {
            return bookTicker(s);
        }
    }

    private BinanceEvent depth(BinanceMarket.Symbol s) {
        OrderBook book = s.book;
        LevelChanges levels = new LevelChanges();
        int changes = 1 + random.nextInt(4);
        for (int c = 0; c < changes; c++) {
            Side side = random.nextBoolean() ? Side.BUY : Side.SELL;
            BookSide own = book.side(side);
            BookSide other = book.side(side == Side.BUY ? Side.SELL : Side.BUY);
            long price;
            if (other.size() > 0) {
                long touch = other.priceMantissa(0); // a bid stays below the best ask, an ask above the best bid
                long distance = 1 + random.nextInt(WINDOW_TICKS);
                price = side == Side.BUY ? touch - distance : touch + distance;
            } else if (own.size() > 0) {
                price = own.priceMantissa(0) + (side == Side.BUY ? 1 : -1);
            } else {
                price = 10_000_00L;
            }
            if (price <= 0) {
                price = 1;
            }
            long quantity = random.nextInt(5) == 0 ? 0 : quantity();
            levels.add(side, price, PRICE_SCALE, quantity, QUANTITY_SCALE);
            book.set(side, price, PRICE_SCALE, quantity, QUANTITY_SCALE); // so the next change sees it
        }
        long first = s.lastUpdateId + 1;
        long last = s.lastUpdateId + changes;
        long previous = s.lastUpdateId;
        long now = clockMillis.getAsLong();
        StringBuilder t = text;
        t.setLength(0);
        t.append("{\"e\":\"depthUpdate\",\"E\":").append(now);
        if (kind == BinanceMarketKind.USDM) {
            t.append(",\"T\":").append(now);
        }
        t.append(",\"s\":\"")
                .append(s.name)
                .append("\",\"U\":")
                .append(first)
                .append(",\"u\":")
                .append(last);
        if (kind == BinanceMarketKind.USDM) {
            t.append(",\"pu\":").append(previous);
        }
        t.append(',');
        levels.appendJson(t);
        t.append('}');
        // the market applies the levels again when publishing: same end state (a level is set, not added to)
        return event(BinanceEvent.Kind.DEPTH, s, lower(s) + kind.syntheticDepthStream, first, last, levels);
    }

    private BinanceEvent trade(BinanceMarket.Symbol s) {
        boolean buyerIsMaker = random.nextBoolean(); // taker sold: trades at the best bid
        BookSide side = buyerIsMaker ? s.book.bids() : s.book.asks();
        long price = side.size() > 0 ? side.priceMantissa(0) : 10_000_00L;
        long now = clockMillis.getAsLong();
        StringBuilder t = text;
        t.setLength(0);
        t.append("{\"e\":\"trade\",\"E\":").append(now);
        if (kind == BinanceMarketKind.USDM) {
            t.append(",\"T\":").append(now);
        }
        t.append(",\"s\":\"")
                .append(s.name)
                .append("\",\"t\":")
                .append(s.nextTradeId++)
                .append(",\"p\":\"");
        DecimalFormat.append(t, price, PRICE_SCALE);
        t.append("\",\"q\":\"");
        DecimalFormat.append(t, 1 + random.nextLong(10_000), QUANTITY_SCALE);
        t.append('"');
        if (kind == BinanceMarketKind.SPOT) {
            t.append(",\"T\":").append(now);
        } else {
            t.append(",\"X\":\"MARKET\"");
        }
        t.append(",\"m\":").append(buyerIsMaker);
        if (kind == BinanceMarketKind.SPOT) {
            t.append(",\"M\":true");
        }
        t.append('}');
        return event(BinanceEvent.Kind.TRADE, s, lower(s) + "@trade", 0, 0, null);
    }

    private BinanceEvent bookTicker(BinanceMarket.Symbol s) {
        BookSide bids = s.book.bids();
        BookSide asks = s.book.asks();
        long now = clockMillis.getAsLong();
        StringBuilder t = text;
        t.setLength(0);
        t.append('{');
        if (kind == BinanceMarketKind.USDM) {
            t.append("\"e\":\"bookTicker\",");
        }
        t.append("\"u\":")
                .append(s.lastUpdateId)
                .append(",\"s\":\"")
                .append(s.name)
                .append('"');
        appendTouch(t, "b", "B", bids);
        appendTouch(t, "a", "A", asks);
        if (kind == BinanceMarketKind.USDM) {
            t.append(",\"T\":").append(now).append(",\"E\":").append(now);
        }
        t.append('}');
        return event(BinanceEvent.Kind.BOOK_TICKER, s, lower(s) + "@bookTicker", 0, 0, null);
    }

    private static void appendTouch(StringBuilder t, String priceKey, String quantityKey, BookSide side) {
        t.append(",\"").append(priceKey).append("\":\"");
        if (side.size() > 0) {
            DecimalFormat.append(t, side.priceMantissa(0), side.priceScale(0));
        } else {
            t.append('0');
        }
        t.append("\",\"").append(quantityKey).append("\":\"");
        if (side.size() > 0) {
            DecimalFormat.append(t, side.quantityMantissa(0), side.quantityScale(0));
        } else {
            t.append('0');
        }
        t.append('"');
    }

    private BinanceEvent event(
            BinanceEvent.Kind eventKind,
            BinanceMarket.Symbol s,
            String streamName,
            long first,
            long last,
            LevelChanges levels) {
        byte[] bytes = text.toString().getBytes(StandardCharsets.US_ASCII);
        return new BinanceEvent(
                eventKind,
                s.name,
                BinanceEvent.streamKey(streamName),
                streamName,
                null,
                bytes,
                0,
                bytes.length,
                first,
                last,
                levels);
    }

    private static String lower(BinanceMarket.Symbol s) {
        return s.name.toLowerCase(Locale.ROOT);
    }

    @Override
    public boolean fast() {
        return messagesPerSecond <= 0;
    }

    @Override
    public boolean finished() {
        return maxMessages > 0 && published >= maxMessages;
    }

    @Override
    public long published() {
        return published;
    }
}
