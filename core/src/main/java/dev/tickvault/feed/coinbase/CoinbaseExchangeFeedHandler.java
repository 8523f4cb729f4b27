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
import dev.tickvault.model.DecimalParser;
import dev.tickvault.model.GapMarker;
import dev.tickvault.model.Side;
import java.io.IOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Coinbase Exchange WebSocket feed ({@code wss://ws-feed.exchange.coinbase.com}; the 2021 recording is from {@code
 * ws-feed.pro.coinbase.com}, the same format).
 *
 * <p>Request: {@code {"type":"subscribe","product_ids":[…],"channels":[level2, "matches", "heartbeat"]}}. Frames (all
 * objects with a {@code type}): {@code snapshot} ({@code bids}/{@code asks}: {@code [[price, size]]}), {@code l2update}
 * ({@code changes: [[side, price, size]]}, {@code time}), {@code match} and {@code last_match} ({@code trade_id},
 * {@code sequence}, {@code side}, {@code size}, {@code price}, {@code time}), {@code heartbeat} ({@code sequence},
 * {@code last_trade_id}), {@code subscriptions}, {@code error}; others (ticker, …) are ignored. Times are ISO-8601 →
 * ns exactly.
 *
 * <p>Trades: a match's {@code side} is the <em>maker's</em> order side, so the taker (the trade's side here) is the
 * opposite. {@code trade_id} is contiguous per product; {@code sequence} is the product's sequence over the whole
 * feed, so it jumps between matches by design and is only used to drop repeated or out-of-order messages. A missed
 * trade shows as a {@code trade_id} jump, or as a heartbeat whose {@code last_trade_id} is beyond the last trade
 * received: the handler then writes a {@code trades} gap marker (reason {@code sequence-gap}) and, because a
 * connection that lost a match may have lost book updates too (level2 has no sequence numbers), resubscribes that
 * product's book, whose next snapshot writes a {@code book} gap marker. A crossed book after any event does the same
 * (reason {@code crossed-book}). A closed connection marks its products' books and trades (reason {@code reconnect});
 * the {@code last_match} sent on resubscription and any repeated ids are skipped as duplicates.
 *
 * <p>Threading: called from one thread at a time (see {@link FeedHandler}); not thread-safe.
 */
public final class CoinbaseExchangeFeedHandler implements FeedHandler {

    private static final Logger LOG = LoggerFactory.getLogger(CoinbaseExchangeFeedHandler.class);

    private static final int OTHER = 0;
    private static final int SNAPSHOT = 1;
    private static final int L2UPDATE = 2;
    private static final int MATCH = 3;
    private static final int HEARTBEAT = 4;
    private static final int ERROR = 5;

    private final CoinbaseExchangeConfig config;
    private final FeedSink sink;
    private final FeedStats stats = new FeedStats();
    private final JsonFrames frames;
    private final DecimalParser decimals = new DecimalParser();
    private final CoinbaseProducts products;
    private final ParsedLevels levels;

    public CoinbaseExchangeFeedHandler(CoinbaseExchangeConfig config, FeedSink sink) {
        this.config = config;
        this.sink = sink;
        this.frames = new JsonFrames("coinbase-exchange", stats, sink, this::onObject, null);
        this.levels = new ParsedLevels(config.maxLevelsPerMessage());
        this.products = new CoinbaseProducts(config.exchange(), config.productIds(), config.maxLevelsPerSide());
    }

    public CoinbaseExchangeConfig config() {
        return config;
    }

    @Override
    public FeedStats stats() {
        return stats;
    }

    /** The current book of {@code productId} (read on the handler's thread only). */
    public OrderBook book(String productId) {
        return products.book(productId);
    }

    public boolean isSynced(String productId) {
        return products.isSynced(productId);
    }

    /** Events after which a book was crossed, over all products. */
    public long crossedEvents() {
        return products.crossedEvents();
    }

    @Override
    public void onOpen(FeedConnection connection, long nowNanos) {
        connection.send(request("subscribe", config.productIds(), config.channels()));
        products.tradesFrom(connection);
    }

    private static String request(String type, List<String> productIds, List<String> channels) {
        return "{\"type\":\"" + type + "\",\"product_ids\":" + JsonRequestText.array(productIds) + ",\"channels\":"
                + JsonRequestText.array(channels) + "}";
    }

    @Override
    public void onClose(FeedConnection connection, long nowNanos, String reason) {
        products.closeBooks(connection);
        for (CoinbaseProduct p : products.all()) {
            if (p.tradeConnection == connection) {
                if (p.lastTradeId >= 0 && p.tradeGapReason == null) {
                    p.tradeGapReason = "reconnect";
                }
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

    private void onObject(
            FeedConnection connection, JsonParser parser, byte[] utf8, int offset, int length, long recvTsNanos)
            throws IOException {
        levels.clear();
        int type = -1;
        CoinbaseProduct product = null;
        boolean productNamed = false;
        long tsNanos = 0;
        long tradeId = -1;
        long sequence = -1;
        long lastTradeId = -1;
        Side makerSide = Side.UNKNOWN;
        long price = 0;
        int priceScale = -1;
        long size = 0;
        int sizeScale = -1;
        String message = null;
        for (JsonToken f = parser.nextToken(); f == JsonToken.FIELD_NAME; f = parser.nextToken()) {
            String name = parser.currentName();
            parser.nextToken();
            if (type == OTHER) {
                parser.skipChildren(); // a message type this handler does not record (ticker, …)
                continue;
            }
            switch (name) {
                case "type" -> type = typeOf(parser);
                case "product_id" -> {
                    productNamed = true;
                    product = products.get(parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength());
                }
                case "changes" -> parseChanges(parser);
                case "bids" -> parseSnapshotLevels(parser, Side.BUY);
                case "asks" -> parseSnapshotLevels(parser, Side.SELL);
                case "time" -> tsNanos = JsonText.rfc3339Nanos(parser);
                case "trade_id" -> tradeId = JsonText.unsignedLong(parser);
                case "sequence" -> sequence = JsonText.unsignedLong(parser);
                case "last_trade_id" -> lastTradeId = JsonText.unsignedLong(parser);
                case "side" -> makerSide = sideOf(parser);
                case "price" -> {
                    price = JsonText.decimal(parser, decimals);
                    priceScale = decimals.scale();
                }
                case "size" -> {
                    size = JsonText.decimal(parser, decimals);
                    sizeScale = decimals.scale();
                }
                case "message", "reason" -> message = (message == null ? "" : message + ": ") + parser.getText();
                default -> parser.skipChildren();
            }
        }
        if (type == OTHER || type == -1) {
            return;
        }
        if (type == ERROR) {
            LOG.warn("coinbase-exchange {}: error from the venue: {}", connection.name(), message);
            return;
        }
        if (product == null) {
            if (productNamed || type != HEARTBEAT) {
                frames.malformed().report("no subscribed product", utf8, offset, length, recvTsNanos, null);
            }
            return;
        }
        long ts = tsNanos > 0 ? tsNanos : recvTsNanos;
        if ((type == SNAPSHOT || type == L2UPDATE) && !product.acceptsBook(connection, type == SNAPSHOT, stats)) {
            return;
        }
        switch (type) {
            case SNAPSHOT -> {
                if (!product.applySnapshot(levels, ts, recvTsNanos, sink, stats)) {
                    resubscribeBook(connection, product);
                }
            }
            case L2UPDATE -> {
                if (!product.applyUpdate(levels, ts, recvTsNanos, sink, stats)) {
                    resubscribeBook(connection, product);
                }
            }
            case MATCH -> {
                if (priceScale < 0 || sizeScale < 0 || tradeId < 0 || makerSide == Side.UNKNOWN) {
                    frames.malformed()
                            .report(
                                    "match without price, size, side or trade_id",
                                    utf8,
                                    offset,
                                    length,
                                    recvTsNanos,
                                    null);
                    return;
                }
                onMatch(
                        connection,
                        product,
                        ts,
                        recvTsNanos,
                        tradeId,
                        sequence,
                        makerSide,
                        price,
                        priceScale,
                        size,
                        sizeScale);
            }
            case HEARTBEAT -> onHeartbeat(connection, product, ts, sequence, lastTradeId);
            default -> {}
        }
    }

    private static int typeOf(JsonParser parser) throws IOException {
        if (JsonText.equals(parser, "l2update")) {
            return L2UPDATE;
        }
        if (JsonText.equals(parser, "match") || JsonText.equals(parser, "last_match")) {
            return MATCH;
        }
        if (JsonText.equals(parser, "snapshot")) {
            return SNAPSHOT;
        }
        if (JsonText.equals(parser, "heartbeat")) {
            return HEARTBEAT;
        }
        return JsonText.equals(parser, "error") ? ERROR : OTHER;
    }

    private static Side sideOf(JsonParser parser) throws IOException {
        if (JsonText.equals(parser, "buy")) {
            return Side.BUY;
        }
        return JsonText.equals(parser, "sell") ? Side.SELL : Side.UNKNOWN;
    }

    /** {@code [[side, price, size], …]}. */
    private void parseChanges(JsonParser parser) throws IOException {
        requireArray(parser);
        for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
            if (t != JsonToken.START_ARRAY) {
                throw new IllegalArgumentException("a change must be an array");
            }
            parser.nextToken();
            Side side = sideOf(parser);
            if (side == Side.UNKNOWN) {
                throw new IllegalArgumentException("a change's side must be buy or sell");
            }
            parser.nextToken();
            addLevel(parser, side);
        }
    }

    /** {@code [[price, size], …]}. */
    private void parseSnapshotLevels(JsonParser parser, Side side) throws IOException {
        requireArray(parser);
        for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
            if (t != JsonToken.START_ARRAY) {
                throw new IllegalArgumentException("a level must be an array");
            }
            parser.nextToken();
            addLevel(parser, side);
        }
    }

    /** Reads price and size (the parser on the price) and skips the rest of the level's array. */
    private void addLevel(JsonParser parser, Side side) throws IOException {
        long price = JsonText.decimal(parser, decimals);
        int priceScale = decimals.scale();
        parser.nextToken();
        long size = JsonText.decimal(parser, decimals);
        int sizeScale = decimals.scale();
        for (JsonToken rest = parser.nextToken(); rest != JsonToken.END_ARRAY; rest = parser.nextToken()) {
            parser.skipChildren();
        }
        if (!levels.add(side, price, priceScale, size, sizeScale, 0)) {
            throw new IllegalArgumentException("more than " + levels.maxLevels() + " levels in one message");
        }
    }

    private static void requireArray(JsonParser parser) {
        if (parser.currentToken() != JsonToken.START_ARRAY) {
            throw new IllegalArgumentException("expected an array");
        }
    }

    private void onMatch(
            FeedConnection connection,
            CoinbaseProduct product,
            long ts,
            long recvTsNanos,
            long tradeId,
            long sequence,
            Side makerSide,
            long price,
            int priceScale,
            long size,
            int sizeScale) {
        if (sequence >= 0 && product.lastSequence >= 0 && sequence <= product.lastSequence) {
            stats.duplicatesSkipped.increment(); // repeated or out of order
            return;
        }
        if (product.lastTradeId >= 0) {
            if (tradeId <= product.lastTradeId) {
                stats.duplicatesSkipped.increment(); // last_match after a resubscription, or a repeat
                return;
            }
            if (tradeId > product.lastTradeId + 1) {
                tradeGap(connection, product, ts);
            }
        }
        product.tradeGapReason = null;
        if (sequence >= 0) {
            product.lastSequence = sequence;
        }
        Side taker = makerSide == Side.BUY ? Side.SELL : Side.BUY;
        sink.trade(product.series, ts, recvTsNanos, price, priceScale, size, sizeScale, taker, tradeId, null);
        stats.trades.increment();
        product.lastTradeId = tradeId;
        product.lastTradeTsNanos = ts;
    }

    private void onHeartbeat(
            FeedConnection connection, CoinbaseProduct product, long ts, long sequence, long lastTradeId) {
        if (sequence >= 0 && (product.lastSequence < 0 || sequence > product.lastSequence)) {
            product.lastSequence = sequence;
        }
        if (lastTradeId >= 0 && product.lastTradeId >= 0 && lastTradeId > product.lastTradeId) {
            // The venue has traded beyond the last match received: matches were lost.
            tradeGap(connection, product, ts);
            product.lastTradeId = lastTradeId;
            product.lastTradeTsNanos = ts;
            product.tradeGapReason = null;
        }
    }

    /** Trades were missed: a trades gap, and (unless a reconnect already resyncs it) the book is resubscribed. */
    private void tradeGap(FeedConnection connection, CoinbaseProduct product, long toNanos) {
        String reason = product.tradeGapReason != null ? product.tradeGapReason : "sequence-gap";
        sink.gap(new GapMarker(
                product.series,
                "trades",
                product.lastTradeTsNanos,
                Math.max(product.lastTradeTsNanos, toNanos),
                reason));
        stats.gaps.increment();
        if (product.tradeGapReason == null && product.synced()) {
            product.markOutOfSync("sequence-gap");
            resubscribeBook(connection, product);
        }
    }

    private void resubscribeBook(FeedConnection connection, CoinbaseProduct product) {
        LOG.warn("coinbase-exchange {}: resubscribing the book of {}", connection.name(), product.name);
        List<String> one = List.of(product.name);
        List<String> channel = List.of(config.level2Channel());
        connection.send(request("unsubscribe", one, channel));
        connection.send(request("subscribe", one, channel));
        stats.resyncs.increment();
    }
}
