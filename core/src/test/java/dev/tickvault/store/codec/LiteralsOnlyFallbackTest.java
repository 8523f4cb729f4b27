package dev.tickvault.store.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickvault.testing.ChildJvm;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A JVM where the literals-only producer cannot be made still compresses a literals-only section: as an ordinary zstd
 * frame that reads back, with one warning naming the cause. The section is a repeated pattern of random bytes: literals
 * only cannot shrink it (stored RAW), ordinary zstd can (its matches). In a child JVM, because the state is per JVM.
 */
class LiteralsOnlyFallbackTest {

    @TempDir
    Path dir;

    @Test
    void withoutTheProducerTheSectionIsAnOrdinaryZstdFrame() throws Exception {
        List<String> lines = runChild(true);
        assertThat(lines).contains("DONE", "METHOD " + BlockCompressor.ZSTD);
        assertThat(lines)
                .filteredOn(line -> line.contains("literals-only compression unavailable"))
                .hasSize(1)
                .allMatch(line -> line.contains("no linker in this test"));
    }

    @Test
    void withTheProducerNothingIsSaid() throws Exception {
        List<String> lines = runChild(false);
        assertThat(lines).contains("DONE", "METHOD " + BlockCompressor.RAW);
        assertThat(lines).noneMatch(line -> line.contains("literals-only compression unavailable"));
    }

    private List<String> runChild(boolean unavailable) throws Exception {
        return ChildJvm.run(
                List.of("-Xmx128m"),
                LiteralsOnlyFallback.class,
                unavailable ? List.of("unavailable") : List.of(),
                dir.resolve(unavailable ? "unavailable.txt" : "available.txt"),
                60);
    }
}
