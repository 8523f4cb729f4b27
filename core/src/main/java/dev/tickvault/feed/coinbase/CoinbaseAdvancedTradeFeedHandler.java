package dev.tickvault.feed.coinbase;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.tickvault.feed.FeedConnection;
import dev.tickvault.feed.FeedHandler;
import dev.tickvault.feed.FeedSink;
import dev.tickvault.feed.FeedStats;
import dev.tickvault.feed.book.OrderBook;
import dev.tickvault.feed.json.JsonFrames;
import dev.tickvault.feed.json.JsonRequestText;
import dev.tickvault.feed.json.JsonText;
import dev.tickvault.feed.json.ParsedLevels;
import dev.tickvault.feed.json.ParsedTrades;
import dev.tickvault.model.DecimalParser;
import dev.tickvault.model.GapMarker;
import dev.tickvault.model.Side;
import dev.tickvault.model.Trade;
import java.io.IOException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Coinbase Advanced Trade market data ({@code wss://advanced-trade-ws.coinbase.com}).
 *
 * <p>Requests, one per channel: {@code {"type":"subscribe","product_ids":[…],"channel":"level2"|"market_trades"|
 * "heartbeats"}}, with {@code "jwt"} when {@link CoinbaseAdvancedTradeConfig#jwt()} supplies one (optional for these
 * public channels). Frames: {@code {"channel":…,"client_id":"","timestamp":…,"sequence_num":N,"events":[…]}} where
 * {@code l2_data} events are {@code {"type":"snapshot"|"update","product_id":…,"updates":[{"side":"bid"|"offer",
 * "event_time":…,"price_level":…,"new_quantity":…}]}} and {@code market_trades} events are {@code {"type":…,
 * "trades":[{"trade_id","product_id","price","size","side","time"}]}}; {@code heartbeats} and {@code subscriptions}
 * are read and dropped.
 *
 * <p>{@code sequence_num} counts the messages of one connection: a jump means messages were lost, and which products
 * they concerned is unknown, so every product of that connection gets a {@code trades} gap marker spanning the two
 * messages' timestamps and its book is resubscribed (reason {@code sequence-gap}; the next snapshot writes the {@code
 * book} gap marker). A repeated or older number is dropped as a duplicate. Trades whose numeric {@code trade_id} is
 * at or below the last one delivered (the snapshot sent on subscription) are skipped. A trade's {@code side} is
 * treated as the maker's unless configured otherwise (see {@link CoinbaseAdvancedTradeConfig#tradeSideIsMaker()}).
 * Book rules as {@link CoinbaseProduct}: a crossed book resubscribes that product.
 *
 * <p>Threading: called from one thread at a time (see {@link FeedHandler}); not thread-safe.
 */
public final class CoinbaseAdvancedTradeFeedHandler implements FeedHandler {

    private static final Logger LOG = LoggerFactory.getLogger(CoinbaseAdvancedTradeFeedHandler.class);
    private static final int MAX_TRADES_PER_MESSAGE = 10_000;

    private static final int OTHER = 0;
    private static final int L2 = 1;
    private static final int TRADES = 2;

    private final CoinbaseAdvancedTradeConfig config;
    private final FeedSink sink;
    private final FeedStats stats = new FeedStats();
    private final JsonFrames frames;
    private final DecimalParser decimals = new DecimalParser();
    private final CoinbaseProducts products;
    private final Map<FeedConnection, Sequence> sequences = new IdentityHashMap<>();
    private final ParsedLevels levels;
    private final ParsedTrades<CoinbaseProduct> trades = new ParsedTrades<>(MAX_TRADES_PER_MESSAGE);
    private final ParsedTrades.Order byProductThenId = this::compare;
    private String[] textTradeIds = new String[16];
    private long sequenceGaps;

    /** The message counter of one connection. */
    private static final class Sequence {
        long last = -1;
        long lastTimestampNanos;
    }

    public CoinbaseAdvancedTradeFeedHandler(CoinbaseAdvancedTradeConfig config, FeedSink sink) {
        this.config = config;
        this.sink = sink;
        this.frames = new JsonFrames("coinbase-advanced", stats, sink, this::onObject, null);
        this.levels = new ParsedLevels(config.maxLevelsPerMessage());
        this.products = new CoinbaseProducts(config.exchange(), config.productIds(), config.maxLevelsPerSide());
    }

    public CoinbaseAdvancedTradeConfig config() {
        return config;
    }

    @Override
    public FeedStats stats() {
        return stats;
    }

    public OrderBook book(String productId) {
        return products.book(productId);
    }

    public boolean isSynced(String productId) {
        return products.isSynced(productId);
    }

    /** Jumps seen in {@code sequence_num}. */
    public long sequenceGaps() {
        return sequenceGaps;
    }

    @Override
    public void onOpen(FeedConnection connection, long nowNanos) {
        sequences.put(connection, new Sequence());
        connection.send(request("subscribe", config.productIds(), config.level2Channel()));
        connection.send(request("subscribe", config.productIds(), config.tradesChannel()));
        if (config.heartbeatsChannel() != null) {
            connection.send(request("subscribe", config.productIds(), config.heartbeatsChannel()));
        }
        products.tradesFrom(connection);
    }

    private String request(String type, List<String> productIds, String channel) {
        String jwt = config.jwt() == null ? null : config.jwt().get();
        return "{\"type\":\"" + type + "\",\"product_ids\":" + JsonRequestText.array(productIds) + ",\"channel\":"
                + JsonRequestText.quote(channel) + (jwt == null ? "" : ",\"jwt\":" + JsonRequestText.quote(jwt)) + "}";
    }

    @Override
    public void onClose(FeedConnection connection, long nowNanos, String reason) {
        sequences.remove(connection);
        products.closeBooks(connection);
        for (CoinbaseProduct p : products.all()) {
            if (p.tradeConnection == connection) {
                p.tradeConnection = null;
            }
        }
    }

    @Override
    public void onTimer(long nowNanos) {
        products.checkpointIfDue(nowNanos, config.checkpointIntervalNanos(), sink, stats);
    }

    @Override
    public void onMessage(FeedConnection connection, byte[] utf8, int offset, int length, long recvTsNanos) {
        frames.onMessage(connection, utf8, offset, length, recvTsNanos);
    }

    /** The top-level fields needed before the events can be applied. */
    private static final class Header {
        int channel = -1;
        long sequence = -1;
        long timestampNanos;
    }

    private final Header header = new Header();

    private void onObject(
            FeedConnection connection, JsonParser parser, byte[] utf8, int offset, int length, long recvTsNanos)
            throws IOException {
        header.channel = -1;
        header.sequence = -1;
        header.timestampNanos = 0;
        boolean error = false;
        String message = null;
        for (JsonToken f = parser.nextToken(); f == JsonToken.FIELD_NAME; f = parser.nextToken()) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (name) {
                case "channel" -> header.channel = channelKind(parser);
                case "sequence_num" -> header.sequence = JsonText.unsignedLong(parser);
                case "timestamp" -> header.timestampNanos = JsonText.rfc3339Nanos(parser);
                case "type" -> error = JsonText.equals(parser, "error");
                case "message" -> message = parser.getText();
                case "events" -> {
                    if (header.channel < 0 || header.sequence < 0 || header.timestampNanos == 0) {
                        prescan(utf8, offset, length);
                    }
                    long ts = header.timestampNanos > 0 ? header.timestampNanos : recvTsNanos;
                    if (!checkSequence(connection, header.sequence, ts)) {
                        parser.skipChildren();
                    } else if (value != JsonToken.START_ARRAY) {
                        throw new IllegalArgumentException("events must be an array");
                    } else if (header.channel == L2) {
                        onL2Events(connection, parser, ts, recvTsNanos, utf8, offset, length);
                    } else if (header.channel == TRADES) {
                        onTradeEvents(parser, recvTsNanos);
                    } else {
                        parser.skipChildren(); // heartbeats, subscriptions, others
                    }
                }
                default -> parser.skipChildren();
            }
        }
        if (error) {
            LOG.warn("coinbase-advanced {}: error from the venue: {}", connection.name(), message);
        }
    }

    private int channelKind(JsonParser parser) throws IOException {
        if (JsonText.equals(parser, config.l2DataChannel())) {
            return L2;
        }
        return JsonText.equals(parser, config.tradesChannel()) ? TRADES : OTHER;
    }

    /** {@code events} came before the header fields: read them first (rare; may allocate). */
    private void prescan(byte[] utf8, int offset, int length) throws IOException {
        try (JsonParser parser = frames.json().createParser(utf8, offset, length)) {
            parser.nextToken();
            for (JsonToken f = parser.nextToken(); f == JsonToken.FIELD_NAME; f = parser.nextToken()) {
                String name = parser.currentName();
                parser.nextToken();
                switch (name) {
                    case "channel" -> header.channel = channelKind(parser);
                    case "sequence_num" -> header.sequence = JsonText.unsignedLong(parser);
                    case "timestamp" -> header.timestampNanos = JsonText.rfc3339Nanos(parser);
                    default -> parser.skipChildren();
                }
            }
        }
        if (header.channel < 0) {
            header.channel = OTHER;
        }
    }

    /** Returns false if the message is a repeat (to be dropped); handles a jump. */
    private boolean checkSequence(FeedConnection connection, long sequence, long tsNanos) {
        Sequence seq = sequences.computeIfAbsent(connection, c -> new Sequence());
        if (sequence < 0) {
            return true;
        }
        if (seq.last >= 0 && sequence <= seq.last) {
            stats.duplicatesSkipped.increment();
            return false;
        }
        if (seq.last >= 0 && sequence > seq.last + 1) {
            sequenceGap(connection, seq, sequence, tsNanos);
        }
        seq.last = sequence;
        seq.lastTimestampNanos = tsNanos;
        return true;
    }

    private void sequenceGap(FeedConnection connection, Sequence seq, long sequence, long tsNanos) {
        sequenceGaps++;
        LOG.warn(
                "coinbase-advanced {}: sequence_num jumped from {} to {}; resubscribing the books",
                connection.name(),
                seq.last,
                sequence);
        List<String> resubscribe = new ArrayList<>();
        for (CoinbaseProduct p : products.all()) {
            if (p.tradeConnection == connection) {
                sink.gap(new GapMarker(
                        p.series,
                        "trades",
                        seq.lastTimestampNanos,
                        Math.max(seq.lastTimestampNanos, tsNanos),
                        "sequence-gap"));
                stats.gaps.increment();
            }
            if (p.bookConnection == connection) {
                p.markOutOfSync("sequence-gap");
                resubscribe.add(p.name);
            }
        }
        if (!resubscribe.isEmpty()) {
            resubscribeBooks(connection, resubscribe);
        }
    }

    /** Unsubscribes and subscribes the level2 channel of {@code productIds}: each sends a new snapshot. */
    private void resubscribeBooks(FeedConnection connection, List<String> productIds) {
        connection.send(request("unsubscribe", productIds, config.level2Channel()));
        connection.send(request("subscribe", productIds, config.level2Channel()));
        stats.resyncs.add(productIds.size());
    }

    private void onL2Events(
            FeedConnection connection,
            JsonParser parser,
            long messageTsNanos,
            long recvTsNanos,
            byte[] utf8,
            int offset,
            int length)
            throws IOException {
        for (JsonToken e = parser.nextToken(); e == JsonToken.START_OBJECT; e = parser.nextToken()) {
            levels.clear();
            int snapshot = -1;
            CoinbaseProduct product = null;
            for (JsonToken f = parser.nextToken(); f == JsonToken.FIELD_NAME; f = parser.nextToken()) {
                String name = parser.currentName();
                parser.nextToken();
                switch (name) {
                    case "type" ->
                        snapshot = JsonText.equals(parser, "snapshot") ? 1 : JsonText.equals(parser, "update") ? 0 : -1;
                    case "product_id" ->
                        product = products.get(
                                parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength());
                    case "updates" -> parseUpdates(parser);
                    default -> parser.skipChildren();
                }
            }
            if (product == null || snapshot < 0) {
                frames.malformed()
                        .report(
                                "l2_data event without a subscribed product or a type",
                                utf8,
                                offset,
                                length,
                                recvTsNanos,
                                null);
                continue;
            }
            if (!product.acceptsBook(connection, snapshot == 1, stats)) {
                continue;
            }
            boolean consistent;
            if (snapshot == 1) {
                // Snapshot levels carry no meaningful event_time (the documentation shows the epoch).
                consistent = product.applySnapshot(levels, messageTsNanos, recvTsNanos, sink, stats);
            } else {
                long levelTs = levels.maxTsNanos();
                consistent =
                        product.applyUpdate(levels, levelTs > 0 ? levelTs : messageTsNanos, recvTsNanos, sink, stats);
            }
            if (!consistent) {
                LOG.warn("coinbase-advanced {}: crossed book of {}; resubscribing", connection.name(), product.name);
                resubscribeBooks(connection, List.of(product.name));
            }
        }
    }

    /** {@code [{"side","event_time","price_level","new_quantity"}, …]}. */
    private void parseUpdates(JsonParser parser) throws IOException {
        if (parser.currentToken() != JsonToken.START_ARRAY) {
            throw new IllegalArgumentException("updates must be an array");
        }
        for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
            if (t != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("an update must be an object");
            }
            Side side = Side.UNKNOWN;
            long price = 0;
            int priceScale = -1;
            long qty = 0;
            int qtyScale = -1;
            long eventTs = 0;
            for (JsonToken f = parser.nextToken(); f == JsonToken.FIELD_NAME; f = parser.nextToken()) {
                String name = parser.currentName();
                parser.nextToken();
                switch (name) {
                    case "side" -> {
                        if (JsonText.equals(parser, "bid")) {
                            side = Side.BUY;
                        } else if (JsonText.equals(parser, "offer") || JsonText.equals(parser, "ask")) {
                            side = Side.SELL;
                        }
                    }
                    case "price_level" -> {
                        price = JsonText.decimal(parser, decimals);
                        priceScale = decimals.scale();
                    }
                    case "new_quantity" -> {
                        qty = JsonText.decimal(parser, decimals);
                        qtyScale = decimals.scale();
                    }
                    case "event_time" -> eventTs = JsonText.rfc3339Nanos(parser);
                    default -> parser.skipChildren();
                }
            }
            if (side == Side.UNKNOWN || priceScale < 0 || qtyScale < 0) {
                throw new IllegalArgumentException("an update needs a side, a price_level and a new_quantity");
            }
            if (!levels.add(side, price, priceScale, qty, qtyScale, Math.max(eventTs, 0))) {
                throw new IllegalArgumentException("more than " + levels.maxLevels() + " levels in one message");
            }
        }
    }

    private void onTradeEvents(JsonParser parser, long recvTsNanos) throws IOException {
        trades.clear();
        for (JsonToken e = parser.nextToken(); e == JsonToken.START_OBJECT; e = parser.nextToken()) {
            for (JsonToken f = parser.nextToken(); f == JsonToken.FIELD_NAME; f = parser.nextToken()) {
                String name = parser.currentName();
                parser.nextToken();
                if (name.equals("trades")) {
                    parseTrades(parser, recvTsNanos);
                } else {
                    parser.skipChildren();
                }
            }
        }
        // batches (and the subscription snapshot) may list the newest first
        int[] order = trades.deliveryOrder(byProductThenId);
        for (int k = 0; k < trades.size(); k++) {
            emitTrade(order[k], recvTsNanos);
        }
    }

    private void parseTrades(JsonParser parser, long recvTsNanos) throws IOException {
        if (parser.currentToken() != JsonToken.START_ARRAY) {
            throw new IllegalArgumentException("trades must be an array");
        }
        for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
            if (t != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("a trade must be an object");
            }
            CoinbaseProduct product = null;
            Side side = Side.UNKNOWN;
            long price = 0;
            int priceScale = -1;
            long size = 0;
            int sizeScale = -1;
            long tradeId = Trade.NO_TRADE_ID;
            String textId = null;
            long ts = recvTsNanos;
            for (JsonToken f = parser.nextToken(); f == JsonToken.FIELD_NAME; f = parser.nextToken()) {
                String name = parser.currentName();
                parser.nextToken();
                switch (name) {
                    case "product_id" ->
                        product = products.get(
                                parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength());
                    case "side" -> {
                        if (JsonText.equals(parser, "BUY") || JsonText.equals(parser, "buy")) {
                            side = Side.BUY;
                        } else if (JsonText.equals(parser, "SELL") || JsonText.equals(parser, "sell")) {
                            side = Side.SELL;
                        }
                    }
                    case "price" -> {
                        price = JsonText.decimal(parser, decimals);
                        priceScale = decimals.scale();
                    }
                    case "size" -> {
                        size = JsonText.decimal(parser, decimals);
                        sizeScale = decimals.scale();
                    }
                    case "trade_id" -> {
                        long id = JsonText.unsignedLong(parser);
                        if (id >= 0) {
                            tradeId = id;
                        } else {
                            textId = parser.getText();
                        }
                    }
                    case "time" -> ts = JsonText.rfc3339Nanos(parser);
                    default -> parser.skipChildren();
                }
            }
            if (product == null || priceScale < 0 || sizeScale < 0) {
                throw new IllegalArgumentException("a trade needs a subscribed product_id, a price and a size");
            }
            Side taker =
                    side == Side.UNKNOWN || !config.tradeSideIsMaker() ? side : side == Side.BUY ? Side.SELL : Side.BUY;
            int index = trades.size();
            if (!trades.add(product, taker, price, priceScale, size, sizeScale, ts, tradeId)) {
                throw new IllegalArgumentException("more than " + trades.maxTrades() + " trades in one message");
            }
            if (textTradeIds.length <= index) {
                textTradeIds = java.util.Arrays.copyOf(textTradeIds, Math.max(index + 1, textTradeIds.length * 2));
            }
            textTradeIds[index] = textId;
        }
    }

    private int compare(int a, int b) {
        int c = Integer.compare(trades.owner(a).index, trades.owner(b).index);
        if (c != 0) {
            return c;
        }
        long ia = trades.tradeId(a);
        long ib = trades.tradeId(b);
        if (ia == Trade.NO_TRADE_ID || ib == Trade.NO_TRADE_ID) {
            return Integer.compare(a, b); // no numeric ids: keep the venue's order
        }
        return Long.compare(ia, ib);
    }

    private void emitTrade(int i, long recvTsNanos) {
        CoinbaseProduct product = trades.owner(i);
        long id = trades.tradeId(i);
        if (id != Trade.NO_TRADE_ID) {
            if (product.lastTradeId >= 0 && id <= product.lastTradeId) {
                stats.duplicatesSkipped.increment();
                return;
            }
            product.lastTradeId = id;
        }
        long ts = trades.tsNanos(i);
        trades.write(i, sink, product.series, recvTsNanos, textTradeIds[i]);
        textTradeIds[i] = null;
        stats.trades.increment();
        product.lastTradeTsNanos = ts;
    }
}
