package dev.tickvault.ingest;

import java.util.List;

/**
 * What one file's import did.
 *
 * @param source the file name
 * @param rowsImported rows appended and committed
 * @param linesSkipped malformed lines skipped
 * @param problems the first {@value MalformedLines#KEPT_MESSAGES} malformed-line messages ({@code file:line: reason})
 */
public record ImportResult(String source, long rowsImported, long linesSkipped, List<String> problems) {

    public ImportResult {
        problems = List.copyOf(problems);
    }
}
