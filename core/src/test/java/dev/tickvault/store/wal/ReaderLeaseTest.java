package dev.tickvault.store.wal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickvault.store.Durability;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reader leases: what a follower writes is what the writer reads; stale, damaged and unreadable leases never keep the
 * log nor fail the writer; the log kept for leases is bounded.
 */
class ReaderLeaseTest {

    private static final long SELF = ProcessHandle.current().pid();

    @TempDir
    Path dir;

    private Path leases() {
        return dir.resolve(LeaseLayout.DIRECTORY);
    }

    @Test
    void aHeldLeaseIsWhatTheWriterReadsAndClosingRemovesIt() throws IOException {
        assertThat(ReaderLeases.lowestLeasedLsn(dir, now()))
                .as("no lease directory")
                .isEqualTo(Long.MAX_VALUE);
        ReaderLease first = ReaderLease.forLog(dir);
        ReaderLease second = ReaderLease.forLog(dir);
        assertThat(first.hold(17)).isTrue();
        assertThat(second.hold(40)).isTrue();
        assertThat(ReaderLeases.lowestLeasedLsn(dir, now())).isEqualTo(17);
        assertThat(first.hold(52)).as("moved on").isTrue();
        assertThat(ReaderLeases.lowestLeasedLsn(dir, now())).isEqualTo(40);
        assertThat(leaseFiles()).hasSize(2).allSatisfy(f -> assertThat(LeaseLayout.isLeaseName(f))
                .isTrue());
        second.close();
        assertThat(ReaderLeases.lowestLeasedLsn(dir, now())).isEqualTo(52);
        first.close();
        first.close();
        assertThat(leaseFiles()).as("no lease and no temporary file left").isEmpty();
        assertThat(ReaderLeases.lowestLeasedLsn(dir, now())).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void aLeaseNotRenewedWithinTheBoundIsStaleAndDeleted() throws IOException {
        ReaderLease lease = ReaderLease.forLog(dir);
        lease.hold(5);
        assertThat(ReaderLeases.lowestLeasedLsn(dir, now() + ReaderLeases.STALE_AFTER_MILLIS - 1_000))
                .as("still live")
                .isEqualTo(5);
        assertThat(ReaderLeases.lowestLeasedLsn(dir, now() + ReaderLeases.STALE_AFTER_MILLIS + 1_000))
                .as("stale: ignored")
                .isEqualTo(Long.MAX_VALUE);
        assertThat(lease.file()).as("and deleted").doesNotExist();
        lease.close();
    }

    @Test
    void aLeaseOfAProcessThatNoLongerRunsIsStaleAndDeleted() throws Exception {
        Process child = new ProcessBuilder(
                        ProcessHandle.current().info().command().orElse("java"), "-version")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        long deadPid = child.pid();
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        Path crashed = writeLease(deadPid + "-00000000000000aa.lease", LeaseLayout.encode(deadPid, now(), 3));
        Path live = writeLease(SELF + "-00000000000000bb.lease", LeaseLayout.encode(SELF, now(), 9));
        assertThat(ReaderLeases.lowestLeasedLsn(dir, now()))
                .as("the crashed reader's lease is ignored")
                .isEqualTo(9);
        assertThat(crashed).doesNotExist();
        assertThat(live).exists();
    }

    @Test
    void aLeaseRenewedFarInTheFutureIsStale() throws IOException {
        writeLease(SELF + "-00000000000000aa.lease", LeaseLayout.encode(SELF, now() + 60_000, 3));
        assertThat(ReaderLeases.lowestLeasedLsn(dir, now())).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void damagedOrUnreadableLeasesAreIgnoredAndOldOnesDeleted() throws IOException {
        byte[] flipped = LeaseLayout.encode(SELF, now(), 4);
        flipped[25] ^= 1; // the LSN, under the CRC
        byte[] laterVersion = LeaseLayout.encode(SELF, now(), 4);
        laterVersion[4] = 2;
        byte[] zeroLsn = LeaseLayout.encode(SELF, now(), 1);
        zeroLsn[24] = 0;
        List<Path> bad = List.of(
                writeLease(SELF + "-0000000000000001.lease", flipped),
                writeLease(SELF + "-0000000000000002.lease", laterVersion),
                writeLease(SELF + "-0000000000000003.lease", new byte[] {1, 2, 3}),
                writeLease(SELF + "-0000000000000004.lease", new byte[0]),
                writeLease(SELF + "-0000000000000005.lease", zeroLsn));
        Path directoryNamedLikeALease = Files.createDirectory(leases().resolve(SELF + "-0000000000000006.lease"));
        Path leftoverTemp = writeLease(SELF + "-0000000000000007.lease.tmp", LeaseLayout.encode(SELF, now(), 2));
        Path good = writeLease(SELF + "-0000000000000008.lease", LeaseLayout.encode(SELF, now(), 30));
        assertThat(ReaderLeases.lowestLeasedLsn(dir, now()))
                .as("only the valid lease counts")
                .isEqualTo(30);
        assertThat(bad)
                .as("young bad files are left (perhaps a later version's)")
                .allSatisfy(f -> assertThat(f).exists());
        FileTime old = FileTime.fromMillis(now() - ReaderLeases.STALE_AFTER_MILLIS - 5_000);
        for (Path file : bad) {
            Files.setLastModifiedTime(file, old);
        }
        Files.setLastModifiedTime(leftoverTemp, old);
        assertThat(ReaderLeases.lowestLeasedLsn(dir, now())).isEqualTo(30);
        assertThat(bad).as("old bad files are deleted").allSatisfy(f -> assertThat(f)
                .doesNotExist());
        assertThat(leftoverTemp).as("an old leftover temporary file too").doesNotExist();
        assertThat(directoryNamedLikeALease).as("a directory is not touched").isDirectory();
        assertThat(good).exists();
    }

    @Test
    void aLeaseDirectoryThatIsAFileMeansNoLeasesAndALeaseCannotBeHeld() throws IOException {
        Files.writeString(leases(), "not a directory");
        assertThat(ReaderLeases.lowestLeasedLsn(dir, now())).isEqualTo(Long.MAX_VALUE);
        ReaderLease lease = ReaderLease.forLog(dir);
        assertThat(lease.hold(3)).as("cannot write: no lease, no exception").isFalse();
        assertThat(lease.heldLsn()).isZero();
        lease.renew();
        lease.close();
        assertThat(Files.readString(leases())).isEqualTo("not a directory");
    }

    @Test
    void atMostSoManyLeasesAreRead() throws IOException {
        for (int i = 0; i < ReaderLeases.MAX_LEASES + 10; i++) {
            writeLease("%d-%016x.lease".formatted(SELF, i), LeaseLayout.encode(SELF, now(), 100 + i));
        }
        long lowest = ReaderLeases.lowestLeasedLsn(dir, now());
        assertThat(lowest).isBetween(100L, 100L + ReaderLeases.MAX_LEASES + 10);
    }

    /**
     * The writer's deletion after a checkpoint keeps the segments from the one holding the leased LSN on, unless those
     * it keeps beyond the checkpoint's cut are more than the bound: then the oldest go anyway.
     */
    @Test
    void theWriterKeepsLeasedSegmentsUpToTheBound() throws IOException {
        WalConfig config = new WalConfig(Durability.OS, 100, 1024);
        try (WriteAheadLog log = WriteAheadLog.open(dir, config)) {
            for (int segment = 0; segment < 6; segment++) {
                for (int i = 0; i < 10; i++) {
                    log.append(1, new byte[50], 0, 50); // 67 bytes: 10 records and a header fill ~694 bytes
                }
                assertThat(log.rollIfCoveredBy(log.lastLsn())).isTrue();
            }
            // Segments start at LSN 1, 11, 21, 31, 41, 51 and an empty active one at 61.
            assertThat(firsts()).containsExactly(1L, 11L, 21L, 31L, 41L, 51L, 61L);
            long segmentBytes = Files.size(dir.resolve(WalLayout.segmentName(1)));
            assertThat(log.deleteSegmentsBefore(61, 25, 10 * segmentBytes))
                    .as("the lease on 25 keeps its segment (21) and later ones")
                    .isEqualTo(2);
            assertThat(firsts()).containsExactly(21L, 31L, 41L, 51L, 61L);
            assertThat(log.deleteSegmentsBefore(61, 25, 2 * segmentBytes))
                    .as("four segments kept for the lease, the bound is two: the oldest two go anyway")
                    .isEqualTo(2);
            assertThat(firsts()).containsExactly(41L, 51L, 61L);
            assertThat(log.deleteSegmentsBefore(61, 1, 10 * segmentBytes))
                    .as("a lease before the cut keeps everything")
                    .isZero();
            assertThat(log.deleteSegmentsBefore(61, Long.MAX_VALUE, 0))
                    .as("no lease: up to the cut, never the active segment")
                    .isEqualTo(2);
            assertThat(firsts()).containsExactly(61L);
            assertThat(log.append(1, new byte[1], 0, 1)).isEqualTo(61);
        }
        assertThat(WriteAheadLog.verify(dir)).isEmpty();
    }

    private List<Long> firsts() throws IOException {
        return WalTestSupport.segmentFiles(dir).stream()
                .map(WalLayout::firstLsnFromName)
                .toList();
    }

    private List<Path> leaseFiles() throws IOException {
        try (Stream<Path> files = Files.list(leases())) {
            return files.toList();
        }
    }

    private Path writeLease(String name, byte[] bytes) throws IOException {
        Files.createDirectories(leases());
        Path file = leases().resolve(name);
        Files.write(file, bytes);
        return file;
    }

    private static long now() {
        return System.currentTimeMillis();
    }
}
