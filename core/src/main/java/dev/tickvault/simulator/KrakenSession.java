package dev.tickvault.simulator;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.netty.channel.Channel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A Kraken WebSocket v1 client ({@code /kraken}): {@code systemStatus} on open; {@code subscribe} / {@code
 * unsubscribe} ({@code pair}, {@code subscription.name}, {@code subscription.depth} for book, {@code reqid}) answered
 * per pair by {@code subscriptionStatus} with the channelID of the recording (so data frames go out unchanged); {@code
 * ping} → {@code pong}; {@code heartbeat} after a second without data. Only what the recording holds can be
 * subscribed (its book is depth 1000): anything else gets a {@code subscriptionStatus} with {@code status: error}.
 * The {@link FaultType#CHECKSUM} fault alters the {@code c} of the next book update of a pair.
 */
final class KrakenSession extends ReplaySession {

    private static final JsonFactory JSON = new JsonFactory();
    private static final byte[] CHECKSUM_KEY = "\"c\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final int DEFAULT_BOOK_DEPTH = 10;

    private final RecordedFeed feed;
    /** {@code channelName|pair}. */
    private final Set<String> subscribed = new LinkedHashSet<>();

    private final Set<String> badChecksumPairs = new HashSet<>();
    private static final long CONNECTION_ID_BASE = 8_921_616_460_054_084_350L;

    KrakenSession(ExchangeSimulator simulator, int id, String path, Channel channel, RecordedFeed feed) {
        super(simulator, id, "kraken", path, channel, feed);
        this.feed = feed;
        sendControl("{\"connectionID\":" + (CONNECTION_ID_BASE + id)
                + ",\"event\":\"systemStatus\",\"status\":\"online\",\"version\":\"1.8.3\"}");
    }

    @Override
    boolean wants(RecordedFeed.Frame frame) {
        return subscribed.contains(frame.channel() + "|" + frame.product());
    }

    @Override
    List<String> subscriptions() {
        return new ArrayList<>(subscribed);
    }

    /** Arms the bad-checksum fault for {@code pair}; false if this client isn't subscribed to its book. */
    boolean corruptNextChecksum(String pair) {
        for (String s : subscribed) {
            if (s.startsWith("book") && s.endsWith("|" + pair)) {
                badChecksumPairs.add(pair);
                return true;
            }
        }
        return false;
    }

    @Override
    byte[] payload(RecordedFeed.Frame frame) {
        byte[] bytes = frame.payload();
        if (badChecksumPairs.isEmpty()
                || !frame.channel().startsWith("book")
                || !badChecksumPairs.contains(frame.product())) {
            return bytes;
        }
        int at = lastIndexOf(bytes, CHECKSUM_KEY);
        if (at < 0) {
            return bytes; // a snapshot: no checksum to alter
        }
        int digits = at + CHECKSUM_KEY.length;
        int end = digits;
        long value = 0;
        while (end < bytes.length && bytes[end] >= '0' && bytes[end] <= '9') {
            value = value * 10 + (bytes[end] - '0');
            end++;
        }
        badChecksumPairs.remove(frame.product());
        byte[] altered = Long.toString((value + 1) & 0xFFFF_FFFFL).getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[bytes.length - (end - digits) + altered.length];
        System.arraycopy(bytes, 0, out, 0, digits);
        System.arraycopy(altered, 0, out, digits, altered.length);
        System.arraycopy(bytes, end, out, digits + altered.length, bytes.length - end);
        return out;
    }

    /** Sends a heartbeat if subscribed and nothing was sent for a second. */
    @Override
    void housekeeping(long nowMono) {
        if (!subscribed.isEmpty() && nowMono - lastSentMonoNanos >= 1_000_000_000L) {
            sendControl("{\"event\":\"heartbeat\"}");
        }
    }

    @Override
    void onClientText(String text) {
        simulator.stats().clientMessages.increment();
        String event = null;
        String reqid = null;
        List<String> pairs = new ArrayList<>();
        String name = null;
        int depth = DEFAULT_BOOK_DEPTH;
        try (JsonParser p = JSON.createParser(text)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("not an object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "event" -> event = p.getText();
                    case "reqid" -> reqid = p.getText();
                    case "pair" -> {
                        if (value == JsonToken.START_ARRAY) {
                            while (p.nextToken() != JsonToken.END_ARRAY) {
                                pairs.add(p.getText());
                            }
                        } else {
                            p.skipChildren();
                        }
                    }
                    case "subscription" -> {
                        if (value != JsonToken.START_OBJECT) {
                            p.skipChildren();
                            break;
                        }
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String key = p.currentName();
                            p.nextToken();
                            if (key.equals("name")) {
                                name = p.getText();
                            } else if (key.equals("depth")) {
                                depth = p.getIntValue();
                            } else {
                                p.skipChildren();
                            }
                        }
                    }
                    default -> p.skipChildren();
                }
            }
        } catch (IOException | RuntimeException e) {
            simulator.stats().clientErrors.increment();
            sendControl("{\"errorMessage\":\"Malformed request\",\"event\":\"error\"}");
            return;
        }
        String reqidField = reqid == null ? "" : ",\"reqid\":" + reqid;
        if ("ping".equals(event)) {
            sendControl("{\"event\":\"pong\"" + reqidField + "}");
            return;
        }
        if (!"subscribe".equals(event) && !"unsubscribe".equals(event)) {
            simulator.stats().clientErrors.increment();
            sendControl("{\"errorMessage\":\"Unsupported event\",\"event\":\"error\"" + reqidField + "}");
            return;
        }
        if (name == null || pairs.isEmpty()) {
            simulator.stats().clientErrors.increment();
            sendControl(
                    "{\"errorMessage\":\"Subscription name and pair required\",\"event\":\"error\"" + reqidField + "}");
            return;
        }
        boolean subscribe = event.equals("subscribe");
        boolean book = name.equals("book");
        String channelName = book ? "book-" + depth : name;
        String subscription = book ? "{\"depth\":" + depth + ",\"name\":\"book\"}" : "{\"name\":\"" + name + "\"}";
        for (String pair : pairs) {
            String key = channelName + "|" + pair;
            Long channelId = feed.channelIds.get(key);
            if (channelId == null) {
                simulator.stats().clientErrors.increment();
                String why = feed.products.contains(pair)
                        ? "Subscription " + channelName + " not in the recording"
                        : "Currency pair not supported " + pair;
                sendControl("{\"errorMessage\":\"" + BinanceSession.jsonSafe(why)
                        + "\",\"event\":\"subscriptionStatus\",\"pair\":\"" + BinanceSession.jsonSafe(pair) + "\""
                        + reqidField + ",\"status\":\"error\",\"subscription\":" + subscription + "}");
                continue;
            }
            if (subscribe) {
                subscribed.add(key);
            } else {
                subscribed.remove(key);
            }
            sendControl("{\"channelID\":" + channelId + ",\"channelName\":\"" + channelName
                    + "\",\"event\":\"subscriptionStatus\",\"pair\":\"" + pair + "\"" + reqidField + ",\"status\":\""
                    + (subscribe ? "subscribed" : "unsubscribed") + "\",\"subscription\":" + subscription + "}");
        }
        if (subscribe && !subscribed.isEmpty()) {
            startReplay();
        }
    }

    private static int lastIndexOf(byte[] a, byte[] key) {
        outer:
        for (int i = a.length - key.length; i >= 0; i--) {
            for (int j = 0; j < key.length; j++) {
                if (a[i + j] != key[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
