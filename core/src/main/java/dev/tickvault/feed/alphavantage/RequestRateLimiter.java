package dev.tickvault.feed.alphavantage;

import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Makes callers wait so that requests never exceed any of a set of limits ("5 per minute", "25 per day").
 *
 * <p>Each limit is a token bucket of {@code requests} tokens in which a spent token comes back exactly one {@code
 * period} (plus {@code marginNanos}) after it was spent: a sliding window. A bucket that refills at a steady rate would
 * let a full bucket's burst and the refill of the following period through within one period (up to twice the limit
 * in, say, 60 s); this one lets at most {@code requests} requests start in any window of one period, which is how a
 * server counting "per minute" or "per day" over any window sees them. The margin absorbs the difference between our
 * clock and the server's and the time a request spends in flight.
 *
 * <p>The daily count lives in memory: a restarted process starts with a full bucket, and requests made with the same
 * key by other programs are not seen. The API's own rate-limit answers are therefore still handled by the caller.
 *
 * <p>Thread-safe: {@link #acquire()} is synchronized; callers queue on it and are let through one at a time.
 */
public final class RequestRateLimiter {

    /** At most {@code requests} requests in any window of {@code periodNanos}. */
    public record Limit(int requests, long periodNanos) {
        public Limit {
            if (requests < 1 || periodNanos <= 0) {
                throw new IllegalArgumentException("a limit needs requests >= 1 and a positive period");
            }
        }

        public static Limit perMinute(int requests) {
            return new Limit(requests, 60_000_000_000L);
        }

        public static Limit perDay(int requests) {
            return new Limit(requests, 86_400_000_000_000L);
        }
    }

    /** Waits; the real one is {@link Thread#sleep}, tests advance a clock of their own. */
    @FunctionalInterface
    public interface Sleeper {
        void sleepNanos(long nanos) throws InterruptedException;
    }

    /** Alpha Vantage's free key today: 25 requests a day (www.alphavantage.co/premium), and historically 5 a minute. */
    public static List<Limit> freeTier() {
        return List.of(Limit.perMinute(5), Limit.perDay(25));
    }

    /** A premium key: no daily limit, {@code requestsPerMinute} a minute (from 75 up to 1200, by plan). */
    public static List<Limit> premium(int requestsPerMinute) {
        return List.of(Limit.perMinute(requestsPerMinute));
    }

    private final Limit[] limits;
    /** Per limit, a ring of the start times of the last {@code requests} requests. */
    private final long[][] starts;

    private final int[] next;
    private final int[] count;
    private final long marginNanos;
    private final LongSupplier clockNanos;
    private final Sleeper sleeper;
    private long requests;
    private long waitedNanos;

    /**
     * @param clockNanos a monotonic clock ({@link System#nanoTime} in production)
     * @param marginNanos added to every period
     */
    public RequestRateLimiter(List<Limit> limits, long marginNanos, LongSupplier clockNanos, Sleeper sleeper) {
        if (limits.isEmpty()) {
            throw new IllegalArgumentException("no limits");
        }
        if (marginNanos < 0) {
            throw new IllegalArgumentException("margin must not be negative");
        }
        this.limits = limits.toArray(Limit[]::new);
        this.starts = new long[this.limits.length][];
        for (int i = 0; i < this.limits.length; i++) {
            starts[i] = new long[this.limits[i].requests()];
        }
        this.next = new int[this.limits.length];
        this.count = new int[this.limits.length];
        this.marginNanos = marginNanos;
        this.clockNanos = Objects.requireNonNull(clockNanos, "clockNanos");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    }

    /** With the system's monotonic clock and {@link Thread#sleep}. */
    public static RequestRateLimiter system(List<Limit> limits, long marginNanos) {
        return new RequestRateLimiter(limits, marginNanos, System::nanoTime, nanos -> {
            long millis = nanos / 1_000_000L;
            Thread.sleep(millis, (int) (nanos % 1_000_000L));
        });
    }

    /**
     * Waits until a request may start without exceeding any limit, then counts it as started.
     *
     * @return how long this call waited, in ns
     */
    public synchronized long acquire() throws InterruptedException {
        long waited = 0;
        while (true) {
            long now = clockNanos.getAsLong();
            long wait = waitNanos(now);
            if (wait <= 0) {
                record(now);
                requests++;
                waitedNanos += waited;
                return waited;
            }
            sleeper.sleepNanos(wait);
            waited += wait;
        }
    }

    /** How long a request starting at {@code now} would have to wait (0 or less: it may start). */
    public synchronized long waitNanos(long now) {
        long wait = 0;
        for (int i = 0; i < limits.length; i++) {
            if (count[i] == limits[i].requests()) {
                long oldest = starts[i][next[i]];
                wait = Math.max(wait, oldest + limits[i].periodNanos() + marginNanos - now);
            }
        }
        return wait;
    }

    /** Requests let through so far. */
    public synchronized long requests() {
        return requests;
    }

    /** Total time callers waited, in ns. */
    public synchronized long waitedNanos() {
        return waitedNanos;
    }

    private void record(long now) {
        for (int i = 0; i < limits.length; i++) {
            starts[i][next[i]] = now;
            next[i] = (next[i] + 1) % starts[i].length;
            if (count[i] < starts[i].length) {
                count[i]++;
            }
        }
    }
}
