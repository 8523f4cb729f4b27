package dev.tickvault.feed.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.tickvault.feed.FeedConnection;
import dev.tickvault.feed.FeedSink;
import dev.tickvault.feed.FeedStats;
import java.io.IOException;

/**
 * The frame routine of the venues whose frames are JSON documents read with Jackson's streaming parser (Coinbase's two
 * feeds, Kraken v1 and v2): counts the frame in {@link FeedStats#messages}, opens a parser over its bytes, hands a
 * frame that starts with an object — or an array, where the venue sends those — to the handler's routine, and counts,
 * logs and skips anything else, including a routine's parse failure ({@link MalformedFrameLog}); the connection goes
 * on. When the frame produced rows (trades, book updates or gap markers), {@link FeedSink#endOfFrame} follows, so the
 * recorder commits at frame boundaries.
 *
 * <p>Not thread-safe: one per handler, called on the handler's thread. No allocation besides Jackson's parser.
 */
public final class JsonFrames {

    /** What a handler does with one frame whose first token is a {@code START_OBJECT} or {@code START_ARRAY}. */
    @FunctionalInterface
    public interface Routine {
        /** {@code parser} stands on the frame's first token; the frame's bytes are passed for error samples. */
        void onFrame(
                FeedConnection connection, JsonParser parser, byte[] utf8, int offset, int length, long recvTsNanos)
                throws IOException;
    }

    private final JsonFactory json;
    private final FeedStats stats;
    private final FeedSink sink;
    private final MalformedFrameLog malformed;
    private final Routine objects;
    private final Routine arrays;

    /** The rate limit of a venue handler's malformed-frame warnings: at most one per 10 s of feed time. */
    public static final long MALFORMED_LOG_INTERVAL_NANOS = 10_000_000_000L;

    /**
     * The frame routine of one venue handler, with its own parser factory and malformed-frame log (named {@code
     * handlerName}, rate-limited by {@link #MALFORMED_LOG_INTERVAL_NANOS}).
     *
     * @param objects the routine for frames that are JSON objects
     * @param arrays the routine for frames that are JSON arrays, or {@code null} when the venue sends none
     */
    public JsonFrames(String handlerName, FeedStats stats, FeedSink sink, Routine objects, Routine arrays) {
        this(
                new JsonFactory(),
                stats,
                sink,
                new MalformedFrameLog(handlerName, stats, MALFORMED_LOG_INTERVAL_NANOS),
                objects,
                arrays);
    }

    /**
     * @param objects the routine for frames that are JSON objects
     * @param arrays the routine for frames that are JSON arrays, or {@code null} when the venue sends none (such a
     *     frame is then malformed)
     */
    public JsonFrames(
            JsonFactory json,
            FeedStats stats,
            FeedSink sink,
            MalformedFrameLog malformed,
            Routine objects,
            Routine arrays) {
        this.json = json;
        this.stats = stats;
        this.sink = sink;
        this.malformed = malformed;
        this.objects = objects;
        this.arrays = arrays;
    }

    /** The parser factory, for a routine that must read a frame again (a field it needs came late). */
    public JsonFactory json() {
        return json;
    }

    /** Where a routine counts and logs a frame it cannot use. */
    public MalformedFrameLog malformed() {
        return malformed;
    }

    /** Runs one received frame through the handler's routines (see the class comment). */
    public void onMessage(FeedConnection connection, byte[] utf8, int offset, int length, long recvTsNanos) {
        stats.messages.increment();
        long rowsBefore = rowsDelivered(stats);
        try (JsonParser parser = json.createParser(utf8, offset, length)) {
            JsonToken first = parser.nextToken();
            if (first == JsonToken.START_OBJECT) {
                objects.onFrame(connection, parser, utf8, offset, length, recvTsNanos);
            } else if (first == JsonToken.START_ARRAY && arrays != null) {
                arrays.onFrame(connection, parser, utf8, offset, length, recvTsNanos);
            } else {
                String why = arrays == null ? "not a JSON object" : "neither an array nor an object";
                malformed.report(why, utf8, offset, length, recvTsNanos, null);
            }
        } catch (IOException | RuntimeException e) {
            malformed.report("unparseable", utf8, offset, length, recvTsNanos, e);
        }
        if (rowsDelivered(stats) != rowsBefore) {
            sink.endOfFrame(recvTsNanos);
        }
    }

    private static long rowsDelivered(FeedStats stats) {
        return stats.bookUpdates.sum() + stats.trades.sum() + stats.gaps.sum();
    }
}
