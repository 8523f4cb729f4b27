package dev.tickvault.query;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * A deliberately simple, independent reader of the hftbacktest Binance recordings for test oracles: regular
 * expressions over each line, no project parser involved. Prices and quantities stay text.
 */
final class BinanceRecording {

    record TradeRow(long tsNanos, long recvNanos, String price, String quantity, boolean buyerIsMaker, long id) {}

    record Level(String price, String quantity) {}

    record DepthEvent(
            long tsNanos, long recvNanos, long firstUpdateId, long lastUpdateId, List<Level> bids, List<Level> asks) {}

    record Snapshot(long recvNanos, long lastUpdateId, List<Level> bids, List<Level> asks) {}

    private static final Pattern TRADE_PRICE = Pattern.compile("\"p\":\"([^\"]+)\"");
    private static final Pattern TRADE_QTY = Pattern.compile("\"q\":\"([^\"]+)\"");
    private static final Pattern TRADE_TIME = Pattern.compile("\"T\":(\\d+)");
    private static final Pattern TRADE_MAKER = Pattern.compile("\"m\":(true|false)");
    private static final Pattern TRADE_ID = Pattern.compile("\"t\":(\\d+)");
    private static final Pattern EVENT_TIME = Pattern.compile("\"E\":(\\d+)");
    private static final Pattern FIRST_ID = Pattern.compile("\"U\":(\\d+)");
    private static final Pattern LAST_ID = Pattern.compile("\"u\":(\\d+)");
    private static final Pattern SNAPSHOT_ID = Pattern.compile("\"lastUpdateId\":(\\d+)");
    private static final Pattern LEVEL = Pattern.compile("\\[\"([^\"]+)\",\"([^\"]+)\"\\]");

    final List<TradeRow> trades = new ArrayList<>();
    final List<DepthEvent> depth = new ArrayList<>();
    Snapshot snapshot;

    static BinanceRecording read(Path file) throws IOException {
        BinanceRecording recording = new BinanceRecording();
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                int space = line.indexOf(' ');
                long recv = Long.parseLong(line.substring(0, space));
                String message = line.substring(space + 1);
                if (message.contains("\"stream\":\"btcusdt@trade\"")) {
                    recording.trades.add(new TradeRow(
                            millisToNanos(group(TRADE_TIME, message)),
                            recv,
                            group(TRADE_PRICE, message),
                            group(TRADE_QTY, message),
                            group(TRADE_MAKER, message).equals("true"),
                            Long.parseLong(group(TRADE_ID, message))));
                } else if (message.contains("\"e\":\"depthUpdate\"")) {
                    int bidsAt = message.indexOf("\"b\":[");
                    int asksAt = message.indexOf("\"a\":[");
                    recording.depth.add(new DepthEvent(
                            millisToNanos(group(EVENT_TIME, message)),
                            recv,
                            Long.parseLong(group(FIRST_ID, message)),
                            Long.parseLong(group(LAST_ID, message)),
                            levels(message.substring(bidsAt, asksAt)),
                            levels(message.substring(asksAt))));
                } else if (message.startsWith("{\"lastUpdateId\"")) {
                    int bidsAt = message.indexOf("\"bids\":[");
                    int asksAt = message.indexOf("\"asks\":[");
                    recording.snapshot = new Snapshot(
                            recv,
                            Long.parseLong(group(SNAPSHOT_ID, message)),
                            levels(message.substring(bidsAt, asksAt)),
                            levels(message.substring(asksAt)));
                }
            }
        }
        return recording;
    }

    private static long millisToNanos(String millis) {
        return Long.parseLong(millis) * 1_000_000L;
    }

    private static String group(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        if (!m.find()) {
            throw new IllegalStateException("no " + pattern + " in " + text);
        }
        return m.group(1);
    }

    private static List<Level> levels(String section) {
        List<Level> levels = new ArrayList<>();
        Matcher m = LEVEL.matcher(section);
        while (m.find()) {
            levels.add(new Level(m.group(1), m.group(2)));
        }
        return levels;
    }
}
