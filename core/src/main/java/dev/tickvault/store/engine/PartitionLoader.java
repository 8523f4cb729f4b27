package dev.tickvault.store.engine;

import dev.tickvault.model.SeriesKey;
import dev.tickvault.store.StorageException;
import dev.tickvault.store.Table;
import dev.tickvault.store.io.LazyLog;
import dev.tickvault.store.partition.ChunkFile;
import dev.tickvault.store.partition.ChunkLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Opens a store's chunk files at startup (layout in {@code docs/FORMAT.md}): deletes files a crash left half-written
 * (temp files, and every part of a flush whose parts are not all present — the log still holds their rows), opens
 * and checks the rest, and sets aside corrupt ones so that queries of their series report them by name.
 */
final class PartitionLoader {

    private static final LazyLog LOG = LazyLog.of(PartitionLoader.class);

    /** What was found: a slot per series with chunk files, and the highest flush sequence number in any file name. */
    record Loaded(Map<SlotKey, SeriesSlot> slots, long maxSequence) {}

    private PartitionLoader() {}

    static Loaded load(Path root) {
        return load(root, listFiles(root), true, ChunkFile::open);
    }

    /**
     * As {@link #load(Path)} for a store another process writes, changing nothing: leftovers (temp files, parts of a
     * flush still being written or cut short) are skipped, not deleted, and files are opened through {@code opener}
     * (which may hand out files it already opened).
     *
     * <p>Each series gets a prefix of its flushes: every complete flush up to one, none after a missing one (its rows
     * would be skipped in the log as older than the later flush's). One listing of a series' day directories can miss
     * a flush and see the next: a flush that spans two days whose first part landed just after its directory was
     * listed, and a next flush of one part in a later day directory listed after it landed. So the series is listed
     * twice and the second listing is used, up to the newest flush complete in the first one: every flush before that
     * one was complete before it began, hence before the second listing began. Nothing needs the whole tree to keep
     * still (until session 12 it was listed until two listings agreed, at most 11 times, and a writer flushing every few
     * commits on a loaded machine made a follower give up). Series are listed at different instants; that is enough
     * because the log is read after the listing, up to at least every flush listed.
     *
     * @param lister lists one directory, sorted ({@link StoreEngine#list}; tests interleave a writer's steps)
     * @param afterEachListing run after each listing of a series (the caller keeps the log it will read pinned)
     */
    static Loaded loadReadOnly(
            Path root, Function<Path, ChunkFile> opener, Function<Path, List<Path>> lister, Runnable afterEachListing) {
        Map<SlotKey, List<Path>> files = new LinkedHashMap<>();
        forEachSeries(root, lister, (key, symbolDir) -> {
            List<Path> first = listSeries(symbolDir, lister);
            afterEachListing.run();
            List<Path> second = listSeries(symbolDir, lister);
            afterEachListing.run();
            if (archiveSwapSeen(first, second)) {
                throw new StoreChangedException("partition files of " + symbolDir + " were archived while listed");
            }
            files.put(key, prefixOfFlushes(first, second));
        });
        return load(root, files, false, opener);
    }

    /**
     * The chunk files of {@code second} (a later listing of a series than {@code first}) whose flush is no newer than
     * the newest flush complete in {@code first}: a prefix of the series' flushes (see {@link #loadReadOnly}).
     */
    static List<Path> prefixOfFlushes(List<Path> first, List<Path> second) {
        long newest = -1;
        for (long sequence : completeFlushes(first, false).keySet()) {
            newest = Math.max(newest, sequence);
        }
        List<Path> prefix = new ArrayList<>();
        for (Path file : second) {
            if (ChunkName.isChunkFile(file) && ChunkName.parse(file).sequence() <= newest) {
                prefix.add(file);
            }
        }
        return prefix;
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
        forEachSeries(
                root, StoreEngine::list, (key, symbolDir) -> files.put(key, listSeries(symbolDir, StoreEngine::list)));
        return files;
    }

    private static void forEachSeries(Path root, Function<Path, List<Path>> lister, BiConsumer<SlotKey, Path> action) {
        for (Table table : Table.values()) {
            Path tableDir = root.resolve(table.directoryName());
            if (!Files.isDirectory(tableDir)) {
                continue;
            }
            for (Path exchangeDir : lister.apply(tableDir)) {
                for (Path symbolDir : lister.apply(exchangeDir)) {
                    SeriesKey series = SeriesKey.of(
                            exchangeDir.getFileName().toString(),
                            SeriesKey.decodeFileName(symbolDir.getFileName().toString()));
                    action.accept(new SlotKey(table, series), symbolDir);
                }
            }
        }
    }

    /** The files of one series ({@code <day>/*} under its directory), sorted. */
    private static List<Path> listSeries(Path symbolDir, Function<Path, List<Path>> lister) {
        List<Path> seriesFiles = new ArrayList<>();
        for (Path dayDir : lister.apply(symbolDir)) {
            seriesFiles.addAll(lister.apply(dayDir));
        }
        return seriesFiles;
    }

    /**
     * The series' chunk files grouped by flush sequence, oldest first, without temp files, incomplete flushes and files
     * an archive file supersedes (deleted when {@code deleteLeftovers}, else skipped).
     *
     * <p>Archive files ({@link ChunkName#archive()}, written by {@link PartitionArchiver}): an archive file named with
     * sequence {@code S} supersedes every other chunk file of its day directory whose sequence is at most {@code S}
     * (an older archive file included); it sits in the flush order at {@code S}. A flush whose parts are not all
     * present is complete when some archive file of the series has a sequence at or above its own: the archive step
     * only merges complete flushes' files, and a flush cut short by a crash is removed here before any archive step
     * can run, so its sequence is above every archive file's.
     */
    private static Map<Long, List<Path>> completeFlushes(List<Path> files, boolean deleteLeftovers) {
        Map<Path, Long> archiveByDay = new HashMap<>();
        long newestArchive = -1;
        for (Path file : files) {
            if (ChunkName.isChunkFile(file)) {
                ChunkName parsed = ChunkName.parse(file);
                if (parsed.archive()) {
                    archiveByDay.merge(file.getParent(), parsed.sequence(), Math::max);
                    newestArchive = Math.max(newestArchive, parsed.sequence());
                }
            }
        }
        Map<Long, List<Path>> bySequence = new TreeMap<>();
        Map<Long, Integer> expectedParts = new HashMap<>();
        Map<Long, Integer> presentParts = new HashMap<>();
        for (Path file : files) {
            String name = file.getFileName().toString();
            if (name.contains(".tmp-")) {
                if (deleteLeftovers) {
                    LOG.get().warn("deleting incomplete file left by a crash: {}", file);
                    delete(file);
                }
                continue;
            }
            if (!name.endsWith(ChunkLayout.FILE_SUFFIX)) {
                continue;
            }
            ChunkName parsed = ChunkName.parse(file);
            Long archived = archiveByDay.get(file.getParent());
            if (archived != null && (parsed.archive() ? parsed.sequence() < archived : parsed.sequence() <= archived)) {
                if (deleteLeftovers) {
                    LOG.get()
                            .info(
                                    "deleting a chunk file an archive file supersedes (an archive step was cut short): {}",
                                    file);
                    delete(file);
                }
                continue;
            }
            bySequence
                    .computeIfAbsent(parsed.sequence(), k -> new ArrayList<>())
                    .add(file);
            if (!parsed.archive()) {
                expectedParts.put(parsed.sequence(), parsed.parts());
                presentParts.merge(parsed.sequence(), 1, Integer::sum);
            }
        }
        long archivedUpTo = newestArchive;
        bySequence.entrySet().removeIf(e -> {
            Integer expected = expectedParts.get(e.getKey());
            if (expected == null || presentParts.get(e.getKey()).equals(expected) || e.getKey() <= archivedUpTo) {
                return false;
            }
            if (deleteLeftovers) {
                LOG.get()
                        .warn(
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

    /**
     * Whether the archive step swapped files of a series between (or during) two listings of it, {@code first} then
     * {@code second}: the archive files differ, or a chunk file of the first is gone from the second. A listing that
     * overlaps the swap can miss both the new archive file (renamed in during the listing) and old files (deleted
     * during it); a listing that starts after another one ended sees every rename that happened during the earlier
     * one, so when neither holds, the second listing holds each archive file written so far, which supersedes
     * whatever of its old files it still holds.
     */
    static boolean archiveSwapSeen(List<Path> first, List<Path> second) {
        Set<Path> later = new HashSet<>(second);
        for (Path file : first) {
            if (ChunkName.isChunkFile(file) && !later.contains(file)) {
                return true;
            }
        }
        Set<Path> earlier = new HashSet<>(first);
        for (Path file : second) {
            if (ChunkName.isChunkFile(file) && ChunkName.parse(file).archive() && !earlier.contains(file)) {
                return true;
            }
        }
        return false;
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
                    LOG.get()
                            .error(
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
