package dev.tickvault.feed.binance;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;
import dev.tickvault.model.DecimalFormatException;
import java.io.IOException;

/**
 * Reads a Binance message with Jackson's non-blocking parser, fed frame after frame (each frame one complete JSON
 * document), into a {@link ParsedMessage}. Field names come out of Jackson's symbol table as canonical Strings,
 * decimals go from its character buffer into {@link dev.tickvault.model.DecimalParser}: no garbage per message. The
 * general path of {@link BinanceMessageParser}: it takes any valid JSON (escapes, any spacing), and is the judge of
 * what is malformed. Not thread-safe.
 */
final class JacksonMessageReader {

    private static final JsonFactory JSON = new JsonFactory();

    private JsonParser parser;
    private ByteArrayFeeder feeder;
    private ParsedMessage m;

    JacksonMessageReader() {
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

    /** Reads one frame into {@code message} (reset by the caller); throws if it is not a Binance message. */
    void read(byte[] utf8, int offset, int length, ParsedMessage message) throws MalformedFrameException {
        this.m = message;
        boolean ok = false;
        try {
            feeder.feedInput(utf8, offset, offset + length);
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new MalformedFrameException("not a JSON object");
            }
            parseObject(true);
            if (parser.nextToken() != JsonToken.NOT_AVAILABLE) {
                throw new MalformedFrameException("content after the JSON object");
            }
            ok = true;
        } catch (IOException | DecimalFormatException e) {
            throw new MalformedFrameException(e.getMessage());
        } finally {
            if (!ok) {
                newParser(); // the old one may be mid-document
            }
        }
    }

    private JsonToken next() throws IOException, MalformedFrameException {
        JsonToken t = parser.nextToken();
        if (t == JsonToken.NOT_AVAILABLE || t == null) {
            throw new MalformedFrameException("truncated JSON");
        }
        return t;
    }

    private void parseObject(boolean root) throws IOException, MalformedFrameException {
        for (JsonToken t = next(); t != JsonToken.END_OBJECT; t = next()) {
            if (t != JsonToken.FIELD_NAME) {
                throw new MalformedFrameException("expected a field name, got " + t);
            }
            String name = parser.currentName();
            field(name, next(), root);
        }
    }

    private void field(String name, JsonToken value, boolean root) throws IOException, MalformedFrameException {
        switch (name) {
            case "data", "event" -> {
                if (root && value == JsonToken.START_OBJECT) {
                    parseObject(false);
                } else {
                    skip(value);
                }
            }
            case "e" -> m.eventType = eventType(value);
            case "E" -> m.eventTime = longValue(value);
            case "T" -> m.transactionTime = longValue(value);
            case "s" -> symbol(value);
            case "t" -> m.tradeId = longValue(value);
            case "a" -> {
                if (value == JsonToken.VALUE_NUMBER_INT) {
                    m.aggregateId = parser.getLongValue();
                } else if (value == JsonToken.VALUE_STRING) {
                    m.askPriceMantissa = decimal();
                    m.askPriceScale = m.decimals.scale();
                } else {
                    levels(value, m.depth.asks);
                }
            }
            case "b" -> {
                if (value == JsonToken.VALUE_STRING) {
                    m.bidPriceMantissa = decimal();
                    m.bidPriceScale = m.decimals.scale();
                } else if (value == JsonToken.START_ARRAY) {
                    levels(value, m.depth.bids);
                } else {
                    skip(value); // a buyer order id in older spot trade payloads
                }
            }
            case "A" -> {
                m.askQuantityMantissa = decimal(value);
                m.askQuantityScale = m.decimals.scale();
            }
            case "B" -> {
                m.bidQuantityMantissa = decimal(value);
                m.bidQuantityScale = m.decimals.scale();
            }
            case "p" -> {
                m.priceMantissa = decimal(value);
                m.priceScale = m.decimals.scale();
            }
            case "q" -> {
                m.quantityMantissa = decimal(value);
                m.quantityScale = m.decimals.scale();
            }
            case "m" -> {
                if (value == JsonToken.VALUE_TRUE) {
                    m.makerFlag = 1;
                } else if (value == JsonToken.VALUE_FALSE) {
                    m.makerFlag = 0;
                } else {
                    throw new MalformedFrameException("field m is not a boolean");
                }
            }
            case "U" -> m.firstUpdateId = longValue(value);
            case "u" -> m.lastUpdateId = longValue(value);
            case "pu" -> m.previousUpdateId = longValue(value);
            case "lastUpdateId" -> m.snapshotUpdateId = longValue(value);
            case "bids" -> levels(value, m.depth.bids);
            case "asks" -> levels(value, m.depth.asks);
            case "result" -> {
                m.hasResult = root;
                skip(value);
            }
            case "id" -> {
                if (value == JsonToken.VALUE_NUMBER_INT) {
                    m.requestId = parser.getLongValue();
                } else {
                    skip(value);
                }
            }
            case "error" -> {
                if (value == JsonToken.START_OBJECT) {
                    m.hasError = true;
                    errorObject();
                } else {
                    skip(value);
                }
            }
            case "code" -> {
                if (root && value == JsonToken.VALUE_NUMBER_INT) {
                    m.hasError = true;
                    m.errorCode = parser.getLongValue();
                } else {
                    skip(value);
                }
            }
            case "msg" -> {
                if (root && value == JsonToken.VALUE_STRING) {
                    m.errorMessage = parser.getText();
                } else {
                    skip(value);
                }
            }
            default -> skip(value);
        }
    }

    private void errorObject() throws IOException, MalformedFrameException {
        for (JsonToken t = next(); t != JsonToken.END_OBJECT; t = next()) {
            String name = parser.currentName();
            JsonToken value = next();
            if (name.equals("code") && value == JsonToken.VALUE_NUMBER_INT) {
                m.errorCode = parser.getLongValue();
            } else if (name.equals("msg") && value == JsonToken.VALUE_STRING) {
                m.errorMessage = parser.getText();
            } else {
                skip(value);
            }
        }
    }

    private int eventType(JsonToken value) throws IOException, MalformedFrameException {
        if (value != JsonToken.VALUE_STRING) {
            throw new MalformedFrameException("field e is not a string");
        }
        return ParsedMessage.eventType(parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength());
    }

    private void symbol(JsonToken value) throws IOException, MalformedFrameException {
        if (value != JsonToken.VALUE_STRING) {
            throw new MalformedFrameException("field s is not a string");
        }
        int len = parser.getTextLength();
        if (len == 0 || len > m.symbolChars.length) {
            throw new MalformedFrameException("symbol length " + len);
        }
        System.arraycopy(parser.getTextCharacters(), parser.getTextOffset(), m.symbolChars, 0, len);
        m.symbolLength = len;
    }

    private long longValue(JsonToken value) throws IOException, MalformedFrameException {
        if (value != JsonToken.VALUE_NUMBER_INT) {
            throw new MalformedFrameException("expected an integer, got " + value + " for " + parser.currentName());
        }
        return parser.getLongValue();
    }

    private long decimal(JsonToken value) throws IOException, MalformedFrameException {
        if (value != JsonToken.VALUE_STRING) {
            throw new MalformedFrameException(
                    "expected a decimal string, got " + value + " for " + parser.currentName());
        }
        return decimal();
    }

    private long decimal() throws IOException {
        return m.decimals.parse(parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength());
    }

    private void levels(JsonToken value, DepthLevels target) throws IOException, MalformedFrameException {
        if (value != JsonToken.START_ARRAY) {
            throw new MalformedFrameException("expected an array of levels, got " + value);
        }
        target.clear();
        for (JsonToken t = next(); t != JsonToken.END_ARRAY; t = next()) {
            if (t != JsonToken.START_ARRAY) {
                throw new MalformedFrameException("a level is not an array");
            }
            long price = decimal(next());
            int pScale = m.decimals.scale();
            long quantity = decimal(next());
            int qScale = m.decimals.scale();
            for (JsonToken extra = next(); extra != JsonToken.END_ARRAY; extra = next()) {
                skip(extra);
            }
            if (!target.add(price, pScale, quantity, qScale)) {
                throw new MalformedFrameException("more than " + DepthLevels.MAX_LEVELS + " levels");
            }
        }
    }

    private void skip(JsonToken value) throws IOException, MalformedFrameException {
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
}
