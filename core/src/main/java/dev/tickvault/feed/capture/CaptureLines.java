package dev.tickvault.feed.capture;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * The lines of a text capture (one message a line: cryptofeed's and hftbacktest's formats), read as UTF-8 with blank
 * lines skipped, counting line numbers so that an error can name the line.
 *
 * <p>Not thread-safe: one per reader.
 */
final class CaptureLines implements Closeable {

    private final BufferedReader lines;
    private final String name;
    private long lineNumber;

    CaptureLines(InputStream in, String name) {
        this.lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
        this.name = name;
    }

    /** The next line that is not blank, or null at the end. */
    String next() throws IOException {
        String line;
        do {
            line = lines.readLine();
            if (line == null) {
                return null;
            }
            lineNumber++;
        } while (line.isBlank());
        return line;
    }

    /** The number of the line {@link #next} returned last (1-based; 0 before the first). */
    long lineNumber() {
        return lineNumber;
    }

    /** An error about the current line: {@code <name>:<line>: <why>}. */
    IOException malformed(String why) {
        return new IOException(name + ":" + lineNumber + ": " + why);
    }

    @Override
    public void close() throws IOException {
        lines.close();
    }
}
