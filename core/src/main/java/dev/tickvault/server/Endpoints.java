package dev.tickvault.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.tickvault.ingest.TimeFormats;
import dev.tickvault.live.FeedStatusBoard;
import dev.tickvault.model.GapMarker;
import dev.tickvault.model.SeriesKey;
import dev.tickvault.output.CsvTradeOutput;
import dev.tickvault.output.JsonTradeOutput;
import dev.tickvault.output.TradeOutput;
import dev.tickvault.store.Table;
import dev.tickvault.store.TickStore;
import dev.tickvault.store.TradeCursor;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** The store's API endpoints: health, symbols, trades, gaps, metrics. */
final class Endpoints {

    private static final JsonFactory JSON = new JsonFactory();
    private static final Set<String> FORMATS = new TreeSet<>(List.of("json", "csv"));
    static final String JSON_TYPE = "application/json; charset=utf-8";
    static final String CSV_TYPE = "text/csv; charset=utf-8";

    private final TickStore store;
    private final ServerConfig config;
    private final PrometheusMeterRegistry registry;
    private final long startedNanos = System.nanoTime();
    private final FeedStatusBoard feeds;

    Endpoints(TickStore store, ServerConfig config, PrometheusMeterRegistry registry, FeedStatusBoard feeds) {
        this.feeds = feeds;
        this.store = store;
        this.config = config;
        this.registry = registry;
    }

    /** {@code GET /api/v1/health}: {@code {"status":"ok",...}}; answers without a token. */
    void health(ApiRequest request, ApiResponse response) throws IOException {
        request.allowOnly(Set.of());
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try (JsonGenerator json = JSON.createGenerator(body)) {
            json.writeStartObject();
            json.writeStringField("status", "ok");
            json.writeNumberField("uptime_seconds", (System.nanoTime() - startedNanos) / 1_000_000_000L);
            json.writeNumberField("trade_series", store.series(Table.TRADES).size());
            json.writeNumberField("book_series", store.series(Table.BOOK).size());
            json.writeEndObject();
        }
        body.write('\n');
        response.send(200, JSON_TYPE, body.toByteArray());
    }

    /** {@code GET /api/v1/symbols}: every stored series and which tables hold data for it. */
    void symbols(ApiRequest request, ApiResponse response) throws IOException {
        request.allowOnly(Set.of());
        TreeMap<String, TreeMap<String, TreeSet<String>>> byExchange = new TreeMap<>();
        for (Table table : Table.values()) {
            for (SeriesKey series : store.series(table)) {
                byExchange
                        .computeIfAbsent(series.exchange(), e -> new TreeMap<>())
                        .computeIfAbsent(series.symbol(), s -> new TreeSet<>())
                        .add(table.name().toLowerCase(java.util.Locale.ROOT));
            }
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try (JsonGenerator json = JSON.createGenerator(body)) {
            json.writeStartArray();
            for (var exchange : byExchange.entrySet()) {
                for (var symbol : exchange.getValue().entrySet()) {
                    json.writeStartObject();
                    json.writeStringField("exchange", exchange.getKey());
                    json.writeStringField("symbol", symbol.getKey());
                    json.writeArrayFieldStart("tables");
                    for (String table : symbol.getValue()) {
                        json.writeString(table);
                    }
                    json.writeEndArray();
                    json.writeEndObject();
                }
            }
            json.writeEndArray();
        }
        body.write('\n');
        response.send(200, JSON_TYPE, body.toByteArray());
    }

    /**
     * {@code GET /api/v1/trades?exchange=&symbol=&from=&to=&limit=&format=json|csv}: the trades of one series with
     * {@code from <= ts < to}, in time order, streamed, in the same formats as {@code tickvault query trades}; the
     * gap markers overlapping the range in {@link GapHeaders headers}.
     */
    void trades(ApiRequest request, ApiResponse response) throws IOException {
        request.allowOnly(Set.of("exchange", "symbol", "from", "to", "limit", "format"));
        SeriesKey series = request.series();
        long from = request.time("from", Long.MIN_VALUE);
        long to = request.time("to", Long.MAX_VALUE);
        ApiRequest.requireOrdered(from, to);
        long limit = request.integer("limit", config.maxResultRows(), 0, config.maxResultRows());
        String format = request.choice("format", "json", FORMATS);
        requireSeries(series, Table.TRADES);
        GapHeaders.add(response, store.gaps(series, from, to));
        try (TradeCursor cursor = store.trades(series, from, to)) {
            OutputStream stream = response.stream(format.equals("csv") ? CSV_TYPE : JSON_TYPE);
            Writer out = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), 1 << 15);
            TradeOutput output = format.equals("csv") ? new CsvTradeOutput(out) : new JsonTradeOutput(out);
            output.begin();
            for (long rows = 0; rows < limit && cursor.next(); rows++) {
                output.row(cursor);
                if ((rows & 0xFFF) == 0xFFF) {
                    response.checkDeadline();
                }
            }
            output.end();
            out.close();
        }
    }

    /** {@code GET /api/v1/gaps?exchange=&symbol=&from=&to=}: the gap markers of one series overlapping the range. */
    void gaps(ApiRequest request, ApiResponse response) throws IOException {
        request.allowOnly(Set.of("exchange", "symbol", "from", "to"));
        SeriesKey series = request.series();
        long from = request.time("from", Long.MIN_VALUE);
        long to = request.time("to", Long.MAX_VALUE);
        ApiRequest.requireOrdered(from, to);
        List<GapMarker> gaps = store.gaps(series, from, to);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        StringBuilder text = new StringBuilder(40);
        try (JsonGenerator json = JSON.createGenerator(body)) {
            json.writeStartArray();
            for (GapMarker gap : gaps) {
                json.writeStartObject();
                json.writeStringField("exchange", gap.series().exchange());
                json.writeStringField("symbol", gap.series().symbol());
                json.writeStringField("channel", gap.channel());
                text.setLength(0);
                TimeFormats.appendIso(text, gap.fromNanos());
                json.writeStringField("from", text.toString());
                text.setLength(0);
                TimeFormats.appendIso(text, gap.toNanos());
                json.writeStringField("to", text.toString());
                json.writeStringField("reason", gap.reason());
                json.writeEndObject();
            }
            json.writeEndArray();
        }
        body.write('\n');
        response.send(200, JSON_TYPE, body.toByteArray());
    }

    /**
     * {@code GET /api/v1/feeds}: the feeds recorded by this process (empty when it only serves): counters, message
     * rate since the previous call, receive → commit latency.
     */
    void feeds(ApiRequest request, ApiResponse response) throws IOException {
        request.allowOnly(Set.of());
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try (JsonGenerator json = JSON.createGenerator(body)) {
            json.writeStartArray();
            for (FeedStatusBoard.FeedStatus feed : feeds.snapshot()) {
                json.writeStartObject();
                json.writeStringField("name", feed.name());
                json.writeNumberField("messages", feed.messages());
                json.writeNumberField("messages_per_second", feed.messagesPerSecond());
                json.writeNumberField("trades", feed.trades());
                json.writeNumberField("book_updates", feed.bookUpdates());
                json.writeNumberField("reconnects", feed.reconnects());
                json.writeNumberField("gaps", feed.gaps());
                json.writeNumberField("malformed", feed.malformed());
                json.writeNumberField("resyncs", feed.resyncs());
                writeNullable(json, "commit_latency_p50_ms", feed.commitLatencyP50Millis());
                writeNullable(json, "commit_latency_p99_ms", feed.commitLatencyP99Millis());
                json.writeEndObject();
            }
            json.writeEndArray();
        }
        body.write('\n');
        response.send(200, JSON_TYPE, body.toByteArray());
    }

    private static void writeNullable(JsonGenerator json, String name, Double value) throws IOException {
        if (value == null) {
            json.writeNullField(name);
        } else {
            json.writeNumberField(name, value);
        }
    }

    /** {@code GET /metrics}: Prometheus text exposition format. */
    void metrics(ApiRequest request, ApiResponse response) {
        request.allowOnly(Set.of());
        response.send(200, "text/plain; version=0.0.4; charset=utf-8", ApiResponse.utf8(registry.scrape()));
    }

    private void requireSeries(SeriesKey series, Table table) {
        if (!store.series(table).contains(series)) {
            throw new BadRequestException(
                    404,
                    "symbol",
                    "no " + table.name().toLowerCase(java.util.Locale.ROOT) + " stored for " + series.exchange() + " "
                            + series.symbol());
        }
    }
}
