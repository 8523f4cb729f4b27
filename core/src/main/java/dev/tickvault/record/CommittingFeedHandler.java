package dev.tickvault.record;

import dev.tickvault.feed.FeedConnection;
import dev.tickvault.feed.FeedHandler;
import dev.tickvault.feed.FeedStats;

/**
 * Gives the sink's commit policy its clock: after each timer tick of the handler, commits rows that waited long
 * enough. (Handlers end each frame with {@link dev.tickvault.feed.FeedSink#endOfFrame}, which commits once the row
 * budget is used.)
 */
public final class CommittingFeedHandler implements FeedHandler {

    private final FeedHandler delegate;
    private final StoreFeedSink sink;

    public CommittingFeedHandler(FeedHandler delegate, StoreFeedSink sink) {
        this.delegate = delegate;
        this.sink = sink;
    }

    @Override
    public void onOpen(FeedConnection connection, long nowNanos) {
        delegate.onOpen(connection, nowNanos);
    }

    @Override
    public void onMessage(FeedConnection connection, byte[] utf8, int offset, int length, long recvTsNanos) {
        delegate.onMessage(connection, utf8, offset, length, recvTsNanos);
    }

    @Override
    public void onRestResponse(String url, byte[] body, long recvTsNanos) {
        delegate.onRestResponse(url, body, recvTsNanos);
    }

    @Override
    public void onClose(FeedConnection connection, long nowNanos, String reason) {
        delegate.onClose(connection, nowNanos, reason);
        sink.maybeCommit();
    }

    @Override
    public void onTimer(long nowNanos) {
        delegate.onTimer(nowNanos);
        sink.maybeCommit();
    }

    @Override
    public FeedStats stats() {
        return delegate.stats();
    }
}
