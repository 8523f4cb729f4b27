package dev.tickvault.feed.kraken;

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
import dev.tickvault.feed.json.SymbolTable;
import dev.tickvault.model.DecimalParser;
import dev.tickvault.model.GapMarker;
import dev.tickvault.model.SeriesKey;
import dev.tickvault.model.Side;
import dev.tickvault.model.Trade;
import java.io.IOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kraken WebSocket v2 ({@code wss://ws.kraken.com/v2}), the live protocol.
 *
 * <p>Requests: {@code {"method":"subscribe","params":{"channel":"book","symbol":[…],"depth":N,"snapshot":true}}} and
 * the same for {@code trade}. Frames: {@code {"channel":"book","type":"snapshot"|"update","data":[{"symbol":…,
 * "bids":[{"price":…,"qty":…}],"asks":[…],"checksum":N,"timestamp":"RFC 3339"}]}} and {@code {"channel":"trade",
 * "type":…,"data":[{"symbol","side","price","qty","ord_type","trade_id","timestamp"}]}}; {@code heartbeat}, {@code
 * status} and method acknowledgements are read and dropped (a failed subscription is logged). Prices and quantities
 * are JSON numbers: they are read from the token's own spelling (Jackson keeps it), never through {@code double}, so
 * {@code 0.10000000} keeps scale 8 and the checksum string comes out right.
 *
 * <p>Books: the same rules as v1 ({@link KrakenBook}); v2 also checksums snapshots. On a mismatch only that symbol is
 * resubscribed (unsubscribe + subscribe with a snapshot) and a {@code checksum-mismatch} gap marker covers it.
 * Trades: {@code side} is the taker's; {@code trade_id} is a per-book sequence number, so a jump writes a {@code
 * trades} gap marker (reason {@code sequence-gap}, or {@code reconnect} after a lost connection) and trades at or below
 * the last id delivered (the 50-trade snapshot after a resubscription) are skipped as duplicates.
 *
 * <p>Resubscriptions of one pair are at least {@link KrakenBook#MIN_RESUBSCRIBE_INTERVAL_NANOS} of feed time apart (a
 * mismatch sooner waits for {@link #onTimer}), so a systematic mismatch cannot become a request storm. Book data is
 * taken from the connection whose snapshot was applied last, so a replacement connection overlapping the old one
 * takes over at its snapshot; closing a connection only resynchronises what it carried.
 *
 * <p>Threading: called from one thread at a time (see {@link FeedHandler}); not thread-safe.
 */
public final class KrakenV2FeedHandler implements FeedHandler {

    private static final Logger LOG = LoggerFactory.getLogger(KrakenV2FeedHandler.class);
    private static final int MAX_TRADES_PER_MESSAGE = 10_000;

    private static final int OTHER = 0;
    private static final int BOOK = 1;
    private static final int TRADES = 2;

    private final KrakenV2Config config;
    private final FeedSink sink;
    private final FeedStats stats = new FeedStats();
    private final JsonFrames frames;
    private final DecimalParser decimals = new DecimalParser();
    private final KrakenBooks books;
    private final SymbolTable<Instrument> instruments = new SymbolTable<>();
    private final ParsedLevels levels;
    private final ParsedTrades<Instrument> trades = new ParsedTrades<>(MAX_TRADES_PER_MESSAGE);
    private final ParsedTrades.Order byTradeId = (a, b) -> Long.compareUnsigned(trades.tradeId(a), trades.tradeId(b));

    /** Per-symbol state. */
    static final class Instrument {
        final String name;
        final SeriesKey series;
        final KrakenBook book;
        /** The connection that last subscribed trades (a close there means trades may be missing). */
        FeedConnection tradeConnection;

        long lastTradeId = -1;
        long lastTradeTsNanos;
        String tradeGapReason;

        Instrument(String name, SeriesKey series, KrakenBook book) {
            this.name = name;
            this.series = series;
            this.book = book;
        }
    }

    public KrakenV2FeedHandler(KrakenV2Config config, FeedSink sink) {
        this.config = config;
        this.sink = sink;
        this.frames = new JsonFrames("kraken-v2", stats, sink, this::onObject, null);
        this.levels = new ParsedLevels(config.maxLevelsPerMessage());
        this.books = new KrakenBooks("kraken-v2", LOG, sink, stats, this::bookRequest);
        for (String name : config.symbols()) {
            KrakenBook book = books.add(config.exchange(), name, config.bookDepth(), config.maxLevelsPerMessage());
            instruments.put(name, new Instrument(name, book.series, book));
        }
    }

    public KrakenV2Config config() {
        return config;
    }

    @Override
    public FeedStats stats() {
        return stats;
    }

    /** Book messages (snapshots and updates) whose checksum matched, over all symbols. */
    public long checksumsVerified() {
        return books.checksumsVerified();
    }

    /** Book messages whose checksum did not match, over all symbols. */
    public long checksumMismatches() {
        return books.checksumMismatches();
    }

    /** The current book of {@code symbol} (read on the handler's thread only). */
    public OrderBook book(String symbol) {
        return books.book(symbol);
    }

    /** Whether the book of {@code symbol} is in sync. */
    public boolean isSynced(String symbol) {
        return books.isSynced(symbol);
    }

    @Override
    public void onOpen(FeedConnection connection, long nowNanos) {
        if (config.subscribeBook()) {
            connection.send(bookRequest("subscribe", config.symbols()));
        }
        if (config.subscribeTrades()) {
            connection.send("{\"method\":\"subscribe\",\"params\":{\"channel\":"
                    + JsonRequestText.quote(config.tradeChannel()) + ",\"symbol\":"
                    + JsonRequestText.array(config.symbols())
                    + ",\"snapshot\":true}}");
            for (Instrument i : instruments.values()) {
                i.tradeConnection = connection;
            }
        }
    }

    private String bookRequest(String method, List<String> symbols) {
        return "{\"method\":\"" + method + "\",\"params\":{\"channel\":" + JsonRequestText.quote(config.bookChannel())
                + ",\"symbol\":" + JsonRequestText.array(symbols) + ",\"depth\":" + config.bookDepth()
                + (method.equals("subscribe") ? ",\"snapshot\":true" : "") + "}}";
    }

    @Override
    public void onClose(FeedConnection connection, long nowNanos, String reason) {
        books.onClose(connection);
        for (Instrument i : instruments.values()) {
            if (i.tradeConnection == connection) {
                if (i.lastTradeId >= 0 && i.tradeGapReason == null) {
                    i.tradeGapReason = "reconnect";
                }
                i.tradeConnection = null;
            }
        }
    }

    @Override
    public void onTimer(long nowNanos) {
        books.onTimer(nowNanos, config.checkpointIntervalNanos());
    }

    @Override
    public void onMessage(FeedConnection connection, byte[] utf8, int offset, int length, long recvTsNanos) {
        frames.onMessage(connection, utf8, offset, length, recvTsNanos);
    }

    private void onObject(
            FeedConnection connection, JsonParser parser, byte[] utf8, int offset, int length, long recvTsNanos)
            throws IOException {
        int channel = -1;
        int snapshot = -1;
        String method = null;
        boolean failed = false;
        String error = null;
        for (JsonToken f = parser.nextToken(); f == JsonToken.FIELD_NAME; f = parser.nextToken()) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (name) {
                case "channel" -> channel = channelKind(parser);
                case "type" -> snapshot = JsonText.equals(parser, "snapshot") ? 1 : 0;
                case "data" -> {
                    if (channel < 0 || snapshot < 0) {
                        int[] found = prescan(utf8, offset, length);
                        channel = found[0];
                        snapshot = found[1];
                    }
                    if (value != JsonToken.START_ARRAY) {
                        parser.skipChildren();
                    } else if (channel == BOOK) {
                        onBookData(connection, parser, snapshot == 1, utf8, offset, length, recvTsNanos);
                    } else if (channel == TRADES) {
                        onTradeData(parser, snapshot == 1, recvTsNanos);
                    } else {
                        parser.skipChildren();
                    }
                }
                case "method" -> method = parser.getText();
                case "success" -> failed = value == JsonToken.VALUE_FALSE;
                case "error" -> error = parser.getText();
                default -> parser.skipChildren();
            }
        }
        if (method != null && failed) {
            LOG.warn("kraken-v2 {}: {} failed: {}", connection.name(), method, error);
        }
    }

    private int channelKind(JsonParser parser) throws IOException {
        if (JsonText.equals(parser, config.bookChannel())) {
            return BOOK;
        }
        return JsonText.equals(parser, config.tradeChannel()) ? TRADES : OTHER;
    }

    /** {@code data} came before {@code channel}/{@code type}: find them first (rare; may allocate). */
    private int[] prescan(byte[] utf8, int offset, int length) throws IOException {
        int[] found = {OTHER, 0};
        try (JsonParser parser = frames.json().createParser(utf8, offset, length)) {
            parser.nextToken();
            for (JsonToken f = parser.nextToken(); f == JsonToken.FIELD_NAME; f = parser.nextToken()) {
                String name = parser.currentName();
                parser.nextToken();
                if (name.equals("channel")) {
                    found[0] = channelKind(parser);
                } else if (name.equals("type")) {
                    found[1] = JsonText.equals(parser, "snapshot") ? 1 : 0;
                } else {
                    parser.skipChildren();
                }
            }
        }
        return found;
    }

    private void onBookData(
            FeedConnection connection,
            JsonParser parser,
            boolean snapshot,
            byte[] utf8,
            int offset,
            int length,
            long recvTsNanos)
            throws IOException {
        for (JsonToken e = parser.nextToken(); e == JsonToken.START_OBJECT; e = parser.nextToken()) {
            levels.clear();
            Instrument instrument = null;
            long expectedChecksum = -1;
            long tsNanos = 0;
            for (JsonToken f = parser.nextToken(); f == JsonToken.FIELD_NAME; f = parser.nextToken()) {
                String name = parser.currentName();
                parser.nextToken();
                switch (name) {
                    case "symbol" ->
                        instrument = instruments.get(
                                parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength());
                    case "bids" -> parseLevels(parser, Side.BUY);
                    case "asks" -> parseLevels(parser, Side.SELL);
                    case "checksum" -> expectedChecksum = JsonText.unsignedLong(parser);
                    case "timestamp" -> tsNanos = JsonText.rfc3339Nanos(parser);
                    default -> parser.skipChildren();
                }
            }
            if (instrument == null) {
                frames.malformed()
                        .report("book data for a symbol not subscribed", utf8, offset, length, recvTsNanos, null);
                continue;
            }
            books.apply(
                    connection,
                    instrument.book,
                    snapshot,
                    levels,
                    expectedChecksum,
                    tsNanos > 0 ? tsNanos : recvTsNanos,
                    recvTsNanos);
        }
    }

    /** {@code [{"price": …, "qty": …}, …]}; the parser is on the START_ARRAY. */
    private void parseLevels(JsonParser parser, Side side) throws IOException {
        if (parser.currentToken() != JsonToken.START_ARRAY) {
            throw new IllegalArgumentException("levels must be an array");
        }
        for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
            if (t != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("a level must be an object");
            }
            long price = 0;
            int priceScale = -1;
            long qty = 0;
            int qtyScale = -1;
            for (JsonToken f = parser.nextToken(); f == JsonToken.FIELD_NAME; f = parser.nextToken()) {
                String name = parser.currentName();
                parser.nextToken();
                if (name.equals("price")) {
                    price = JsonText.decimal(parser, decimals);
                    priceScale = decimals.scale();
                } else if (name.equals("qty")) {
                    qty = JsonText.decimal(parser, decimals);
                    qtyScale = decimals.scale();
                } else {
                    parser.skipChildren();
                }
            }
            if (priceScale < 0 || qtyScale < 0) {
                throw new IllegalArgumentException("a level needs a price and a qty");
            }
            if (!levels.add(side, price, priceScale, qty, qtyScale, 0)) {
                throw new IllegalArgumentException("more than " + levels.maxLevels() + " levels in one message");
            }
        }
    }

    private void onTradeData(JsonParser parser, boolean snapshot, long recvTsNanos) throws IOException {
        trades.clear();
        for (JsonToken e = parser.nextToken(); e == JsonToken.START_OBJECT; e = parser.nextToken()) {
            Instrument instrument = null;
            Side side = Side.UNKNOWN;
            long price = 0;
            int priceScale = -1;
            long qty = 0;
            int qtyScale = -1;
            long tradeId = Trade.NO_TRADE_ID;
            long tsNanos = recvTsNanos;
            for (JsonToken f = parser.nextToken(); f == JsonToken.FIELD_NAME; f = parser.nextToken()) {
                String name = parser.currentName();
                parser.nextToken();
                switch (name) {
                    case "symbol" ->
                        instrument = instruments.get(
                                parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength());
                    case "side" ->
                        side = JsonText.equals(parser, "buy")
                                ? Side.BUY
                                : JsonText.equals(parser, "sell") ? Side.SELL : Side.UNKNOWN;
                    case "price" -> {
                        price = JsonText.decimal(parser, decimals);
                        priceScale = decimals.scale();
                    }
                    case "qty" -> {
                        qty = JsonText.decimal(parser, decimals);
                        qtyScale = decimals.scale();
                    }
                    case "trade_id" -> {
                        long id = JsonText.unsignedLong(parser);
                        tradeId = id >= 0 ? id : Trade.NO_TRADE_ID;
                    }
                    case "timestamp" -> tsNanos = JsonText.rfc3339Nanos(parser);
                    default -> parser.skipChildren();
                }
            }
            if (instrument == null || priceScale < 0 || qtyScale < 0) {
                throw new IllegalArgumentException("a trade needs a subscribed symbol, a price and a qty");
            }
            if (!trades.add(instrument, side, price, priceScale, qty, qtyScale, tsNanos, tradeId)) {
                throw new IllegalArgumentException("more than " + trades.maxTrades() + " trades in one message");
            }
        }
        // the snapshot's order is not specified; deduplication needs ascending ids
        int[] order = trades.deliveryOrder(snapshot ? byTradeId : null);
        for (int k = 0; k < trades.size(); k++) {
            emitTrade(order[k], recvTsNanos);
        }
    }

    private void emitTrade(int i, long recvTsNanos) {
        Instrument instrument = trades.owner(i);
        long id = trades.tradeId(i);
        long ts = trades.tsNanos(i);
        if (id != Trade.NO_TRADE_ID && instrument.lastTradeId >= 0) {
            if (id <= instrument.lastTradeId) {
                stats.duplicatesSkipped.increment();
                return;
            }
            if (id > instrument.lastTradeId + 1) {
                String reason = instrument.tradeGapReason != null ? instrument.tradeGapReason : "sequence-gap";
                sink.gap(new GapMarker(
                        instrument.series,
                        "trades",
                        instrument.lastTradeTsNanos,
                        Math.max(instrument.lastTradeTsNanos, ts),
                        reason));
                stats.gaps.increment();
            }
        }
        instrument.tradeGapReason = null;
        trades.write(i, sink, instrument.series, recvTsNanos, null);
        stats.trades.increment();
        if (id != Trade.NO_TRADE_ID) {
            instrument.lastTradeId = id;
        }
        instrument.lastTradeTsNanos = ts;
    }
}
