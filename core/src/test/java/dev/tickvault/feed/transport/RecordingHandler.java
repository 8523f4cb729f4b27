package dev.tickvault.feed.transport;

import static org.assertj.core.api.Assertions.fail;

import dev.tickvault.feed.FeedConnection;
import dev.tickvault.feed.FeedHandler;
import dev.tickvault.feed.FeedStats;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;

/**
 * A test {@link FeedHandler} that records everything it is given (a copy of every frame, in order, with its
 * connection), the order of opens, first frames and closes, and the threads it was called on. Readable from the test
 * thread.
 */
public final class RecordingHandler implements FeedHandler {

    /** One frame as received. */
    public record Frame(String connection, byte[] bytes, long recvTsNanos) {
        public String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    /** Every frame; synchronized: iterate {@link #frames()} (a copy) while frames may still arrive. */
    public final List<Frame> frames = java.util.Collections.synchronizedList(new ArrayList<>());
    /** {@code open X}, {@code data X} (first frame of X), {@code close X: reason}, in order. */
    public final List<String> events = new CopyOnWriteArrayList<>();

    public final List<FeedConnection> opened = new CopyOnWriteArrayList<>();
    public final Set<String> threads = ConcurrentHashMap.newKeySet();
    public final AtomicInteger timerCalls = new AtomicInteger();
    public final List<String> restResponses = new CopyOnWriteArrayList<>();
    private final Set<String> connectionsWithData = ConcurrentHashMap.newKeySet();
    private final FeedStats stats = new FeedStats();
    private volatile BiConsumer<FeedConnection, Long> onOpenAction = (c, t) -> {};
    private volatile BiConsumer<FeedConnection, String> onTextAction = (c, t) -> {};
    private volatile int maxFrames = 2_000_000;

    public RecordingHandler onOpen(BiConsumer<FeedConnection, Long> action) {
        this.onOpenAction = action;
        return this;
    }

    /** Called (on the handler's thread) with every frame's text. */
    public RecordingHandler onText(BiConsumer<FeedConnection, String> action) {
        this.onTextAction = action;
        return this;
    }

    public RecordingHandler maxFrames(int max) {
        this.maxFrames = max;
        return this;
    }

    @Override
    public void onOpen(FeedConnection connection, long nowNanos) {
        threads.add(Thread.currentThread().getName());
        events.add("open " + connection.name());
        opened.add(connection);
        onOpenAction.accept(connection, nowNanos);
    }

    @Override
    public void onMessage(FeedConnection connection, byte[] utf8, int offset, int length, long recvTsNanos) {
        threads.add(Thread.currentThread().getName());
        stats.messages.increment();
        if (connectionsWithData.add(connection.name())) {
            events.add("data " + connection.name());
        }
        if (frames.size() < maxFrames) {
            frames.add(new Frame(connection.name(), Arrays.copyOfRange(utf8, offset, offset + length), recvTsNanos));
        }
        onTextAction.accept(connection, new String(utf8, offset, length, StandardCharsets.UTF_8));
    }

    @Override
    public void onRestResponse(String url, byte[] body, long recvTsNanos) {
        threads.add(Thread.currentThread().getName());
        restResponses.add(new String(body, StandardCharsets.UTF_8));
    }

    @Override
    public void onClose(FeedConnection connection, long nowNanos, String reason) {
        threads.add(Thread.currentThread().getName());
        events.add("close " + connection.name() + ": " + reason);
    }

    @Override
    public void onTimer(long nowNanos) {
        threads.add(Thread.currentThread().getName());
        timerCalls.incrementAndGet();
    }

    @Override
    public FeedStats stats() {
        return stats;
    }

    public int openCount() {
        return opened.size();
    }

    /** A copy of the frames received so far. */
    public List<Frame> frames() {
        synchronized (frames) {
            return new ArrayList<>(frames);
        }
    }

    /** Frames received on one connection, in order. */
    public List<Frame> framesOf(String connection) {
        List<Frame> out = new ArrayList<>();
        for (Frame f : frames()) {
            if (f.connection().equals(connection)) {
                out.add(f);
            }
        }
        return out;
    }

    public int indexOfEvent(String prefix) {
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }

    /** Polls {@code condition} every 10 ms; fails with {@code what} and the events so far after {@code timeout}. */
    public void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out after " + timeout + " waiting for: " + what + "; events " + events + ", frames "
                        + frames.size());
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted");
            }
        }
    }
}
