package dev.tickvault.feed.transport;

import java.time.Instant;

/**
 * Wall-clock time in nanoseconds since the epoch, with sub-millisecond resolution.
 *
 * <p>{@link #system()} anchors {@link System#nanoTime()} (fine-grained, monotonic) to {@link Instant#now()} (wall
 * clock) once, and re-anchors when {@link #resync()} is called (the transport does it every minute) so NTP
 * corrections reach the timestamps without a jump at every reading. Thread-safe.
 */
public interface NanoClock {

    /** Nanoseconds since the epoch. */
    long nowNanos();

    /** Re-reads the wall clock (no-op for clocks that don't drift). */
    default void resync() {}

    /** The system clock, anchored as described above. */
    static NanoClock system() {
        return new AnchoredClock();
    }

    /** Wall time from an anchor plus monotonic elapsed time. */
    final class AnchoredClock implements NanoClock {

        private record Anchor(long wallNanos, long monotonicNanos) {}

        private volatile Anchor anchor = read();

        private static Anchor read() {
            long mono = System.nanoTime();
            Instant now = Instant.now();
            return new Anchor(now.getEpochSecond() * 1_000_000_000L + now.getNano(), mono);
        }

        @Override
        public long nowNanos() {
            Anchor a = anchor;
            return a.wallNanos + (System.nanoTime() - a.monotonicNanos);
        }

        @Override
        public void resync() {
            anchor = read();
        }
    }
}
