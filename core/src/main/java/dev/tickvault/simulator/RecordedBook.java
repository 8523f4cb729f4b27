package dev.tickvault.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tickvault.feed.book.BookSide;
import dev.tickvault.feed.book.OrderBook;
import dev.tickvault.model.DecimalParser;
import dev.tickvault.model.SeriesKey;
import dev.tickvault.model.Side;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A Coinbase Exchange product's book as a replay passes its recorded level2 frames ({@code snapshot} replaces it,
 * {@code l2update} changes set levels), for the snapshot a resubscribing client gets. Levels keep the recording's
 * spelling. Not thread-safe (one session, on the simulator's loop).
 */
final class RecordedBook {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final OrderBook book = new OrderBook(SeriesKey.of("coinbase", "replay"), BinanceMarket.MAX_LEVELS);
    private final DecimalParser price = new DecimalParser();
    private final DecimalParser size = new DecimalParser();

    /** Applies one recorded {@code snapshot} or {@code l2update} frame. */
    void apply(byte[] frame) {
        JsonNode m;
        try {
            m = JSON.readTree(frame);
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable recorded level2 frame", e);
        }
        switch (m.path("type").asText()) {
            case "snapshot" -> {
                book.clear();
                for (JsonNode l : m.path("bids")) {
                    set(Side.BUY, l.get(0).asText(), l.get(1).asText());
                }
                for (JsonNode l : m.path("asks")) {
                    set(Side.SELL, l.get(0).asText(), l.get(1).asText());
                }
            }
            case "l2update" -> {
                for (JsonNode c : m.path("changes")) {
                    set(
                            c.get(0).asText().equals("buy") ? Side.BUY : Side.SELL,
                            c.get(1).asText(),
                            c.get(2).asText());
                }
            }
            default -> {}
        }
    }

    private void set(Side side, String p, String s) {
        long pm = price.parse(p, 0, p.length());
        long sm = size.parse(s, 0, s.length());
        book.set(side, pm, price.scale(), sm, size.scale());
    }

    /** {@code {"type":"snapshot","product_id":…,"bids":[[price,size],…],"asks":[…]}}, best levels first. */
    String snapshotJson(String product) {
        StringBuilder s =
                new StringBuilder(64 + 32 * (book.bids().size() + book.asks().size()));
        s.append("{\"type\":\"snapshot\",\"product_id\":\"").append(product).append("\",\"bids\":");
        append(s, book.bids());
        s.append(",\"asks\":");
        append(s, book.asks());
        return s.append('}').toString();
    }

    private static void append(StringBuilder s, BookSide side) {
        s.append('[');
        for (int i = 0; i < side.size(); i++) {
            if (i > 0) {
                s.append(',');
            }
            s.append("[\"")
                    .append(side.priceText(i))
                    .append("\",\"")
                    .append(side.quantityText(i))
                    .append("\"]");
        }
        s.append(']');
    }
}
