package dev.tickvault.output;

import dev.tickvault.feed.book.BookSide;
import dev.tickvault.feed.book.OrderBook;
import dev.tickvault.ingest.CsvTradeReader;
import dev.tickvault.ingest.TimeFormats;
import dev.tickvault.model.DecimalFormat;
import dev.tickvault.model.Trade;
import dev.tickvault.store.TradeCursor;
import java.io.Writer;

/**
 * CSV in the layout {@link CsvTradeReader} reads back: header {@value CsvTradeReader#HEADER}, decimals exactly as
 * stored, times ISO-8601 UTC with nine fractional digits, fields quoted per RFC 4180 only when needed. One reused
 * buffer per row. Not thread-safe.
 */
public final class CsvTradeOutput implements TradeOutput {

    /** Columns added by {@code --with-bbo}. */
    public static final String BBO_COLUMNS = "bid_price,bid_qty,ask_price,ask_qty";

    private final Writer out;
    private final boolean withBbo;
    private final StringBuilder line = new StringBuilder(160);

    public CsvTradeOutput(Writer out) {
        this(out, false);
    }

    /** With {@code withBbo}, the header and rows end with {@value #BBO_COLUMNS}. */
    public CsvTradeOutput(Writer out, boolean withBbo) {
        this.out = out;
        this.withBbo = withBbo;
    }

    @Override
    public void begin() throws java.io.IOException {
        out.write(CsvTradeReader.HEADER);
        if (withBbo) {
            out.write(',');
            out.write(BBO_COLUMNS);
        }
        out.write('\n');
    }

    @Override
    public void row(TradeCursor cursor) throws java.io.IOException {
        appendTrade(cursor);
        line.append('\n');
        out.append(line);
    }

    @Override
    public void row(TradeCursor cursor, OrderBook book) throws java.io.IOException {
        appendTrade(cursor);
        appendBest(book == null ? null : book.bids());
        appendBest(book == null ? null : book.asks());
        line.append('\n');
        out.append(line);
    }

    private void appendBest(BookSide side) {
        line.append(',');
        if (side != null && side.size() > 0) {
            DecimalFormat.append(line, side.priceMantissa(0), side.priceScale(0));
            line.append(',');
            DecimalFormat.append(line, side.quantityMantissa(0), side.quantityScale(0));
        } else {
            line.append(',');
        }
    }

    private void appendTrade(TradeCursor cursor) {
        line.setLength(0);
        appendField(line, cursor.series().exchange());
        line.append(',');
        appendField(line, cursor.series().symbol());
        line.append(',');
        TimeFormats.appendIso(line, cursor.tsNanos());
        line.append(',');
        TimeFormats.appendIso(line, cursor.recvTsNanos());
        line.append(',');
        DecimalFormat.append(line, cursor.priceMantissa(), cursor.priceScale());
        line.append(',');
        DecimalFormat.append(line, cursor.quantityMantissa(), cursor.quantityScale());
        line.append(',').append(cursor.side().label()).append(',');
        String tradeIdText = cursor.tradeIdText();
        if (tradeIdText != null) {
            appendField(line, tradeIdText);
        } else if (cursor.tradeId() != Trade.NO_TRADE_ID) {
            line.append(cursor.tradeId());
        }
    }

    @Override
    public void end() throws java.io.IOException {
        out.flush();
    }

    /** Appends {@code value}, quoted (RFC 4180) when it holds a comma, a quote or a line break. */
    public static void appendField(StringBuilder out, String value) {
        boolean needsQuotes = false;
        for (int i = 0; i < value.length() && !needsQuotes; i++) {
            char c = value.charAt(i);
            needsQuotes = c == ',' || c == '"' || c == '\n' || c == '\r';
        }
        if (!needsQuotes) {
            out.append(value);
            return;
        }
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"') {
                out.append('"');
            }
            out.append(c);
        }
        out.append('"');
    }
}
