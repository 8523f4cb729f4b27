package dev.tickvault.simulator;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.netty.channel.Channel;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A Coinbase Exchange feed client ({@code /coinbase}): {@code subscribe} / {@code unsubscribe} with {@code
 * product_ids} and {@code channels} (names, or objects with their own {@code product_ids}) answered by a {@code
 * subscriptions} message, then the recording's {@code level2} ({@code snapshot}, {@code l2update}), {@code matches}
 * ({@code last_match}, {@code match}) and {@code ticker} frames of the subscribed products. An unknown product or
 * channel gets a {@code {"type":"error",…}} reply. No {@code heartbeat} messages are generated.
 *
 * <p>The session keeps the book of every product as its replay passes the recording's level2 frames, so a product
 * subscribed to level2 after the replay started (a client resyncing it) gets a {@code snapshot} of the book as it is
 * then. Fault: {@link FaultInjector#coinbaseSequenceGap} skips the next {@code match} of a product (its {@code
 * trade_id} goes missing).
 */
final class CoinbaseSession extends ReplaySession {

    private static final JsonFactory JSON = new JsonFactory();
    private static final Set<String> CHANNELS =
            Set.of("level2", "level2_batch", "level2_50", "matches", "ticker", "ticker_batch", "heartbeat", "status");

    private final RecordedFeed feed;
    private final Map<String, RecordedBook> books = new java.util.HashMap<>();
    private final Set<String> skipNextMatch = new java.util.HashSet<>();
    /** Client channel name → products. */
    private final Map<String, Set<String>> subscribed = new LinkedHashMap<>();

    CoinbaseSession(ExchangeSimulator simulator, int id, String path, Channel channel, RecordedFeed feed) {
        super(simulator, id, "coinbase", path, channel, feed);
        this.feed = feed;
    }

    private static String recordedChannel(String clientChannel) {
        return switch (clientChannel) {
            case "level2", "level2_batch", "level2_50" -> "level2";
            case "ticker", "ticker_batch" -> "ticker";
            default -> clientChannel;
        };
    }

    /** Skips the next match of {@code product}; false if this client does not receive its matches. */
    boolean skipNextMatch(String product) {
        Set<String> matches = subscribed.get("matches");
        if (matches != null && matches.contains(product)) {
            skipNextMatch.add(product);
            return true;
        }
        return false;
    }

    @Override
    void observe(RecordedFeed.Frame frame) {
        if (frame.channel().equals("level2")) {
            books.computeIfAbsent(frame.product(), p -> new RecordedBook()).apply(frame.payload());
        }
    }

    @Override
    boolean wants(RecordedFeed.Frame frame) {
        if (frame.channel().equals("matches") && skipNextMatch.remove(frame.product())) {
            simulator.stats().messagesDroppedByFault.increment();
            return false;
        }
        for (Map.Entry<String, Set<String>> e : subscribed.entrySet()) {
            if (recordedChannel(e.getKey()).equals(frame.channel())
                    && e.getValue().contains(frame.product())) {
                return true;
            }
        }
        return false;
    }

    @Override
    List<String> subscriptions() {
        List<String> out = new ArrayList<>();
        subscribed.forEach((channel, products) -> products.forEach(p -> out.add(channel + ":" + p)));
        return out;
    }

    @Override
    void onClientText(String text) {
        simulator.stats().clientMessages.increment();
        String type = null;
        Set<String> products = new LinkedHashSet<>();
        Map<String, Set<String>> channels = new LinkedHashMap<>();
        try (JsonParser p = JSON.createParser(text)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("not an object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "type" -> type = p.getText();
                    case "product_ids" -> readStrings(p, value, products);
                    case "channels" -> readChannels(p, value, channels);
                    default -> p.skipChildren();
                }
            }
        } catch (IOException | RuntimeException e) {
            error("Failed to parse message", String.valueOf(e.getMessage()));
            return;
        }
        if (!"subscribe".equals(type) && !"unsubscribe".equals(type)) {
            error("Failed to subscribe", "type has to be either subscribe or unsubscribe");
            return;
        }
        for (Map.Entry<String, Set<String>> e : channels.entrySet()) {
            if (!CHANNELS.contains(e.getKey())) {
                error("Failed to subscribe", e.getKey() + " is not a valid channel");
                return;
            }
            if (e.getValue().isEmpty()) {
                e.getValue().addAll(products);
            }
            for (String product : e.getValue()) {
                if (!feed.products.contains(product)) {
                    error("Failed to subscribe", product + " is not a valid product");
                    return;
                }
            }
        }
        boolean subscribe = type.equals("subscribe");
        for (Map.Entry<String, Set<String>> e : channels.entrySet()) {
            Set<String> current = subscribed.computeIfAbsent(e.getKey(), k -> new LinkedHashSet<>());
            if (subscribe) {
                current.addAll(e.getValue());
            } else {
                current.removeAll(e.getValue());
                if (current.isEmpty()) {
                    subscribed.remove(e.getKey());
                }
            }
        }
        sendControl(subscriptionsMessage());
        if (subscribe && replayStarted()) {
            // Joining a running replay: a level2 subscription starts with the book as it is now.
            for (Map.Entry<String, Set<String>> e : channels.entrySet()) {
                if (recordedChannel(e.getKey()).equals("level2")) {
                    for (String product : e.getValue()) {
                        RecordedBook book = books.get(product);
                        if (book != null) {
                            sendData(io.netty.buffer.Unpooled.wrappedBuffer(
                                    book.snapshotJson(product).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
                        }
                    }
                }
            }
            flush();
        }
        if (subscribe) {
            startReplay();
        }
    }

    private String subscriptionsMessage() {
        StringBuilder s = new StringBuilder("{\"type\":\"subscriptions\",\"channels\":[");
        boolean first = true;
        for (Map.Entry<String, Set<String>> e : subscribed.entrySet()) {
            if (!first) {
                s.append(',');
            }
            first = false;
            s.append("{\"name\":\"").append(e.getKey()).append("\",\"product_ids\":[");
            boolean firstProduct = true;
            for (String product : e.getValue()) {
                if (!firstProduct) {
                    s.append(',');
                }
                firstProduct = false;
                s.append('"').append(BinanceSession.jsonSafe(product)).append('"');
            }
            s.append("]}");
        }
        return s.append("]}").toString();
    }

    private void error(String message, String reason) {
        simulator.stats().clientErrors.increment();
        sendControl("{\"type\":\"error\",\"message\":\"" + message + "\",\"reason\":\""
                + BinanceSession.jsonSafe(reason) + "\"}");
    }

    private static void readStrings(JsonParser p, JsonToken value, Set<String> out) throws IOException {
        if (value != JsonToken.START_ARRAY) {
            p.skipChildren();
            return;
        }
        while (p.nextToken() != JsonToken.END_ARRAY) {
            out.add(p.getText());
        }
    }

    private static void readChannels(JsonParser p, JsonToken value, Map<String, Set<String>> out) throws IOException {
        if (value != JsonToken.START_ARRAY) {
            p.skipChildren();
            return;
        }
        for (JsonToken t; (t = p.nextToken()) != JsonToken.END_ARRAY; ) {
            if (t == JsonToken.VALUE_STRING) {
                out.computeIfAbsent(p.getText().toLowerCase(Locale.ROOT), k -> new LinkedHashSet<>());
            } else if (t == JsonToken.START_OBJECT) {
                String name = null;
                Set<String> products = new LinkedHashSet<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    JsonToken v = p.nextToken();
                    if (field.equals("name")) {
                        name = p.getText();
                    } else if (field.equals("product_ids")) {
                        readStrings(p, v, products);
                    } else {
                        p.skipChildren();
                    }
                }
                if (name != null) {
                    out.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new LinkedHashSet<>())
                            .addAll(products);
                }
            } else {
                p.skipChildren();
            }
        }
    }
}
