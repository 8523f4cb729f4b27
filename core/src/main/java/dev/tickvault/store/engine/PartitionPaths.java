package dev.tickvault.store.engine;

import dev.tickvault.model.SeriesKey;
import dev.tickvault.store.Table;
import dev.tickvault.store.partition.ChunkLayout;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * Where partition files live:
 * {@code <root>/<table>/<exchange>/<encoded symbol>/<yyyy-mm-dd>/<flush sequence>.tvc}. Symbols are encoded by
 * {@link SeriesKey#encodeFileName} so no name can leave the store directory.
 */
final class PartitionPaths {

    static final long NANOS_PER_DAY = 86_400_000_000_000L;

    private PartitionPaths() {}

    static Path seriesDirectory(Path root, Table table, SeriesKey series) {
        Path dir = root.resolve(table.directoryName())
                .resolve(series.exchange())
                .resolve(series.symbolFileName())
                .normalize();
        if (!dir.startsWith(root)) {
            throw new IllegalArgumentException("series path escapes the store: " + series);
        }
        return dir;
    }

    static long dayOf(long tsNanos) {
        return Math.floorDiv(tsNanos, NANOS_PER_DAY);
    }

    static String dayName(long day) {
        return LocalDate.ofEpochDay(day).toString();
    }

    static long dayStartNanos(String dayName) {
        return LocalDate.parse(dayName).atStartOfDay(ZoneOffset.UTC).toEpochSecond() * 1_000_000_000L;
    }

    static Path chunkPath(Path seriesDirectory, long day, long sequence, int part, int parts) {
        return seriesDirectory
                .resolve(dayName(day))
                .resolve(String.format("%012d-%d-%d%s", sequence, part, parts, ChunkLayout.FILE_SUFFIX));
    }
}
