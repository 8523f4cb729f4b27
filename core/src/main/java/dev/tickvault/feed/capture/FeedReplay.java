package dev.tickvault.feed.capture;

import dev.tickvault.feed.FeedConnection;
import dev.tickvault.feed.FeedHandler;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Drives a {@link FeedHandler} from recordings, exactly as the transport drives it live: each recording is one
 * connection ({@code onOpen}, then its frames, then {@code onClose}); a {@link CapturedFrame.Kind#CONNECTED} entry
 * inside a recording closes the previous connection and opens a new one; REST entries go to {@code
 * onRestResponse}; {@code onTimer} fires each time the recorded clock passes a whole second. Several recordings (a
 * venue's trade and book connections, a WebSocket file and its REST file) are merged by receive time.
 *
 * <p>What the handler sends goes nowhere (it is collected for tests in {@link ReplayConnection#sent()}); asking to
 * reconnect is counted and otherwise ignored — a recording can't be asked again.
 */
public final class FeedReplay {

    private FeedReplay() {}

    /** What a replay saw. */
    public record Result(long frames, long restResponses, long connections, long reconnectRequests) {}

    public static Result replay(List<? extends CaptureReader> recordings, FeedHandler handler) throws IOException {
        PriorityQueue<Source> queue = new PriorityQueue<>();
        List<Source> sources = new ArrayList<>();
        for (int i = 0; i < recordings.size(); i++) {
            Source source = new Source(recordings.get(i), i);
            sources.add(source);
            if (source.advance()) {
                queue.add(source);
            }
        }
        long frames = 0;
        long rest = 0;
        long connections = 0;
        long nextTimerNanos = Long.MIN_VALUE;
        long lastNanos = 0;
        while (!queue.isEmpty()) {
            Source source = queue.poll();
            CapturedFrame frame = source.head;
            long t = frame.recvTsNanos();
            lastNanos = Math.max(lastNanos, t);
            if (nextTimerNanos == Long.MIN_VALUE) {
                nextTimerNanos = (t / 1_000_000_000L + 1) * 1_000_000_000L;
            }
            while (t >= nextTimerNanos) {
                handler.onTimer(nextTimerNanos);
                nextTimerNanos += 1_000_000_000L;
            }
            switch (frame.kind()) {
                case CONNECTED -> {
                    if (source.connection != null) {
                        handler.onClose(source.connection, t, "recording: connection replaced");
                    }
                    source.open(handler, t, frame.url());
                    connections++;
                }
                case RECEIVED -> {
                    if (source.connection == null) {
                        source.open(handler, t, "");
                        connections++;
                    }
                    handler.onMessage(source.connection, frame.payload(), 0, frame.payload().length, t);
                    frames++;
                }
                case REST -> {
                    handler.onRestResponse(frame.url(), frame.payload(), t);
                    rest++;
                }
                case SENT, METADATA -> {
                    // The handler sends its own subscriptions; the recording tool's notes are not feed data.
                }
            }
            if (source.advance()) {
                queue.add(source);
            }
        }
        handler.onTimer(lastNanos);
        long reconnects = 0;
        for (Source source : sources) {
            if (source.connection != null) {
                handler.onClose(source.connection, lastNanos, "end of recording");
            }
            for (ReplayConnection c : source.opened) {
                reconnects += c.reconnectRequests();
            }
        }
        return new Result(frames, rest, connections, reconnects);
    }

    private static final class Source implements Comparable<Source> {
        final CaptureReader reader;
        final int order;
        final List<ReplayConnection> opened = new ArrayList<>();
        CapturedFrame head;
        ReplayConnection connection;

        Source(CaptureReader reader, int order) {
            this.reader = reader;
            this.order = order;
        }

        boolean advance() throws IOException {
            head = reader.next();
            return head != null;
        }

        void open(FeedHandler handler, long nanos, String url) {
            connection =
                    new ReplayConnection("replay#" + order + "." + opened.size() + (url.isEmpty() ? "" : " " + url));
            opened.add(connection);
            handler.onOpen(connection, nanos);
        }

        @Override
        public int compareTo(Source other) {
            int c = Long.compare(head.recvTsNanos(), other.head.recvTsNanos());
            return c != 0 ? c : Integer.compare(order, other.order);
        }
    }

    /** The connection a replayed handler sees. */
    public static final class ReplayConnection implements FeedConnection {
        private final String name;
        private final List<String> sent = new ArrayList<>();
        private long reconnectRequests;

        ReplayConnection(String name) {
            this.name = name;
        }

        @Override
        public void send(String text) {
            if (sent.size() < 10_000) {
                sent.add(text);
            }
        }

        @Override
        public void reconnect(String reason) {
            reconnectRequests++;
        }

        @Override
        public String name() {
            return name;
        }

        /** The first 10,000 messages the handler sent. */
        public List<String> sent() {
            return sent;
        }

        public long reconnectRequests() {
            return reconnectRequests;
        }
    }
}
