package dev.tickvault.simulator;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.tickvault.feed.FeedConnection;
import dev.tickvault.feed.FeedHandler;
import dev.tickvault.feed.FeedStats;
import dev.tickvault.feed.book.OrderBook;
import dev.tickvault.model.DecimalParser;
import dev.tickvault.model.SeriesKey;
import dev.tickvault.model.Side;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal Binance spot depth client for tests, written from Binance's documented procedure: buffer the diffs of
 * one symbol, take a REST snapshot (delivered through {@link #onRestResponse}), drop buffered diffs with {@code u <=
 * lastUpdateId}, check the first one applied spans {@code lastUpdateId + 1}, then apply every diff, checking {@code U
 * == previous u + 1} (a break is counted as a gap and the diff still applied). Raw ({@code /ws}) or combined frames.
 */
final class BinanceDepthFollower implements FeedHandler {

    private static final JsonFactory JSON = new JsonFactory();

    private record Diff(long first, long last, LevelChanges levels) {}

    private final String symbol;
    private final FeedStats stats = new FeedStats();
    private final DecimalParser decimals = new DecimalParser();
    private final List<Diff> buffered = new ArrayList<>();
    private final String subscribe;
    final OrderBook book;
    volatile long lastApplied = -1;
    volatile long snapshotLastUpdateId = -1;
    volatile int diffsReceived;
    volatile int diffsBufferedAtSnapshot;
    volatile int gaps;
    volatile boolean synced;
    volatile String error;

    /** @param subscribe a SUBSCRIBE request to send on open, or null */
    BinanceDepthFollower(String symbol, String subscribe) {
        this.symbol = symbol;
        this.subscribe = subscribe;
        this.book = new OrderBook(SeriesKey.of("binance", symbol), BinanceMarket.MAX_LEVELS);
    }

    @Override
    public void onOpen(FeedConnection connection, long nowNanos) {
        if (subscribe != null) {
            connection.send(subscribe);
        }
    }

    @Override
    public void onMessage(FeedConnection connection, byte[] utf8, int offset, int length, long recvTsNanos) {
        Diff diff;
        try {
            diff = parse(utf8, offset, length);
        } catch (IOException e) {
            stats.malformed.increment();
            return;
        }
        if (diff == null) {
            return;
        }
        diffsReceived++;
        if (!synced) {
            buffered.add(diff);
        } else if (diff.last() > lastApplied) {
            apply(diff);
        } // else: sent before the snapshot was taken, still in flight when it arrived: covered by it
    }

    private void apply(Diff diff) {
        if (lastApplied >= 0 && diff.first() != lastApplied + 1) {
            gaps++;
        }
        diff.levels().applyTo(book);
        lastApplied = diff.last();
    }

    @Override
    public void onRestResponse(String url, byte[] body, long recvTsNanos) {
        book.clear();
        long lastUpdateId = -1;
        try (JsonParser p = JSON.createParser(body)) {
            p.nextToken();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "lastUpdateId" -> lastUpdateId = p.getLongValue();
                    case "bids", "asks" -> {
                        LevelChanges levels = new LevelChanges();
                        BinanceRecordingSource.readLevels(
                                p, field.equals("bids") ? Side.BUY : Side.SELL, levels, decimals);
                        levels.applyTo(book);
                    }
                    default -> p.skipChildren();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        snapshotLastUpdateId = lastUpdateId;
        diffsBufferedAtSnapshot = buffered.size();
        lastApplied = -1;
        boolean first = true;
        for (Diff d : buffered) {
            if (d.last() <= lastUpdateId) {
                continue;
            }
            if (first && !(d.first() <= lastUpdateId + 1 && d.last() >= lastUpdateId + 1)) {
                error = "first diff " + d.first() + "-" + d.last() + " does not span " + (lastUpdateId + 1);
            }
            first = false;
            apply(d);
        }
        if (first) {
            lastApplied = lastUpdateId;
        }
        buffered.clear();
        synced = true;
    }

    private Diff parse(byte[] utf8, int offset, int length) throws IOException {
        try (JsonParser p = JSON.createParser(utf8, offset, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            String s = null;
            String event = null;
            long first = 0;
            long last = 0;
            LevelChanges levels = new LevelChanges();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "data" -> {
                        // combined envelope: the payload is here
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String f = p.currentName();
                            p.nextToken();
                            switch (f) {
                                case "e" -> event = p.getText();
                                case "s" -> s = p.getText();
                                case "U" -> first = p.getLongValue();
                                case "u" -> last = p.getLongValue();
                                case "b" -> BinanceRecordingSource.readLevels(p, Side.BUY, levels, decimals);
                                case "a" -> BinanceRecordingSource.readLevels(p, Side.SELL, levels, decimals);
                                default -> p.skipChildren();
                            }
                        }
                    }
                    case "e" -> event = p.getText();
                    case "s" -> s = p.getText();
                    case "U" -> first = p.getLongValue();
                    case "u" -> last = p.getLongValue();
                    case "b" -> BinanceRecordingSource.readLevels(p, Side.BUY, levels, decimals);
                    case "a" -> BinanceRecordingSource.readLevels(p, Side.SELL, levels, decimals);
                    default -> p.skipChildren();
                }
            }
            if (!"depthUpdate".equals(event) || !symbol.equals(s)) {
                return null;
            }
            return new Diff(first, last, levels);
        }
    }

    @Override
    public void onClose(FeedConnection connection, long nowNanos, String reason) {}

    @Override
    public FeedStats stats() {
        return stats;
    }

    /** The book as {@code price qty} lines, bids then asks, best first, {@code depth} per side. */
    static List<String> levels(OrderBook book, int depth) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < Math.min(depth, book.bids().size()); i++) {
            out.add("bid " + book.bids().priceText(i) + " " + book.bids().quantityText(i));
        }
        for (int i = 0; i < Math.min(depth, book.asks().size()); i++) {
            out.add("ask " + book.asks().priceText(i) + " " + book.asks().quantityText(i));
        }
        return out;
    }
}
