package dev.tickvault.simulator;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.netty.channel.Channel;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Binance market-stream client: raw ({@code /ws}, {@code /ws/<stream>}) or combined ({@code /stream?streams=a/b},
 * frames wrapped in {@code {"stream":…,"data":…}}), with the {@code SUBSCRIBE} / {@code UNSUBSCRIBE} / {@code
 * LIST_SUBSCRIPTIONS} / {@code SET_PROPERTY} / {@code GET_PROPERTY} requests answered as Binance does ({@code
 * {"result":null,"id":N}}; errors {@code {"error":{"code":…,"msg":…},"id":N}}).
 *
 * <p>Confined to the simulator's event loop.
 */
final class BinanceSession extends SimSession {

    private static final JsonFactory JSON = new JsonFactory();

    final boolean combined;
    private final BinanceMarket market;
    /** stream key (depth speeds folded, lower case) → the name the client used. */
    private final Map<String, String> streams = new LinkedHashMap<>();

    BinanceSession(
            ExchangeSimulator simulator,
            int id,
            String path,
            Channel channel,
            BinanceMarket market,
            boolean combined,
            List<String> initialStreams) {
        super(simulator, id, market.kind.venue, path, channel);
        this.market = market;
        this.combined = combined;
        market.add(this);
        for (String s : initialStreams) {
            if (!s.isBlank()) {
                streams.put(BinanceEvent.streamKey(s), s);
            }
        }
        if (!streams.isEmpty()) {
            market.onSubscriber();
        }
    }

    String subscribedName(String streamKey) {
        return streams.isEmpty() ? null : streams.get(streamKey);
    }

    @Override
    List<String> subscriptions() {
        return new ArrayList<>(streams.values());
    }

    @Override
    void onClientText(String text) {
        simulator.stats().clientMessages.increment();
        String method = null;
        String id = "null";
        List<String> params = new ArrayList<>();
        try (JsonParser p = JSON.createParser(text)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("not an object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "method" -> method = p.getText();
                    case "id" -> id = value == JsonToken.VALUE_STRING ? "\"" + p.getText() + "\"" : p.getText();
                    case "params" -> {
                        if (value == JsonToken.START_ARRAY) {
                            while (p.nextToken() != JsonToken.END_ARRAY) {
                                params.add(p.getText());
                            }
                        } else {
                            p.skipChildren();
                        }
                    }
                    default -> p.skipChildren();
                }
            }
        } catch (IOException | RuntimeException e) {
            simulator.stats().clientErrors.increment();
            sendControl(
                    "{\"error\":{\"code\":3,\"msg\":\"Invalid JSON: " + jsonSafe(e.getMessage()) + "\"},\"id\":null}");
            return;
        }
        if (method == null) {
            error(id, 2, "Invalid request: missing field `method`");
            return;
        }
        switch (method) {
            case "SUBSCRIBE" -> {
                for (String s : params) {
                    streams.put(BinanceEvent.streamKey(s), s);
                }
                sendControl("{\"result\":null,\"id\":" + id + "}");
                if (!streams.isEmpty()) {
                    market.onSubscriber();
                }
            }
            case "UNSUBSCRIBE" -> {
                for (String s : params) {
                    streams.remove(BinanceEvent.streamKey(s));
                }
                sendControl("{\"result\":null,\"id\":" + id + "}");
            }
            case "LIST_SUBSCRIPTIONS" -> {
                StringBuilder s = new StringBuilder("{\"result\":[");
                boolean first = true;
                for (String name : streams.values()) {
                    if (!first) {
                        s.append(',');
                    }
                    first = false;
                    s.append('"').append(jsonSafe(name)).append('"');
                }
                sendControl(s.append("],\"id\":").append(id).append('}').toString());
            }
            case "SET_PROPERTY" -> sendControl("{\"result\":null,\"id\":" + id + "}");
            case "GET_PROPERTY" -> sendControl("{\"result\":" + combined + ",\"id\":" + id + "}");
            default -> error(id, 2, "Invalid request: unknown variant `" + jsonSafe(method) + "`");
        }
    }

    private void error(String id, int code, String message) {
        simulator.stats().clientErrors.increment();
        sendControl("{\"error\":{\"code\":" + code + ",\"msg\":\"" + message + "\"},\"id\":" + id + "}");
    }

    static String jsonSafe(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(' ');
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    @Override
    void onClosed() {
        super.onClosed();
        market.remove(this);
    }
}
