package dev.tickvault.bench.peers;

import dev.tickvault.bench.BookBenchmark;
import dev.tickvault.sample.SyntheticTradeBatch;
import java.util.Map;

/** One system of the side-by-side benchmark: ingest with one writer, then the three queries. */
interface Peer extends AutoCloseable {

    /** Appends every trade with one writer and makes it durable to the system's usual level; timed by the caller. */
    void ingest(SyntheticTradeBatch trades) throws Exception;

    /** Bytes of the stored data on disk after ingest. */
    long bytesOnDisk() throws Exception;

    /** Every column of every row of the busiest series in {@code [from, to)} delivered to Java. */
    GroundTruth.Hour hour(long fromNanos, long toNanos) throws Exception;

    /** 1-minute OHLCV of the busiest series over the day, keyed by minute of the day. */
    Map<Integer, GroundTruth.Bar> bars() throws Exception;

    /** Rows per series, indexed like the generator's instruments. */
    long[] counts() throws Exception;

    /**
     * Appends {@code copies} copies of the real Binance level updates to a book table with one writer (commits of
     * 100k rows) and makes them durable like {@link #ingest}; timed by the caller.
     */
    void ingestBook(BookBenchmark.Merged book, int copies) throws Exception;

    /** Bytes of the book table on disk. */
    long bookBytesOnDisk() throws Exception;

    /** Rows of the book table per series, indexed like {@link BookBenchmark#SERIES}. */
    long[] bookCounts() throws Exception;

    /** What the storage holds, for the report (types, compression). */
    String layout();

    @Override
    void close();
}
