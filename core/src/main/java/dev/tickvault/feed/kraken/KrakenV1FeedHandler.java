package dev.tickvault.feed.kraken;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.tickvault.feed.FeedConnection;
import dev.tickvault.feed.FeedHandler;
import dev.tickvault.feed.FeedSink;
import dev.tickvault.feed.FeedStats;
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
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kraken WebSocket v1 ({@code wss://ws.kraken.com}): the protocol of the v1 recordings.
 *
 * <p>Frames: {@code subscriptionStatus} events map a {@code channelID} to a pair and channel; book data is {@code
 * [channelID, {"as":…,"bs":…}, "book-N", pair]} (snapshot) or {@code [channelID, {"a":…}|{"b":…}, "book-N", pair]}
 * (update; also the 5-element form with an {@code a} and a {@code b} object), each level {@code [price, volume,
 * timestamp(, "r")]} as strings, the CRC32 {@code "c"} in the last object of an update; trades are {@code
 * [channelID, [[price, volume, time, side, orderType, misc], …], "trade", pair]} with the taker's side {@code b}/{@code
 * s} and no trade id ({@link Trade#NO_TRADE_ID}). Times are decimal seconds, converted to ns exactly.
 *
 * <p>Every update that carries a checksum is verified ({@link KrakenBookChecksum}); a mismatch puts that pair alone out
 * of sync: its updates are ignored, {@code unsubscribe} + {@code subscribe} for that pair are sent on the connection,
 * and when the new snapshot arrives a gap marker (channel {@code book}, reason {@code checksum-mismatch}) from the last
 * verified update to the snapshot is written before it. A closed connection does the same for its books (reason
 * {@code reconnect}) and marks a trade gap from the last trade to the resubscription (trades at or before the last
 * trade time seen are then skipped, as v1 has no trade ids). Book rows carry no update ids (Kraken has none).
 *
 * <p>Resubscriptions of one pair are at least {@link KrakenBook#MIN_RESUBSCRIBE_INTERVAL_NANOS} of feed time apart (a
 * mismatch sooner waits for {@link #onTimer}), so a systematic mismatch cannot become a request storm. Book data is
 * taken from the connection whose snapshot was applied last, so a replacement connection overlapping the old one
 * takes over at its snapshot; closing a connection only resynchronises what it carried.
 *
 * <p>Threading: called from one thread at a time (see {@link FeedHandler}); not thread-safe.
 */
public final class KrakenV1FeedHandler implements FeedHandler {

    private static final Logger LOG = LoggerFactory.getLogger(KrakenV1FeedHandler.class);
    private static final int MAX_TRADES_PER_MESSAGE = 10_000;

    private final KrakenV1Config config;
    private final FeedSink sink;
    private final FeedStats stats = new FeedStats();
    private final JsonFrames frames;
    private final DecimalParser decimals = new DecimalParser();
    private final KrakenBooks books;
    private final SymbolTable<Pair> pairs = new SymbolTable<>();
    private final Map<FeedConnection, Channels> connections = new IdentityHashMap<>();
    private final ParsedLevels levels;
    private final ParsedTrades<Pair> trades = new ParsedTrades<>(MAX_TRADES_PER_MESSAGE);
    private final PriceVolumeTime head = new PriceVolumeTime();

    /** The first three elements of a v1 level or trade array, read in place (reused; no allocation). */
    private static final class PriceVolumeTime {
        long price;
        int priceScale;
        long volume;
        int volumeScale;
        long tsNanos;

        /** Reads price, volume and time; the parser stands on the array's start and ends on the time. */
        void read(JsonParser parser, DecimalParser decimals) throws IOException {
            parser.nextToken();
            price = JsonText.decimal(parser, decimals);
            priceScale = decimals.scale();
            parser.nextToken();
            volume = JsonText.decimal(parser, decimals);
            volumeScale = decimals.scale();
            parser.nextToken();
            tsNanos = JsonText.decimalSecondsNanos(parser);
        }
    }

    /** Per-pair state: the book, and where the trades stand. */
    static final class Pair {
        final String name;
        final SeriesKey series;
        final KrakenBook book;
        /**
         * The connection trades come from (claimed by its subscription acknowledgement; the book's is claimed by its
         * snapshot, see {@link KrakenBooks}): while a replacement connection overlaps the old one, data switches over
         * at that point and the other connection's data is skipped as a duplicate.
         */
        FeedConnection tradeConnection;

        long lastTradeTsNanos;
        boolean tradeGapPending;
        long tradeGapFromNanos;
        /** After a reconnect: trades at or before this time were already delivered (v1 has no trade ids). */
        long resentUpToNanos = Long.MIN_VALUE;

        Pair(String name, SeriesKey series, KrakenBook book) {
            this.name = name;
            this.series = series;
            this.book = book;
        }
    }

    private static final int BOOK = 1;
    private static final int TRADES = 2;

    /** The channel ids of one connection (a handful: linear search, no boxing). */
    private static final class Channels {
        int[] ids = new int[8];
        int[] kinds = new int[8];
        Pair[] pairs = new Pair[8];
        int size;

        int find(int id) {
            for (int i = 0; i < size; i++) {
                if (ids[i] == id) {
                    return i;
                }
            }
            return -1;
        }

        void put(int id, int kind, Pair pair) {
            for (int i = 0; i < size; i++) {
                if (ids[i] == id || (kinds[i] == kind && pairs[i] == pair)) {
                    ids[i] = id;
                    kinds[i] = kind;
                    pairs[i] = pair;
                    return;
                }
            }
            if (size == ids.length) {
                ids = java.util.Arrays.copyOf(ids, size * 2);
                kinds = java.util.Arrays.copyOf(kinds, size * 2);
                pairs = java.util.Arrays.copyOf(pairs, size * 2);
            }
            ids[size] = id;
            kinds[size] = kind;
            pairs[size] = pair;
            size++;
        }

        void remove(int id) {
            int i = find(id);
            if (i >= 0) {
                size--;
                ids[i] = ids[size];
                kinds[i] = kinds[size];
                pairs[i] = pairs[size];
                pairs[size] = null;
            }
        }
    }

    public KrakenV1FeedHandler(KrakenV1Config config, FeedSink sink) {
        this.config = config;
        this.sink = sink;
        this.frames = new JsonFrames(
                "kraken-v1",
                stats,
                sink,
                (connection, parser, utf8, offset, length, recvTsNanos) -> onEvent(connection, parser, recvTsNanos),
                this::onChannelData);
        this.levels = new ParsedLevels(config.maxLevelsPerMessage());
        this.books = new KrakenBooks("kraken-v1", LOG, sink, stats, this::bookRequest);
        for (String name : config.pairs()) {
            KrakenBook book = books.add(config.exchange(), name, config.bookDepth(), config.maxLevelsPerMessage());
            pairs.put(name, new Pair(name, book.series, book));
        }
    }

    public KrakenV1Config config() {
        return config;
    }

    @Override
    public FeedStats stats() {
        return stats;
    }

    /** Book updates whose checksum matched, over all pairs. */
    public long checksumsVerified() {
        return books.checksumsVerified();
    }

    /** Book updates whose checksum did not match, over all pairs. */
    public long checksumMismatches() {
        return books.checksumMismatches();
    }

    /** The current book of {@code pair} (for tests and status displays; read on the handler's thread only). */
    public dev.tickvault.feed.book.OrderBook book(String pair) {
        return books.book(pair);
    }

    /** Whether the book of {@code pair} is in sync (a snapshot applied and no mismatch since). */
    public boolean isSynced(String pair) {
        return books.isSynced(pair);
    }

    @Override
    public void onOpen(FeedConnection connection, long nowNanos) {
        connections.put(connection, new Channels());
        if (config.subscribeBook()) {
            connection.send(bookRequest("subscribe", config.pairs()));
        }
        if (config.subscribeTrades()) {
            connection.send("{\"event\":\"subscribe\",\"pair\":" + JsonRequestText.array(config.pairs())
                    + ",\"subscription\":{\"name\":" + JsonRequestText.quote(config.tradeChannel()) + "}}");
        }
    }

    private String bookRequest(String event, List<String> names) {
        return "{\"event\":\"" + event + "\",\"pair\":" + JsonRequestText.array(names) + ",\"subscription\":{\"name\":"
                + JsonRequestText.quote(config.bookChannel()) + ",\"depth\":" + config.bookDepth() + "}}";
    }

    @Override
    public void onClose(FeedConnection connection, long nowNanos, String reason) {
        connections.remove(connection);
        books.onClose(connection);
        for (Pair pair : pairs.values()) {
            if (pair.tradeConnection == connection) {
                pair.tradeConnection = null;
                if (!pair.tradeGapPending) {
                    pair.tradeGapPending = true;
                    pair.tradeGapFromNanos = pair.lastTradeTsNanos > 0 ? pair.lastTradeTsNanos : nowNanos;
                    if (pair.lastTradeTsNanos > 0) {
                        pair.resentUpToNanos = pair.lastTradeTsNanos;
                    }
                }
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

    private void onChannelData(
            FeedConnection connection, JsonParser parser, byte[] utf8, int offset, int length, long recvTsNanos)
            throws IOException {
        if (parser.nextToken() != JsonToken.VALUE_NUMBER_INT) {
            frames.malformed().report("no channel id", utf8, offset, length, recvTsNanos, null);
            return;
        }
        int channelId = parser.getIntValue();
        Channels channels = connections.computeIfAbsent(connection, c -> new Channels());
        int index = channels.find(channelId);
        if (index < 0) {
            index = resolveFromTail(channels, channelId, utf8, offset, length);
            if (index < 0) {
                frames.malformed().report("unknown channel", utf8, offset, length, recvTsNanos, null);
                return;
            }
        }
        Pair pair = channels.pairs[index];
        if (channels.kinds[index] == BOOK) {
            onBook(connection, pair, parser, utf8, offset, length, recvTsNanos);
        } else {
            onTrades(connection, pair, parser, utf8, offset, length, recvTsNanos);
        }
    }

    /**
     * A channel id this connection has not seen a {@code subscriptionStatus} for: the channel name and pair are the
     * last two strings of the array. Rare (one extra parse), so it may allocate.
     */
    private int resolveFromTail(Channels channels, int channelId, byte[] utf8, int offset, int length)
            throws IOException {
        String channelName = null;
        String pairName = null;
        try (JsonParser parser = frames.json().createParser(utf8, offset, length)) {
            parser.nextToken();
            for (JsonToken t = parser.nextToken(); t != null && t != JsonToken.END_ARRAY; t = parser.nextToken()) {
                if (t == JsonToken.START_ARRAY || t == JsonToken.START_OBJECT) {
                    parser.skipChildren();
                } else if (t == JsonToken.VALUE_STRING) {
                    channelName = pairName;
                    pairName = parser.getText();
                }
            }
        }
        if (channelName == null) {
            return -1;
        }
        Pair pair = pairs.get(pairName);
        int kind = kindOf(channelName);
        if (pair == null || kind == 0) {
            return -1;
        }
        channels.put(channelId, kind, pair);
        return channels.find(channelId);
    }

    private int kindOf(String channelName) {
        if (channelName.equals(config.bookChannel()) || channelName.startsWith(config.bookChannel() + "-")) {
            return BOOK;
        }
        return channelName.equals(config.tradeChannel()) ? TRADES : 0;
    }

    private void onBook(
            FeedConnection connection,
            Pair pair,
            JsonParser parser,
            byte[] utf8,
            int offset,
            int length,
            long recvTsNanos)
            throws IOException {
        levels.clear();
        boolean snapshot = false;
        long expectedChecksum = -1;
        JsonToken t = parser.nextToken();
        while (t == JsonToken.START_OBJECT) {
            for (JsonToken f = parser.nextToken(); f == JsonToken.FIELD_NAME; f = parser.nextToken()) {
                String name = parser.currentName();
                parser.nextToken();
                switch (name) {
                    case "as" -> {
                        snapshot = true;
                        parseLevels(parser, Side.SELL);
                    }
                    case "bs" -> {
                        snapshot = true;
                        parseLevels(parser, Side.BUY);
                    }
                    case "a" -> parseLevels(parser, Side.SELL);
                    case "b" -> parseLevels(parser, Side.BUY);
                    case "c" -> expectedChecksum = JsonText.unsignedLong(parser);
                    default -> parser.skipChildren();
                }
            }
            t = parser.nextToken();
        }
        if (t != JsonToken.VALUE_STRING) {
            frames.malformed().report("book data without a channel name", utf8, offset, length, recvTsNanos, null);
            return;
        }
        long levelTs = levels.maxTsNanos();
        long tsNanos = levelTs > 0 ? levelTs : recvTsNanos;
        // v1 verifies updates only: a checksum next to a snapshot is not checked
        books.apply(connection, pair.book, snapshot, levels, snapshot ? -1 : expectedChecksum, tsNanos, recvTsNanos);
    }

    /** Levels {@code [[price, volume, timestamp(, "r")], …]}; the parser is on the outer START_ARRAY. */
    private void parseLevels(JsonParser parser, Side side) throws IOException {
        if (parser.currentToken() != JsonToken.START_ARRAY) {
            throw new IllegalArgumentException("levels must be an array");
        }
        for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
            if (t != JsonToken.START_ARRAY) {
                throw new IllegalArgumentException("a level must be an array");
            }
            head.read(parser, decimals);
            for (JsonToken rest = parser.nextToken(); rest != JsonToken.END_ARRAY; rest = parser.nextToken()) {
                parser.skipChildren(); // "r" (republish) needs no special handling: the level is set like any other
            }
            if (!levels.add(side, head.price, head.priceScale, head.volume, head.volumeScale, head.tsNanos)) {
                throw new IllegalArgumentException("more than " + levels.maxLevels() + " levels in one message");
            }
        }
    }

    private void onTrades(
            FeedConnection connection,
            Pair pair,
            JsonParser parser,
            byte[] utf8,
            int offset,
            int length,
            long recvTsNanos)
            throws IOException {
        if (pair.tradeConnection != null && pair.tradeConnection != connection) {
            stats.duplicatesSkipped.increment(); // another connection's trades (an overlapping replacement)
            return;
        }
        trades.clear();
        if (parser.nextToken() != JsonToken.START_ARRAY) {
            frames.malformed().report("trade data is not an array", utf8, offset, length, recvTsNanos, null);
            return;
        }
        for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
            if (t != JsonToken.START_ARRAY) {
                throw new IllegalArgumentException("a trade must be an array");
            }
            head.read(parser, decimals);
            parser.nextToken();
            Side side =
                    JsonText.equals(parser, "b") ? Side.BUY : JsonText.equals(parser, "s") ? Side.SELL : Side.UNKNOWN;
            for (JsonToken rest = parser.nextToken(); rest != JsonToken.END_ARRAY; rest = parser.nextToken()) {
                parser.skipChildren(); // orderType, misc
            }
            if (!trades.add(
                    pair,
                    side,
                    head.price,
                    head.priceScale,
                    head.volume,
                    head.volumeScale,
                    head.tsNanos,
                    Trade.NO_TRADE_ID)) {
                throw new IllegalArgumentException("more than " + trades.maxTrades() + " trades in one message");
            }
        }
        for (int i = 0; i < trades.size(); i++) {
            long ts = trades.tsNanos(i);
            if (ts <= pair.resentUpToNanos) {
                stats.duplicatesSkipped.increment(); // re-sent after a resubscription
                continue;
            }
            pair.resentUpToNanos = Long.MIN_VALUE;
            trades.write(i, sink, pair.series, recvTsNanos, null); // no trade ids in v1
            stats.trades.increment();
            pair.lastTradeTsNanos = Math.max(pair.lastTradeTsNanos, ts);
        }
    }

    /** {@code {"event": …}}: subscription status, heartbeat, system status, errors. Allocation is fine here. */
    private void onEvent(FeedConnection connection, JsonParser parser, long recvTsNanos) throws IOException {
        String event = null;
        String status = null;
        String pairName = null;
        String channelName = null;
        String subscriptionName = null;
        String errorMessage = null;
        long channelId = -1;
        for (JsonToken f = parser.nextToken(); f == JsonToken.FIELD_NAME; f = parser.nextToken()) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (name) {
                case "event" -> event = parser.getText();
                case "status" -> status = parser.getText();
                case "pair" -> pairName = value == JsonToken.VALUE_STRING ? parser.getText() : skip(parser);
                case "channelName" -> channelName = parser.getText();
                case "channelID" -> channelId = parser.getLongValue();
                case "errorMessage" -> errorMessage = parser.getText();
                case "subscription" -> {
                    if (value == JsonToken.START_OBJECT) {
                        for (JsonToken g = parser.nextToken(); g == JsonToken.FIELD_NAME; g = parser.nextToken()) {
                            String inner = parser.currentName();
                            parser.nextToken();
                            if (inner.equals("name")) {
                                subscriptionName = parser.getText();
                            } else {
                                parser.skipChildren();
                            }
                        }
                    }
                }
                default -> parser.skipChildren();
            }
        }
        if (!"subscriptionStatus".equals(event)) {
            if ("error".equals(event) || "error".equals(status)) {
                LOG.warn("kraken-v1 {}: error event: {}", connection.name(), errorMessage);
            }
            return; // heartbeat, systemStatus, pong
        }
        if ("error".equals(status)) {
            LOG.warn("kraken-v1 {}: subscription of {} failed: {}", connection.name(), pairName, errorMessage);
            return;
        }
        Pair pair = pairName == null ? null : pairs.get(pairName);
        String channel = channelName != null ? channelName : subscriptionName;
        int kind = channel == null ? 0 : kindOf(channel);
        if (pair == null || kind == 0 || channelId < 0) {
            return; // a channel this handler did not ask for
        }
        Channels channels = connections.computeIfAbsent(connection, c -> new Channels());
        if ("subscribed".equals(status)) {
            channels.put((int) channelId, kind, pair);
            if (kind == TRADES) {
                pair.tradeConnection = connection;
            }
            if (kind == TRADES && pair.tradeGapPending) {
                sink.gap(new GapMarker(
                        pair.series,
                        "trades",
                        pair.tradeGapFromNanos,
                        Math.max(pair.tradeGapFromNanos, recvTsNanos),
                        "reconnect"));
                stats.gaps.increment();
                pair.tradeGapPending = false;
            }
        } else if ("unsubscribed".equals(status)) {
            channels.remove((int) channelId);
        }
    }

    private static String skip(JsonParser parser) throws IOException {
        parser.skipChildren();
        return null;
    }
}
