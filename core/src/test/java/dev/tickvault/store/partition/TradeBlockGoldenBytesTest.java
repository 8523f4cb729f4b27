package dev.tickvault.store.partition;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickvault.sample.SyntheticTradeBatch;
import dev.tickvault.sample.SyntheticTrades;
import dev.tickvault.store.memtable.ColumnData;
import dev.tickvault.testing.RandomCases;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/**
 * The column encodings of trade blocks (chunk format 3, zstd off so that only our own encoders are involved) are
 * pinned by a SHA-256 of the bytes written for fixed inputs: every series of a synthetic day and random rows with
 * extreme values. Faster encoders must write exactly these bytes; a deliberate format change updates the digests
 * (and docs/FORMAT.md).
 */
class TradeBlockGoldenBytesTest {

    @Test
    void syntheticTradesEncodeToTheSameBytes() {
        SyntheticTrades generator = new SyntheticTrades(300_000, SyntheticTrades.DEFAULT_SEED);
        SyntheticTradeBatch batch = generator.all();
        BlockDigests digest = new BlockDigests();
        ColumnBlockCodec codec = new ColumnBlockCodec(0);
        for (int instrument = 0; instrument < generator.seriesKeys().length; instrument++) {
            ColumnData rows = batch.columnsOf(instrument);
            for (int rowsPerBlock : new int[] {8192, 1000, 129, 1}) {
                digest.addBlocks(rows, rowsPerBlock, codec::encodeTradeBlock);
            }
        }
        assertThat(digest.hex()).isEqualTo(SYNTHETIC_DIGEST);
    }

    @Test
    void randomTradesEncodeToTheSameBytes() {
        BlockDigests digest = new BlockDigests();
        ColumnBlockCodec codec = new ColumnBlockCodec(0);
        for (long seed = 1; seed <= 40; seed++) {
            RandomGenerator random = RandomCases.random(seed);
            ColumnData rows = TradeBlockFormatTest.trades(random, RandomCases.intBetween(random, 1, 20_000));
            digest.addBlocks(rows, RandomCases.oneOf(random, 1, 2, 127, 128, 129, 1000, 8192), codec::encodeTradeBlock);
        }
        assertThat(digest.hex()).isEqualTo(RANDOM_DIGEST);
    }

    private static final String SYNTHETIC_DIGEST = "a16f862617753061d5150481ef74502e31ad66ba6c7cca68a60bed2004771906";
    private static final String RANDOM_DIGEST = "f12712f42843cbd8bb7ce3f59ff16b16ed0de9797233fcbb1175085c0017d29b";
}
