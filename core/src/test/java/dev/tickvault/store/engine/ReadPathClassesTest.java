package dev.tickvault.store.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Preloading the read path's classes at open: every listed class exists (a renamed class would silently drop out of
 * the list), and a class that is missing or fails to initialise is counted and skipped, never failing the open.
 */
class ReadPathClassesTest {

    private static final ClassLoader LOADER = ReadPathClassesTest.class.getClassLoader();

    @Test
    void everyListedClassLoads() {
        assertThat(ReadPathClasses.load(ReadPathClasses.NAMES, true, LOADER)).isZero();
        assertThat(ReadPathClasses.load(ReadPathClasses.LOAD_ONLY_NAMES, false, LOADER))
                .isZero();
    }

    @Test
    void aMissingClassIsCountedAndSkipped() {
        String[] names = {
            "dev.tickvault.store.engine.NoSuchReadPathClass", "dev.tickvault.store.engine.MergingRowCursor"
        };
        assertThat(ReadPathClasses.load(names, true, LOADER)).isEqualTo(1);
    }

    @Test
    void aClassWhoseInitialiserFailsIsCountedAndSkipped() {
        String[] names = {FailingInitialiser.class.getName()};
        assertThat(ReadPathClasses.load(names, true, LOADER)).isEqualTo(1);
        // a second attempt sees NoClassDefFoundError (the class is marked erroneous): counted as well
        assertThat(ReadPathClasses.load(names, true, LOADER)).isEqualTo(1);
    }

    @Test
    void loadingTwiceIsHarmless() {
        ReadPathClasses.load();
        ReadPathClasses.load();
    }

    @Test
    void zstdDecompressionLinks() {
        assertThat(ZstdPreload.linkDecompression()).isTrue();
    }

    @Test
    void zstdLiteralsOnlyProducerLinks() {
        assertThat(ZstdPreload.linkLiteralsOnly()).isTrue();
    }

    static final class FailingInitialiser {
        static final int VALUE = fail();

        private static int fail() {
            throw new IllegalStateException("initialiser fails on purpose");
        }
    }
}
