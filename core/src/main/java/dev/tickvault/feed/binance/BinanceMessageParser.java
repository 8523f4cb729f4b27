package dev.tickvault.feed.binance;

import dev.tickvault.model.SeriesKey;
import dev.tickvault.model.Side;

/**
 * Parses Binance market-data frames, spot and USD-M futures: combined-stream envelopes ({@code
 * {"stream":…,"data":{…}}}) and raw payloads; events {@code trade}, {@code aggTrade}, {@code depthUpdate}, {@code
 * bookTicker} (spot's has no {@code e}), {@code serverShutdown} (also inside {@code {"event":{…}}}); REST depth
 * snapshots; request replies and errors. Fields may come in any order.
 *
 * <p>Two readers, one result: a byte scanner ({@link ByteMessageScanner}) takes the frames Binance actually sends
 * (compact JSON, no escapes) at a few hundred ns each; any frame it declines — an escape, unusual spacing, anything
 * malformed — is read again by Jackson's streaming parser ({@link JacksonMessageReader}), which accepts all valid JSON
 * and decides what is malformed. The scanner was added because the Jackson non-blocking path measured ~1.3 µs of CPU
 * per trade frame (see {@code BinanceParseBenchmark}), below the 2M messages/s per core the recorder aims for.
 *
 * <p>No garbage per message once warmed up: both readers work on reused state ({@link ParsedMessage}), decimals go
 * straight into {@link dev.tickvault.model.DecimalParser}, symbols map to their {@link SeriesKey} through a {@link
 * SymbolCache}, depth levels land in a reused {@link DepthEvent}. Only malformed frames and error replies allocate.
 *
 * <p>Not thread-safe: one parser per handler thread.
 */
public final class BinanceMessageParser {

    private final SymbolCache symbols;
    private final ParsedMessage m = new ParsedMessage();
    private final ByteMessageScanner scanner = new ByteMessageScanner();
    private final JacksonMessageReader jackson = new JacksonMessageReader();
    private boolean scannerEnabled = true;
    private String failure = "";
    private long scannerDeclined;

    /** @param exchange the exchange name of the series this parser makes ({@link BinanceMarket#exchange()}) */
    public BinanceMessageParser(String exchange) {
        this.symbols = new SymbolCache(exchange);
    }

    /** Why the last {@link #parse} returned false. */
    public String failure() {
        return failure;
    }

    /** Frames the byte scanner passed on to Jackson. */
    public long scannerDeclined() {
        return scannerDeclined;
    }

    /** For tests and measurements: false reads every frame with Jackson only. */
    public void useScanner(boolean enabled) {
        this.scannerEnabled = enabled;
    }

    /**
     * Parses one complete frame and reports what it holds to {@code listener}.
     *
     * @return false if the frame is malformed (not one complete JSON object, a field of the wrong type, a bad decimal,
     *     a required field missing); nothing was reported then and {@link #failure()} says why
     */
    public boolean parse(byte[] utf8, int offset, int length, BinanceMessageListener listener) {
        m.reset();
        boolean scanned = false;
        if (scannerEnabled) {
            try {
                scanner.scan(utf8, offset, length, m);
                scanned = true;
            } catch (MalformedFrameException | RuntimeException declined) {
                scannerDeclined++;
                m.reset();
            }
        }
        if (!scanned) {
            try {
                jackson.read(utf8, offset, length, m);
            } catch (MalformedFrameException e) {
                return fail(e.getMessage());
            }
        }
        return dispatch(listener);
    }

    private boolean fail(String why) {
        failure = why == null ? "malformed" : why;
        return false;
    }

    private boolean dispatch(BinanceMessageListener listener) {
        switch (m.eventType) {
            case ParsedMessage.TRADE, ParsedMessage.AGG_TRADE -> {
                long id = m.eventType == ParsedMessage.TRADE ? m.tradeId : m.aggregateId;
                long time = m.transactionTime != ParsedMessage.UNSET ? m.transactionTime : m.eventTime;
                if (id == ParsedMessage.UNSET
                        || time == ParsedMessage.UNSET
                        || m.priceScale < 0
                        || m.quantityScale < 0
                        || m.makerFlag < 0) {
                    return fail("trade without id, time, price, quantity or m");
                }
                SeriesKey series = series();
                if (series == null) {
                    return fail("trade without a valid symbol");
                }
                listener.trade(
                        series,
                        id,
                        m.priceMantissa,
                        m.priceScale,
                        m.quantityMantissa,
                        m.quantityScale,
                        m.makerFlag == 1 ? Side.SELL : Side.BUY,
                        time,
                        m.eventType == ParsedMessage.AGG_TRADE);
                return true;
            }
            case ParsedMessage.DEPTH_UPDATE -> {
                if (m.firstUpdateId == ParsedMessage.UNSET
                        || m.lastUpdateId == ParsedMessage.UNSET
                        || m.lastUpdateId < m.firstUpdateId) {
                    return fail("depthUpdate without valid U/u");
                }
                SeriesKey series = series();
                if (series == null) {
                    return fail("depthUpdate without a valid symbol");
                }
                m.depth.series = series;
                m.depth.firstUpdateId = m.firstUpdateId;
                m.depth.lastUpdateId = m.lastUpdateId;
                m.depth.previousUpdateId = m.previousUpdateId;
                m.depth.eventTimeMillis = m.eventTime;
                m.depth.transactionTimeMillis = m.transactionTime;
                listener.depthUpdate(m.depth);
                return true;
            }
            case ParsedMessage.BOOK_TICKER -> {
                return bookTicker(listener);
            }
            case ParsedMessage.SERVER_SHUTDOWN -> {
                listener.serverShutdown(m.eventTime);
                return true;
            }
            case ParsedMessage.OTHER -> {
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
        if (m.snapshotUpdateId != ParsedMessage.UNSET) {
            m.depth.series = null;
            m.depth.firstUpdateId = m.snapshotUpdateId;
            m.depth.lastUpdateId = m.snapshotUpdateId;
            m.depth.eventTimeMillis = m.eventTime;
            m.depth.transactionTimeMillis = m.transactionTime;
            listener.depthSnapshot(m.depth);
            return true;
        }
        if (m.hasError) {
            listener.error(m.requestId, m.errorCode, m.errorMessage == null ? "" : m.errorMessage);
            return true;
        }
        if (m.hasResult) {
            listener.reply(m.requestId);
            return true;
        }
        if (m.lastUpdateId != ParsedMessage.UNSET && m.bidPriceScale >= 0) {
            return bookTicker(listener);
        }
        return fail("unrecognised message");
    }

    private boolean bookTicker(BinanceMessageListener listener) {
        if (m.lastUpdateId == ParsedMessage.UNSET
                || m.bidPriceScale < 0
                || m.bidQuantityScale < 0
                || m.askPriceScale < 0
                || m.askQuantityScale < 0) {
            return fail("bookTicker without u, b, B, a or A");
        }
        SeriesKey series = series();
        if (series == null) {
            return fail("bookTicker without a valid symbol");
        }
        listener.bookTicker(
                series,
                m.lastUpdateId,
                m.bidPriceMantissa,
                m.bidPriceScale,
                m.bidQuantityMantissa,
                m.bidQuantityScale,
                m.askPriceMantissa,
                m.askPriceScale,
                m.askQuantityMantissa,
                m.askQuantityScale,
                m.transactionTime != ParsedMessage.UNSET ? m.transactionTime : m.eventTime);
        return true;
    }

    private SeriesKey series() {
        if (m.symbolLength < 0) {
            return null;
        }
        return m.symbolBytes != null
                ? symbols.lookup(m.symbolBytes, m.symbolOffset, m.symbolLength)
                : symbols.lookup(m.symbolChars, 0, m.symbolLength);
    }
}
