package dev.tickvault.feed.kraken;

import dev.tickvault.feed.FeedConnection;
import dev.tickvault.feed.FeedSink;
import dev.tickvault.feed.FeedStats;
import dev.tickvault.feed.book.OrderBook;
import dev.tickvault.feed.json.ParsedLevels;
import dev.tickvault.feed.json.SymbolTable;
import dev.tickvault.model.SeriesKey;
import java.util.List;
import org.slf4j.Logger;

/**
 * The books of one Kraken handler and their bookkeeping, the same in v1 and v2 (only the request text differs): which
 * connection each book is kept from, how a parsed book message is applied, and the checksum mismatch → resubscription
 * (unsubscribe + subscribe of that pair alone, rate-limited by {@link KrakenBook#tryResubscribe}) that follows.
 *
 * <p>A book is kept from the connection whose snapshot was applied last, so a replacement connection overlapping the
 * old one takes over at its snapshot; the other connection's updates count as duplicates. Closing a connection puts
 * only the books it carried out of sync (reason {@code reconnect}).
 *
 * <p>Not thread-safe: owned by one handler.
 */
final class KrakenBooks {

    /** The venue's book request: {@code method} is {@code subscribe} or {@code unsubscribe}. */
    @FunctionalInterface
    interface BookRequest {
        String text(String method, List<String> symbols);
    }

    private final String handlerName;
    private final Logger log;
    private final FeedSink sink;
    private final FeedStats stats;
    private final BookRequest requests;
    private final KrakenBookChecksum checksum = new KrakenBookChecksum();
    private final SymbolTable<KrakenBook> books = new SymbolTable<>();

    /**
     * @param handlerName the name in log lines ({@code kraken-v1}, {@code kraken-v2})
     * @param log the handler's logger (mismatches are logged under the handler's name)
     */
    KrakenBooks(String handlerName, Logger log, FeedSink sink, FeedStats stats, BookRequest requests) {
        this.handlerName = handlerName;
        this.log = log;
        this.sink = sink;
        this.stats = stats;
        this.requests = requests;
    }

    /** Creates and registers the book of {@code symbol}. */
    KrakenBook add(String exchange, String symbol, int depth, int maxLevelsPerMessage) {
        KrakenBook book = new KrakenBook(SeriesKey.of(exchange, symbol), symbol, depth, maxLevelsPerMessage);
        books.put(symbol, book);
        return book;
    }

    /** Book messages whose checksum matched, over all books. */
    long checksumsVerified() {
        return books.values().stream().mapToLong(KrakenBook::checksumsVerified).sum();
    }

    /** Book messages whose checksum did not match, over all books. */
    long checksumMismatches() {
        return books.values().stream().mapToLong(KrakenBook::checksumMismatches).sum();
    }

    /** The current book of {@code symbol}, or null if it is not subscribed. */
    OrderBook book(String symbol) {
        KrakenBook b = books.get(symbol);
        return b == null ? null : b.book;
    }

    /** Whether the book of {@code symbol} is in sync (a snapshot applied and no mismatch since). */
    boolean isSynced(String symbol) {
        KrakenBook b = books.get(symbol);
        return b != null && b.synced();
    }

    /** Puts the books kept from {@code connection} out of sync (reason {@code reconnect}). */
    void onClose(FeedConnection connection) {
        for (KrakenBook b : books.values()) {
            if (b.connection == connection) {
                b.markOutOfSync("reconnect");
                b.connection = null;
            }
        }
    }

    /** Checkpoints the books that are due and sends the deferred resubscriptions whose time has come. */
    void onTimer(long nowNanos, long checkpointIntervalNanos) {
        for (KrakenBook b : books.values()) {
            b.checkpointIfDue(nowNanos, checkpointIntervalNanos, sink, stats);
            if (b.connection != null && b.resubscribeDue(nowNanos)) {
                resubscribe(b.connection, b);
            }
        }
    }

    /**
     * Applies one parsed book message of {@code book} received on {@code connection}: a snapshot claims the book for
     * that connection; an update from another connection is skipped as a duplicate, and one that arrives while the
     * book waits for a snapshot is dropped. Then, if the message carried a checksum ({@code expectedChecksum >= 0}),
     * the book is verified and a mismatch resubscribes it.
     */
    void apply(
            FeedConnection connection,
            KrakenBook book,
            boolean snapshot,
            ParsedLevels levels,
            long expectedChecksum,
            long tsNanos,
            long recvTsNanos) {
        if (snapshot) {
            book.connection = connection;
            book.applySnapshot(levels, tsNanos, recvTsNanos, sink, stats);
        } else if (book.connection != connection) {
            stats.duplicatesSkipped.increment(); // another connection's book (an overlapping replacement)
            return;
        } else if (book.synced()) {
            book.applyUpdate(levels, tsNanos, recvTsNanos, sink, stats);
        } else {
            return; // waiting for the snapshot of a resubscription
        }
        if (expectedChecksum >= 0 && !book.verify(expectedChecksum, checksum)) {
            log.warn(
                    "{} {}: book checksum mismatch (expected {}, computed {}); resubscribing",
                    handlerName,
                    book.symbol,
                    expectedChecksum,
                    checksum.compute(book.book));
            if (book.tryResubscribe(recvTsNanos)) {
                resubscribe(connection, book);
            }
        }
    }

    private void resubscribe(FeedConnection connection, KrakenBook book) {
        List<String> one = List.of(book.symbol);
        connection.send(requests.text("unsubscribe", one));
        connection.send(requests.text("subscribe", one));
        stats.resyncs.increment();
    }
}
