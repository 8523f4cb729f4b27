package dev.tickvault.feed.coinbase;

import dev.tickvault.feed.FeedConnection;
import dev.tickvault.feed.FeedSink;
import dev.tickvault.feed.FeedStats;
import dev.tickvault.feed.book.OrderBook;
import dev.tickvault.feed.json.SymbolTable;
import dev.tickvault.model.SeriesKey;
import java.util.List;

/**
 * The subscribed products of one Coinbase handler (Exchange or Advanced Trade), looked up by id, and what the two
 * handlers do to all of them alike: status queries, checkpoints, and the connection bookkeeping when a connection
 * opens (it carries every product's trades) or closes (the books it carried go out of sync, reason {@code
 * reconnect}).
 *
 * <p>Not thread-safe: owned by one handler.
 */
final class CoinbaseProducts {

    private final SymbolTable<CoinbaseProduct> products = new SymbolTable<>();

    /** One product per id, its series {@code exchange:id}, indexed in the order given. */
    CoinbaseProducts(String exchange, List<String> productIds, int maxLevelsPerSide) {
        int index = 0;
        for (String id : productIds) {
            CoinbaseProduct product = new CoinbaseProduct(id, SeriesKey.of(exchange, id), maxLevelsPerSide);
            product.index = index++;
            products.put(id, product);
        }
    }

    CoinbaseProduct get(String productId) {
        return products.get(productId);
    }

    /** The product whose id is the parser's current text, or null (no allocation). */
    CoinbaseProduct get(char[] text, int offset, int length) {
        return products.get(text, offset, length);
    }

    List<CoinbaseProduct> all() {
        return products.values();
    }

    /** The current book of {@code productId}, or null if it is not subscribed (read on the handler's thread only). */
    OrderBook book(String productId) {
        CoinbaseProduct p = products.get(productId);
        return p == null ? null : p.book;
    }

    boolean isSynced(String productId) {
        CoinbaseProduct p = products.get(productId);
        return p != null && p.synced();
    }

    /** Events after which a book was crossed, over all products. */
    long crossedEvents() {
        return products.values().stream()
                .mapToLong(CoinbaseProduct::crossedEvents)
                .sum();
    }

    /** A new connection subscribed every product's trades. */
    void tradesFrom(FeedConnection connection) {
        for (CoinbaseProduct p : products.values()) {
            p.tradeConnection = connection;
        }
    }

    /** Puts the books kept from {@code connection} out of sync (reason {@code reconnect}). */
    void closeBooks(FeedConnection connection) {
        for (CoinbaseProduct p : products.values()) {
            if (p.bookConnection == connection) {
                p.markOutOfSync("reconnect");
                p.bookConnection = null;
            }
        }
    }

    /** Checkpoints every book that is in sync and due. */
    void checkpointIfDue(long nowNanos, long intervalNanos, FeedSink sink, FeedStats stats) {
        for (CoinbaseProduct p : products.values()) {
            p.checkpointIfDue(nowNanos, intervalNanos, sink, stats);
        }
    }
}
