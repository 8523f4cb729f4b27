package dev.tickvault.feed.alphavantage;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.tickvault.feed.alphavantage.AlphaVantageException.Kind;
import dev.tickvault.model.Decimal;
import dev.tickvault.model.SeriesKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parses Alpha Vantage {@code TIME_SERIES_INTRADAY} responses, JSON and CSV, into exact {@link IntradayBar}s.
 *
 * <p>Shapes, per https://www.alphavantage.co/documentation/#intraday:
 *
 * <pre>
 * {"Meta Data": {"1. Information": "...", "2. Symbol": "IBM", "3. Last Refreshed": "2024-01-05 19:55:00",
 *                "4. Interval": "5min", "5. Output Size": "Compact", "6. Time Zone": "US/Eastern"},
 *  "Time Series (5min)": {"2024-01-05 19:55:00": {"1. open": "160.9100", "2. high": "160.9100",
 *                         "3. low": "160.8600", "4. close": "160.8600", "5. volume": "20"}, ...}}
 *
 * timestamp,open,high,low,close,volume
 * 2024-01-05 19:55:00,160.9100,160.9100,160.8600,160.8600,20
 * </pre>
 *
 * <p>Bar times are local times of the metadata's time zone ({@code US/Eastern}); they are converted to UTC with the
 * zone's rules for that date, so bars either side of a daylight-saving change land one hour apart in UTC exactly as
 * they were apart on the wall clock plus the offset change. A local time that does not exist (the spring-forward hour)
 * is malformed; one that exists twice (the fall-back hour, outside the 04:00-20:00 extended session) takes the earlier
 * offset, as one response cannot hold both (a JSON object has each time once).
 *
 * <p>Errors come back with HTTP 200: {@code {"Error Message": ...}} (invalid call), {@code {"Note": ...}} (rate limit,
 * older wording) and {@code {"Information": ...}} (rate limit, premium-only feature, demo key). They throw {@link
 * AlphaVantageException} of kind {@link Kind#API_ERROR}, {@link Kind#RATE_LIMITED} or {@link Kind#INFORMATION} and are
 * never read as data. CSV requests get the same JSON error bodies, which are recognised too.
 *
 * <p>A bar with a malformed number or time is skipped, counted in {@link #malformedBars()} and in {@link
 * IntradaySeries#skippedBars()}, and logged with a sample. A body that is not the documented shape throws {@link
 * Kind#MALFORMED}.
 *
 * <p>Thread-safe: each call works on its own state (the counter is a {@link LongAdder}).
 */
public final class AlphaVantageIntradayParser {

    /** Exchange name of the bars' series. */
    public static final String EXCHANGE = "alphavantage";
    /** The time zone of CSV bodies (the JSON metadata of the same endpoint names it). */
    public static final String DEFAULT_TIME_ZONE = "US/Eastern";

    private static final Logger LOG = LoggerFactory.getLogger(AlphaVantageIntradayParser.class);
    private static final DateTimeFormatter LOCAL_TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm[:ss]", Locale.ROOT);
    private static final int SAMPLE_CHARS = 300;

    private final JsonFactory jsonFactory = new JsonFactory();
    private final LongAdder malformedBars = new LongAdder();
    private final String secret;

    /** A parser whose messages and logs may show anything the API sent. */
    public AlphaVantageIntradayParser() {
        this(null);
    }

    /**
     * A parser that replaces {@code secret} (the API key, which rate-limit messages quote) by {@code ***} in every
     * message and log line.
     */
    public AlphaVantageIntradayParser(String secret) {
        this.secret = secret == null || secret.isEmpty() ? null : secret;
    }

    /** Bars skipped as malformed, over every call. */
    public long malformedBars() {
        return malformedBars.sum();
    }

    /**
     * Parses a JSON body.
     *
     * @param requestedSymbol the symbol asked for (names the series), or {@code null} to take the metadata's
     * @throws AlphaVantageException for error bodies and bodies not of the documented shape
     */
    public IntradaySeries parseJson(byte[] body, String requestedSymbol) {
        Map<String, String> meta = new HashMap<>();
        Map<String, Map<String, String>> rawBars = new TreeMap<>();
        String seriesName = null;
        Map<String, String> messages = new HashMap<>();
        try (JsonParser parser = jsonFactory.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw malformedBody("not a JSON object", body);
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (name.equals("Meta Data") && value == JsonToken.START_OBJECT) {
                    readStrings(parser, meta);
                } else if (name.startsWith("Time Series") && value == JsonToken.START_OBJECT) {
                    seriesName = name;
                    while (parser.nextToken() == JsonToken.FIELD_NAME) {
                        String time = parser.currentName();
                        Map<String, String> fields = new HashMap<>();
                        if (parser.nextToken() == JsonToken.START_OBJECT) {
                            readStrings(parser, fields);
                        } else {
                            parser.skipChildren();
                        }
                        rawBars.put(time, fields);
                    }
                } else if (value == JsonToken.VALUE_STRING) {
                    messages.put(name, parser.getText());
                } else {
                    parser.skipChildren();
                }
            }
        } catch (IOException e) {
            throw malformedBody("invalid JSON: " + e.getMessage(), body);
        }
        if (messages.containsKey("Error Message")) {
            throw new AlphaVantageException(
                    Kind.API_ERROR, redact("Alpha Vantage error: " + messages.get("Error Message")));
        }
        if (seriesName == null) {
            for (String key : List.of("Note", "Information")) {
                String message = messages.get(key);
                if (message != null) {
                    Kind kind = key.equals("Note") || isAboutRate(message) ? Kind.RATE_LIMITED : Kind.INFORMATION;
                    throw new AlphaVantageException(kind, redact("Alpha Vantage " + key + ": " + message));
                }
            }
            throw malformedBody("no \"Time Series (...)\" object", body);
        }
        if (!messages.isEmpty()) {
            LOG.warn("Alpha Vantage sent data with a message: {}", redact(messages.toString()));
        }
        String zoneName = metaValue(meta, "Time Zone", DEFAULT_TIME_ZONE);
        String interval = metaValue(meta, "Interval", intervalOf(seriesName));
        String metaSymbol = metaValue(meta, "Symbol", null);
        String symbol = requestedSymbol != null ? requestedSymbol : metaSymbol;
        if (symbol == null) {
            throw malformedBody("no symbol in \"Meta Data\"", body);
        }
        if (requestedSymbol != null && metaSymbol != null && !metaSymbol.equalsIgnoreCase(requestedSymbol)) {
            LOG.warn("Alpha Vantage answered for {} when {} was asked", metaSymbol, requestedSymbol);
        }
        ZoneRules zone = zone(zoneName, body);
        SeriesKey series = SeriesKey.of(EXCHANGE, symbol);
        List<IntradayBar> bars = new ArrayList<>(rawBars.size());
        int skipped = 0;
        for (Map.Entry<String, Map<String, String>> entry : rawBars.entrySet()) {
            Map<String, String> f = entry.getValue();
            IntradayBar bar = bar(
                    series,
                    interval,
                    zone,
                    entry.getKey(),
                    field(f, "open"),
                    field(f, "high"),
                    field(f, "low"),
                    field(f, "close"),
                    field(f, "volume"));
            if (bar == null) {
                skipped++;
            } else {
                bars.add(bar);
            }
        }
        bars.sort((a, b) -> Long.compare(a.barTimeNanos(), b.barTimeNanos()));
        return new IntradaySeries(symbol, interval, zoneName, bars, skipped);
    }

    /**
     * Parses a CSV body ({@code datatype=csv}); a JSON body (the API's error answers) is handed to {@link #parseJson}.
     *
     * @param interval the interval requested (CSV bodies do not repeat it)
     * @throws AlphaVantageException for error bodies and bodies not of the documented shape
     */
    public IntradaySeries parseCsv(byte[] body, String symbol, String interval) {
        String text = new String(body, StandardCharsets.UTF_8);
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        if (text.stripLeading().startsWith("{")) {
            return parseJson(body, symbol);
        }
        String[] lines = text.split("\n");
        int line = 0;
        while (line < lines.length && lines[line].isBlank()) {
            line++;
        }
        if (line == lines.length) {
            throw malformedBody("empty CSV body", body);
        }
        String[] header = lines[line++].strip().toLowerCase(Locale.ROOT).split(",", -1);
        int time = column(header, "timestamp", body);
        int open = column(header, "open", body);
        int high = column(header, "high", body);
        int low = column(header, "low", body);
        int close = column(header, "close", body);
        int volume = column(header, "volume", body);
        ZoneRules zone = zone(DEFAULT_TIME_ZONE, body);
        SeriesKey series = SeriesKey.of(EXCHANGE, symbol);
        Map<Long, IntradayBar> bars = new TreeMap<>();
        int skipped = 0;
        for (; line < lines.length; line++) {
            String row = lines[line].strip();
            if (row.isEmpty()) {
                continue;
            }
            String[] cells = row.split(",", -1);
            IntradayBar bar = cells.length != header.length
                    ? malformedBar("row has " + cells.length + " cells, header " + header.length, row)
                    : bar(
                            series,
                            interval,
                            zone,
                            cells[time],
                            cells[open],
                            cells[high],
                            cells[low],
                            cells[close],
                            cells[volume]);
            if (bar == null) {
                skipped++;
            } else {
                bars.putIfAbsent(bar.barTimeNanos(), bar);
            }
        }
        return new IntradaySeries(symbol, interval, DEFAULT_TIME_ZONE, new ArrayList<>(bars.values()), skipped);
    }

    /** Whether an {@code "Information"} message is about the request rate (the API's current rate-limit wording). */
    static boolean isAboutRate(String message) {
        String lower = message.toLowerCase(Locale.ROOT);
        return lower.contains("rate limit")
                || lower.contains("call frequency")
                || lower.contains("requests per day")
                || lower.contains("requests per minute")
                || lower.contains("calls per minute");
    }

    /** The UTC nanoseconds of a local time in {@code zone}; see the class comment for the DST rules. */
    static long toUtcNanos(LocalDateTime local, ZoneRules zone) {
        List<ZoneOffset> offsets = zone.getValidOffsets(local);
        if (offsets.isEmpty()) {
            throw new DateTimeException(local + " does not exist in this time zone (daylight-saving gap)");
        }
        long seconds = local.toEpochSecond(offsets.get(0)); // earlier instant when the time exists twice
        return Math.addExact(Math.multiplyExact(seconds, 1_000_000_000L), local.getNano());
    }

    private IntradayBar bar(
            SeriesKey series,
            String interval,
            ZoneRules zone,
            String time,
            String open,
            String high,
            String low,
            String close,
            String volume) {
        try {
            long nanos = toUtcNanos(LocalDateTime.parse(time.strip(), LOCAL_TIME), zone);
            return new IntradayBar(
                    series,
                    interval,
                    nanos,
                    number("open", open),
                    number("high", high),
                    number("low", low),
                    number("close", close),
                    number("volume", volume));
        } catch (RuntimeException e) {
            return malformedBar(
                    e.getMessage(), time + " " + open + " " + high + " " + low + " " + close + " " + volume);
        }
    }

    private static Decimal number(String name, String text) {
        if (text == null) {
            throw new IllegalArgumentException("missing " + name);
        }
        return Decimal.parse(text.strip());
    }

    private IntradayBar malformedBar(String why, String sample) {
        malformedBars.increment();
        long count = malformedBars.sum();
        if (count <= 10 || count % 1000 == 0) {
            LOG.warn("Alpha Vantage: skipped malformed bar ({} so far): {}; bar: {}", count, why, redact(sample));
        }
        return null;
    }

    private static void readStrings(JsonParser parser, Map<String, String> into) throws IOException {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            if (value.isScalarValue()) {
                into.put(name, parser.getText());
            } else {
                parser.skipChildren();
            }
        }
    }

    /** Metadata keys are numbered ({@code "6. Time Zone"}); match the name after the number. */
    private static String metaValue(Map<String, String> meta, String name, String fallback) {
        for (Map.Entry<String, String> entry : meta.entrySet()) {
            if (stripNumber(entry.getKey()).equalsIgnoreCase(name)) {
                return entry.getValue();
            }
        }
        return fallback;
    }

    private static String field(Map<String, String> fields, String name) {
        return metaValue(fields, name, null);
    }

    private static String stripNumber(String key) {
        int dot = key.indexOf(". ");
        return dot >= 0 && dot <= 3 ? key.substring(dot + 2).strip() : key.strip();
    }

    private static String intervalOf(String seriesName) {
        int open = seriesName.indexOf('(');
        int close = seriesName.indexOf(')');
        return open >= 0 && close > open ? seriesName.substring(open + 1, close) : "unknown";
    }

    private ZoneRules zone(String name, byte[] body) {
        try {
            return ZoneId.of(name).getRules();
        } catch (DateTimeException e) {
            throw malformedBody("unknown time zone \"" + name + "\"", body);
        }
    }

    private int column(String[] header, String name, byte[] body) {
        for (int i = 0; i < header.length; i++) {
            if (header[i].strip().equals(name)) {
                return i;
            }
        }
        throw malformedBody("CSV header has no \"" + name + "\" column", body);
    }

    private AlphaVantageException malformedBody(String why, byte[] body) {
        String sample = new String(body, 0, Math.min(body.length, SAMPLE_CHARS), StandardCharsets.UTF_8);
        return new AlphaVantageException(
                Kind.MALFORMED, redact("unexpected Alpha Vantage body: " + why + "; body starts: " + sample));
    }

    private String redact(String text) {
        return secret == null ? text : text.replace(secret, "***");
    }
}
