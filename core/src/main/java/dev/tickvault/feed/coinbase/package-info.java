/**
 * Coinbase WebSocket feeds: {@link dev.tickvault.feed.coinbase.CoinbaseExchangeFeedHandler} (Coinbase Exchange, the
 * former Pro feed of the recording: level2, matches, heartbeat) and {@link
 * dev.tickvault.feed.coinbase.CoinbaseAdvancedTradeFeedHandler} (Advanced Trade: level2 → l2_data, market_trades,
 * heartbeats, per-connection {@code sequence_num}). Books are exact and checked never to cross; trades carry the
 * taker's side.
 */
package dev.tickvault.feed.coinbase;
