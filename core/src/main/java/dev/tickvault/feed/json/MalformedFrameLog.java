package dev.tickvault.feed.json;

import dev.tickvault.feed.FeedStats;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts malformed or unexpected frames in {@link FeedStats#malformed} and logs them rate-limited: at most one
 * warning per {@code intervalNanos} of feed time, with the reason, a sample of the frame (first 300 bytes) and how
 * many were counted but not logged since the last warning. Feed time (the caller's receive time) drives the limit so
 * replays behave like live runs.
 *
 * <p>Not thread-safe: one per handler.
 */
public final class MalformedFrameLog {

    private static final Logger LOG = LoggerFactory.getLogger(MalformedFrameLog.class);
    private static final int SAMPLE_BYTES = 300;

    private final String handlerName;
    private final FeedStats stats;
    private final long intervalNanos;
    private long lastLoggedNanos = Long.MIN_VALUE;
    private long suppressed;

    public MalformedFrameLog(String handlerName, FeedStats stats, long intervalNanos) {
        this.handlerName = handlerName;
        this.stats = stats;
        this.intervalNanos = intervalNanos;
    }

    /** Counts one bad frame and logs it unless one was logged less than the interval ago. */
    public void report(String why, byte[] utf8, int offset, int length, long nowNanos, Throwable cause) {
        stats.malformed.increment();
        if (lastLoggedNanos != Long.MIN_VALUE && nowNanos - lastLoggedNanos < intervalNanos) {
            suppressed++;
            return;
        }
        String sample = new String(utf8, offset, Math.min(length, SAMPLE_BYTES), StandardCharsets.UTF_8);
        if (cause != null) {
            LOG.warn(
                    "{}: skipped a malformed frame ({}: {}); {} more since the last warning; sample: {}",
                    handlerName,
                    why,
                    cause.toString(),
                    suppressed,
                    sample);
        } else {
            LOG.warn(
                    "{}: skipped a malformed frame ({}); {} more since the last warning; sample: {}",
                    handlerName,
                    why,
                    suppressed,
                    sample);
        }
        lastLoggedNanos = nowNanos;
        suppressed = 0;
    }
}
