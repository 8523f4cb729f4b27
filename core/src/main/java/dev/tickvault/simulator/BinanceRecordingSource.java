package dev.tickvault.simulator;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.tickvault.feed.capture.CapturedFrame;
import dev.tickvault.feed.capture.HftbacktestCaptureReader;
import dev.tickvault.model.DecimalParser;
import dev.tickvault.model.Side;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Replays a hftbacktest Binance recording (one symbol; spot or USD-M). The recording's REST snapshot seeds the true
 * book; replay starts there: frames before it are skipped, and so are depth diffs it already covers ({@code u <=
 * lastUpdateId}). Frames are paced by their recorded receive times divided by the speed (0: as fast as the clients
 * read). A combined-stream client subscribed under the recorded stream names gets the recorded frames byte for byte.
 *
 * <p>The whole recording is loaded in memory at construction (the USD-M file is ~94k frames, tens of MB).
 */
final class BinanceRecordingSource implements BinanceSource {

    private static final JsonFactory JSON = new JsonFactory();
    private static final byte[] ENVELOPE_HEAD = "{\"stream\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DATA_KEY = "\",\"data\":".getBytes(StandardCharsets.US_ASCII);

    private final Path file;
    private final double speed;
    private final List<BinanceEvent> events = new ArrayList<>();
    private final List<Long> offsets = new ArrayList<>(); // ns after the snapshot
    private String symbol;
    private byte[] snapshot;
    private long snapshotLastUpdateId;
    private int cursor;
    private long skipped;

    BinanceRecordingSource(Path file, double speed) {
        this.file = file;
        this.speed = speed;
        load();
    }

    private void load() {
        DecimalParser decimals = new DecimalParser();
        long snapshotRecv = 0;
        try (HftbacktestCaptureReader reader = HftbacktestCaptureReader.open(file)) {
            for (CapturedFrame frame; (frame = reader.next()) != null; ) {
                if (frame.kind() == CapturedFrame.Kind.REST) {
                    if (snapshot == null) {
                        snapshot = frame.payload();
                        snapshotRecv = frame.recvTsNanos();
                        snapshotLastUpdateId = lastUpdateIdOf(snapshot);
                    }
                    continue;
                }
                if (frame.kind() != CapturedFrame.Kind.RECEIVED) {
                    continue;
                }
                BinanceEvent event = parse(frame.payload(), decimals, reader.position());
                if (event == null) {
                    skipped++;
                    continue;
                }
                if (symbol == null) {
                    symbol = event.symbol();
                }
                if (snapshot == null
                        || (event.kind() == BinanceEvent.Kind.DEPTH && event.lastUpdateId() <= snapshotLastUpdateId)) {
                    skipped++;
                    continue;
                }
                events.add(event);
                offsets.add(Math.max(0, frame.recvTsNanos() - snapshotRecv));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the Binance recording " + file, e);
        }
        if (snapshot == null || symbol == null) {
            throw new IllegalArgumentException("no REST depth snapshot or no frames in " + file);
        }
    }

    /** Frames of the recording that won't be replayed (before the snapshot, covered by it, or not understood). */
    long skipped() {
        return skipped;
    }

    int size() {
        return events.size();
    }

    /** The events that will be replayed, in order (for tests). */
    List<BinanceEvent> events() {
        return events;
    }

    @Override
    public void seed(BinanceMarket market) {
        BinanceMarket.Symbol s = market.addSymbol(symbol);
        s.book.clear();
        try (JsonParser p = JSON.createParser(snapshot)) {
            DecimalParser decimals = new DecimalParser();
            expect(p.nextToken(), JsonToken.START_OBJECT);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "lastUpdateId" -> s.lastUpdateId = p.getLongValue();
                    case "bids", "asks" -> {
                        LevelChanges levels = new LevelChanges();
                        readLevels(p, field.equals("bids") ? Side.BUY : Side.SELL, levels, decimals);
                        levels.applyTo(s.book);
                    }
                    default -> p.skipChildren();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("bad REST snapshot in " + file, e);
        }
    }

    @Override
    public int emit(BinanceMarket market, long elapsedNanos, boolean fast, int maxMessages) {
        long due = fast ? Long.MAX_VALUE : (long) (elapsedNanos * speed);
        int n = 0;
        while (n < maxMessages && cursor < events.size() && offsets.get(cursor) <= due) {
            market.publish(events.get(cursor++));
            n++;
        }
        return n;
    }

    @Override
    public boolean fast() {
        return speed == 0;
    }

    @Override
    public boolean finished() {
        return cursor >= events.size();
    }

    @Override
    public long published() {
        return cursor;
    }

    private static long lastUpdateIdOf(byte[] json) throws IOException {
        try (JsonParser p = JSON.createParser(json)) {
            expect(p.nextToken(), JsonToken.START_OBJECT);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                if (field.equals("lastUpdateId")) {
                    return p.getLongValue();
                }
                p.skipChildren();
            }
        }
        throw new IOException("snapshot without lastUpdateId");
    }

    /** A combined-stream envelope → event; null if it isn't one. */
    static BinanceEvent parse(byte[] envelope, DecimalParser decimals, long line) throws IOException {
        if (!startsWith(envelope, ENVELOPE_HEAD)) {
            return null;
        }
        int nameStart = ENVELOPE_HEAD.length;
        int nameEnd = indexOf(envelope, DATA_KEY, nameStart);
        if (nameEnd < 0 || envelope[envelope.length - 1] != '}') {
            return null;
        }
        String streamName = new String(envelope, nameStart, nameEnd - nameStart, StandardCharsets.US_ASCII);
        int dataOffset = nameEnd + DATA_KEY.length;
        int dataLength = envelope.length - 1 - dataOffset;
        String streamKey = BinanceEvent.streamKey(streamName);
        BinanceEvent.Kind kind = streamKey.endsWith("@depth")
                ? BinanceEvent.Kind.DEPTH
                : streamKey.endsWith("@trade") || streamKey.endsWith("@aggtrade")
                        ? BinanceEvent.Kind.TRADE
                        : streamKey.endsWith("@bookticker") ? BinanceEvent.Kind.BOOK_TICKER : BinanceEvent.Kind.OTHER;
        String symbol = null;
        long first = 0;
        long last = 0;
        LevelChanges levels = kind == BinanceEvent.Kind.DEPTH ? new LevelChanges() : null;
        try (JsonParser p = JSON.createParser(envelope, dataOffset, dataLength)) {
            expect(p.nextToken(), JsonToken.START_OBJECT);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "s" -> symbol = p.getText();
                    case "U" -> first = p.getLongValue();
                    case "u" -> last = p.getLongValue();
                    case "b" -> {
                        if (levels != null) {
                            readLevels(p, Side.BUY, levels, decimals);
                        } else {
                            p.skipChildren();
                        }
                    }
                    case "a" -> {
                        if (levels != null) {
                            readLevels(p, Side.SELL, levels, decimals);
                        } else {
                            p.skipChildren();
                        }
                    }
                    default -> p.skipChildren();
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new IOException("line " + line + ": " + e.getMessage(), e);
        }
        if (symbol == null) {
            symbol = streamKey.substring(0, Math.max(0, streamKey.indexOf('@'))).toUpperCase(java.util.Locale.ROOT);
        }
        return new BinanceEvent(
                kind, symbol, streamKey, streamName, envelope, envelope, dataOffset, dataLength, first, last, levels);
    }

    static void readLevels(JsonParser p, Side side, LevelChanges out, DecimalParser decimals) throws IOException {
        expect(p.currentToken(), JsonToken.START_ARRAY);
        while (p.nextToken() == JsonToken.START_ARRAY) {
            p.nextToken();
            long price = decimals.parse(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
            int priceScale = decimals.scale();
            p.nextToken();
            long quantity = decimals.parse(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
            int quantityScale = decimals.scale();
            while (p.nextToken() != JsonToken.END_ARRAY) {
                p.skipChildren(); // extra elements (none on Binance)
            }
            out.add(side, price, priceScale, quantity, quantityScale);
        }
    }

    private static void expect(JsonToken actual, JsonToken expected) throws IOException {
        if (actual != expected) {
            throw new IOException("expected " + expected + ", found " + actual);
        }
    }

    private static boolean startsWith(byte[] a, byte[] prefix) {
        if (a.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (a[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(byte[] a, byte[] key, int from) {
        outer:
        for (int i = from; i + key.length <= a.length; i++) {
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
