package dev.tickvault.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tickvault.feed.book.OrderBook;
import dev.tickvault.model.Side;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Kraken WebSocket v2 client ({@code /kraken/v2}), served from the Kraken recording's market ({@link MarketReplay}):
 * {@code status} on open; {@code subscribe} / {@code unsubscribe} ({@code params.channel} {@code book} with {@code
 * depth} 10, 25, 100, 500 or 1000, or {@code trade}; {@code params.symbol} a list; {@code req_id}) acknowledged per
 * symbol; {@code ping} → {@code pong}; {@code heartbeat} each second while subscribed.
 *
 * <p>Book: a {@code snapshot} of the book as it is at subscription, then {@code update}s keeping the client at its
 * depth ({@link BookView}), each with the CRC32 {@code checksum} of the client's top 10 levels computed the v2 way;
 * prices and quantities are JSON numbers spelt as recorded. Trades: a {@code snapshot} of the last 50, then each trade
 * ({@code side} = taker, {@code ord_type}, {@code trade_id} numbered per pair). The {@link FaultType#CHECKSUM} fault
 * alters the checksum of the next book update of a pair.
 */
final class KrakenV2Session extends SimSession implements MarketReplay.Listener {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<Integer> DEPTHS = Set.of(10, 25, 100, 500, 1000);

    private final MarketReplay market;
    private final Map<String, BookView> books = new LinkedHashMap<>();
    private final Set<String> trades = new LinkedHashSet<>();
    private final Set<String> badChecksumPairs = new HashSet<>();

    KrakenV2Session(ExchangeSimulator simulator, int id, String path, Channel channel, MarketReplay market) {
        super(simulator, id, "kraken-v2", path, channel);
        this.market = market;
        market.addListener(this);
        sendControl(
                "{\"channel\":\"status\",\"type\":\"update\",\"data\":[{\"version\":\"2.0.10\",\"system\":\"online\","
                        + "\"api_version\":\"v2\",\"connection_id\":" + (9_000_000_000L + id) + "}]}");
    }

    @Override
    List<String> subscriptions() {
        List<String> out = new ArrayList<>();
        books.keySet().forEach(s -> out.add("book:" + s));
        trades.forEach(s -> out.add("trade:" + s));
        return out;
    }

    /** Arms the bad-checksum fault for {@code pair} (v2 name); false if this client has no book of it. */
    boolean corruptNextChecksum(String pair) {
        if (books.containsKey(pair)) {
            badChecksumPairs.add(pair);
            return true;
        }
        return false;
    }

    @Override
    void housekeeping(long nowMono) {
        if ((!books.isEmpty() || !trades.isEmpty()) && nowMono - lastSentMonoNanos >= 1_000_000_000L) {
            sendControl("{\"channel\":\"heartbeat\"}");
        }
    }

    @Override
    void onClientText(String text) {
        simulator.stats().clientMessages.increment();
        JsonNode request;
        try {
            request = JSON.readTree(text);
        } catch (Exception e) {
            simulator.stats().clientErrors.increment();
            sendControl("{\"error\":\"Malformed request\",\"success\":false,\"time_in\":\"" + now()
                    + "\",\"time_out\":\"" + now() + "\"}");
            return;
        }
        String method = request.path("method").asText();
        String reqId =
                request.has("req_id") ? ",\"req_id\":" + request.get("req_id").asLong() : "";
        if (method.equals("ping")) {
            sendControl(
                    "{\"method\":\"pong\"" + reqId + ",\"time_in\":\"" + now() + "\",\"time_out\":\"" + now() + "\"}");
            return;
        }
        if (!method.equals("subscribe") && !method.equals("unsubscribe")) {
            error(method, null, "Method not found", reqId);
            return;
        }
        JsonNode params = request.path("params");
        String channelName = params.path("channel").asText();
        int depth = params.path("depth").asInt(10);
        boolean snapshot = params.path("snapshot").asBoolean(true);
        if (!channelName.equals("book") && !channelName.equals("trade")) {
            error(method, null, "Channel not found", reqId);
            return;
        }
        if (channelName.equals("book") && !DEPTHS.contains(depth)) {
            error(method, null, "Invalid depth", reqId);
            return;
        }
        if (!params.path("symbol").isArray() || params.path("symbol").isEmpty()) {
            error(method, null, "Symbol required", reqId);
            return;
        }
        boolean subscribe = method.equals("subscribe");
        for (JsonNode s : params.path("symbol")) {
            String symbol = s.asText();
            if (!market.market().products.contains(symbol)) {
                error(method, symbol, "Currency pair not supported", reqId);
                continue;
            }
            String result = "{\"channel\":\"" + channelName + "\""
                    + (channelName.equals("book") ? ",\"depth\":" + depth : "") + ",\"snapshot\":" + snapshot
                    + ",\"symbol\":\"" + symbol + "\"}";
            sendControl("{\"method\":\"" + method + "\",\"result\":" + result + ",\"success\":true,\"time_in\":\""
                    + now() + "\",\"time_out\":\"" + now() + "\"" + reqId + "}");
            if (channelName.equals("book")) {
                if (subscribe) {
                    BookView view = new BookView(depth);
                    books.put(symbol, view);
                    OrderBook book = market.book(symbol);
                    if (book != null && snapshot) {
                        sendBook(symbol, view, view.snapshot(book), true, market.lastTimeNanos(symbol));
                    }
                } else {
                    books.remove(symbol);
                }
            } else if (subscribe) {
                trades.add(symbol);
                if (snapshot) {
                    sendTradeSnapshot(symbol);
                }
            } else {
                trades.remove(symbol);
            }
        }
        flush();
        if (subscribe) {
            market.start();
        }
    }

    @Override
    public void onEvent(RecordedMarket.Event event, long tradeId) {
        if (event.trade() != null) {
            if (trades.contains(event.product())) {
                StringBuilder s = new StringBuilder("{\"channel\":\"trade\",\"type\":\"update\",\"data\":[");
                appendTrade(
                        s, new MarketReplay.NumberedTrade(event.product(), event.trade(), tradeId, event.timeNanos()));
                sendText(s.append("]}").toString());
            }
            return;
        }
        BookView view = books.get(event.product());
        if (view == null) {
            return;
        }
        OrderBook book = market.book(event.product());
        if (event.snapshot()) {
            sendBook(event.product(), view, view.snapshot(book), true, event.timeNanos());
        } else {
            List<BookView.Entry> changes = view.update(book);
            if (!changes.isEmpty()) {
                sendBook(event.product(), view, changes, false, event.timeNanos());
            }
        }
    }

    private void sendBook(String symbol, BookView view, List<BookView.Entry> levels, boolean snapshot, long timeNanos) {
        long checksum = view.krakenChecksum();
        if (!snapshot && badChecksumPairs.remove(symbol)) {
            checksum = (checksum + 1) & 0xFFFF_FFFFL;
        }
        StringBuilder s = new StringBuilder(64 + 48 * levels.size());
        s.append("{\"channel\":\"book\",\"type\":\"")
                .append(snapshot ? "snapshot" : "update")
                .append("\",\"data\":[{\"symbol\":\"")
                .append(symbol)
                .append("\",\"bids\":[");
        appendLevels(s, levels, Side.BUY);
        s.append("],\"asks\":[");
        appendLevels(s, levels, Side.SELL);
        s.append("],\"checksum\":").append(checksum);
        s.append(",\"timestamp\":\"")
                .append(RecordedMarket.rfc3339Micros(timeNanos))
                .append("\"}]}");
        sendText(s.toString());
    }

    private static void appendLevels(StringBuilder s, List<BookView.Entry> levels, Side side) {
        boolean first = true;
        for (BookView.Entry e : levels) {
            if (e.side() != side) {
                continue;
            }
            if (!first) {
                s.append(',');
            }
            first = false;
            // v2 sends numbers; spelt as recorded they keep the precision the checksum needs.
            s.append("{\"price\":")
                    .append(e.price())
                    .append(",\"qty\":")
                    .append(e.quantity())
                    .append('}');
        }
    }

    private void sendTradeSnapshot(String symbol) {
        StringBuilder s = new StringBuilder("{\"channel\":\"trade\",\"type\":\"snapshot\",\"data\":[");
        boolean first = true;
        for (MarketReplay.NumberedTrade t : market.recentTrades(symbol)) {
            if (!first) {
                s.append(',');
            }
            first = false;
            appendTrade(s, t);
        }
        sendText(s.append("]}").toString());
    }

    private static void appendTrade(StringBuilder s, MarketReplay.NumberedTrade t) {
        s.append("{\"symbol\":\"")
                .append(t.product())
                .append("\",\"side\":\"")
                .append(t.trade().takerSide() == Side.BUY ? "buy" : "sell")
                .append("\",\"price\":")
                .append(t.trade().price())
                .append(",\"qty\":")
                .append(t.trade().quantity())
                .append(",\"ord_type\":\"")
                .append(t.trade().orderType() == null ? "limit" : t.trade().orderType())
                .append("\",\"trade_id\":")
                .append(t.tradeId())
                .append(",\"timestamp\":\"")
                .append(RecordedMarket.rfc3339Micros(t.timeNanos()))
                .append("\"}");
    }

    private void sendText(String json) {
        sendData(Unpooled.wrappedBuffer(json.getBytes(StandardCharsets.UTF_8)));
    }

    private void error(String method, String symbol, String message, String reqId) {
        simulator.stats().clientErrors.increment();
        sendControl("{\"error\":\"" + message + "\",\"method\":\"" + BinanceSession.jsonSafe(method) + "\""
                + (symbol == null ? "" : ",\"symbol\":\"" + BinanceSession.jsonSafe(symbol) + "\"")
                + ",\"success\":false,\"time_in\":\"" + now() + "\",\"time_out\":\"" + now() + "\"" + reqId + "}");
    }

    private static String now() {
        return Instant.now().toString();
    }
}
