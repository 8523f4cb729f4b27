package dev.tickvault.simulator;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.tickvault.feed.capture.CapturedFrame;
import dev.tickvault.feed.capture.CryptofeedCaptureReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The data frames of cryptofeed recordings of one venue, loaded in memory, each tagged with its channel and product,
 * for per-connection replay ({@link ReplaySession}). Immutable after loading.
 */
final class RecordedFeed {

    /**
     * @param offsetNanos receive time after the first data frame
     * @param channel Coinbase: {@code level2}, {@code matches}, {@code ticker}; Kraken: the channel name ({@code
     *     book-1000}, {@code trade}, {@code ticker})
     * @param product Coinbase product id or Kraken pair
     */
    record Frame(long offsetNanos, String channel, String product, byte[] payload) {}

    private static final JsonFactory JSON = new JsonFactory();

    final List<Frame> frames;
    final Set<String> products;
    /** Kraken: {@code channelName|pair} → the recorded channelID. */
    final Map<String, Long> channelIds;

    private RecordedFeed(List<Frame> frames, Set<String> products, Map<String, Long> channelIds) {
        this.frames = List.copyOf(frames);
        this.products = Set.copyOf(products);
        this.channelIds = Map.copyOf(channelIds);
    }

    /** Coinbase Exchange: {@code snapshot}/{@code l2update} → level2, {@code match}/{@code last_match} → matches, {@code ticker}. */
    static RecordedFeed coinbase(Path file) {
        List<Frame> raw = new ArrayList<>();
        Set<String> products = new LinkedHashSet<>();
        try (CryptofeedCaptureReader reader = CryptofeedCaptureReader.open(file)) {
            for (CapturedFrame f; (f = reader.next()) != null; ) {
                if (f.kind() != CapturedFrame.Kind.RECEIVED) {
                    continue;
                }
                String type = null;
                String product = null;
                try (JsonParser p = JSON.createParser(f.payload())) {
                    if (p.nextToken() != JsonToken.START_OBJECT) {
                        continue;
                    }
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String field = p.currentName();
                        p.nextToken();
                        if (field.equals("type")) {
                            type = p.getText();
                        } else if (field.equals("product_id")) {
                            product = p.getText();
                        } else {
                            p.skipChildren();
                        }
                    }
                }
                String channel = type == null
                        ? null
                        : switch (type) {
                            case "snapshot", "l2update" -> "level2";
                            case "match", "last_match" -> "matches";
                            case "ticker" -> "ticker";
                            default -> null;
                        };
                if (channel == null || product == null) {
                    continue;
                }
                products.add(product);
                raw.add(new Frame(f.recvTsNanos(), channel, product, f.payload()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the Coinbase recording " + file, e);
        }
        return new RecordedFeed(relative(raw), products, Map.of());
    }

    /** Kraken v1: data arrays {@code [channelID, …, channelName, pair]}; channel ids from subscriptionStatus events. */
    static RecordedFeed kraken(List<Path> files) {
        List<Frame> raw = new ArrayList<>();
        Set<String> products = new LinkedHashSet<>();
        Map<String, Long> channelIds = new HashMap<>();
        for (Path file : files) {
            try (CryptofeedCaptureReader reader = CryptofeedCaptureReader.open(file)) {
                for (CapturedFrame f; (f = reader.next()) != null; ) {
                    if (f.kind() != CapturedFrame.Kind.RECEIVED || f.payload().length == 0) {
                        continue;
                    }
                    if (f.payload()[0] == '[') {
                        String[] tail = lastTwoStrings(f.payload());
                        if (tail != null) {
                            products.add(tail[1]);
                            raw.add(new Frame(f.recvTsNanos(), tail[0], tail[1], f.payload()));
                        }
                    } else {
                        readSubscriptionStatus(f.payload(), channelIds, products);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the Kraken recording " + file, e);
            }
        }
        raw.sort(Comparator.comparingLong(Frame::offsetNanos)); // stable: a file's own order is kept
        return new RecordedFeed(relative(raw), products, channelIds);
    }

    private static List<Frame> relative(List<Frame> absolute) {
        List<Frame> out = new ArrayList<>(absolute.size());
        long first = absolute.isEmpty() ? 0 : absolute.get(0).offsetNanos();
        for (Frame f : absolute) {
            out.add(new Frame(Math.max(0, f.offsetNanos() - first), f.channel(), f.product(), f.payload()));
        }
        return out;
    }

    /** The last two top-level strings of a JSON array (channelName, pair), or null. */
    private static String[] lastTwoStrings(byte[] json) throws IOException {
        String previous = null;
        String last = null;
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                return null;
            }
            for (JsonToken t; (t = p.nextToken()) != JsonToken.END_ARRAY && t != null; ) {
                if (t == JsonToken.VALUE_STRING) {
                    previous = last;
                    last = p.getText();
                } else {
                    p.skipChildren();
                }
            }
        }
        return previous == null ? null : new String[] {previous, last};
    }

    private static void readSubscriptionStatus(byte[] json, Map<String, Long> channelIds, Set<String> products)
            throws IOException {
        String event = null;
        String status = null;
        String channelName = null;
        String pair = null;
        long channelId = -1;
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "event" -> event = p.getText();
                    case "status" -> status = p.getText();
                    case "channelName" -> channelName = p.getText();
                    case "pair" -> pair = p.getText();
                    case "channelID" -> channelId = p.getLongValue();
                    default -> p.skipChildren();
                }
            }
        }
        if ("subscriptionStatus".equals(event) && "subscribed".equals(status) && channelName != null && pair != null) {
            channelIds.put(channelName + "|" + pair, channelId);
            products.add(pair);
        }
    }
}
