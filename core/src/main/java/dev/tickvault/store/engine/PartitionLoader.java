package dev.tickvault.store.engine;

import dev.tickvault.model.SeriesKey;
import dev.tickvault.store.StorageException;
import dev.tickvault.store.Table;
import dev.tickvault.store.partition.ChunkFile;
import dev.tickvault.store.partition.ChunkLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens a store's chunk files at startup (layout in {@code docs/FORMAT.md}): deletes files a crash left half-written
 * (temp files, and every part of a flush whose parts are not all present — the log still holds their rows), opens
 * and checks the rest, and sets aside corrupt ones so that queries of their series report them by name.
 */
final class PartitionLoader {

    private static final Logger LOG = LoggerFactory.getLogger(PartitionLoader.class);

    /** What was found: a slot per series with chunk files, and the highest flush sequence number in any file name. */
    record Loaded(Map<SlotKey, SeriesSlot> slots, long maxSequence) {}

    private PartitionLoader() {}

    static Loaded load(Path root) {
        return load(root, listFiles(root), true, ChunkFile::open);
    }

    /**
     * As {@link #load(Path)} for a store another process writes, changing nothing: leftovers (temp files, parts of a
     * flush still being written or cut short) are skipped, not deleted, and files are opened through {@code opener}
     * (which may hand out files it already opened). The directory tree is listed until two listings in a row agree, so
     * the result is the set of complete flushes at one instant: since a series' flushes happen one after another, the
     * files of a series then hold exactly its rows up to their highest LSN.
     *
     * @throws StoreChangedException when the listing does not settle (the writer keeps adding files); try again later
     */
    static Loaded loadReadOnly(Path root, Function<Path, ChunkFile> opener) {
        Map<SlotKey, List<Path>> listing = listFiles(root);
        for (int attempt = 0; ; attempt++) {
            Map<SlotKey, List<Path>> again = listFiles(root);
            if (again.equals(listing)) {
                break;
            }
            if (attempt == 10) {
                throw new StoreChangedException("partition files kept changing while they were listed");
            }
            listing = again;
        }
        return load(root, listing, false, opener);
    }

    private static Loaded load(
            Path root, Map<SlotKey, List<Path>> files, boolean deleteLeftovers, Function<Path, ChunkFile> opener) {
        Map<SlotKey, SeriesSlot> slots = new HashMap<>();
        long maxSequence = 0;
        for (Map.Entry<SlotKey, List<Path>> series : files.entrySet()) {
            Map<Long, List<Path>> flushes = completeFlushes(series.getValue(), deleteLeftovers);
            for (long sequence : flushes.keySet()) {
                // Every name counts, even a corrupt file's: a new flush must never reuse its name.
                maxSequence = Math.max(maxSequence, sequence);
            }
            List<String> corrupt = new ArrayList<>();
            List<ChunkFile> chunks = open(flushes, corrupt, opener);
            if (!chunks.isEmpty() || !corrupt.isEmpty()) {
                slots.put(series.getKey(), new SeriesSlot(series.getKey(), chunks, corrupt));
            }
        }
        return new Loaded(slots, maxSequence);
    }

    /** Every file under each series directory ({@code <table>/<exchange>/<symbol>/<day>/*}), sorted. */
    private static Map<SlotKey, List<Path>> listFiles(Path root) {
        Map<SlotKey, List<Path>> files = new LinkedHashMap<>();
        for (Table table : Table.values()) {
            Path tableDir = root.resolve(table.directoryName());
            if (!Files.isDirectory(tableDir)) {
                continue;
            }
            for (Path exchangeDir : StoreEngine.list(tableDir)) {
                for (Path symbolDir : StoreEngine.list(exchangeDir)) {
                    SeriesKey series = SeriesKey.of(
                            exchangeDir.getFileName().toString(),
                            SeriesKey.decodeFileName(symbolDir.getFileName().toString()));
                    List<Path> seriesFiles = new ArrayList<>();
                    for (Path dayDir : StoreEngine.list(symbolDir)) {
                        seriesFiles.addAll(StoreEngine.list(dayDir));
                    }
                    files.put(new SlotKey(table, series), seriesFiles);
                }
            }
        }
        return files;
    }

    /**
     * The series' chunk files grouped by flush, oldest first, without temp files and incomplete flushes (deleted when
     * {@code deleteLeftovers}, else skipped).
     */
    private static Map<Long, List<Path>> completeFlushes(List<Path> files, boolean deleteLeftovers) {
        Map<Long, List<Path>> bySequence = new TreeMap<>();
        Map<Long, Integer> expectedParts = new HashMap<>();
        for (Path file : files) {
            String name = file.getFileName().toString();
            if (name.contains(".tmp-")) {
                if (deleteLeftovers) {
                    LOG.warn("deleting incomplete file left by a crash: {}", file);
                    delete(file);
                }
                continue;
            }
            if (!name.endsWith(ChunkLayout.FILE_SUFFIX)) {
                continue;
            }
            ChunkName parsed = ChunkName.parse(file);
            bySequence
                    .computeIfAbsent(parsed.sequence(), k -> new ArrayList<>())
                    .add(file);
            expectedParts.put(parsed.sequence(), parsed.parts());
        }
        bySequence.entrySet().removeIf(e -> {
            if (e.getValue().size() == expectedParts.get(e.getKey())) {
                return false;
            }
            if (deleteLeftovers) {
                LOG.warn(
                        "deleting {} file(s) of flush {} that did not complete (the log still holds their rows): {}",
                        e.getValue().size(),
                        e.getKey(),
                        e.getValue());
                e.getValue().forEach(PartitionLoader::delete);
            }
            return true;
        });
        return bySequence;
    }

    private static List<ChunkFile> open(
            Map<Long, List<Path>> flushes, List<String> corrupt, Function<Path, ChunkFile> opener) {
        List<ChunkFile> chunks = new ArrayList<>();
        for (List<Path> files : flushes.values()) {
            for (Path file : files) {
                try {
                    chunks.add(opener.apply(file));
                } catch (StorageException e) {
                    if (e.kind() == StorageException.Kind.IO) {
                        throw e;
                    }
                    LOG.error(
                            "corrupt partition file; queries of its series will fail until it is repaired: {}",
                            e.getMessage());
                    corrupt.add(e.getMessage());
                }
            }
        }
        return chunks;
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw StorageException.io("cannot delete", file, e);
        }
    }
}
