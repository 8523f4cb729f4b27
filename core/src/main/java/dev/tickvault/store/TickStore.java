package dev.tickvault.store;

import dev.tickvault.model.BookUpdate;
import dev.tickvault.model.GapMarker;
import dev.tickvault.model.SeriesKey;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * The embedded tick store: a directory holding a write-ahead log and columnar partition files per table, exchange,
 * symbol and UTC day.
 *
 * <p>Thread-safe. Writers ({@link #newWriter()}) commit concurrently; readers see only committed rows and never
 * block writers. {@link #open} replays the write-ahead log, so every commit acknowledged before a crash is there
 * after it.
 */
public final class TickStore implements AutoCloseable {

    private TickStore() {}

    /** Opens (creating if needed) the store in {@code directory} and recovers it. */
    public static TickStore open(Path directory, StoreConfig config) {
        throw new UnsupportedOperationException("TickStore is being written");
    }

    /** A new writer, for one thread. */
    public StoreWriter newWriter() {
        throw new UnsupportedOperationException();
    }

    /** Trades of {@code series} with {@code fromNanos <= ts < toNanos}, in time order. */
    public TradeCursor trades(SeriesKey series, long fromNanos, long toNanos) {
        throw new UnsupportedOperationException();
    }

    /** Book updates of {@code series} with {@code fromNanos <= ts < toNanos}, in time order. */
    public void bookUpdates(SeriesKey series, long fromNanos, long toNanos, Consumer<BookUpdate> sink) {
        throw new UnsupportedOperationException();
    }

    /** Gap markers of {@code series} that overlap {@code [fromNanos, toNanos)}. */
    public List<GapMarker> gaps(SeriesKey series, long fromNanos, long toNanos) {
        throw new UnsupportedOperationException();
    }

    /** Every series that has trades. */
    public List<SeriesKey> tradeSeries() {
        throw new UnsupportedOperationException();
    }

    /** Writes every committed in-memory row to partition files. */
    public void flush() {
        throw new UnsupportedOperationException();
    }

    public StoreStats stats() {
        throw new UnsupportedOperationException();
    }

    /** Checks every checksum of every file in the store directory without opening it for writing. */
    public static VerifyReport verify(Path directory) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void close() {}
}
