/**
 * Kraken spot WebSocket feeds: {@link dev.tickvault.feed.kraken.KrakenV1FeedHandler} (v1, {@code wss://ws.kraken.com},
 * the protocol of the recordings) and {@link dev.tickvault.feed.kraken.KrakenV2FeedHandler} (v2, {@code
 * wss://ws.kraken.com/v2}, live). Both keep exact books truncated to the subscribed depth and verify Kraken's CRC32
 * ({@link dev.tickvault.feed.kraken.KrakenBookChecksum}) on every message that carries one; a mismatch resynchronises
 * that pair alone and is recorded as a gap marker.
 */
package dev.tickvault.feed.kraken;
