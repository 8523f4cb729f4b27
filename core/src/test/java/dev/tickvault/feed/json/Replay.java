package dev.tickvault.feed.json;

import dev.tickvault.feed.FeedConnection;
import dev.tickvault.feed.FeedHandler;
import dev.tickvault.feed.capture.CaptureReader;
import dev.tickvault.feed.capture.CapturedFrame;
import dev.tickvault.feed.capture.CryptofeedCaptureReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/** Drives a handler from a cryptofeed recording: connection opens, received frames, a timer once a second. */
public final class Replay {

    private Replay() {}

    /** Replays {@code file}; {@code edit} may change a received frame's text (tests that tamper), or return it. */
    public static void run(Path file, FeedHandler handler, FeedConnection connection, UnaryOperator<String> edit)
            throws IOException {
        long lastTimer = Long.MIN_VALUE;
        long last = 0;
        try (CaptureReader reader = CryptofeedCaptureReader.open(file)) {
            for (CapturedFrame f = reader.next(); f != null; f = reader.next()) {
                last = f.recvTsNanos();
                if (lastTimer == Long.MIN_VALUE) {
                    lastTimer = last;
                }
                while (last - lastTimer >= 1_000_000_000L) {
                    lastTimer += 1_000_000_000L;
                    handler.onTimer(lastTimer);
                }
                switch (f.kind()) {
                    case CONNECTED -> handler.onOpen(connection, f.recvTsNanos());
                    case RECEIVED -> {
                        byte[] bytes = edit == null
                                ? f.payload()
                                : edit.apply(f.payloadText()).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                        handler.onMessage(connection, bytes, 0, bytes.length, f.recvTsNanos());
                    }
                    default -> {}
                }
            }
        }
        handler.onTimer(last);
    }

    /** Sends one text frame to the handler. */
    public static void frame(FeedHandler handler, FeedConnection connection, String text, long recvTsNanos) {
        byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        handler.onMessage(connection, bytes, 0, bytes.length, recvTsNanos);
    }
}
