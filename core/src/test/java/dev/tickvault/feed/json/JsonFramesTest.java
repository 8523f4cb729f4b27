package dev.tickvault.feed.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonToken;
import dev.tickvault.feed.FeedStats;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonFramesTest {

    private final FeedStats stats = new FeedStats();
    private final CollectingSink sink = new CollectingSink();
    private final SentFrames connection = new SentFrames("test#1");
    private final List<String> seen = new ArrayList<>();

    private JsonFrames frames(boolean withArrays) {
        MalformedFrameLog malformed = new MalformedFrameLog("test", stats, 1);
        JsonFrames.Routine objects = (c, parser, utf8, offset, length, recv) -> {
            assertThat(parser.currentToken()).isEqualTo(JsonToken.START_OBJECT);
            seen.add("object " + c.name() + " " + recv);
            if (parser.nextToken() == JsonToken.FIELD_NAME
                    && parser.currentName().equals("row")) {
                stats.trades.increment(); // as a handler does when it delivers a row
            }
            if (parser.currentName() != null && parser.currentName().equals("fail")) {
                throw new IllegalStateException("routine failed");
            }
            while (parser.nextToken() != null) {} // reads the rest: a truncated frame fails here
        };
        JsonFrames.Routine arrays = (c, parser, utf8, offset, length, recv) -> seen.add("array " + recv);
        return new JsonFrames(new JsonFactory(), stats, sink, malformed, objects, withArrays ? arrays : null);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private void send(JsonFrames frames, String text, long recvTsNanos) {
        byte[] bytes = utf8("xx" + text + "yy");
        frames.onMessage(connection, bytes, 2, bytes.length - 4, recvTsNanos);
    }

    @Test
    void objectsGoToTheRoutineAndOnlyFramesWithRowsEndAFrameInTheSink() {
        JsonFrames frames = frames(false);
        send(frames, "{\"row\":1}", 10);
        send(frames, "{\"heartbeat\":1}", 20);

        assertThat(seen).containsExactly("object test#1 10", "object test#1 20");
        assertThat(stats.messages.sum()).isEqualTo(2);
        assertThat(stats.malformed.sum()).isZero();
        assertThat(sink.frames).isEqualTo(1);
    }

    @Test
    void arraysAreMalformedUnlessTheVenueSendsThem() {
        send(frames(false), "[1,2]", 1);
        assertThat(seen).isEmpty();
        assertThat(stats.malformed.sum()).isEqualTo(1);

        send(frames(true), "[1,2]", 2);
        assertThat(seen).containsExactly("array 2");
        assertThat(stats.malformed.sum()).isEqualTo(1);
    }

    @Test
    void unparseableFramesScalarsAndFailingRoutinesAreCountedAndSkipped() {
        JsonFrames frames = frames(true);
        send(frames, "{\"row\":1,\"x\":", 1); // a row, then the frame is cut short
        send(frames, "42", 2);
        send(frames, "{\"fail\":1}", 3);
        send(frames, "", 4);
        send(frames, "{\"row\":1}", 5); // the next good frame still goes through

        assertThat(stats.messages.sum()).isEqualTo(5);
        assertThat(stats.malformed.sum()).isEqualTo(4); // all but the last
        assertThat(seen).contains("object test#1 5");
        assertThat(sink.frames).isEqualTo(2); // frames 1 and 5 delivered a row before anything failed
    }
}
