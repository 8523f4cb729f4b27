package dev.tickvault.store.wal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/** Helpers shared by the write-ahead-log tests. */
final class WalTestSupport {

    private WalTestSupport() {}

    /** A replayed record, payload copied out of the mapped segment. */
    record Replayed(long lsn, int type, byte[] payload) {}

    static List<Replayed> replayAll(WriteAheadLog log, long fromLsn) {
        List<Replayed> out = new ArrayList<>();
        log.replay(
                fromLsn,
                (lsn, type, payload) ->
                        out.add(new Replayed(lsn, type, payload.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE))));
        return out;
    }

    static byte[] randomPayload(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    static List<Path> segmentFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".wal"))
                    .sorted()
                    .toList();
        }
    }

    static void copyDirectory(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        for (Path file : segmentFiles(from)) {
            Files.copy(file, to.resolve(file.getFileName()));
        }
    }

    static void flipByte(Path file, long offset) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        bytes[Math.toIntExact(offset)] ^= 0x5A;
        Files.write(file, bytes);
    }

    static void assertReplayMatches(List<Replayed> actual, List<byte[]> expectedPayloads, long firstLsn, String seed) {
        assertThat(actual).as("record count, seed=%s", seed).hasSize(expectedPayloads.size());
        for (int i = 0; i < actual.size(); i++) {
            assertThat(actual.get(i).lsn()).as("lsn, seed=%s", seed).isEqualTo(firstLsn + i);
            assertThat(actual.get(i).payload())
                    .as("payload of lsn %d, seed=%s", firstLsn + i, seed)
                    .isEqualTo(expectedPayloads.get(i));
        }
    }
}
