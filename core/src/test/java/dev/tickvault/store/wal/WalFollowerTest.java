package dev.tickvault.store.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tickvault.store.Durability;
import dev.tickvault.store.StorageException;
import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link WalFollower}: reads a log as another writer appends to it, across rolls, stopping quietly at a torn tail. */
class WalFollowerTest {

    @TempDir
    Path dir;

    private final List<WalTestSupport.Replayed> seen = new ArrayList<>();

    private WalFollower.Progress read(WalFollower follower) {
        return follower.readNew((lsn, type, payload) ->
                seen.add(new WalTestSupport.Replayed(lsn, type, payload.toArray(ValueLayout.JAVA_BYTE))));
    }

    @Test
    void followsAppendsAcrossSegmentRolls() {
        Path wal = dir.resolve("wal");
        Random random = new Random(7);
        List<byte[]> payloads = new ArrayList<>();
        try (WriteAheadLog log = WriteAheadLog.open(wal, new WalConfig(Durability.OS, 100, 4096))) {
            WalFollower follower = WalFollower.startingAt(wal, 1);
            assertThat(read(follower)).isEqualTo(WalFollower.Progress.CAUGHT_UP);
            assertThat(seen).isEmpty();
            for (int round = 0; round < 20; round++) {
                for (int i = 0; i < 1 + random.nextInt(8); i++) {
                    byte[] payload = WalTestSupport.randomPayload(random, random.nextInt(700));
                    payloads.add(payload);
                    log.append(3, payload, 0, payload.length);
                }
                assertThat(read(follower)).isEqualTo(WalFollower.Progress.CAUGHT_UP);
                WalTestSupport.assertReplayMatches(seen, payloads, 1, "round " + round);
            }
        }
        assertThat(new java.io.File(wal.toString()).list())
                .as("segments rolled")
                .hasSizeGreaterThan(3);
    }

    /**
     * A writer that appends (and rolls) each time the follower's handler is called: a read ends with the newest
     * segment that existed when it began, having delivered every record logged before it; the next read goes on.
     * Before, the read followed the writer's new segments for as long as it kept ahead (a slow follower behind a
     * reader lease, which keeps the log, never finished a snapshot build).
     */
    @Test
    void aReadEndsWithTheSegmentsThatExistedWhenItBegan() {
        Path wal = dir.resolve("wal");
        try (WriteAheadLog log = WriteAheadLog.open(wal, new WalConfig(Durability.OS, 100, 1024))) {
            for (int i = 0; i < 30; i++) {
                log.append(3, new byte[200], 0, 200); // 217 bytes: 4 records a segment
            }
            long loggedBefore = log.lastLsn();
            WalFollower follower = WalFollower.startingAt(wal, 1);
            long[] delivered = {0};
            WalFollower.Progress progress = follower.readNew((lsn, type, payload) -> {
                delivered[0] = lsn;
                if (lsn < 1_000) { // a bound, so that a read following the writer fails here rather than hangs
                    log.append(3, new byte[200], 0, 200);
                    log.append(3, new byte[200], 0, 200);
                }
            });
            assertThat(progress).isEqualTo(WalFollower.Progress.CAUGHT_UP);
            assertThat(delivered[0])
                    .as("every record logged before the read, and no more than the segments then held")
                    .isBetween(loggedBefore, loggedBefore + 4);
            assertThat(log.lastLsn()).as("the writer kept going").isGreaterThan(loggedBefore * 2);
            long before = delivered[0];
            assertThat(follower.readNew((lsn, type, payload) -> delivered[0] = lsn))
                    .isEqualTo(WalFollower.Progress.CAUGHT_UP);
            assertThat(delivered[0]).as("the next read goes on").isEqualTo(log.lastLsn());
            assertThat(delivered[0]).isGreaterThan(before);
        }
    }

    @Test
    void startsAtTheRequestedLsnAndStopsQuietlyAtAnAppendInProgress() throws IOException {
        Path source = dir.resolve("source");
        List<byte[]> payloads = new ArrayList<>();
        try (WriteAheadLog log = WriteAheadLog.open(source, new WalConfig(Durability.OS, 100, 1 << 20))) {
            for (int i = 0; i < 6; i++) {
                byte[] payload = ("record " + i).repeat(10 + i).getBytes();
                payloads.add(payload);
                log.append(2, payload, 0, payload.length);
            }
        }
        Path segment = WalTestSupport.segmentFiles(source).getFirst();
        byte[] bytes = Files.readAllBytes(segment);
        // The follower's log holds the last record only in part: what a reader sees in the middle of a write.
        Path wal = dir.resolve("wal");
        Files.createDirectories(wal);
        Path copy = wal.resolve(segment.getFileName());
        int cut = bytes.length - 25;
        Files.write(copy, Arrays.copyOf(bytes, cut));
        WalFollower follower = WalFollower.startingAt(wal, 3);
        assertThat(read(follower)).isEqualTo(WalFollower.Progress.CAUGHT_UP);
        WalTestSupport.assertReplayMatches(seen, payloads.subList(2, 5), 3, "before the write completes");
        assertThat(read(follower)).isEqualTo(WalFollower.Progress.CAUGHT_UP);
        assertThat(seen).hasSize(3);
        Files.write(copy, Arrays.copyOfRange(bytes, cut, bytes.length), StandardOpenOption.APPEND);
        assertThat(read(follower)).isEqualTo(WalFollower.Progress.CAUGHT_UP);
        WalTestSupport.assertReplayMatches(seen, payloads.subList(2, 6), 3, "after the write completes");
        assertThat(follower.nextLsn()).isEqualTo(7);
    }

    @Test
    void reportsTheLogMovingAwayAndDamageInASealedSegment() throws IOException {
        Path wal = dir.resolve("wal");
        try (WriteAheadLog log = WriteAheadLog.open(wal, new WalConfig(Durability.OS, 100, 2048))) {
            for (int i = 0; i < 12; i++) {
                log.append(1, new byte[400], 0, 400);
            }
        }
        List<Path> segments = WalTestSupport.segmentFiles(wal);
        assertThat(segments).hasSizeGreaterThan(2);

        // The writer deleted the segment the follower would start in (a checkpoint moved past it).
        Path moved = dir.resolve("moved");
        WalTestSupport.copyDirectory(wal, moved);
        Files.delete(moved.resolve(segments.getFirst().getFileName()));
        assertThat(read(WalFollower.startingAt(moved, 1))).isEqualTo(WalFollower.Progress.LOG_MOVED);

        // A record damaged in a segment that is followed by another cannot be an append in progress.
        WalTestSupport.flipByte(segments.getFirst(), WalLayout.SEGMENT_HEADER_BYTES + 30);
        WalFollower follower = WalFollower.startingAt(wal, 1);
        assertThatThrownBy(() -> read(follower))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("sealed")
                .hasMessageContaining(segments.getFirst().getFileName().toString());
    }

    /**
     * The race behind the read-only store's missed commits: the follower has the segment it is in open and reads it to
     * the end while the writer checkpoints, rolls, and deletes that segment and the next one. The missing successor
     * must read as "the log moved" (start again from the new checkpoint), not as "the log ends here", which lost every
     * record of the deleted successor (a refresh short of acknowledged commits; a hole in a fresh snapshot whose chunk
     * listing predates the flush).
     */
    @Test
    void aSuccessorDeletedWhileItsPredecessorIsReadIsTheLogMovingNotItsEnd() {
        Path wal = dir.resolve("wal");
        try (WriteAheadLog log = WriteAheadLog.open(wal, new WalConfig(Durability.OS, 100, 1 << 20))) {
            for (int i = 0; i < 3; i++) {
                log.append(1, new byte[100], 0, 100);
            }
            WalFollower follower = WalFollower.startingAt(wal, 1);
            assertThat(read(follower)).isEqualTo(WalFollower.Progress.CAUGHT_UP);
            assertThat(follower.nextLsn()).isEqualTo(4);
            log.append(1, new byte[100], 0, 100); // 4, in the follower's segment
            assertThat(log.rollIfCoveredBy(4)).isTrue(); // segment 5
            log.append(1, new byte[100], 0, 100); // 5
            log.append(1, new byte[100], 0, 100); // 6
            assertThat(log.rollIfCoveredBy(6)).isTrue(); // segment 7, empty

            WalFollower.Progress progress = follower.readNew((lsn, type, payload) -> {
                seen.add(new WalTestSupport.Replayed(lsn, type, payload.toArray(ValueLayout.JAVA_BYTE)));
                if (lsn == 4) {
                    // While the follower still reads segment 1 (open): a checkpoint at 6 lets the writer delete
                    // segments 1 and 5.
                    assertThat(log.deleteSegmentsBefore(7)).isEqualTo(2);
                }
            });

            assertThat(progress).isEqualTo(WalFollower.Progress.LOG_MOVED);
        }
    }
    /**
     * A pinned follower reads the records of segments the writer deleted after {@link WalFollower#pin} (two
     * checkpoints, and a third segment started between two pins), which an unpinned one reports as the log moving: what
     * lets a read-only snapshot build survive a writer that flushes while it lists chunk files. The segments stay open
     * only until the end of the read.
     */
    @Test
    void pinnedSegmentsAreReadAfterTheWriterDeletedThem() {
        Path wal = dir.resolve("wal");
        try (WriteAheadLog log = WriteAheadLog.open(wal, new WalConfig(Durability.OS, 100, 1 << 20))) {
            List<byte[]> payloads = new ArrayList<>();
            Random random = new Random(11);
            Runnable append = () -> {
                byte[] payload = WalTestSupport.randomPayload(random, 50 + random.nextInt(200));
                payloads.add(payload);
                log.append(1, payload, 0, payload.length);
            };
            append.run(); // 1, segment 1
            WalFollower pinned = WalFollower.startingAt(wal, 1);
            WalFollower unpinned = WalFollower.startingAt(wal, 1);
            pinned.pin();
            assertThat(pinned.pinnedCount()).isEqualTo(1);
            append.run(); // 2
            assertThat(log.rollIfCoveredBy(2)).isTrue(); // segment 3
            append.run(); // 3
            pinned.pin(); // picks up segment 3
            assertThat(pinned.pinnedCount()).isEqualTo(2);
            assertThat(log.rollIfCoveredBy(3)).isTrue(); // segment 4
            append.run(); // 4
            assertThat(log.deleteSegmentsBefore(4))
                    .as("checkpoints at 2 then 3")
                    .isEqualTo(2);
            pinned.pin(); // picks up segment 4; 1 and 3 are gone but open
            assertThat(pinned.pinnedCount()).isEqualTo(3);

            assertThat(read(unpinned)).isEqualTo(WalFollower.Progress.LOG_MOVED);
            seen.clear();
            assertThat(read(pinned)).isEqualTo(WalFollower.Progress.CAUGHT_UP);
            WalTestSupport.assertReplayMatches(seen, payloads, 1, "pinned");
            assertThat(pinned.pinnedCount()).as("released after the read").isZero();

            append.run(); // 5: read by name again, as without pinning
            assertThat(read(pinned)).isEqualTo(WalFollower.Progress.CAUGHT_UP);
            WalTestSupport.assertReplayMatches(seen, payloads, 1, "after the release");
        }
    }
}
