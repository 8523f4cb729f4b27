package dev.tickvault.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tickvault.feed.book.BookSide;
import dev.tickvault.feed.book.OrderBook;
import dev.tickvault.model.Side;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A Coinbase Advanced Trade market data client ({@code /coinbase-advanced}), served from the Coinbase Exchange
 * recording's market ({@link MarketReplay}) in the Advanced Trade message shapes: requests {@code {"type":"subscribe"|
 * "unsubscribe","product_ids":[…],"channel":"level2"|"market_trades"|"heartbeats"}} (a {@code jwt} is accepted and
 * ignored); every message is {@code {"channel":…,"client_id":"","timestamp":…,"sequence_num":N,"events":[…]}} with
 * {@code sequence_num} counting this connection's messages from 0. {@code level2} sends {@code l2_data}: a {@code
 * snapshot} of the whole book at subscription, then {@code update}s ({@code side} {@code bid}/{@code offer}, {@code
 * price_level}, {@code new_quantity}, {@code event_time}); {@code market_trades} a {@code snapshot} of the last 50 then
 * each trade ({@code side} is the maker's, as in the Exchange feed the recording comes from; {@code trade_id} the
 * recorded one); {@code heartbeats} one a second with a {@code heartbeat_counter}. Replies {@code subscriptions}.
 *
 * <p>Fault: {@link FaultInjector#coinbaseSequenceGap} drops the next data message of a product while its {@code
 * sequence_num} is used up, so the client sees a jump.
 */
final class CoinbaseAdvancedSession extends SimSession implements MarketReplay.Listener {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final MarketReplay market;
    private final Set<String> level2 = new LinkedHashSet<>();
    private final Set<String> trades = new LinkedHashSet<>();
    private final Set<String> dropNext = new HashSet<>();
    private boolean heartbeats;
    private long sequence;
    private long heartbeatCounter;
    private long lastHeartbeatMono = System.nanoTime();

    CoinbaseAdvancedSession(ExchangeSimulator simulator, int id, String path, Channel channel, MarketReplay market) {
        super(simulator, id, "coinbase-advanced", path, channel);
        this.market = market;
        market.addListener(this);
    }

    @Override
    List<String> subscriptions() {
        List<String> out = new ArrayList<>();
        level2.forEach(p -> out.add("level2:" + p));
        trades.forEach(p -> out.add("market_trades:" + p));
        if (heartbeats) {
            out.add("heartbeats");
        }
        return out;
    }

    /** Drops the next data message of {@code product} (its sequence number is skipped); false if not subscribed. */
    boolean dropNextMessage(String product) {
        if (level2.contains(product) || trades.contains(product)) {
            dropNext.add(product);
            return true;
        }
        return false;
    }

    @Override
    void housekeeping(long nowMono) {
        if (heartbeats && nowMono - lastHeartbeatMono >= 1_000_000_000L) {
            lastHeartbeatMono = nowMono;
            String time = RecordedMarket.rfc3339Micros(market.timeNanos());
            send(
                    "heartbeats",
                    "{\"current_time\":\"" + time + "\",\"heartbeat_counter\":" + (++heartbeatCounter) + "}",
                    true);
        }
    }

    @Override
    void onClientText(String text) {
        simulator.stats().clientMessages.increment();
        JsonNode request;
        try {
            request = JSON.readTree(text);
        } catch (Exception e) {
            error("malformed request");
            return;
        }
        String type = request.path("type").asText();
        String channelName = request.path("channel").asText();
        if (!type.equals("subscribe") && !type.equals("unsubscribe")) {
            error("type must be subscribe or unsubscribe");
            return;
        }
        boolean subscribe = type.equals("subscribe");
        List<String> products = new ArrayList<>();
        for (JsonNode p : request.path("product_ids")) {
            String product = p.asText();
            if (!market.market().products.contains(product)) {
                error("Failed to subscribe: " + product + " is not a valid product");
                return;
            }
            products.add(product);
        }
        switch (channelName) {
            case "heartbeats" -> heartbeats = subscribe;
            case "level2", "market_trades" -> {
                if (products.isEmpty()) {
                    error("Failed to subscribe: product_ids required");
                    return;
                }
                Set<String> set = channelName.equals("level2") ? level2 : trades;
                if (subscribe) {
                    set.addAll(products);
                } else {
                    products.forEach(set::remove);
                }
            }
            default -> {
                error("Failed to subscribe: unknown channel " + channelName);
                return;
            }
        }
        send(
                "subscriptions",
                "{\"subscriptions\":{" + list("level2", level2) + "," + list("market_trades", trades)
                        + (heartbeats ? ",\"heartbeats\":[\"heartbeats\"]" : "") + "}}",
                true);
        if (subscribe) {
            for (String product : products) {
                if (channelName.equals("level2")) {
                    OrderBook book = market.book(product);
                    if (book != null) {
                        sendSnapshot(product, book, market.lastTimeNanos(product));
                    }
                } else if (channelName.equals("market_trades")) {
                    StringBuilder s = new StringBuilder("{\"type\":\"snapshot\",\"trades\":[");
                    List<MarketReplay.NumberedTrade> recent = market.recentTrades(product);
                    for (int i = recent.size() - 1; i >= 0; i--) { // newest first, as Coinbase sends them
                        if (i < recent.size() - 1) {
                            s.append(',');
                        }
                        appendTrade(s, recent.get(i));
                    }
                    send("market_trades", s.append("]}").toString(), false);
                }
            }
            flush();
            market.start();
        }
    }

    @Override
    public void onEvent(RecordedMarket.Event event, long tradeId) {
        String product = event.product();
        if (event.trade() != null) {
            if (trades.contains(product)) {
                StringBuilder s = new StringBuilder("{\"type\":\"update\",\"trades\":[");
                appendTrade(s, new MarketReplay.NumberedTrade(product, event.trade(), tradeId, event.timeNanos()));
                sendOrDrop(product, "market_trades", s.append("]}").toString());
            }
            return;
        }
        if (!level2.contains(product)) {
            return;
        }
        if (event.snapshot()) {
            sendSnapshot(product, market.book(product), event.timeNanos());
            return;
        }
        String time = RecordedMarket.rfc3339Micros(event.timeNanos());
        StringBuilder s = new StringBuilder("{\"type\":\"update\",\"product_id\":\"" + product + "\",\"updates\":[");
        boolean first = true;
        for (RecordedMarket.Level level : event.levels()) {
            if (!first) {
                s.append(',');
            }
            first = false;
            appendLevel(s, level.side(), level.price(), level.quantity(), time);
        }
        sendOrDrop(product, "l2_data", s.append("]}").toString());
    }

    private void sendSnapshot(String product, OrderBook book, long timeNanos) {
        String time = RecordedMarket.rfc3339Micros(timeNanos);
        StringBuilder s = new StringBuilder("{\"type\":\"snapshot\",\"product_id\":\"" + product + "\",\"updates\":[");
        boolean first = true;
        for (Side side : new Side[] {Side.BUY, Side.SELL}) {
            BookSide levels = book.side(side);
            for (int i = 0; i < levels.size(); i++) {
                if (!first) {
                    s.append(',');
                }
                first = false;
                appendLevel(s, side, levels.priceText(i), levels.quantityText(i), time);
            }
        }
        send("l2_data", s.append("]}").toString(), false);
    }

    private static void appendLevel(StringBuilder s, Side side, String price, String quantity, String time) {
        s.append("{\"side\":\"")
                .append(side == Side.BUY ? "bid" : "offer")
                .append("\",\"event_time\":\"")
                .append(time)
                .append("\",\"price_level\":\"")
                .append(price)
                .append("\",\"new_quantity\":\"")
                .append(quantity)
                .append("\"}");
    }

    private static void appendTrade(StringBuilder s, MarketReplay.NumberedTrade t) {
        Side maker = t.trade().takerSide() == Side.BUY ? Side.SELL : Side.BUY;
        s.append("{\"trade_id\":\"")
                .append(t.tradeId())
                .append("\",\"product_id\":\"")
                .append(t.product())
                .append("\",\"price\":\"")
                .append(t.trade().price())
                .append("\",\"size\":\"")
                .append(t.trade().quantity())
                .append("\",\"side\":\"")
                .append(maker == Side.BUY ? "BUY" : "SELL")
                .append("\",\"time\":\"")
                .append(RecordedMarket.rfc3339Micros(t.timeNanos()))
                .append("\"}");
    }

    private void sendOrDrop(String product, String channelName, String event) {
        if (dropNext.remove(product)) {
            sequence++; // the message is lost: the client sees sequence_num jump
            simulator.stats().messagesDroppedByFault.increment();
            return;
        }
        send(channelName, event, false);
    }

    /**
     * Sends one message. Its {@code timestamp} is the market's time (the recording's, as the replayed events carry),
     * so that header times and event times are one time line, as on the live feed.
     */
    private void send(String channelName, String event, boolean control) {
        String json = "{\"channel\":\"" + channelName + "\",\"client_id\":\"\",\"timestamp\":\""
                + RecordedMarket.rfc3339Micros(market.timeNanos()) + "\",\"sequence_num\":" + (sequence++)
                + ",\"events\":[" + event + "]}";
        if (control) {
            sendControl(json);
        } else {
            sendData(Unpooled.wrappedBuffer(json.getBytes(StandardCharsets.UTF_8)));
        }
    }

    private static String list(String name, Set<String> products) {
        StringBuilder s = new StringBuilder("\"" + name + "\":[");
        boolean first = true;
        for (String p : products) {
            if (!first) {
                s.append(',');
            }
            first = false;
            s.append('"').append(p).append('"');
        }
        return s.append(']').toString();
    }

    private void error(String message) {
        simulator.stats().clientErrors.increment();
        sendControl("{\"type\":\"error\",\"message\":\"" + BinanceSession.jsonSafe(message) + "\"}");
    }
}
