package dev.tickvault.feed.capture;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Reads hftbacktest's Binance collector format: gzip (or plain) text, one line per message, {@code <local receive
 * time, ns since epoch> <raw message>}. A REST depth snapshot is a bare JSON object with {@code lastUpdateId} and is
 * returned as {@link CapturedFrame.Kind#REST}; everything else (combined-stream envelopes) as {@link
 * CapturedFrame.Kind#RECEIVED}. A line that doesn't start with a time is an {@link IOException} naming the line.
 */
public final class HftbacktestCaptureReader implements CaptureReader {

    private final CaptureLines lines;

    public HftbacktestCaptureReader(InputStream in, String name) {
        this.lines = new CaptureLines(in, name);
    }

    /** Opens a file, gunzipping it when it starts with the gzip magic. */
    public static HftbacktestCaptureReader open(Path file) throws IOException {
        return new HftbacktestCaptureReader(CaptureFiles.openMaybeGzip(file), file.toString());
    }

    @Override
    public CapturedFrame next() throws IOException {
        String line = lines.next();
        if (line == null) {
            return null;
        }
        int space = line.indexOf(' ');
        if (space <= 0) {
            throw lines.malformed("expected '<ns> <message>'");
        }
        long recv;
        try {
            recv = Long.parseLong(line, 0, space, 10);
        } catch (NumberFormatException e) {
            throw lines.malformed("bad receive time '" + line.substring(0, space) + "'");
        }
        String message = line.substring(space + 1);
        CapturedFrame.Kind kind =
                message.startsWith("{\"lastUpdateId\"") ? CapturedFrame.Kind.REST : CapturedFrame.Kind.RECEIVED;
        return new CapturedFrame(recv, kind, "", message.getBytes(StandardCharsets.UTF_8));
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
