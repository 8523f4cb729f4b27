package dev.tickvault.output;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import dev.tickvault.feed.book.BookSide;
import dev.tickvault.feed.book.OrderBook;
import dev.tickvault.ingest.TimeFormats;
import dev.tickvault.model.DecimalFormat;
import dev.tickvault.model.Trade;
import dev.tickvault.store.TradeCursor;
import java.io.IOException;
import java.io.Writer;

/**
 * One JSON array with one object per trade, one object per line:
 *
 * <pre>
 * [
 * {"exchange":"binance","symbol":"BTCUSDT","ts":"2024-08-08T23:54:13.123000000Z","recv_ts":"…","price":"61837.63000000","qty":"0.00162000","side":"buy","trade_id":"3733012211"}
 * ]
 * </pre>
 *
 * Prices and quantities are JSON strings so that no parser turns them into binary floating point; the trade id is a
 * string too (64-bit ids do not survive JavaScript numbers), or {@code null} when the trade has none. Written with
 * Jackson's streaming generator: nothing is held per row. Not thread-safe.
 */
public final class JsonTradeOutput implements TradeOutput {

    private final Writer out;
    private final JsonGenerator json;
    private final StringBuilder text = new StringBuilder(40);
    private char[] chars = new char[40];

    public JsonTradeOutput(Writer out) throws IOException {
        this.out = out;
        this.json = new JsonFactory()
                .createGenerator(out)
                .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
                .setPrettyPrinter(new OneObjectPerLine());
    }

    @Override
    public void begin() throws IOException {
        json.writeStartArray();
    }

    @Override
    public void row(TradeCursor cursor) throws IOException {
        writeTrade(cursor);
        json.writeEndObject();
    }

    /** The trade's fields, then {@code bid_price}, {@code bid_qty}, {@code ask_price}, {@code ask_qty} (or nulls). */
    @Override
    public void row(TradeCursor cursor, OrderBook book) throws IOException {
        writeTrade(cursor);
        writeBest("bid", book == null ? null : book.bids());
        writeBest("ask", book == null ? null : book.asks());
        json.writeEndObject();
    }

    private void writeBest(String prefix, BookSide side) throws IOException {
        if (side != null && side.size() > 0) {
            json.writeFieldName(prefix + "_price");
            text.setLength(0);
            DecimalFormat.append(text, side.priceMantissa(0), side.priceScale(0));
            writeText();
            json.writeFieldName(prefix + "_qty");
            text.setLength(0);
            DecimalFormat.append(text, side.quantityMantissa(0), side.quantityScale(0));
            writeText();
        } else {
            json.writeNullField(prefix + "_price");
            json.writeNullField(prefix + "_qty");
        }
    }

    private void writeTrade(TradeCursor cursor) throws IOException {
        json.writeStartObject();
        json.writeStringField("exchange", cursor.series().exchange());
        json.writeStringField("symbol", cursor.series().symbol());
        json.writeFieldName("ts");
        text.setLength(0);
        TimeFormats.appendIso(text, cursor.tsNanos());
        writeText();
        json.writeFieldName("recv_ts");
        text.setLength(0);
        TimeFormats.appendIso(text, cursor.recvTsNanos());
        writeText();
        json.writeFieldName("price");
        text.setLength(0);
        DecimalFormat.append(text, cursor.priceMantissa(), cursor.priceScale());
        writeText();
        json.writeFieldName("qty");
        text.setLength(0);
        DecimalFormat.append(text, cursor.quantityMantissa(), cursor.quantityScale());
        writeText();
        json.writeStringField("side", cursor.side().label());
        json.writeFieldName("trade_id");
        if (cursor.tradeIdText() != null) {
            json.writeString(cursor.tradeIdText());
        } else if (cursor.tradeId() != Trade.NO_TRADE_ID) {
            text.setLength(0);
            text.append(cursor.tradeId());
            writeText();
        } else {
            json.writeNull();
        }
    }

    private void writeText() throws IOException {
        if (chars.length < text.length()) {
            chars = new char[text.length() * 2];
        }
        text.getChars(0, text.length(), chars, 0);
        json.writeString(chars, 0, text.length());
    }

    @Override
    public void end() throws IOException {
        json.writeEndArray();
        json.flush();
        out.write('\n');
        out.flush();
    }

    /** Compact objects, each on its own line inside the array. */
    public static final class OneObjectPerLine extends MinimalPrettyPrinter {
        private static final long serialVersionUID = 1L;

        @Override
        public void beforeArrayValues(JsonGenerator generator) throws IOException {
            generator.writeRaw('\n');
        }

        @Override
        public void writeArrayValueSeparator(JsonGenerator generator) throws IOException {
            generator.writeRaw(",\n");
        }

        @Override
        public void writeEndArray(JsonGenerator generator, int valueCount) throws IOException {
            generator.writeRaw(valueCount > 0 ? "\n]" : "]");
        }
    }
}
