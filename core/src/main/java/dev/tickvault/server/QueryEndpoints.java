package dev.tickvault.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.tickvault.ingest.TimeFormats;
import dev.tickvault.model.Decimal;
import dev.tickvault.model.DecimalFormat;
import dev.tickvault.model.GapMarker;
import dev.tickvault.model.SeriesKey;
import dev.tickvault.query.Bar;
import dev.tickvault.query.BarCursor;
import dev.tickvault.query.BarInterval;
import dev.tickvault.query.BookAtQuery;
import dev.tickvault.query.BookAtResult;
import dev.tickvault.query.BookLevel;
import dev.tickvault.query.BookNotAvailableException;
import dev.tickvault.query.BookQueryConfig;
import dev.tickvault.store.Table;
import dev.tickvault.store.TickStore;
import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** The analytics endpoints: {@code /api/v1/bars} and {@code /api/v1/book}. */
final class QueryEndpoints {

    private static final JsonFactory JSON = new JsonFactory();
    static final String BARS_CSV_HEADER = "ts,open,high,low,close,volume,buy_volume,sell_volume,vwap,count";
    private static final Set<String> FORMATS = new TreeSet<>(List.of("json", "csv"));
    private static final int MAX_DEPTH = 1_000;

    private final TickStore store;
    private final ServerConfig config;

    QueryEndpoints(TickStore store, ServerConfig config) {
        this.store = store;
        this.config = config;
    }

    /**
     * {@code GET /api/v1/bars?exchange=&symbol=&interval=1m&from=&to=&fill=&last=&limit=&format=json|csv}: OHLCV bars
     * (UTC-aligned, exact decimals, streamed). {@code last=N} asks for the N intervals ending at the series' last
     * trade (instead of from/to). JSON: an array of objects with the CSV's columns as keys (decimals as strings). The
     * gap markers overlapping the range in {@link GapHeaders headers}.
     */
    void bars(ApiRequest request, ApiResponse response) throws IOException {
        request.allowOnly(Set.of("exchange", "symbol", "interval", "from", "to", "fill", "last", "limit", "format"));
        SeriesKey series = request.series();
        BarInterval interval;
        try {
            interval = BarInterval.parse(request.optional("interval") == null ? "1m" : request.optional("interval"));
        } catch (IllegalArgumentException e) {
            throw BadRequestException.parameter("interval", e.getMessage());
        }
        boolean fill = request.choice("fill", "false", Set.of("true", "false")).equals("true");
        long last = request.integer("last", 0, 1, 100_000);
        long limit = request.integer("limit", config.maxResultRows(), 0, config.maxResultRows());
        String format = request.choice("format", "json", FORMATS);
        requireTrades(series);
        long from;
        long to;
        if (last > 0) {
            if (request.optional("from") != null || request.optional("to") != null) {
                throw BadRequestException.parameter("last", "give either last or from/to");
            }
            long lastTs = lastTradeNanos(series);
            to = lastTs + 1;
            from = Math.max(Long.MIN_VALUE + 1, interval.startOf(lastTs) - (last - 1) * interval.nanos());
        } else {
            from = request.time("from", Long.MIN_VALUE);
            to = request.time("to", Long.MAX_VALUE);
            ApiRequest.requireOrdered(from, to);
            if (fill && (from == Long.MIN_VALUE || to == Long.MAX_VALUE)) {
                throw BadRequestException.parameter("fill", "filling empty intervals needs both from and to");
            }
        }
        GapHeaders.add(response, store.gaps(series, from, to));
        try (BarCursor bars = BarCursor.open(store, series, from, to, interval, fill)) {
            OutputStream stream = response.stream(format.equals("csv") ? Endpoints.CSV_TYPE : Endpoints.JSON_TYPE);
            Writer out = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), 1 << 15);
            if (format.equals("csv")) {
                out.write(BARS_CSV_HEADER);
                out.write('\n');
                StringBuilder line = new StringBuilder(200);
                for (long n = 0; n < limit && bars.next(); n++) {
                    Bar bar = bars.bar();
                    line.setLength(0);
                    TimeFormats.appendIso(line, bar.startNanos());
                    line.append(',').append(text(bar.open()));
                    line.append(',').append(text(bar.high()));
                    line.append(',').append(text(bar.low()));
                    line.append(',').append(text(bar.close()));
                    line.append(',').append(bar.volume().toPlainString());
                    line.append(',').append(bar.buyVolume().toPlainString());
                    line.append(',').append(bar.sellVolume().toPlainString());
                    line.append(',').append(bar.vwap() == null ? "" : bar.vwap().toPlainString());
                    line.append(',').append(bar.tradeCount()).append('\n');
                    out.append(line);
                    if ((n & 0x3FF) == 0x3FF) {
                        response.checkDeadline();
                    }
                }
            } else {
                JsonGenerator json = JSON.createGenerator(out).disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
                json.writeStartArray();
                StringBuilder ts = new StringBuilder(32);
                for (long n = 0; n < limit && bars.next(); n++) {
                    Bar bar = bars.bar();
                    json.writeStartObject();
                    ts.setLength(0);
                    TimeFormats.appendIso(ts, bar.startNanos());
                    json.writeStringField("ts", ts.toString());
                    json.writeStringField("open", text(bar.open()));
                    json.writeStringField("high", text(bar.high()));
                    json.writeStringField("low", text(bar.low()));
                    json.writeStringField("close", text(bar.close()));
                    json.writeStringField("volume", bar.volume().toPlainString());
                    json.writeStringField("buy_volume", bar.buyVolume().toPlainString());
                    json.writeStringField("sell_volume", bar.sellVolume().toPlainString());
                    if (bar.vwap() == null) {
                        json.writeNullField("vwap");
                    } else {
                        json.writeStringField("vwap", bar.vwap().toPlainString());
                    }
                    json.writeNumberField("count", bar.tradeCount());
                    json.writeEndObject();
                    if ((n & 0x3FF) == 0x3FF) {
                        response.checkDeadline();
                    }
                }
                json.writeEndArray();
                json.flush();
                out.write('\n');
            }
            out.close();
        }
    }

    /**
     * {@code GET /api/v1/book?exchange=&symbol=&at=&depth=10}: the book at instant {@code at} (default: the series'
     * last trade), rebuilt from the nearest snapshot or checkpoint plus updates; with the gap markers between that
     * snapshot and {@code at}.
     */
    void book(ApiRequest request, ApiResponse response) throws IOException {
        request.allowOnly(Set.of("exchange", "symbol", "at", "depth"));
        SeriesKey series = request.series();
        int depth = (int) request.integer("depth", 10, 1, MAX_DEPTH);
        if (!store.series(Table.BOOK).contains(series)) {
            throw new BadRequestException(
                    404, "symbol", "no book updates stored for " + series.exchange() + " " + series.symbol());
        }
        long at = request.time("at", Long.MIN_VALUE);
        if (at == Long.MIN_VALUE) {
            at = store.series(Table.TRADES).contains(series)
                    ? lastTradeNanos(series)
                    : System.currentTimeMillis() * 1_000_000L;
        }
        BookAtResult book;
        try {
            book = new BookAtQuery(store, BookQueryConfig.defaults()).at(series, at, depth);
        } catch (BookNotAvailableException e) {
            throw new BadRequestException(404, "at", e.getMessage());
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        StringBuilder ts = new StringBuilder(32);
        try (JsonGenerator json = JSON.createGenerator(body)) {
            json.writeStartObject();
            json.writeStringField("exchange", series.exchange());
            json.writeStringField("symbol", series.symbol());
            ts.setLength(0);
            TimeFormats.appendIso(ts, book.atNanos());
            json.writeStringField("at", ts.toString());
            ts.setLength(0);
            TimeFormats.appendIso(ts, book.snapshotTsNanos());
            json.writeStringField("snapshot_ts", ts.toString());
            json.writeBooleanField("from_checkpoint", book.fromCheckpoint());
            json.writeBooleanField("crossed", book.crossed());
            levels(json, "bids", book.bids());
            levels(json, "asks", book.asks());
            json.writeArrayFieldStart("gaps");
            for (GapMarker gap : book.gaps()) {
                json.writeStartObject();
                json.writeStringField("channel", gap.channel());
                ts.setLength(0);
                TimeFormats.appendIso(ts, gap.fromNanos());
                json.writeStringField("from", ts.toString());
                ts.setLength(0);
                TimeFormats.appendIso(ts, gap.toNanos());
                json.writeStringField("to", ts.toString());
                json.writeStringField("reason", gap.reason());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        }
        body.write('\n');
        response.send(200, Endpoints.JSON_TYPE, body.toByteArray());
    }

    private static void levels(JsonGenerator json, String name, List<BookLevel> levels) throws IOException {
        json.writeArrayFieldStart(name);
        int level = 1;
        for (BookLevel l : levels) {
            json.writeStartObject();
            json.writeNumberField("level", level++);
            json.writeStringField("price", text(l.price()));
            json.writeStringField("qty", text(l.quantity()));
            json.writeEndObject();
        }
        json.writeEndArray();
    }

    private void requireTrades(SeriesKey series) {
        if (!store.series(Table.TRADES).contains(series)) {
            throw new BadRequestException(
                    404, "symbol", "no trades stored for " + series.exchange() + " " + series.symbol());
        }
    }

    /**
     * Time of the series' last trade: a binary search on {@link TickStore#countTrades}, which answers from block
     * indexes (about 64 cheap probes).
     */
    long lastTradeNanos(SeriesKey series) {
        long lo = Long.MIN_VALUE; // invariant: a trade exists at or after lo
        long hi = Long.MAX_VALUE - 1; // invariant: no trade after hi
        if (store.countTrades(series, lo, Long.MAX_VALUE) == 0) {
            throw new BadRequestException(404, "symbol", "no trades stored for " + series);
        }
        while (lo < hi) {
            long mid = lo + ((hi - lo) >>> 1) + 1; // unsigned difference: never overflows
            if (store.countTrades(series, mid, Long.MAX_VALUE) > 0) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    private static String text(Decimal value) {
        return DecimalFormat.toString(value.mantissa(), value.scale());
    }
}
