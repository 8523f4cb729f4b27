package dev.tickvault.store.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tickvault.store.StorageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurableFilesTest {

    @TempDir
    Path dir;

    @Test
    void writeAtomicallyCreatesAndReplacesWithoutLeavingTempFiles() throws IOException {
        Path target = dir.resolve("meta.json");
        DurableFiles.writeAtomically(target, "one".getBytes(StandardCharsets.UTF_8));
        assertThat(Files.readString(target)).isEqualTo("one");

        DurableFiles.writeAtomically(
                target, channel -> DurableFiles.writeFully(channel, ByteBuffer.wrap("two".getBytes())));
        assertThat(Files.readString(target)).isEqualTo("two");
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(target);
        }
    }

    @Test
    void failedWriterLeavesTargetUntouchedAndNoTempFile() throws IOException {
        Path target = dir.resolve("meta.json");
        DurableFiles.writeAtomically(target, "old".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> DurableFiles.writeAtomically(target, channel -> {
                    throw new IOException("disk on fire");
                }))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("meta.json")
                .hasMessageContaining("disk on fire")
                .extracting(e -> ((StorageException) e).kind())
                .isEqualTo(StorageException.Kind.IO);
        assertThat(Files.readString(target)).isEqualTo("old");
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(target);
        }
    }

    @Test
    void deleteTempFilesRemovesOnlyLeftovers() throws IOException {
        Files.writeString(dir.resolve("a.json.tmp-1234abcd"), "x");
        Files.writeString(dir.resolve("00000000000000000001.wal.tmp-ff"), "x");
        Path keep = Files.writeString(dir.resolve("a.json"), "keep");

        assertThat(DurableFiles.deleteTempFiles(dir)).isEqualTo(2);
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(keep);
        }
        assertThat(DurableFiles.deleteTempFiles(dir.resolve("missing"))).isZero();
    }

    @Test
    void fsyncDirectoryOfMissingDirectoryNamesIt() {
        Path missing = dir.resolve("nope");
        assertThatThrownBy(() -> DurableFiles.fsyncDirectory(missing))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining(missing.toString());
    }
}
