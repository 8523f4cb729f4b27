package dev.tickvault.store.partition;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickvault.store.memtable.ColumnData;
import dev.tickvault.testing.RandomCases;
import java.io.IOException;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Book block version 6 ({@link ContextMixingBookBlockCodec}) is pinned by a SHA-256 of the bytes written for fixed
 * inputs: the real Binance depth recordings in blocks of 8,192 and 1,000 rows, and the random book rows of {@link
 * DictionaryBookBlockCodecTest}. Every context and constant of the model is part of the layout: a faster model must
 * write exactly these bytes; a deliberate change is a new layout version (docs/FORMAT.md).
 */
class ContextMixingBookBlockGoldenBytesTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({"spot, " + SPOT, "usdm, " + USDM})
    void realDepthUpdatesEncodeToTheSameBytes(String capture, String expected) throws IOException {
        ColumnData rows = DictionaryBookBlockCodecTest.realRows(capture);
        BlockDigests digest = new BlockDigests();
        ContextMixingBookBlockCodec codec = new ContextMixingBookBlockCodec();
        for (int rowsPerBlock : new int[] {8192, 1000}) {
            digest.addBlocks(rows, rowsPerBlock, codec::encode);
        }
        assertThat(digest.hex()).isEqualTo(expected);
    }

    @Test
    void randomBookRowsEncodeToTheSameBytes() {
        BlockDigests digest = new BlockDigests();
        ContextMixingBookBlockCodec codec = new ContextMixingBookBlockCodec();
        for (long seed = 1; seed <= 40; seed++) {
            RandomGenerator random = RandomCases.random(seed);
            ColumnData rows = DictionaryBookBlockCodecTest.randomRows(random, RandomCases.intBetween(random, 1, 5_000));
            digest.addBlocks(rows, RandomCases.oneOf(random, 1, 2, 127, 1000, 8192), codec::encode);
        }
        assertThat(digest.hex()).isEqualTo(RANDOM);
    }

    private static final String SPOT = "f23f806c31614e1ae7d1dff976858b1a4b09594086d7b5bdd543fc5fb6e05bab";
    private static final String USDM = "c1032f8d25ad4c3259331fa35c33e4294032310bfe2ce47cbf0841bcd2d0b200";
    private static final String RANDOM = "de7c2914dbd1918155705b925bd3ea81e0f3d47065639b8c11a0885975b19d05";
}
