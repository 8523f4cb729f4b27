package dev.tickvault.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.tickvault.feed.capture.CapturedFrame;
import dev.tickvault.feed.capture.HftbacktestCaptureReader;
import dev.tickvault.model.BookUpdate;
import dev.tickvault.model.DecimalParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The level updates of the Binance depth stream of an hftbacktest capture, in column arrays, as a recorder stores
 * them: every {@code b}/{@code a} entry of every {@code depthUpdate} (side 1 bid / 2 ask, price and new quantity
 * exactly as printed, {@code U}, {@code u}, exchange time {@code E} ms → ns, the line's receive time),
 * {@link BookUpdate#EVENT_END} on an event's last level; the REST snapshot as levels (bids then asks,
 * {@code U = u = lastUpdateId}, exchange time {@code E} if present else the receive time) flagged
 * {@link BookUpdate#SNAPSHOT_BEGIN} on the first and {@link BookUpdate#SNAPSHOT_END} on the last.
 */
public final class BinanceCaptureBook {

    public int size;
    public long[] tsNanos = new long[1 << 16];
    public long[] recvTsNanos = new long[1 << 16];
    public byte[] side = new byte[1 << 16];
    public long[] priceMantissa = new long[1 << 16];
    public byte[] priceScale = new byte[1 << 16];
    public long[] quantityMantissa = new long[1 << 16];
    public byte[] quantityScale = new byte[1 << 16];
    public long[] firstUpdateId = new long[1 << 16];
    public long[] lastUpdateId = new long[1 << 16];
    public byte[] flags = new byte[1 << 16];

    private static final JsonFactory JSON = new JsonFactory();
    private final DecimalParser decimals = new DecimalParser();
    // Levels of the event being read (bids and asks may come in any field order).
    private BinanceCaptureBook bids;
    private BinanceCaptureBook asks;

    public static BinanceCaptureBook read(Path capture) {
        BinanceCaptureBook book = new BinanceCaptureBook();
        book.bids = new BinanceCaptureBook();
        book.asks = new BinanceCaptureBook();
        try (HftbacktestCaptureReader reader = HftbacktestCaptureReader.open(capture)) {
            for (CapturedFrame frame = reader.next(); frame != null; frame = reader.next()) {
                try (JsonParser parser = JSON.createParser(frame.payload())) {
                    parser.nextToken();
                    if (frame.kind() == CapturedFrame.Kind.REST) {
                        book.readEvent(parser, frame.recvTsNanos(), true);
                    } else {
                        while (parser.nextToken() == JsonToken.FIELD_NAME) {
                            String name = parser.currentName();
                            parser.nextToken();
                            if (name.equals("data")) {
                                book.readEvent(parser, frame.recvTsNanos(), false);
                            } else {
                                parser.skipChildren();
                            }
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + capture, e);
        }
        book.bids = null;
        book.asks = null;
        return book;
    }

    private void readEvent(JsonParser parser, long recv, boolean snapshot) throws IOException {
        boolean depth = snapshot;
        long exchangeMillis = Long.MIN_VALUE;
        long first = 0;
        long last = 0;
        bids.size = 0;
        asks.size = 0;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            parser.nextToken();
            switch (name) {
                case "e" -> depth = parser.getText().equals("depthUpdate");
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
        if (!depth) {
            return;
        }
        long ts = exchangeMillis == Long.MIN_VALUE ? recv : exchangeMillis * 1_000_000L;
        int total = bids.size + asks.size;
        int start = size;
        for (int s = 0; s < 2; s++) {
            BinanceCaptureBook levels = s == 0 ? bids : asks;
            for (int i = 0; i < levels.size; i++) {
                int row = reserveRow();
                tsNanos[row] = ts;
                recvTsNanos[row] = recv;
                side[row] = (byte) (s + 1);
                priceMantissa[row] = levels.priceMantissa[i];
                priceScale[row] = levels.priceScale[i];
                quantityMantissa[row] = levels.quantityMantissa[i];
                quantityScale[row] = levels.quantityScale[i];
                firstUpdateId[row] = first;
                lastUpdateId[row] = last;
                flags[row] = 0;
            }
        }
        if (total > 0) {
            if (snapshot) {
                flags[start] |= BookUpdate.SNAPSHOT_BEGIN;
                flags[start + total - 1] |= BookUpdate.SNAPSHOT_END;
            } else {
                flags[start + total - 1] |= BookUpdate.EVENT_END;
            }
        }
    }

    private void readLevels(JsonParser parser, BinanceCaptureBook levels) throws IOException {
        while (parser.nextToken() == JsonToken.START_ARRAY) {
            int row = levels.reserveRow();
            parser.nextToken();
            levels.priceMantissa[row] =
                    decimals.parse(parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength());
            levels.priceScale[row] = (byte) decimals.scale();
            parser.nextToken();
            levels.quantityMantissa[row] =
                    decimals.parse(parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength());
            levels.quantityScale[row] = (byte) decimals.scale();
            parser.nextToken(); // END_ARRAY
        }
    }

    /** Adds a row (every column 0) and returns its index. */
    public int reserveRow() {
        if (size == tsNanos.length) {
            int capacity = size * 2;
            tsNanos = Arrays.copyOf(tsNanos, capacity);
            recvTsNanos = Arrays.copyOf(recvTsNanos, capacity);
            side = Arrays.copyOf(side, capacity);
            priceMantissa = Arrays.copyOf(priceMantissa, capacity);
            priceScale = Arrays.copyOf(priceScale, capacity);
            quantityMantissa = Arrays.copyOf(quantityMantissa, capacity);
            quantityScale = Arrays.copyOf(quantityScale, capacity);
            firstUpdateId = Arrays.copyOf(firstUpdateId, capacity);
            lastUpdateId = Arrays.copyOf(lastUpdateId, capacity);
            flags = Arrays.copyOf(flags, capacity);
        }
        return size++;
    }
}
