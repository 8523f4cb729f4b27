package dev.tickvault.feed.capture;

import java.io.IOException;

/** Reads the entries of a feed recording in order. */
public interface CaptureReader extends AutoCloseable {

    /** The next entry, or {@code null} at the end of the recording. */
    CapturedFrame next() throws IOException;

    /** 1-based line (or record) number of the entry last returned, for error messages. */
    long position();

    @Override
    void close() throws IOException;
}
