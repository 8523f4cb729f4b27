package dev.tickvault.feed.binance;

import dev.tickvault.model.DecimalParser;
import dev.tickvault.model.SeriesKey;

/**
 * The fields of one Binance message as a reader ({@link ByteMessageScanner} or {@link JacksonMessageReader}) found
 * them, before {@link BinanceMessageParser} decides what the message is. Reused from message to message; package
 * internal, not thread-safe.
 */
final class ParsedMessage {

    static final long UNSET = DepthEvent.ABSENT;

    static final int NONE = 0;
    static final int TRADE = 1;
    static final int AGG_TRADE = 2;
    static final int DEPTH_UPDATE = 3;
    static final int BOOK_TICKER = 4;
    static final int SERVER_SHUTDOWN = 5;
    static final int OTHER = 6;

    final DecimalParser decimals = new DecimalParser();
    final DepthEvent depth = new DepthEvent();
    /** The symbol as Jackson hands it out (when {@link #symbolBytes} is null). */
    final char[] symbolChars = new char[SeriesKey.MAX_SYMBOL_LENGTH];
    /** The frame holding the symbol's ASCII bytes at {@link #symbolOffset} (the byte scanner), else null. */
    byte[] symbolBytes;

    int symbolOffset;
    /** -1 when the message named no symbol. */
    int symbolLength;

    int eventType;
    long eventTime;
    long transactionTime;
    long tradeId;
    long aggregateId;
    long firstUpdateId;
    long lastUpdateId;
    long previousUpdateId;
    long snapshotUpdateId;
    long requestId;
    int makerFlag; // -1 absent, 0 false, 1 true
    boolean hasResult;
    boolean hasError;
    long errorCode;
    String errorMessage;
    long priceMantissa;
    int priceScale;
    long quantityMantissa;
    int quantityScale;
    long bidPriceMantissa;
    int bidPriceScale;
    long bidQuantityMantissa;
    int bidQuantityScale;
    long askPriceMantissa;
    int askPriceScale;
    long askQuantityMantissa;
    int askQuantityScale;

    ParsedMessage() {
        reset();
    }

    void reset() {
        depth.clear();
        symbolBytes = null;
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

    /** The event type named by {@code e}. */
    static int eventType(char[] c, int off, int len) {
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
}
