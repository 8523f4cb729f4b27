package dev.tickvault.feed.binance;

import dev.tickvault.model.SeriesKey;

/**
 * Asks Binance's REST API for a depth snapshot of one symbol, for {@link BinanceFeedHandler}'s book sync.
 *
 * <p>Contract: {@link #request} is called on the handler's thread and must return at once. The response body comes
 * back later, on the handler's thread, as {@link dev.tickvault.feed.FeedHandler#onRestResponse(String, byte[], long)}
 * with the request URL (which names the symbol in its {@code symbol=} parameter): the live implementation ({@link
 * HttpDepthSnapshotRequester}) hands it to an executor the transport provides, the one that runs the handler. A
 * request for a symbol already requested and not yet answered is not repeated. Failed requests are retried by the
 * requester (with the venue's back-off); the handler never sees errors, only bodies of successful responses.
 *
 * <p>In replay the snapshots come from the recording (its REST frames), so {@link #NONE} is used.
 */
public interface DepthSnapshotRequester {

    /** Requests a snapshot of {@code series}; the answer arrives through {@code onRestResponse}. */
    void request(SeriesKey series);

    /** Requests nothing: replay, where the recording supplies the snapshots. */
    DepthSnapshotRequester NONE = series -> {};
}
