package dev.tickvault.feed.polygon;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.tickvault.feed.FeedSink;
import dev.tickvault.feed.FeedStats;
import dev.tickvault.model.BookUpdate;
import dev.tickvault.model.DecimalParser;
import dev.tickvault.model.SeriesKey;
import dev.tickvault.model.Side;
import dev.tickvault.model.Trade;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parses the frames of Polygon.io's stocks WebSocket (a JSON array of events, each with an {@code ev} type) into
 * normalised rows: trades ({@code ev:"T"}) and NBBO quotes ({@code ev:"Q"}); {@code status} events go to a {@link
 * StatusListener}; other event types (aggregates, LULD, ...) are counted as ignored.
 *
 * <p>Fields read, as documented at https://massive.com/docs/websocket/stocks/trades and
 * https://massive.com/docs/websocket/stocks/quotes (formerly polygon.io/docs/websocket/stocks/...):
 *
 * <ul>
 *   <li>Trade: {@code sym}, {@code i} (trade id, a string; kept as text), {@code p} (price, a JSON number: its exact text
 *       is parsed, never a double), {@code ds} (size including fractional shares, a decimal string; preferred) or
 *       {@code s} (integer size), {@code t} (SIP timestamp, Unix ms), {@code q} (sequence). {@code x}, {@code z},
 *       {@code c}, {@code pt}, {@code trfi}, {@code trft} are read past: the normalised trade has no column for them.
 *   <li>Quote: {@code sym}, {@code bp}/{@code bs} (bid), {@code ap}/{@code as} (ask), {@code t}, {@code q}. Each quote
 *       is the new top of book and becomes a snapshot: the bid level ({@link BookUpdate#SNAPSHOT_BEGIN}) then the ask
 *       level ({@link BookUpdate#SNAPSHOT_END} | {@link BookUpdate#EVENT_END}). A side that is absent (no price, or
 *       price and size both 0) is left out; a quote with neither side is counted in {@link #quotesWithoutSides()} and
 *       writes nothing. Sizes are stored as given: since 2025-11-03 Polygon publishes them in shares (before that in
 *       round lots of usually 100 shares), per polygon.io/blog/change-stocks-quotes-round-lots-to-shares.
 * </ul>
 *
 * <p>Timestamps: the WebSocket sends Unix milliseconds; a value of 10^14 or more is taken as microseconds and 10^17 or
 * more as nanoseconds (values no millisecond timestamp before the year 5000 can reach), so a feed variant in finer
 * units is not misread by a factor of a million.
 *
 * <p>Sequence numbers {@code q} increase per ticker but are not contiguous; they reset each trading session. A number
 * not greater than the last one of the same ticker and channel on the same New York trading day is counted in {@link
 * #sequenceRegressions()} and logged; the row is still delivered (it is what the vendor sent).
 *
 * <p>A malformed event (bad number, missing field) is counted in {@link FeedStats#malformed}, logged with a sample,
 * and skipped; the rest of the frame is still read. Broken JSON ends the frame (counted once).
 *
 * <p>Not thread-safe: one parser per handler, called from the handler's thread.
 */
final class PolygonEventParser {

    /** Receives {@code {"ev":"status",...}} events. */
    interface StatusListener {
        void onStatus(String status, String message, long recvTsNanos);
    }

    static final String EXCHANGE = "polygon";
    private static final Logger LOG = LoggerFactory.getLogger(PolygonEventParser.class);
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static final int SAMPLE_CHARS = 300;

    private static final int EV_UNKNOWN = 0;
    private static final int EV_TRADE = 1;
    private static final int EV_QUOTE = 2;
    private static final int EV_STATUS = 3;
    private static final int EV_OTHER = 4;

    private final JsonFactory jsonFactory = new JsonFactory();
    private final DecimalParser decimals = new DecimalParser();
    private final FeedSink sink;
    private final FeedStats stats;
    private final SymbolTable<SymbolState> symbols = new SymbolTable<>(SymbolState::new);

    private long sequenceRegressions;
    private long sequenceResets;
    private long quotesWithoutSides;
    private long ignoredEvents;

    // The event being read (fields may come in any order, so everything is collected before it is delivered).
    private int eventType;
    private char[] symbolChars = new char[16];
    private int symbolLength;
    private String tradeId;
    private boolean hasPrice;
    private long priceMantissa;
    private int priceScale;
    private boolean hasSize;
    private long sizeMantissa;
    private int sizeScale;
    private boolean hasDecimalSize;
    private long decimalSizeMantissa;
    private int decimalSizeScale;
    private boolean hasBidPrice;
    private long bidPriceMantissa;
    private int bidPriceScale;
    private long bidSizeMantissa;
    private int bidSizeScale;
    private boolean hasAskPrice;
    private long askPriceMantissa;
    private int askPriceScale;
    private long askSizeMantissa;
    private int askSizeScale;
    private long timestamp;
    private long tsNanos;
    private boolean hasTimestamp;
    private long sequence;
    private boolean hasSequence;
    private String status;
    private String statusMessage;
    private String problem;
    private long latestEventTsNanos = Long.MIN_VALUE;
    private long eventsDelivered;

    PolygonEventParser(FeedSink sink, FeedStats stats) {
        this.sink = sink;
        this.stats = stats;
    }

    /** Sequence numbers that did not increase (same ticker, channel and trading day). */
    long sequenceRegressions() {
        return sequenceRegressions;
    }

    /** Sequence numbers that went back on a new New York trading day (Polygon's documented daily reset). */
    long sequenceResets() {
        return sequenceResets;
    }

    /** The latest exchange time of a trade or quote delivered so far (ns), or {@code Long.MIN_VALUE}. */
    long latestEventTsNanos() {
        return latestEventTsNanos;
    }

    /** Trades and quotes delivered so far (each quote counts once). */
    long eventsDelivered() {
        return eventsDelivered;
    }

    /** Quotes with neither a bid nor an ask: nothing written. */
    long quotesWithoutSides() {
        return quotesWithoutSides;
    }

    /** Events of types other than trades, quotes and status (aggregates, LULD, ...): read past. */
    long ignoredEvents() {
        return ignoredEvents;
    }

    /** Parses one frame; never throws for bad input (counts it instead). */
    void parseFrame(byte[] utf8, int offset, int length, long recvTsNanos, StatusListener listener) {
        try (JsonParser parser = jsonFactory.createParser(utf8, offset, length)) {
            JsonToken token = parser.nextToken();
            if (token == JsonToken.START_OBJECT) {
                readEvent(parser, utf8, offset, length, recvTsNanos, listener);
            } else if (token == JsonToken.START_ARRAY) {
                while ((token = parser.nextToken()) == JsonToken.START_OBJECT) {
                    readEvent(parser, utf8, offset, length, recvTsNanos, listener);
                }
                if (token != JsonToken.END_ARRAY) {
                    malformed("array element is not an event object", utf8, offset, length);
                }
            } else {
                malformed("frame is not a JSON array of events", utf8, offset, length);
            }
        } catch (DownstreamException e) {
            throw (RuntimeException) e.getCause(); // the sink's or the handler's failure, not bad input
        } catch (IOException | RuntimeException e) {
            malformed("unparseable frame: " + e.getMessage(), utf8, offset, length);
        }
        sink.endOfFrame(recvTsNanos);
    }

    private void readEvent(
            JsonParser parser, byte[] utf8, int offset, int length, long recvTsNanos, StatusListener listener)
            throws IOException {
        resetEvent();
        JsonToken token;
        while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
            String name = parser.currentName(); // canonicalised (interned) by Jackson: no allocation per field
            JsonToken value = parser.nextToken();
            if (value == JsonToken.VALUE_NULL) {
                continue;
            }
            if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
                parser.skipChildren();
                continue;
            }
            try {
                readField(parser, name, value);
            } catch (RuntimeException e) {
                if (problem == null) {
                    problem = "field \"" + name + "\": " + e.getMessage();
                }
            }
        }
        if (token != JsonToken.END_OBJECT) {
            throw new IOException("event object not closed");
        }
        try {
            deliver(utf8, offset, length, recvTsNanos, listener);
        } catch (DownstreamException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new DownstreamException(e);
        }
    }

    private void readField(JsonParser parser, String name, JsonToken value) throws IOException {
        switch (name) {
            case "ev" -> eventType = eventType(parser);
            case "sym" -> readSymbol(parser);
            case "i" -> tradeId = parser.getText();
            case "p" -> {
                priceMantissa = decimal(parser);
                priceScale = decimals.scale();
                hasPrice = true;
            }
            case "s" -> {
                sizeMantissa = decimal(parser);
                sizeScale = decimals.scale();
                hasSize = true;
            }
            case "ds" -> {
                decimalSizeMantissa = decimal(parser);
                decimalSizeScale = decimals.scale();
                hasDecimalSize = true;
            }
            case "bp" -> {
                bidPriceMantissa = decimal(parser);
                bidPriceScale = decimals.scale();
                hasBidPrice = true;
            }
            case "bs" -> {
                bidSizeMantissa = decimal(parser);
                bidSizeScale = decimals.scale();
            }
            case "ap" -> {
                askPriceMantissa = decimal(parser);
                askPriceScale = decimals.scale();
                hasAskPrice = true;
            }
            case "as" -> {
                askSizeMantissa = decimal(parser);
                askSizeScale = decimals.scale();
            }
            case "t" -> {
                timestamp = integer(parser, value);
                hasTimestamp = true;
            }
            case "q" -> {
                sequence = integer(parser, value);
                hasSequence = true;
            }
            case "status" -> status = parser.getText();
            case "message" -> statusMessage = parser.getText();
            default -> {
                // x, z, c, pt, trfi, trft, bx, ax, i on quotes... : no column for them
            }
        }
    }

    private int eventType(JsonParser parser) throws IOException {
        char[] chars = parser.getTextCharacters();
        int start = parser.getTextOffset();
        int length = parser.getTextLength();
        if (length == 1 && chars[start] == 'T') {
            return EV_TRADE;
        }
        if (length == 1 && chars[start] == 'Q') {
            return EV_QUOTE;
        }
        if (length == 6 && new String(chars, start, length).equals("status")) {
            return EV_STATUS;
        }
        return EV_OTHER;
    }

    private void readSymbol(JsonParser parser) throws IOException {
        int length = parser.getTextLength();
        if (symbolChars.length < length) {
            symbolChars = new char[Math.max(length, symbolChars.length * 2)];
        }
        System.arraycopy(parser.getTextCharacters(), parser.getTextOffset(), symbolChars, 0, length);
        symbolLength = length;
    }

    /** A JSON number or string as an exact decimal: the token's own text, never a double. */
    private long decimal(JsonParser parser) throws IOException {
        return decimals.parse(parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength());
    }

    private static long integer(JsonParser parser, JsonToken value) throws IOException {
        if (value != JsonToken.VALUE_NUMBER_INT) {
            throw new IllegalArgumentException("expected an integer, got " + value);
        }
        return parser.getLongValue();
    }

    private void deliver(byte[] utf8, int offset, int length, long recvTsNanos, StatusListener listener) {
        if (eventType == EV_STATUS) {
            listener.onStatus(status == null ? "" : status, statusMessage == null ? "" : statusMessage, recvTsNanos);
            return;
        }
        if (eventType == EV_OTHER) {
            ignoredEvents++;
            return;
        }
        if (problem == null) {
            problem = validate();
        }
        if (problem != null) {
            malformed(problem, utf8, offset, length);
            return;
        }
        SymbolState state = symbol(utf8, offset, length);
        if (state == null) {
            return;
        }
        latestEventTsNanos = Math.max(latestEventTsNanos, tsNanos);
        eventsDelivered++;
        if (eventType == EV_TRADE) {
            checkSequence(state, true, tsNanos);
            long quantityMantissa = hasDecimalSize ? decimalSizeMantissa : sizeMantissa;
            int quantityScale = hasDecimalSize ? decimalSizeScale : sizeScale;
            sink.trade(
                    state.series,
                    tsNanos,
                    recvTsNanos,
                    priceMantissa,
                    priceScale,
                    quantityMantissa,
                    quantityScale,
                    Side.UNKNOWN,
                    Trade.NO_TRADE_ID,
                    tradeId);
            stats.trades.increment();
        } else {
            checkSequence(state, false, tsNanos);
            deliverQuote(state.series, tsNanos, recvTsNanos);
        }
    }

    private SymbolState symbol(byte[] utf8, int offset, int length) {
        try {
            return symbols.get(symbolChars, 0, symbolLength);
        } catch (RuntimeException e) { // invalid symbol text or too many symbols
            malformed("symbol: " + e.getMessage(), utf8, offset, length);
            return null;
        }
    }

    private void deliverQuote(SeriesKey series, long tsNanos, long recvTsNanos) {
        boolean bid = hasBidPrice && !(bidPriceMantissa == 0 && bidSizeMantissa == 0);
        boolean ask = hasAskPrice && !(askPriceMantissa == 0 && askSizeMantissa == 0);
        long id = hasSequence ? sequence : 0;
        if (!bid && !ask) {
            quotesWithoutSides++;
            return;
        }
        int last = BookUpdate.SNAPSHOT_END | BookUpdate.EVENT_END;
        if (bid) {
            sink.bookLevel(
                    series,
                    tsNanos,
                    recvTsNanos,
                    Side.BUY,
                    bidPriceMantissa,
                    bidPriceScale,
                    bidSizeMantissa,
                    bidSizeScale,
                    id,
                    id,
                    ask ? BookUpdate.SNAPSHOT_BEGIN : BookUpdate.SNAPSHOT_BEGIN | last);
            stats.bookUpdates.increment();
        }
        if (ask) {
            sink.bookLevel(
                    series,
                    tsNanos,
                    recvTsNanos,
                    Side.SELL,
                    askPriceMantissa,
                    askPriceScale,
                    askSizeMantissa,
                    askSizeScale,
                    id,
                    id,
                    bid ? last : BookUpdate.SNAPSHOT_BEGIN | last);
            stats.bookUpdates.increment();
        }
    }

    private String validate() {
        if (eventType == EV_UNKNOWN) {
            return "event without \"ev\"";
        }
        if (symbolLength == 0) {
            return "event without \"sym\"";
        }
        if (!hasTimestamp) {
            return "event without \"t\"";
        }
        if (timestamp <= 0) {
            return "timestamp not positive: " + timestamp;
        }
        try {
            tsNanos = toNanos(timestamp);
        } catch (ArithmeticException e) {
            return "timestamp out of range: " + timestamp;
        }
        if (eventType == EV_TRADE) {
            if (!hasPrice) {
                return "trade without price \"p\"";
            }
            if (!hasSize && !hasDecimalSize) {
                return "trade without size \"s\"/\"ds\"";
            }
            if (priceMantissa <= 0) {
                return "trade price not positive";
            }
        }
        return null;
    }

    private void checkSequence(SymbolState state, boolean trade, long tsNanos) {
        if (!hasSequence) {
            return;
        }
        long last = trade ? state.lastTradeSequence : state.lastQuoteSequence;
        long lastTs = trade ? state.lastTradeTsNanos : state.lastQuoteTsNanos;
        if (last >= 0 && sequence <= last) {
            if (tradingDay(tsNanos).isAfter(tradingDay(lastTs))) {
                sequenceResets++;
                LOG.info(
                        "Polygon {} sequence of {} restarted on a new trading day: {} after {}",
                        trade ? "trade" : "quote",
                        state.series.symbol(),
                        sequence,
                        last);
            } else {
                sequenceRegressions++;
                if (sequenceRegressions <= 10 || sequenceRegressions % 1000 == 0) {
                    LOG.warn(
                            "Polygon {} sequence of {} did not increase: {} after {} ({} such so far)",
                            trade ? "trade" : "quote",
                            state.series.symbol(),
                            sequence,
                            last,
                            sequenceRegressions);
                }
            }
        }
        if (trade) {
            state.lastTradeSequence = sequence;
            state.lastTradeTsNanos = tsNanos;
        } else {
            state.lastQuoteSequence = sequence;
            state.lastQuoteTsNanos = tsNanos;
        }
    }

    private static LocalDate tradingDay(long tsNanos) {
        return LocalDate.ofInstant(Instant.ofEpochSecond(0, tsNanos), NEW_YORK);
    }

    /** Unix ms as documented; finer units recognised by magnitude (see the class comment). */
    static long toNanos(long timestamp) {
        if (timestamp >= 100_000_000_000_000_000L) {
            return timestamp;
        }
        if (timestamp >= 100_000_000_000_000L) {
            return Math.multiplyExact(timestamp, 1_000L);
        }
        return Math.multiplyExact(timestamp, 1_000_000L);
    }

    private void resetEvent() {
        eventType = EV_UNKNOWN;
        symbolLength = 0;
        tradeId = null;
        hasPrice = false;
        hasSize = false;
        hasDecimalSize = false;
        hasBidPrice = false;
        hasAskPrice = false;
        bidSizeMantissa = 0;
        bidSizeScale = 0;
        askSizeMantissa = 0;
        askSizeScale = 0;
        hasTimestamp = false;
        hasSequence = false;
        status = null;
        statusMessage = null;
        problem = null;
    }

    private void malformed(String why, byte[] utf8, int offset, int length) {
        stats.malformed.increment();
        long count = stats.malformed.sum();
        if (count <= 10 || count % 1000 == 0) {
            String sample = new String(utf8, offset, Math.min(length, SAMPLE_CHARS), StandardCharsets.UTF_8);
            LOG.warn("Polygon: skipped malformed event ({} so far): {}; frame starts: {}", count, why, sample);
        }
    }

    /**
     * Carries an exception thrown by the sink or the status listener (everything {@code deliver} calls once an event
     * has been read) out of the frame loop, so it is not mistaken for malformed input: it propagates to the caller.
     */
    private static final class DownstreamException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        DownstreamException(RuntimeException cause) {
            super(cause);
        }
    }

    /** Per ticker: its series and the last sequence numbers seen. */
    private static final class SymbolState {
        final SeriesKey series;
        long lastTradeSequence = -1;
        long lastQuoteSequence = -1;
        long lastTradeTsNanos;
        long lastQuoteTsNanos;

        SymbolState(String symbol) {
            this.series = SeriesKey.of(EXCHANGE, symbol);
        }
    }
}
