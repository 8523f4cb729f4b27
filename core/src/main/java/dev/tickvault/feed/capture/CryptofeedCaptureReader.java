package dev.tickvault.feed.capture;

import dev.tickvault.feed.json.FeedTimestamps;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Reads cryptofeed's raw recordings ({@code sample_data/}):
 *
 * <ul>
 *   <li>{@code wss://host/path <-> <epoch s>} — a connection opened ({@link CapturedFrame.Kind#CONNECTED});
 *   <li>{@code wss://host/path <- <epoch s>: <message>} — a message the client sent ({@link
 *       CapturedFrame.Kind#SENT});
 *   <li>{@code <url> -> <epoch s>: <body>} — a REST response ({@link CapturedFrame.Kind#REST});
 *   <li>{@code <epoch s>: <message>} — a message received ({@link CapturedFrame.Kind#RECEIVED});
 *   <li>{@code configuration: <json>} — cryptofeed's own settings ({@link CapturedFrame.Kind#METADATA}, with the
 *       time of the entry before it).
 * </ul>
 *
 * Times are decimal seconds with up to 9 fractional digits and are converted to nanoseconds exactly (no {@code
 * double}). A line matching none of these is an {@link IOException} naming the line.
 */
public final class CryptofeedCaptureReader implements CaptureReader {

    private static final String CONFIGURATION = "configuration: ";

    private final CaptureLines lines;
    private long lastNanos;

    public CryptofeedCaptureReader(InputStream in, String name) {
        this.lines = new CaptureLines(in, name);
    }

    public static CryptofeedCaptureReader open(Path file) throws IOException {
        return new CryptofeedCaptureReader(CaptureFiles.openMaybeGzip(file), file.toString());
    }

    @Override
    public CapturedFrame next() throws IOException {
        String line = lines.next();
        if (line == null) {
            return null;
        }
        if (!line.isEmpty() && Character.isDigit(line.charAt(0))) {
            int colon = line.indexOf(": ");
            if (colon < 0) {
                throw malformed("expected '<epoch s>: <message>'");
            }
            return frame(seconds(line, 0, colon), CapturedFrame.Kind.RECEIVED, "", line.substring(colon + 2));
        }
        if (line.startsWith(CONFIGURATION)) {
            return frame(lastNanos, CapturedFrame.Kind.METADATA, "", line.substring(CONFIGURATION.length()));
        }
        int arrow = line.indexOf(' ');
        if (arrow < 0) {
            throw malformed("expected '<url> <->|<-|-> <epoch s>'");
        }
        String url = line.substring(0, arrow);
        int afterArrow = line.indexOf(' ', arrow + 1);
        if (afterArrow < 0) {
            throw malformed("expected a direction and a time after the URL");
        }
        String direction = line.substring(arrow + 1, afterArrow);
        return switch (direction) {
            case "<->" -> frame(seconds(line, afterArrow + 1, line.length()), CapturedFrame.Kind.CONNECTED, url, "");
            case "<-", "->" -> {
                int colon = line.indexOf(": ", afterArrow + 1);
                if (colon < 0) {
                    throw malformed("expected '<epoch s>: <message>' after '" + direction + "'");
                }
                CapturedFrame.Kind kind = direction.equals("<-") ? CapturedFrame.Kind.SENT : CapturedFrame.Kind.REST;
                yield frame(seconds(line, afterArrow + 1, colon), kind, url, line.substring(colon + 2));
            }
            default -> throw malformed("unknown direction '" + direction + "'");
        };
    }

    private CapturedFrame frame(long nanos, CapturedFrame.Kind kind, String url, String payload) {
        lastNanos = nanos;
        return new CapturedFrame(nanos, kind, url, payload.getBytes(StandardCharsets.UTF_8));
    }

    /** Decimal epoch seconds → ns, exactly: {@code 1633998512.0633569} → 1633998512063356900. */
    private long seconds(String line, int from, int to) throws IOException {
        try {
            return FeedTimestamps.decimalSecondsToNanos(line.subSequence(from, to));
        } catch (IllegalArgumentException e) {
            throw malformed(
                    e.getMessage().endsWith(FeedTimestamps.SECONDS_OUT_OF_RANGE)
                            ? "time out of range"
                            : "bad time '" + line.substring(from, to) + "'");
        }
    }

    private IOException malformed(String why) {
        return lines.malformed(why);
    }

    @Override
    public long position() {
        return lines.lineNumber();
    }

    @Override
    public void close() throws IOException {
        lines.close();
    }
}
