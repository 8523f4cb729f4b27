package dev.tickvault.store.wal;

import static dev.tickvault.store.wal.WalTestSupport.assertReplayMatches;
import static dev.tickvault.store.wal.WalTestSupport.copyDirectory;
import static dev.tickvault.store.wal.WalTestSupport.flipByte;
import static dev.tickvault.store.wal.WalTestSupport.randomPayload;
import static dev.tickvault.store.wal.WalTestSupport.replayAll;
import static dev.tickvault.store.wal.WalTestSupport.segmentFiles;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tickvault.store.Durability;
import dev.tickvault.store.StorageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WriteAheadLogRecoveryTest {

    private static final WalConfig CONFIG = new WalConfig(Durability.OS, 100, 8 * 1024, 4 * 1024);
    private static final int RECORDS = 60;

    @TempDir
    Path root;

    private Path original;
    private final List<byte[]> payloads = new ArrayList<>();

    /** A log of several segments; record sizes vary so that records straddle nothing in particular. */
    @BeforeEach
    void writeLog() {
        original = root.resolve("original");
        Random random = new Random(7);
        try (WriteAheadLog log = WriteAheadLog.open(original, CONFIG)) {
            for (int i = 0; i < RECORDS; i++) {
                byte[] payload = randomPayload(random, 20 + random.nextInt(600));
                log.append(i % 4, payload, 0, payload.length);
                payloads.add(payload);
            }
        }
    }

    private Path copy(String name) throws IOException {
        Path copy = root.resolve(name);
        copyDirectory(original, copy);
        return copy;
    }

    private static Path newest(Path dir) throws IOException {
        return segmentFiles(dir).getLast();
    }

    private static long lastRecordOffset(Path segment) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(segment)).order(ByteOrder.LITTLE_ENDIAN);
        long offset = WalLayout.SEGMENT_HEADER_BYTES;
        long last = -1;
        while (offset < bytes.capacity()) {
            last = offset;
            offset += WalLayout.RECORD_HEADER_BYTES + bytes.getInt((int) offset);
        }
        return last;
    }

    @Test
    void tornTailAtEveryBytePositionOfTheLastRecordIsCutAndAppendsContinue() throws IOException {
        long lastOffset = lastRecordOffset(newest(original));
        long fileSize = Files.size(newest(original));
        assertThat(segmentFiles(original)).hasSizeGreaterThan(2);
        for (long cut = lastOffset + 1; cut < fileSize; cut++) {
            Path dir = copy("cut-" + cut);
            try (FileChannel channel = FileChannel.open(newest(dir), StandardOpenOption.WRITE)) {
                channel.truncate(cut);
            }
            assertThat(WriteAheadLog.verify(dir)).singleElement().satisfies(p -> assertThat(p.severity())
                    .isEqualTo(WalProblem.Severity.TORN_TAIL));
            try (WriteAheadLog log = WriteAheadLog.open(dir, CONFIG)) {
                RecoveryReport report = log.recoveryReport();
                assertThat(report.recordsRecovered()).as("cut at %d", cut).isEqualTo(RECORDS - 1);
                assertThat(report.bytesTruncated()).as("cut at %d", cut).isEqualTo(cut - lastOffset);
                assertThat(report.truncatedFiles()).containsExactly(newest(dir));
                assertThat(log.lastLsn()).isEqualTo(RECORDS - 1);
                assertThat(log.append(9, new byte[] {1, 2}, 0, 2)).isEqualTo(RECORDS);
                List<byte[]> expected = new ArrayList<>(payloads.subList(0, RECORDS - 1));
                expected.add(new byte[] {1, 2});
                assertReplayMatches(replayAll(log, 1), expected, 1, "cut=" + cut);
            }
            assertThat(WriteAheadLog.verify(dir)).isEmpty();
        }
    }

    @Test
    void garbageAndZerosAfterTheLastRecordAreCut() throws IOException {
        Path dir = copy("zeros");
        try (FileChannel channel = FileChannel.open(newest(dir), StandardOpenOption.APPEND)) {
            channel.write(ByteBuffer.allocate(4096));
            byte[] noise = new byte[100];
            new Random(3).nextBytes(noise);
            channel.write(ByteBuffer.wrap(noise));
        }
        try (WriteAheadLog log = WriteAheadLog.open(dir, CONFIG)) {
            assertThat(log.recoveryReport().bytesTruncated()).isEqualTo(4196);
            assertThat(log.lastLsn()).isEqualTo(RECORDS);
            assertReplayMatches(replayAll(log, 1), payloads, 1, "zeros");
        }
    }

    @Test
    void flippedByteInARecordFollowedByGoodRecordsIsCorruptionNotATail() throws IOException {
        Path dir = copy("middle");
        Path segment = newest(dir);
        long firstRecord = WalLayout.SEGMENT_HEADER_BYTES;
        assertThat(lastRecordOffset(segment)).isGreaterThan(firstRecord);
        long flipped = firstRecord + WalLayout.RECORD_HEADER_BYTES + 5;
        flipByte(segment, flipped);
        byte[] before = Files.readAllBytes(segment);

        assertThatThrownBy(() -> WriteAheadLog.open(dir, CONFIG))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining(segment.toString())
                .hasMessageContaining("offset=" + firstRecord)
                .satisfies(e -> assertThat(((StorageException) e).kind()).isEqualTo(StorageException.Kind.CORRUPT));
        assertThat(Files.readAllBytes(segment)).as("open changed nothing").isEqualTo(before);

        assertThat(WriteAheadLog.verify(dir)).singleElement().satisfies(problem -> {
            assertThat(problem.file()).isEqualTo(segment);
            assertThat(problem.offset()).isEqualTo(firstRecord);
            assertThat(problem.severity()).isEqualTo(WalProblem.Severity.CORRUPT);
        });
    }

    @Test
    void damagedLastRecordOfAnOlderSegmentIsCorruption() throws IOException {
        Path dir = copy("older");
        Path older = segmentFiles(dir).getFirst();
        long offset = lastRecordOffset(older);
        flipByte(older, Files.size(older) - 1);

        assertThatThrownBy(() -> WriteAheadLog.open(dir, CONFIG))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining(older.toString())
                .hasMessageContaining("offset=" + offset)
                .hasMessageContaining("not the newest")
                .satisfies(e -> assertThat(((StorageException) e).kind()).isEqualTo(StorageException.Kind.CORRUPT));
        assertThat(WriteAheadLog.verify(dir)).singleElement().satisfies(p -> assertThat(p.severity())
                .isEqualTo(WalProblem.Severity.CORRUPT));
    }

    @Test
    void missingMiddleSegmentIsAnLsnDiscontinuity() throws IOException {
        Path dir = copy("gap");
        List<Path> files = segmentFiles(dir);
        Files.delete(files.get(1));

        assertThatThrownBy(() -> WriteAheadLog.open(dir, CONFIG))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("LSN discontinuity")
                .hasMessageContaining(files.get(2).toString());
        assertThat(WriteAheadLog.verify(dir)).singleElement().satisfies(p -> assertThat(p.description())
                .contains("LSN discontinuity"));
    }

    @Test
    void flippedHeaderBytesGiveFormatVersionOrCorrupt() throws IOException {
        Path magic = copy("magic");
        flipByte(segmentFiles(magic).getFirst(), 0);
        assertThatThrownBy(() -> WriteAheadLog.open(magic, CONFIG))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("bad magic")
                .hasMessageContaining(segmentFiles(magic).getFirst().toString())
                .satisfies(
                        e -> assertThat(((StorageException) e).kind()).isEqualTo(StorageException.Kind.FORMAT_VERSION));

        Path lsn = copy("lsn");
        flipByte(segmentFiles(lsn).getLast(), WalLayout.HEADER_FIRST_LSN_OFFSET);
        assertThatThrownBy(() -> WriteAheadLog.open(lsn, CONFIG))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("header checksum mismatch")
                .hasMessageContaining(segmentFiles(lsn).getLast().toString())
                .satisfies(e -> assertThat(((StorageException) e).kind()).isEqualTo(StorageException.Kind.CORRUPT));
        assertThat(WriteAheadLog.verify(lsn)).singleElement().satisfies(p -> assertThat(p.severity())
                .isEqualTo(WalProblem.Severity.CORRUPT));
    }

    @Test
    void futureFormatVersionWithValidChecksumIsFormatVersion() throws IOException {
        Path dir = copy("future");
        Path segment = segmentFiles(dir).getFirst();
        byte[] bytes = Files.readAllBytes(segment);
        ByteBuffer header = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        header.putInt(WalLayout.HEADER_VERSION_OFFSET, 2);
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, WalLayout.HEADER_CRC_OFFSET);
        header.putInt(WalLayout.HEADER_CRC_OFFSET, (int) crc.getValue());
        Files.write(segment, bytes);

        assertThatThrownBy(() -> WriteAheadLog.open(dir, CONFIG))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("format version 2")
                .satisfies(
                        e -> assertThat(((StorageException) e).kind()).isEqualTo(StorageException.Kind.FORMAT_VERSION));
        assertThat(WriteAheadLog.verify(dir)).singleElement().satisfies(p -> assertThat(p.severity())
                .isEqualTo(WalProblem.Severity.FORMAT_VERSION));
    }

    @Test
    void leftoverTempFileFromAnInterruptedRollIsDeleted() throws IOException {
        Path dir = copy("temp");
        Files.write(dir.resolve(WalLayout.segmentName(RECORDS + 1) + ".tmp-abc"), new byte[7]);
        try (WriteAheadLog log = WriteAheadLog.open(dir, CONFIG)) {
            assertThat(log.lastLsn()).isEqualTo(RECORDS);
        }
        try (var files = Files.list(dir)) {
            assertThat(files).noneMatch(f -> f.getFileName().toString().contains(".tmp-"));
        }
    }
}
