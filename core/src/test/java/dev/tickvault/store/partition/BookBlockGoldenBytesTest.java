package dev.tickvault.store.partition;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickvault.store.memtable.ColumnData;
import dev.tickvault.testing.RandomCases;
import java.io.IOException;
import java.util.random.RandomGenerator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The book block layout of chunk format 3 ({@link DictionaryBookBlockCodec}, zstd off so that only our own encoder
 * is involved) is pinned by a SHA-256 of the bytes written for fixed inputs, in both price modes: the real Binance
 * depth recordings cut into blocks of several sizes, and the random book rows of {@link
 * DictionaryBookBlockCodecTest} (edge values, wild sides, flags and scales). Faster encoders must write exactly these
 * bytes; a deliberate format change updates the digests (and docs/FORMAT.md).
 */
class BookBlockGoldenBytesTest {

    @ParameterizedTest(name = "{0}, price dictionary {1}")
    @CsvSource({
        "spot, false, " + SPOT_TICKS,
        "spot, true, " + SPOT_DICTIONARY,
        "usdm, false, " + USDM_TICKS,
        "usdm, true, " + USDM_DICTIONARY
    })
    void realDepthUpdatesEncodeToTheSameBytes(String capture, boolean dictionary, String expected) throws IOException {
        ColumnData rows = DictionaryBookBlockCodecTest.realRows(capture);
        BlockDigests digest = new BlockDigests();
        ColumnBlockCodec codec = codec(dictionary);
        for (int rowsPerBlock : new int[] {8192, 1000, 129, 1}) {
            digest.addBlocks(
                    rows,
                    rowsPerBlock,
                    (block, from, count, sink) -> codec.encodeBookBlock(3, block, from, count, sink));
        }
        assertThat(digest.hex()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "price dictionary {0}")
    @CsvSource({"false, " + RANDOM_TICKS, "true, " + RANDOM_DICTIONARY})
    void randomBookRowsEncodeToTheSameBytes(boolean dictionary, String expected) {
        BlockDigests digest = new BlockDigests();
        ColumnBlockCodec codec = codec(dictionary);
        for (long seed = 1; seed <= 60; seed++) {
            RandomGenerator random = RandomCases.random(seed);
            ColumnData rows =
                    DictionaryBookBlockCodecTest.randomRows(random, RandomCases.intBetween(random, 1, 20_000));
            digest.addBlocks(
                    rows,
                    RandomCases.oneOf(random, 1, 2, 127, 128, 129, 1000, 8192),
                    (block, from, count, sink) -> codec.encodeBookBlock(3, block, from, count, sink));
        }
        assertThat(digest.hex()).isEqualTo(expected);
    }

    private static final String SPOT_TICKS = "8869cb66c5b48117f441515573c331f7bf9edd5745ee0f5495ec6c870ce10146";
    private static final String SPOT_DICTIONARY = "06487d1dc2bbff7b401bd3c9ced14a97aad7a0d440a44c89629e230c1e04b467";
    private static final String USDM_TICKS = "bdb8121ce8126db9ce27a5bccc780ffe79202ec84fbfafba678765d657ed1af3";
    private static final String USDM_DICTIONARY = "153dd9f51e394bc17128d3b2f5897dac046569c2b315ffed1975c249ef7d0b0d";
    private static final String RANDOM_TICKS = "303b8008c40c5cc447be58d04ff4e4bdd497039fea6cbdde77d5d1444b8cf53b";
    private static final String RANDOM_DICTIONARY = "582685c6763790838ac1a54a30a1b076a4f286fe1e55745a253dacfb43436a0d";

    private static ColumnBlockCodec codec(boolean dictionary) {
        ColumnBlockCodec codec = new ColumnBlockCodec(0);
        codec.bookPriceDictionary(dictionary);
        return codec;
    }
}
