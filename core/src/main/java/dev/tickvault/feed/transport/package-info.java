/**
 * The WebSocket transport of the feeds: {@link dev.tickvault.feed.transport.WebSocketFeedClient} keeps a {@link
 * dev.tickvault.feed.FeedHandler}'s connections open (TLS, permessage-deflate, pings, stale-connection watchdog,
 * reconnect with backoff and jitter, 24-hour rotation with overlap) and calls the handler on one event loop.
 *
 * <pre>{@code
 * WebSocketFeedClient client = new WebSocketFeedClient(TransportConfig.defaults("binance"), handler);
 * client.open(URI.create("wss://stream.binance.com:9443/stream?streams=btcusdt@depth@100ms/btcusdt@trade"));
 * // a REST snapshot fetched elsewhere is handed to the handler on its own thread:
 * httpClient.sendAsync(request, BodyHandlers.ofByteArray())
 *         .thenAcceptAsync(r -> handler.onRestResponse(url, r.body(), clock.nowNanos()), client.handlerExecutor());
 * ...
 * client.close();
 * }</pre>
 */
package dev.tickvault.feed.transport;
