package dev.tickvault.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tickvault.model.Side;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The content of a venue recording, read once into protocol-neutral events (book snapshots and level changes, trades)
 * so the simulator can serve it in another protocol than the one recorded: Kraken WebSocket v1 → v2, Coinbase Exchange
 * → Advanced Trade ({@link MarketReplay}). Prices and quantities keep the recording's spelling (Kraken's checksum is
 * computed from it). Immutable after loading.
 */
final class RecordedMarket {

    /** One level change ({@code quantity} zero: delete) or snapshot level, spelt as recorded. */
    record Level(Side side, String price, String quantity) {}

    /**
     * @param offsetNanos receive time after the first event of the recording
     * @param product the product, named as the target protocol names it
     * @param snapshot a book snapshot (replaces the book) rather than changes
     * @param levels book levels (empty for a trade)
     * @param trade the trade, or null for a book event
     * @param timeNanos the venue's time of the event, ns since the epoch
     */
    record Event(long offsetNanos, String product, boolean snapshot, List<Level> levels, Trade trade, long timeNanos) {}

    /**
     * @param takerSide the side of the order that took liquidity
     * @param tradeId the venue's id, or -1 where the recording has none (the replay numbers them)
     * @param orderType {@code limit} or {@code market} (Kraken), or null
     */
    record Trade(Side takerSide, String price, String quantity, long tradeId, String orderType) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    final List<Event> events;
    final Set<String> products;
    /** Levels per side the recorded book was truncated to (Kraken: the subscribed depth), or 0 for none. */
    final int recordedDepth;

    private RecordedMarket(List<Event> events, Set<String> products, int recordedDepth) {
        this.events = List.copyOf(events);
        this.products = Set.copyOf(products);
        this.recordedDepth = recordedDepth;
    }

    /**
     * Kraken v1 frames ({@code book-N} snapshots {@code as}/{@code bs} and updates {@code a}/{@code b}, {@code trade}
     * arrays) as v2 events; pairs renamed as v2 names them ({@code XBT} → {@code BTC}, {@code XDG} → {@code DOGE}).
     */
    static RecordedMarket fromKrakenV1(RecordedFeed feed) {
        List<Event> events = new ArrayList<>();
        Set<String> products = new LinkedHashSet<>();
        int depth = 0;
        try {
            for (RecordedFeed.Frame f : feed.frames) {
                JsonNode array = JSON.readTree(f.payload());
                String product = krakenV2Name(f.product());
                if (f.channel().startsWith("book")) {
                    depth = Math.max(depth, Integer.parseInt(f.channel().substring("book-".length())));
                    List<Level> levels = new ArrayList<>();
                    boolean snapshot = false;
                    long time = 0;
                    for (int i = 1; i < array.size() - 2; i++) {
                        JsonNode part = array.get(i);
                        for (String key : new String[] {"as", "bs", "a", "b"}) {
                            JsonNode side = part.get(key);
                            if (side == null) {
                                continue;
                            }
                            snapshot |= key.length() == 2;
                            Side which = key.startsWith("a") ? Side.SELL : Side.BUY;
                            for (JsonNode level : side) {
                                levels.add(new Level(
                                        which,
                                        level.get(0).asText(),
                                        level.get(1).asText()));
                                time = Math.max(
                                        time, krakenSecondsToNanos(level.get(2).asText()));
                            }
                        }
                    }
                    products.add(product);
                    events.add(new Event(f.offsetNanos(), product, snapshot, levels, null, time));
                } else if (f.channel().equals("trade")) {
                    for (JsonNode t : array.get(1)) {
                        Side side = t.get(3).asText().equals("b") ? Side.BUY : Side.SELL;
                        String type = t.get(4).asText().equals("m") ? "market" : "limit";
                        Trade trade =
                                new Trade(side, t.get(0).asText(), t.get(1).asText(), -1, type);
                        products.add(product);
                        events.add(new Event(
                                f.offsetNanos(),
                                product,
                                false,
                                List.of(),
                                trade,
                                krakenSecondsToNanos(t.get(2).asText())));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the Kraken recording", e);
        }
        return new RecordedMarket(events, products, depth);
    }

    /**
     * Coinbase Exchange frames ({@code snapshot}, {@code l2update}, {@code match}/{@code last_match}) as events; a
     * match's {@code side} is the maker's, so the taker's is the other one.
     */
    static RecordedMarket fromCoinbaseExchange(RecordedFeed feed) {
        List<Event> events = new ArrayList<>();
        Set<String> products = new LinkedHashSet<>();
        try {
            for (RecordedFeed.Frame f : feed.frames) {
                JsonNode m = JSON.readTree(f.payload());
                String type = m.path("type").asText();
                String product = m.path("product_id").asText();
                long time = m.has("time") ? isoToNanos(m.get("time").asText()) : 0;
                switch (type) {
                    case "snapshot" -> {
                        List<Level> levels = new ArrayList<>();
                        for (JsonNode l : m.path("bids")) {
                            levels.add(new Level(
                                    Side.BUY, l.get(0).asText(), l.get(1).asText()));
                        }
                        for (JsonNode l : m.path("asks")) {
                            levels.add(new Level(
                                    Side.SELL, l.get(0).asText(), l.get(1).asText()));
                        }
                        products.add(product);
                        events.add(new Event(f.offsetNanos(), product, true, levels, null, time));
                    }
                    case "l2update" -> {
                        List<Level> levels = new ArrayList<>();
                        for (JsonNode c : m.path("changes")) {
                            Side side = c.get(0).asText().equals("buy") ? Side.BUY : Side.SELL;
                            levels.add(
                                    new Level(side, c.get(1).asText(), c.get(2).asText()));
                        }
                        products.add(product);
                        events.add(new Event(f.offsetNanos(), product, false, levels, null, time));
                    }
                    case "match", "last_match" -> {
                        Side maker = m.path("side").asText().equals("buy") ? Side.BUY : Side.SELL;
                        Side taker = maker == Side.BUY ? Side.SELL : Side.BUY;
                        Trade trade = new Trade(
                                taker,
                                m.path("price").asText(),
                                m.path("size").asText(),
                                m.path("trade_id").asLong(),
                                null);
                        products.add(product);
                        events.add(new Event(f.offsetNanos(), product, false, List.of(), trade, time));
                    }
                    default -> {}
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the Coinbase recording", e);
        }
        return new RecordedMarket(events, products, 0);
    }

    /** A Kraken v1 pair as v2 names it: {@code XBT/USD} → {@code BTC/USD}, {@code XDG/USD} → {@code DOGE/USD}. */
    static String krakenV2Name(String v1Pair) {
        String[] parts = v1Pair.split("/", -1);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                out.append('/');
            }
            out.append(
                    switch (parts[i]) {
                        case "XBT" -> "BTC";
                        case "XDG" -> "DOGE";
                        default -> parts[i];
                    });
        }
        return out.toString();
    }

    /** {@code "1618678163.323225"} (seconds with a fraction) → ns, exactly. */
    static long krakenSecondsToNanos(String text) {
        int dot = text.indexOf('.');
        long seconds = Long.parseLong(dot < 0 ? text : text.substring(0, dot));
        long nanos = 0;
        if (dot >= 0) {
            String fraction = (text.substring(dot + 1) + "000000000").substring(0, 9);
            nanos = Long.parseLong(fraction);
        }
        return seconds * 1_000_000_000L + nanos;
    }

    static long isoToNanos(String text) {
        Instant i = Instant.parse(text);
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    /** ns since the epoch → RFC 3339 with microseconds, {@code 2021-04-17T16:49:23.323225Z}. */
    static String rfc3339Micros(long nanos) {
        Instant i = Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
        return String.format(
                Locale.ROOT,
                "%sT%02d:%02d:%02d.%06dZ",
                i.atZone(java.time.ZoneOffset.UTC).toLocalDate(),
                i.atZone(java.time.ZoneOffset.UTC).getHour(),
                i.atZone(java.time.ZoneOffset.UTC).getMinute(),
                i.atZone(java.time.ZoneOffset.UTC).getSecond(),
                i.getNano() / 1000);
    }
}
