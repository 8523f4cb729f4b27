package dev.tickvault.feed.binance;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;
import dev.tickvault.model.DecimalFormatException;
import dev.tickvault.model.DecimalParser;
import dev.tickvault.model.SeriesKey;
import dev.tickvault.model.Side;
import java.io.IOException;

/**
 * Parses Binance market-data frames, spot and USD-M futures: combined-stream envelopes ({@code
 * {"stream":…,"data":{…}}}) and raw payloads; events {@code trade}, {@code aggTrade}, {@code depthUpdate}, {@code
 * bookTicker} (spot's has no {@code e}), {@code serverShutdown} (also inside {@code {"event":{…}}}); REST depth
 * snapshots; request replies and errors. Fields may come in any order.
 *
 * <p>No garbage per message once warmed up: one Jackson non-blocking parser is fed frame after frame (each frame a
 * complete JSON document), field names come out of Jackson's symbol table as canonical Strings, decimals go from the
 * parser's character buffer straight into {@link DecimalParser}, symbols map to their {@link SeriesKey} through a
 * {@link SymbolCache}, and depth levels land in a reused {@link DepthEvent}. Only malformed frames and error replies
 * allocate (the parser is replaced after a malformed frame, since its state is then undefined).
 *
 * <p>Not thread-safe: one parser per handler thread.
 */
public final class BinanceMessageParser {

    private static final JsonFactory JSON = new JsonFactory();

    private static final int NONE = 0;
    private static final int TRADE = 1;
    private static final int AGG_TRADE = 2;
    private static final int DEPTH_UPDATE = 3;
    private static final int BOOK_TICKER = 4;
    private static final int SERVER_SHUTDOWN = 5;
    private static final int OTHER = 6;

    private static final long UNSET = DepthEvent.ABSENT;

    private final SymbolCache symbols;
    private final DecimalParser decimals = new DecimalParser();
    private final DepthEvent depth = new DepthEvent();
    private JsonParser parser;
    private ByteArrayFeeder feeder;

    private final char[] symbolChars = new char[SeriesKey.MAX_SYMBOL_LENGTH];
    private int symbolLength;
    private int eventType;
    private long eventTime;
    private long transactionTime;
    private long tradeId;
    private long aggregateId;
    private long firstUpdateId;
    private long lastUpdateId;
    private long previousUpdateId;
    private long snapshotUpdateId;
    private long requestId;
    private int makerFlag; // -1 absent, 0 false, 1 true
    private boolean hasResult;
    private boolean hasError;
    private long errorCode;
    private String errorMessage;
    private long priceMantissa;
    private int priceScale = -1;
    private long quantityMantissa;
    private int quantityScale = -1;
    private long bidPriceMantissa;
    private int bidPriceScale = -1;
    private long bidQuantityMantissa;
    private int bidQuantityScale = -1;
    private long askPriceMantissa;
    private int askPriceScale = -1;
    private long askQuantityMantissa;
    private int askQuantityScale = -1;

    private String failure = "";

    /** @param exchange the exchange name of the series this parser makes ({@link BinanceMarket#exchange()}) */
    public BinanceMessageParser(String exchange) {
        this.symbols = new SymbolCache(exchange);
        newParser();
    }

    private void newParser() {
        try {
            parser = JSON.createNonBlockingByteArrayParser();
        } catch (IOException e) {
            throw new IllegalStateException("cannot create a JSON parser", e);
        }
        feeder = (ByteArrayFeeder) parser.getNonBlockingInputFeeder();
    }

    /** Why the last {@link #parse} returned false. */
    public String failure() {
        return failure;
    }

    /**
     * Parses one complete frame and reports what it holds to {@code listener}.
     *
     * @return false if the frame is malformed (not one complete JSON object, a field of the wrong type, a bad decimal,
     *     a required field missing); nothing was reported then and {@link #failure()} says why
     */
    public boolean parse(byte[] utf8, int offset, int length, BinanceMessageListener listener) {
        reset();
        try {
            feeder.feedInput(utf8, offset, offset + length);
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return fail("not a JSON object");
            }
            parseObject(true);
            if (parser.nextToken() != JsonToken.NOT_AVAILABLE) {
                return fail("content after the JSON object");
            }
        } catch (IOException | DecimalFormatException | MalformedFrame e) {
            return fail(e.getMessage());
        }
        return dispatch(listener);
    }

    private boolean fail(String why) {
        failure = why == null ? "malformed" : why;
        newParser(); // the old one may be mid-document
        return false;
    }

    private void reset() {
        depth.clear();
        symbolLength = -1;
        eventType = NONE;
        eventTime = UNSET;
        transactionTime = UNSET;
        tradeId = UNSET;
        aggregateId = UNSET;
        firstUpdateId = UNSET;
        lastUpdateId = UNSET;
        previousUpdateId = UNSET;
        snapshotUpdateId = UNSET;
        requestId = UNSET;
        makerFlag = -1;
        hasResult = false;
        hasError = false;
        errorCode = 0;
        errorMessage = null;
        priceScale = -1;
        quantityScale = -1;
        bidPriceScale = -1;
        bidQuantityScale = -1;
        askPriceScale = -1;
        askQuantityScale = -1;
    }

    private JsonToken next() throws IOException, MalformedFrame {
        JsonToken t = parser.nextToken();
        if (t == JsonToken.NOT_AVAILABLE || t == null) {
            throw new MalformedFrame("truncated JSON");
        }
        return t;
    }

    private void parseObject(boolean root) throws IOException, MalformedFrame {
        for (JsonToken t = next(); t != JsonToken.END_OBJECT; t = next()) {
            if (t != JsonToken.FIELD_NAME) {
                throw new MalformedFrame("expected a field name, got " + t);
            }
            String name = parser.currentName();
            field(name, next(), root);
        }
    }

    private void field(String name, JsonToken value, boolean root) throws IOException, MalformedFrame {
        switch (name) {
            case "data", "event" -> {
                if (root && value == JsonToken.START_OBJECT) {
                    parseObject(false);
                } else {
                    skip(value);
                }
            }
            case "e" -> eventType = eventType(value);
            case "E" -> eventTime = longValue(value);
            case "T" -> transactionTime = longValue(value);
            case "s" -> symbol(value);
            case "t" -> tradeId = longValue(value);
            case "a" -> {
                if (value == JsonToken.VALUE_NUMBER_INT) {
                    aggregateId = parser.getLongValue();
                } else if (value == JsonToken.VALUE_STRING) {
                    askPriceMantissa = decimal();
                    askPriceScale = decimals.scale();
                } else {
                    levels(value, depth.asks);
                }
            }
            case "b" -> {
                if (value == JsonToken.VALUE_STRING) {
                    bidPriceMantissa = decimal();
                    bidPriceScale = decimals.scale();
                } else if (value == JsonToken.START_ARRAY) {
                    levels(value, depth.bids);
                } else {
                    skip(value); // a buyer order id in older spot trade payloads
                }
            }
            case "A" -> {
                askQuantityMantissa = decimal(value);
                askQuantityScale = decimals.scale();
            }
            case "B" -> {
                bidQuantityMantissa = decimal(value);
                bidQuantityScale = decimals.scale();
            }
            case "p" -> {
                priceMantissa = decimal(value);
                priceScale = decimals.scale();
            }
            case "q" -> {
                quantityMantissa = decimal(value);
                quantityScale = decimals.scale();
            }
            case "m" -> {
                if (value == JsonToken.VALUE_TRUE) {
                    makerFlag = 1;
                } else if (value == JsonToken.VALUE_FALSE) {
                    makerFlag = 0;
                } else {
                    throw new MalformedFrame("field m is not a boolean");
                }
            }
            case "U" -> firstUpdateId = longValue(value);
            case "u" -> lastUpdateId = longValue(value);
            case "pu" -> previousUpdateId = longValue(value);
            case "lastUpdateId" -> snapshotUpdateId = longValue(value);
            case "bids" -> levels(value, depth.bids);
            case "asks" -> levels(value, depth.asks);
            case "result" -> {
                hasResult = root;
                skip(value);
            }
            case "id" -> {
                if (value == JsonToken.VALUE_NUMBER_INT) {
                    requestId = parser.getLongValue();
                } else {
                    skip(value);
                }
            }
            case "error" -> {
                if (value == JsonToken.START_OBJECT) {
                    hasError = true;
                    errorObject();
                } else {
                    skip(value);
                }
            }
            case "code" -> {
                if (root && value == JsonToken.VALUE_NUMBER_INT) {
                    hasError = true;
                    errorCode = parser.getLongValue();
                } else {
                    skip(value);
                }
            }
            case "msg" -> {
                if (root && value == JsonToken.VALUE_STRING) {
                    errorMessage = parser.getText();
                } else {
                    skip(value);
                }
            }
            default -> skip(value);
        }
    }

    private void errorObject() throws IOException, MalformedFrame {
        for (JsonToken t = next(); t != JsonToken.END_OBJECT; t = next()) {
            String name = parser.currentName();
            JsonToken value = next();
            if (name.equals("code") && value == JsonToken.VALUE_NUMBER_INT) {
                errorCode = parser.getLongValue();
            } else if (name.equals("msg") && value == JsonToken.VALUE_STRING) {
                errorMessage = parser.getText();
            } else {
                skip(value);
            }
        }
    }

    private int eventType(JsonToken value) throws IOException, MalformedFrame {
        if (value != JsonToken.VALUE_STRING) {
            throw new MalformedFrame("field e is not a string");
        }
        char[] c = parser.getTextCharacters();
        int off = parser.getTextOffset();
        int len = parser.getTextLength();
        if (is(c, off, len, "trade")) {
            return TRADE;
        }
        if (is(c, off, len, "depthUpdate")) {
            return DEPTH_UPDATE;
        }
        if (is(c, off, len, "aggTrade")) {
            return AGG_TRADE;
        }
        if (is(c, off, len, "bookTicker")) {
            return BOOK_TICKER;
        }
        if (is(c, off, len, "serverShutdown")) {
            return SERVER_SHUTDOWN;
        }
        return OTHER;
    }

    private static boolean is(char[] c, int off, int len, String text) {
        if (len != text.length()) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            if (c[off + i] != text.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private void symbol(JsonToken value) throws IOException, MalformedFrame {
        if (value != JsonToken.VALUE_STRING) {
            throw new MalformedFrame("field s is not a string");
        }
        int len = parser.getTextLength();
        if (len == 0 || len > symbolChars.length) {
            throw new MalformedFrame("symbol length " + len);
        }
        System.arraycopy(parser.getTextCharacters(), parser.getTextOffset(), symbolChars, 0, len);
        symbolLength = len;
    }

    private long longValue(JsonToken value) throws IOException, MalformedFrame {
        if (value != JsonToken.VALUE_NUMBER_INT) {
            throw new MalformedFrame("expected an integer, got " + value + " for " + parser.currentName());
        }
        return parser.getLongValue();
    }

    private long decimal(JsonToken value) throws IOException, MalformedFrame {
        if (value != JsonToken.VALUE_STRING) {
            throw new MalformedFrame("expected a decimal string, got " + value + " for " + parser.currentName());
        }
        return decimal();
    }

    private long decimal() throws IOException {
        return decimals.parse(parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength());
    }

    private void levels(JsonToken value, DepthLevels target) throws IOException, MalformedFrame {
        if (value != JsonToken.START_ARRAY) {
            throw new MalformedFrame("expected an array of levels, got " + value);
        }
        target.clear();
        for (JsonToken t = next(); t != JsonToken.END_ARRAY; t = next()) {
            if (t != JsonToken.START_ARRAY) {
                throw new MalformedFrame("a level is not an array");
            }
            long price = decimal(next());
            int pScale = decimals.scale();
            long quantity = decimal(next());
            int qScale = decimals.scale();
            for (JsonToken extra = next(); extra != JsonToken.END_ARRAY; extra = next()) {
                skip(extra);
            }
            if (!target.add(price, pScale, quantity, qScale)) {
                throw new MalformedFrame("more than " + DepthLevels.MAX_LEVELS + " levels");
            }
        }
    }

    private void skip(JsonToken value) throws IOException, MalformedFrame {
        if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
            int open = 1;
            while (open > 0) {
                JsonToken t = next();
                if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                    open++;
                } else if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                    open--;
                }
            }
        }
    }

    private boolean dispatch(BinanceMessageListener listener) {
        switch (eventType) {
            case TRADE, AGG_TRADE -> {
                long id = eventType == TRADE ? tradeId : aggregateId;
                long time = transactionTime != UNSET ? transactionTime : eventTime;
                if (id == UNSET || time == UNSET || priceScale < 0 || quantityScale < 0 || makerFlag < 0) {
                    return fail("trade without id, time, price, quantity or m");
                }
                SeriesKey series = series();
                if (series == null) {
                    return fail("trade without a valid symbol");
                }
                listener.trade(
                        series,
                        id,
                        priceMantissa,
                        priceScale,
                        quantityMantissa,
                        quantityScale,
                        makerFlag == 1 ? Side.SELL : Side.BUY,
                        time,
                        eventType == AGG_TRADE);
                return true;
            }
            case DEPTH_UPDATE -> {
                if (firstUpdateId == UNSET || lastUpdateId == UNSET || lastUpdateId < firstUpdateId) {
                    return fail("depthUpdate without valid U/u");
                }
                SeriesKey series = series();
                if (series == null) {
                    return fail("depthUpdate without a valid symbol");
                }
                depth.series = series;
                depth.firstUpdateId = firstUpdateId;
                depth.lastUpdateId = lastUpdateId;
                depth.previousUpdateId = previousUpdateId;
                depth.eventTimeMillis = eventTime;
                depth.transactionTimeMillis = transactionTime;
                listener.depthUpdate(depth);
                return true;
            }
            case BOOK_TICKER -> {
                return bookTicker(listener);
            }
            case SERVER_SHUTDOWN -> {
                listener.serverShutdown(eventTime);
                return true;
            }
            case OTHER -> {
                listener.ignored();
                return true;
            }
            default -> {
                return untyped(listener);
            }
        }
    }

    /** Messages without {@code e}: snapshots, spot book tickers, replies, errors. */
    private boolean untyped(BinanceMessageListener listener) {
        if (snapshotUpdateId != UNSET) {
            depth.series = null;
            depth.firstUpdateId = snapshotUpdateId;
            depth.lastUpdateId = snapshotUpdateId;
            depth.eventTimeMillis = eventTime;
            depth.transactionTimeMillis = transactionTime;
            listener.depthSnapshot(depth);
            return true;
        }
        if (hasError) {
            listener.error(requestId, errorCode, errorMessage == null ? "" : errorMessage);
            return true;
        }
        if (hasResult) {
            listener.reply(requestId);
            return true;
        }
        if (lastUpdateId != UNSET && bidPriceScale >= 0) {
            return bookTicker(listener);
        }
        return fail("unrecognised message");
    }

    private boolean bookTicker(BinanceMessageListener listener) {
        if (lastUpdateId == UNSET
                || bidPriceScale < 0
                || bidQuantityScale < 0
                || askPriceScale < 0
                || askQuantityScale < 0) {
            return fail("bookTicker without u, b, B, a or A");
        }
        SeriesKey series = series();
        if (series == null) {
            return fail("bookTicker without a valid symbol");
        }
        listener.bookTicker(
                series,
                lastUpdateId,
                bidPriceMantissa,
                bidPriceScale,
                bidQuantityMantissa,
                bidQuantityScale,
                askPriceMantissa,
                askPriceScale,
                askQuantityMantissa,
                askQuantityScale,
                transactionTime != UNSET ? transactionTime : eventTime);
        return true;
    }

    private SeriesKey series() {
        return symbolLength < 0 ? null : symbols.lookup(symbolChars, 0, symbolLength);
    }

    /** A frame that is not what Binance sends; thrown inside {@link #parse} only, without a stack trace. */
    private static final class MalformedFrame extends Exception {
        private static final long serialVersionUID = 1L;

        MalformedFrame(String message) {
            super(message, null, false, false);
        }
    }
}
