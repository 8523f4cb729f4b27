package dev.tickvault.store;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.tickvault.feed.capture.CapturedFrame;
import dev.tickvault.feed.capture.HftbacktestCaptureReader;
import dev.tickvault.model.BookUpdate;
import dev.tickvault.model.Decimal;
import dev.tickvault.model.SeriesKey;
import dev.tickvault.model.Side;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The level updates a recorder stores for the Binance depth stream of an hftbacktest capture: every {@code b}/{@code a}
 * entry of every {@code depthUpdate} (side, price and new quantity exactly as printed, {@code U}, {@code u}, {@code E}
 * ms → ns as exchange time, the line's receive time), {@link BookUpdate#EVENT_END} on an event's last level; the REST
 * snapshot as levels (bids then asks, {@code U = u = lastUpdateId}, exchange time {@code E} if present else the receive
 * time) flagged {@link BookUpdate#SNAPSHOT_BEGIN} on the first and {@link BookUpdate#SNAPSHOT_END} on the last. A test
 * oracle: allocates freely.
 */
public final class BinanceDepthUpdates {

    private static final JsonFactory JSON = new JsonFactory();

    private BinanceDepthUpdates() {}

    public static List<BookUpdate> read(Path capture, SeriesKey series) throws IOException {
        List<BookUpdate> updates = new ArrayList<>();
        try (HftbacktestCaptureReader reader = HftbacktestCaptureReader.open(capture)) {
            for (CapturedFrame frame = reader.next(); frame != null; frame = reader.next()) {
                try (JsonParser parser = JSON.createParser(frame.payload())) {
                    parser.nextToken();
                    if (frame.kind() == CapturedFrame.Kind.REST) {
                        readEvent(parser, frame.recvTsNanos(), series, true, updates);
                    } else {
                        while (parser.nextToken() == JsonToken.FIELD_NAME) {
                            String name = parser.currentName();
                            parser.nextToken();
                            if (name.equals("data")) {
                                readEvent(parser, frame.recvTsNanos(), series, false, updates);
                            } else {
                                parser.skipChildren();
                            }
                        }
                    }
                }
            }
        }
        return updates;
    }

    private static void readEvent(
            JsonParser parser, long recvTsNanos, SeriesKey series, boolean snapshot, List<BookUpdate> out)
            throws IOException {
        String type = snapshot ? "snapshot" : null;
        long exchangeMillis = Long.MIN_VALUE;
        long first = 0;
        long last = 0;
        List<Decimal[]> bids = new ArrayList<>();
        List<Decimal[]> asks = new ArrayList<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            parser.nextToken();
            switch (name) {
                case "e" -> type = parser.getText();
                case "E" -> exchangeMillis = parser.getLongValue();
                case "U" -> first = parser.getLongValue();
                case "u" -> last = parser.getLongValue();
                case "lastUpdateId" -> {
                    first = parser.getLongValue();
                    last = first;
                }
                case "b", "bids" -> readLevels(parser, bids);
                case "a", "asks" -> readLevels(parser, asks);
                default -> parser.skipChildren();
            }
        }
        if (!"depthUpdate".equals(type) && !snapshot) {
            return;
        }
        long tsNanos = exchangeMillis == Long.MIN_VALUE ? recvTsNanos : exchangeMillis * 1_000_000L;
        int total = bids.size() + asks.size();
        int index = 0;
        for (int s = 0; s < 2; s++) {
            for (Decimal[] level : s == 0 ? bids : asks) {
                int flags = 0;
                if (snapshot) {
                    flags |= index == 0 ? BookUpdate.SNAPSHOT_BEGIN : 0;
                    flags |= index == total - 1 ? BookUpdate.SNAPSHOT_END : 0;
                } else if (index == total - 1) {
                    flags = BookUpdate.EVENT_END;
                }
                out.add(new BookUpdate(
                        series,
                        tsNanos,
                        recvTsNanos,
                        s == 0 ? Side.BUY : Side.SELL,
                        level[0],
                        level[1],
                        first,
                        last,
                        flags));
                index++;
            }
        }
    }

    private static void readLevels(JsonParser parser, List<Decimal[]> levels) throws IOException {
        while (parser.nextToken() == JsonToken.START_ARRAY) {
            parser.nextToken();
            Decimal price = Decimal.parse(parser.getText());
            parser.nextToken();
            Decimal quantity = Decimal.parse(parser.getText());
            parser.nextToken(); // END_ARRAY
            levels.add(new Decimal[] {price, quantity});
        }
    }
}
