package dev.tickvault.simulator;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A client of a recorded venue (Coinbase, Kraken): its own replay of the recording from the start, beginning at its
 * first subscription and paced by the recorded times divided by the speed (0: as fast as it reads), sending the
 * frames it is subscribed to. Pairs subscribed after the replay started get their frames from then on (their
 * snapshot may have passed): subscribe everything in the first request.
 *
 * <p>Confined to the simulator's event loop.
 */
abstract class ReplaySession extends SimSession {

    private static final int BATCH = 1024;
    private static final long MAX_SLEEP_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final List<RecordedFeed.Frame> frames;
    private final double speed;
    private int cursor;
    private long startMonoNanos;
    private boolean started;
    private boolean scheduled;

    ReplaySession(ExchangeSimulator simulator, int id, String venue, String path, Channel channel, RecordedFeed feed) {
        super(simulator, id, venue, path, channel);
        this.frames = feed.frames;
        this.speed = simulator.config().speed();
    }

    /** True if the client is subscribed to this frame's channel and product. */
    abstract boolean wants(RecordedFeed.Frame frame);

    /** The bytes to send for a frame (a fault may alter them). */
    byte[] payload(RecordedFeed.Frame frame) {
        return frame.payload();
    }

    /** Sees every frame the replay passes, sent or not (e.g. to keep a book for later snapshots). */
    void observe(RecordedFeed.Frame frame) {}

    boolean replayStarted() {
        return started;
    }

    boolean replayFinished() {
        return started && cursor >= frames.size();
    }

    void startReplay() {
        if (!started) {
            started = true;
            startMonoNanos = System.nanoTime();
            schedule(0);
        }
    }

    private void schedule(long delayNanos) {
        if (scheduled || isClosed()) {
            return;
        }
        scheduled = true;
        channel.eventLoop().schedule(this::pump, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
    }

    private void pump() {
        scheduled = false;
        if (isClosed()) {
            return;
        }
        boolean fast = speed == 0;
        if (fast && !channel.isWritable()) {
            schedule(TimeUnit.MILLISECONDS.toNanos(1));
            return;
        }
        long due = fast ? Long.MAX_VALUE : (long) ((System.nanoTime() - startMonoNanos) * speed);
        int sent = 0;
        while (cursor < frames.size() && sent < BATCH && frames.get(cursor).offsetNanos() <= due) {
            RecordedFeed.Frame f = frames.get(cursor++);
            observe(f);
            if (wants(f)) {
                sendData(Unpooled.wrappedBuffer(payload(f)));
                sent++;
            }
        }
        flush();
        if (cursor >= frames.size()) {
            return;
        }
        if (sent == BATCH || fast) {
            schedule(0);
        } else {
            long waitRecorded = frames.get(cursor).offsetNanos() - due;
            schedule(Math.min(MAX_SLEEP_NANOS, (long) (waitRecorded / speed)));
        }
    }
}
