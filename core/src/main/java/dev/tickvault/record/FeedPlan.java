package dev.tickvault.record;

import dev.tickvault.feed.FeedHandler;
import dev.tickvault.feed.FeedSink;
import dev.tickvault.feed.transport.TransportConfig;
import java.net.URI;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * How to record one feed: the WebSocket URLs to keep open, the transport settings, and how to build the venue's
 * handler. {@link Recorder} turns a plan into a running feed.
 */
public interface FeedPlan {

    /** Name for logs, metrics and the status line, e.g. {@code binance} or {@code binance-futures}. */
    String name();

    TransportConfig transport();

    List<URI> uris();

    /**
     * Builds the venue handler writing into {@code sink}.
     *
     * @param context what the handler may need from the running feed (its thread, the outermost handler)
     */
    FeedHandler newHandler(FeedSink sink, Context context);

    /**
     * @param handlerExecutor runs tasks on the handler's thread (e.g. to deliver REST responses)
     * @param outermost the handler the transport calls (with capture and commit decorators): REST responses must go
     *     to it so they are captured too
     * @param resources where the plan registers what it opens (REST clients) so the recorder closes them
     */
    record Context(Executor handlerExecutor, FeedHandler outermost, List<AutoCloseable> resources) {}
}
