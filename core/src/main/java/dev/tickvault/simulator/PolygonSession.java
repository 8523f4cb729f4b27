package dev.tickvault.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A Polygon.io stocks WebSocket client ({@code /polygon/stocks}), served from the synthetic {@link PolygonMarket}, as
 * Polygon documents the protocol (polygon.io/docs/websocket/quickstart, massive.com/docs/websocket): on open {@code
 * [{"ev":"status","status":"connected",...}]}; {@code {"action":"auth","params":KEY}} answered {@code auth_success}
 * when KEY is {@link #API_KEY}, else {@code auth_failed}; {@code subscribe} / {@code unsubscribe} with {@code params}
 * a comma-separated list of {@code T.<ticker>} and {@code Q.<ticker>} (a subscription before authentication is
 * refused with {@code {"status":"error","message":"not authorized"}}), confirmed by one {@code success} status per
 * topic. Every {@link PolygonMarket#TICK_MILLIS} ms the client gets one frame: a JSON array of the tick's trades
 * ({@code ev:"T"}) and quotes ({@code ev:"Q"}) of its topics.
 */
final class PolygonSession extends SimSession implements PolygonMarket.Listener {

    /** The key the simulator accepts ({@code POLYGON_API_KEY=tickvault-simulator tickvault record ...}). */
    static final String API_KEY = "tickvault-simulator";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final PolygonMarket market;
    private final Set<String> tradeTickers = new LinkedHashSet<>();
    private final Set<String> quoteTickers = new LinkedHashSet<>();
    private final StringBuilder frame = new StringBuilder(4096);
    private boolean authenticated;

    PolygonSession(ExchangeSimulator simulator, int id, String path, Channel channel, PolygonMarket market) {
        super(simulator, id, "polygon", path, channel);
        this.market = market;
        market.addListener(this);
        sendControl("[{\"ev\":\"status\",\"status\":\"connected\",\"message\":\"Connected Successfully\"}]");
    }

    @Override
    List<String> subscriptions() {
        List<String> out = new ArrayList<>();
        tradeTickers.forEach(t -> out.add("T." + t));
        quoteTickers.forEach(t -> out.add("Q." + t));
        return out;
    }

    @Override
    void onClientText(String text) {
        simulator.stats().clientMessages.increment();
        JsonNode request;
        try {
            request = JSON.readTree(text);
        } catch (Exception e) {
            simulator.stats().clientErrors.increment();
            status("error", "invalid JSON");
            return;
        }
        String action = request.path("action").asText();
        String params = request.path("params").asText();
        switch (action) {
            case "auth" -> {
                if (params.equals(API_KEY)) {
                    authenticated = true;
                    status("auth_success", "authenticated");
                } else {
                    simulator.stats().clientErrors.increment();
                    status("auth_failed", "authentication failed");
                }
            }
            case "subscribe", "unsubscribe" -> {
                if (!authenticated) {
                    simulator.stats().clientErrors.increment();
                    status("error", "not authorized");
                    return;
                }
                for (String topic : params.split(",")) {
                    subscription(action.equals("subscribe"), topic.trim());
                }
            }
            default -> {
                simulator.stats().clientErrors.increment();
                status("error", "unknown action: " + action);
            }
        }
    }

    private void subscription(boolean subscribe, String topic) {
        int dot = topic.indexOf('.');
        String kind = dot < 0 ? "" : topic.substring(0, dot);
        String ticker = dot < 0 ? "" : topic.substring(dot + 1);
        Set<String> tickers =
                switch (kind) {
                    case "T" -> tradeTickers;
                    case "Q" -> quoteTickers;
                    default -> null;
                };
        if (tickers == null || ticker.isEmpty()) {
            simulator.stats().clientErrors.increment();
            status("error", "unknown topic: " + topic);
            return;
        }
        if (subscribe) {
            if (!market.open(ticker)) {
                simulator.stats().clientErrors.increment();
                status("error", "too many tickers in the simulated market: " + topic);
                return;
            }
            tickers.add(ticker);
            status("success", "subscribed to: " + topic);
        } else {
            tickers.remove(ticker);
            status("success", "unsubscribed to: " + topic);
        }
    }

    private void status(String status, String message) {
        sendControl("[{\"ev\":\"status\",\"status\":\"" + status + "\",\"message\":\"" + message.replace("\"", "'")
                + "\"}]");
    }

    @Override
    public void onTick(List<PolygonMarket.Trade> trades, List<PolygonMarket.Quote> quotes) {
        if (tradeTickers.isEmpty() && quoteTickers.isEmpty()) {
            return;
        }
        frame.setLength(0);
        for (PolygonMarket.Trade t : trades) {
            if (tradeTickers.contains(t.ticker())) {
                frame.append(frame.isEmpty() ? '[' : ',')
                        .append("{\"ev\":\"T\",\"sym\":\"")
                        .append(t.ticker())
                        .append("\",\"x\":4,\"i\":\"")
                        .append(t.id())
                        .append("\",\"z\":3,\"p\":")
                        .append(t.price())
                        .append(",\"s\":")
                        .append(t.size());
                if (t.fractionalSize() != null) {
                    frame.append(",\"ds\":\"").append(t.fractionalSize()).append('"');
                }
                frame.append(",\"c\":[12],\"t\":")
                        .append(t.timeMillis())
                        .append(",\"q\":")
                        .append(t.sequence())
                        .append('}');
            }
        }
        for (PolygonMarket.Quote q : quotes) {
            if (quoteTickers.contains(q.ticker())) {
                frame.append(frame.isEmpty() ? '[' : ',')
                        .append("{\"ev\":\"Q\",\"sym\":\"")
                        .append(q.ticker())
                        .append("\",\"bx\":11,\"bp\":")
                        .append(q.bidPrice())
                        .append(",\"bs\":")
                        .append(q.bidSize())
                        .append(",\"ax\":12,\"ap\":")
                        .append(q.askPrice())
                        .append(",\"as\":")
                        .append(q.askSize())
                        .append(",\"c\":0,\"t\":")
                        .append(q.timeMillis())
                        .append(",\"q\":")
                        .append(q.sequence())
                        .append(",\"z\":3}");
            }
        }
        if (!frame.isEmpty()) {
            frame.append(']');
            sendData(Unpooled.copiedBuffer(frame, StandardCharsets.UTF_8));
            flush();
        }
    }
}
