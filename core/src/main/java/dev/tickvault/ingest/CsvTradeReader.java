package dev.tickvault.ingest;

import dev.tickvault.model.DecimalParser;
import dev.tickvault.model.SeriesKey;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads tickvault's trade CSV, the same layout {@code tickvault query trades --format csv} writes:
 *
 * <pre>
 * exchange,symbol,ts,recv_ts,price,qty,side,trade_id
 * binance,BTCUSDT,2024-08-08T23:54:13.123456789Z,,61837.63000000,0.00162000,buy,3733012211
 * </pre>
 *
 * <ul>
 *   <li>The header is required; its columns may come in any order, and their names are matched ignoring case.
 *   <li>{@code ts} and {@code recv_ts}: ISO-8601 UTC or integer epoch nanoseconds ({@link TimeFormats}); an empty
 *       {@code recv_ts} means "same as {@code ts}".
 *   <li>{@code price}, {@code qty}: exact decimals; their scale is kept ({@code 0.10} stays {@code 0.10}).
 *   <li>{@code side}: {@code buy}, {@code sell}, {@code unknown} (or {@code b}, {@code s}, empty).
 *   <li>{@code trade_id}: a number, empty (none), or any other text (kept as a textual id).
 *   <li>Fields may be quoted per RFC 4180 (a symbol such as {@code "BTC,USD"}); see {@link CsvRecordReader}.
 * </ul>
 *
 * Blank lines are ignored. Any other line that cannot be parsed is reported to {@link MalformedLines} with its line
 * number and skipped; the lines around it are unaffected. No allocation per row except when the series changes or a
 * trade id is textual. Not thread-safe.
 */
public final class CsvTradeReader implements TradeReader {

    /** The header {@code query trades} writes, and the columns this reader needs. */
    public static final String HEADER = "exchange,symbol,ts,recv_ts,price,qty,side,trade_id";

    private static final String[] COLUMNS = HEADER.split(",");
    private static final int EXCHANGE = 0;
    private static final int SYMBOL = 1;
    private static final int TS = 2;
    private static final int RECV_TS = 3;
    private static final int PRICE = 4;
    private static final int QTY = 5;
    private static final int SIDE = 6;
    private static final int TRADE_ID = 7;

    private final CountingInputStream input;
    private final CsvRecordReader records;
    private final String sourceName;
    private final DecimalParser decimals = new DecimalParser();
    private final TradeRow row = new TradeRow();
    /** Field index of each column in {@link #COLUMNS} order. */
    private final int[] fieldOf = new int[COLUMNS.length];

    private int headerFieldCount;
    private byte[] lastExchange = new byte[0];
    private byte[] lastSymbol = new byte[0];

    /**
     * @param input the CSV bytes; closed by {@link #close()}
     * @param sourceName the file name used in messages
     */
    public CsvTradeReader(InputStream input, String sourceName) {
        this.input = new CountingInputStream(input);
        this.records = new CsvRecordReader(this.input);
        this.sourceName = sourceName;
    }

    @Override
    public long readAll(TradeSink sink, MalformedLines malformed) {
        if (!readHeader()) {
            return 0;
        }
        long rows = 0;
        while (records.next()) {
            if (records.isBlank()) {
                continue;
            }
            String problem = parseRecord();
            if (problem != null) {
                malformed.reject(records.lineNumber(), problem);
                continue;
            }
            sink.accept(row);
            rows++;
        }
        return rows;
    }

    private boolean readHeader() {
        do {
            if (!records.next()) {
                return false;
            }
        } while (records.isBlank());
        Arrays.fill(fieldOf, -1);
        headerFieldCount = records.fieldCount();
        for (int field = 0; field < Math.min(headerFieldCount, CsvRecordReader.MAX_FIELDS); field++) {
            for (int column = 0; column < COLUMNS.length; column++) {
                if (records.fieldEqualsIgnoreCase(field, COLUMNS[column])) {
                    fieldOf[column] = field;
                }
            }
        }
        for (int column = 0; column < COLUMNS.length; column++) {
            if (fieldOf[column] < 0) {
                throw new InputFormatException(sourceName + ":" + records.lineNumber()
                        + ": not a trade CSV: the header has no column \"" + COLUMNS[column] + "\" (expected "
                        + HEADER + ")");
            }
        }
        return true;
    }

    /** Parses the current record into {@link #row}; returns why it is malformed, or {@code null}. */
    private String parseRecord() {
        if (records.error() != null) {
            return records.error();
        }
        if (records.fieldCount() != headerFieldCount) {
            return "expected " + headerFieldCount + " fields, found " + records.fieldCount();
        }
        byte[] bytes = records.bytes();
        String column = COLUMNS[EXCHANGE];
        try {
            resolveSeries(bytes);
            column = COLUMNS[TS];
            int ts = fieldOf[TS];
            row.tsNanos = TimeFormats.parse(bytes, records.start(ts), records.length(ts));
            column = COLUMNS[RECV_TS];
            int recvTs = fieldOf[RECV_TS];
            row.recvTsNanos = records.length(recvTs) == 0
                    ? row.tsNanos
                    : TimeFormats.parse(bytes, records.start(recvTs), records.length(recvTs));
            column = COLUMNS[PRICE];
            int price = fieldOf[PRICE];
            row.priceMantissa = decimals.parse(bytes, records.start(price), records.length(price));
            row.priceScale = decimals.scale();
            column = COLUMNS[QTY];
            int qty = fieldOf[QTY];
            row.quantityMantissa = decimals.parse(bytes, records.start(qty), records.length(qty));
            row.quantityScale = decimals.scale();
            column = COLUMNS[SIDE];
            int side = fieldOf[SIDE];
            row.side = FieldParsers.side(bytes, records.start(side), records.length(side));
            column = COLUMNS[TRADE_ID];
            int tradeId = fieldOf[TRADE_ID];
            FieldParsers.tradeId(bytes, records.start(tradeId), records.length(tradeId), row);
        } catch (IllegalArgumentException e) {
            return column + ": " + e.getMessage();
        }
        row.lineNumber = records.lineNumber();
        return null;
    }

    /** Reuses the last series while exchange and symbol bytes repeat, so the common case allocates nothing. */
    private void resolveSeries(byte[] bytes) {
        int exchange = fieldOf[EXCHANGE];
        int symbol = fieldOf[SYMBOL];
        int exchangeStart = records.start(exchange);
        int exchangeEnd = exchangeStart + records.length(exchange);
        int symbolStart = records.start(symbol);
        int symbolEnd = symbolStart + records.length(symbol);
        if (row.series != null
                && Arrays.equals(bytes, exchangeStart, exchangeEnd, lastExchange, 0, lastExchange.length)
                && Arrays.equals(bytes, symbolStart, symbolEnd, lastSymbol, 0, lastSymbol.length)) {
            return;
        }
        SeriesKey series = new SeriesKey(
                new String(bytes, exchangeStart, exchangeEnd - exchangeStart, StandardCharsets.ISO_8859_1),
                new String(bytes, symbolStart, symbolEnd - symbolStart, StandardCharsets.ISO_8859_1));
        row.series = series;
        lastExchange = Arrays.copyOfRange(bytes, exchangeStart, exchangeEnd);
        lastSymbol = Arrays.copyOfRange(bytes, symbolStart, symbolEnd);
    }

    @Override
    public long bytesRead() {
        return input.count();
    }

    @Override
    public void close() {
        try {
            input.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close " + sourceName, e);
        }
    }
}
