package dev.tickvault.ingest;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Counts the malformed lines of one input and keeps the first {@value #KEPT_MESSAGES} messages
 * ({@code file:line: reason}); the count is exact, the list bounded. In strict mode the first malformed line throws
 * a {@link MalformedLineException} instead. Not thread-safe.
 */
public final class MalformedLines {

    /** How many messages are kept; later ones are only counted. */
    public static final int KEPT_MESSAGES = 100;

    private final String source;
    private final boolean strict;
    private final List<String> messages = new ArrayList<>();
    private long count;

    public MalformedLines(String source, boolean strict) {
        this.source = source;
        this.strict = strict;
    }

    /** Records that line {@code lineNumber} is malformed, or throws in strict mode. */
    public void reject(long lineNumber, String reason) {
        if (strict) {
            throw new MalformedLineException(source, lineNumber, reason);
        }
        count++;
        if (messages.size() < KEPT_MESSAGES) {
            messages.add(source + ":" + lineNumber + ": " + reason);
        }
    }

    public String source() {
        return source;
    }

    public boolean strict() {
        return strict;
    }

    /** Number of malformed lines skipped. */
    public long count() {
        return count;
    }

    /** The first {@value #KEPT_MESSAGES} messages, in input order. */
    public List<String> messages() {
        return Collections.unmodifiableList(messages);
    }
}
