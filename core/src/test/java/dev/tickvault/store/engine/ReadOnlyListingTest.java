package dev.tickvault.store.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickvault.testing.RandomCases;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link PartitionLoader#prefixOfFlushes}: what a read-only snapshot takes of a series whose writer flushes while it
 * is listed — a prefix of the series' flushes (no flush missing before one that is there), holding every flush that
 * was complete when the listing began, whatever the instants at which each day directory was listed.
 */
class ReadOnlyListingTest {

    private static final Path SERIES_DIR = Path.of("/store/trades/binance/BTCUSDT");

    /**
     * The case one listing gets wrong: flush 5 spans two days, and its first part lands just after the first day's
     * directory was listed; flush 8 (one part, second day) lands before the second day's directory is listed. The
     * listing holds flush 8 complete and flush 5 not: taken alone, flush 5's rows would be missing (skipped in the log
     * as older than flush 8's).
     */
    @Test
    void aFlushMissedBeforeTheNextOneIsTakenFromTheSecondListing() {
        Path day1 = PartitionPaths.chunkPath(SERIES_DIR, 19_000, 3, 0, 1);
        Path flush5Day1 = PartitionPaths.chunkPath(SERIES_DIR, 19_000, 5, 0, 2);
        Path flush5Day2 = PartitionPaths.chunkPath(SERIES_DIR, 19_001, 5, 1, 2);
        Path flush8 = PartitionPaths.chunkPath(SERIES_DIR, 19_001, 8, 0, 1);
        Path flush9 = PartitionPaths.chunkPath(SERIES_DIR, 19_001, 9, 0, 1);
        Path temp = flush9.resolveSibling(flush9.getFileName() + ".tmp-1234");
        List<Path> first = List.of(day1, flush5Day2, flush8);
        List<Path> second = List.of(day1, flush5Day1, flush5Day2, flush8, flush9, temp);

        assertThat(PartitionLoader.prefixOfFlushes(first, second))
                .as("flushes 3, 5 and 8; not 9, which the first listing did not hold")
                .containsExactly(day1, flush5Day1, flush5Day2, flush8);
        assertThat(PartitionLoader.prefixOfFlushes(first, first))
                .as("the first listing alone: flush 5 in part only, 8 whole")
                .containsExactly(day1, flush5Day2, flush8);
        assertThat(PartitionLoader.prefixOfFlushes(List.of(temp), second))
                .as("nothing complete in the first listing")
                .isEmpty();
    }

    /**
     * A simulated writer (each flush: temp files for its parts, then one rename per part, in day order, as {@code
     * StoreEngine} writes and publishes them) and two listings of the series whose day directories are listed at
     * random, increasing instants of its history.
     */
    @ParameterizedTest
    @MethodSource("dev.tickvault.testing.RandomCases#manySeeds")
    void twoListingsGiveAPrefixOfTheFlushesHoldingAllThoseBeforeTheFirst(long seed) {
        RandomGenerator random = RandomCases.random(seed);
        int days = RandomCases.intBetween(random, 1, 4);
        List<Flush> flushes = new ArrayList<>();
        List<Event> history = new ArrayList<>();
        long sequence = 0;
        for (int f = 0; f < RandomCases.intBetween(random, 1, 12); f++) {
            sequence += RandomCases.intBetween(random, 1, 3); // other series' flushes take numbers too
            TreeSet<Integer> touched = new TreeSet<>();
            int partCount = RandomCases.intBetween(random, 1, days);
            while (touched.size() < partCount) {
                touched.add(random.nextInt(days));
            }
            List<Path> parts = new ArrayList<>();
            int part = 0;
            for (int day : touched) {
                parts.add(PartitionPaths.chunkPath(SERIES_DIR, 19_000 + day, sequence, part++, partCount));
            }
            Flush flush = new Flush(sequence, parts);
            flushes.add(flush);
            for (Path target : parts) {
                history.add(new Event(temp(target), null));
            }
            for (Path target : parts) {
                history.add(new Event(target, temp(target)));
            }
        }
        // Instants (number of events applied) at which each day directory is listed: first listing, then second.
        int[] instants = new int[2 * days];
        for (int i = 0; i < instants.length; i++) {
            instants[i] = random.nextInt(history.size() + 1);
        }
        java.util.Arrays.sort(instants);
        List<Path> first = listing(history, instants, 0, days);
        List<Path> second = listing(history, instants, days, days);

        List<Path> taken = PartitionLoader.prefixOfFlushes(first, second);

        int whole = 0;
        while (whole < flushes.size() && taken.containsAll(flushes.get(whole).parts())) {
            whole++;
        }
        List<Path> expected = new ArrayList<>();
        for (Flush flush : flushes.subList(0, whole)) {
            expected.addAll(flush.parts());
        }
        String context = "seed " + seed + ", first " + first + ", second " + second;
        assertThat(new TreeSet<>(taken))
                .as("a prefix of whole flushes: %s", context)
                .isEqualTo(new TreeSet<>(expected));
        int completeAtStart = 0;
        while (completeAtStart < flushes.size() && complete(flushes.get(completeAtStart), history, instants[0])) {
            completeAtStart++;
        }
        assertThat(whole)
                .as("every flush complete before the first listing: %s", context)
                .isGreaterThanOrEqualTo(completeAtStart);
    }

    private record Flush(long sequence, List<Path> parts) {}

    /** A file appears (and {@code replaces}, when not null, disappears: a rename). */
    private record Event(Path appears, Path replaces) {}

    private static Path temp(Path target) {
        return target.resolveSibling(
                target.getFileName() + ".tmp-" + target.getFileName().hashCode());
    }

    /** Day directories {@code 0..days-1} listed in order, directory d after {@code instants[from + d]} events. */
    private static List<Path> listing(List<Event> history, int[] instants, int from, int days) {
        List<Path> files = new ArrayList<>();
        for (int day = 0; day < days; day++) {
            Path dayDir = SERIES_DIR.resolve(PartitionPaths.dayName(19_000 + day));
            Map<Path, Boolean> present = new TreeMap<>();
            for (Event event : history.subList(0, instants[from + day])) {
                present.put(event.appears(), true);
                if (event.replaces() != null) {
                    present.remove(event.replaces());
                }
            }
            present.keySet().stream().filter(p -> p.getParent().equals(dayDir)).forEach(files::add);
        }
        return files;
    }

    private static boolean complete(Flush flush, List<Event> history, int instant) {
        List<Path> landed = history.subList(0, instant).stream()
                .filter(e -> e.replaces() != null)
                .map(Event::appears)
                .toList();
        return landed.containsAll(flush.parts());
    }
}
