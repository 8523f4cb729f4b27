package dev.tickvault.store.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickvault.testing.ChildJvm;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Building a compressor (as a store's open and a new writer do) does not load zstd's native library, which {@code
 * ZstdPreload} loads in the background meanwhile; the first compression does. Checked in a child JVM with {@code
 * -Xlog:class+load}: zstd-jni's {@code Native} class is loaded exactly when the library is.
 */
class CompressorConstructionTest {

    private static final String NATIVE_LOADER = "com.github.luben.zstd.util.Native ";

    @TempDir
    Path dir;

    @Test
    void buildingACompressorLoadsNoNativeLibrary() throws Exception {
        assertThat(runChild(false)).contains("DONE").noneMatch(line -> line.contains(NATIVE_LOADER));
    }

    @Test
    void theFirstCompressionLoadsIt() throws Exception {
        assertThat(runChild(true)).contains("DONE").anyMatch(line -> line.contains(NATIVE_LOADER));
    }

    private List<String> runChild(boolean compress) throws Exception {
        return ChildJvm.run(
                List.of("-Xmx128m", "-Xlog:class+load=info:stdout"),
                ZstdFreeConstruction.class,
                compress ? List.of("compress") : List.of(),
                dir.resolve(compress ? "compress.txt" : "construct.txt"),
                60);
    }
}
