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

    private static final String SPOT = "e22b3fbf6f90a9a21f56efcd11dde9f6f9a483f87089133ecbde7e971c9d8ee4";
    private static final String USDM = "2fe9232bcbef33ed02ff34e9d49f0c411e04580f6615ecea7dd90e447a042632";
    private static final String RANDOM = "ca063a47a55fd6af50d84895986b177e090710b4c127e64a017405e26f444cf7";
}
