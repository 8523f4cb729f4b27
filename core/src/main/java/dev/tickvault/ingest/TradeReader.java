package dev.tickvault.ingest;

/**
 * Streams the trades of one input to a {@link TradeSink}, reporting malformed lines to a {@link MalformedLines}.
 * Single use, not thread-safe; closing it closes the input.
 */
public interface TradeReader extends AutoCloseable {

    /**
     * Reads the input to its end.
     *
     * @return the number of rows handed to {@code sink}
     * @throws MalformedLineException in strict mode, at the first malformed line
     * @throws java.io.UncheckedIOException when the input cannot be read
     */
    long readAll(TradeSink sink, MalformedLines malformed);

    /** Bytes of the underlying file consumed so far (compressed bytes for a zip), for progress. */
    long bytesRead();

    @Override
    void close();
}
