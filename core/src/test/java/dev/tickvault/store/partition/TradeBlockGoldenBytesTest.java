package dev.tickvault.store.partition;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickvault.sample.SyntheticTradeBatch;
import dev.tickvault.sample.SyntheticTrades;
import dev.tickvault.store.Table;
import dev.tickvault.store.codec.ByteSink;
import dev.tickvault.store.memtable.ColumnData;
import dev.tickvault.testing.RandomCases;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
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
        MessageDigest digest = sha256();
        ByteSink out = new ByteSink(1 << 16);
        ColumnBlockCodec codec = new ColumnBlockCodec(0);
        for (int instrument = 0; instrument < generator.seriesKeys().length; instrument++) {
            ColumnData rows = rows(batch, instrument);
            for (int rowsPerBlock : new int[] {8192, 1000, 129, 1}) {
                encodeAll(codec, rows, rowsPerBlock, out, digest);
            }
        }
        assertThat(HexFormat.of().formatHex(digest.digest())).isEqualTo(SYNTHETIC_DIGEST);
    }

    @Test
    void randomTradesEncodeToTheSameBytes() {
        MessageDigest digest = sha256();
        ByteSink out = new ByteSink(1 << 16);
        ColumnBlockCodec codec = new ColumnBlockCodec(0);
        for (long seed = 1; seed <= 40; seed++) {
            RandomGenerator random = RandomCases.random(seed);
            ColumnData rows = randomTrades(random, RandomCases.intBetween(random, 1, 20_000));
            encodeAll(codec, rows, RandomCases.oneOf(random, 1, 2, 127, 128, 129, 1000, 8192), out, digest);
        }
        assertThat(HexFormat.of().formatHex(digest.digest())).isEqualTo(RANDOM_DIGEST);
    }

    private static final String SYNTHETIC_DIGEST = "a16f862617753061d5150481ef74502e31ad66ba6c7cca68a60bed2004771906";
    private static final String RANDOM_DIGEST = "f12712f42843cbd8bb7ce3f59ff16b16ed0de9797233fcbb1175085c0017d29b";

    private static void encodeAll(
            ColumnBlockCodec codec, ColumnData rows, int rowsPerBlock, ByteSink out, MessageDigest digest) {
        for (int start = 0; start < rows.size(); start += rowsPerBlock) {
            out.reset();
            codec.encodeTradeBlock(rows, start, Math.min(rowsPerBlock, rows.size() - start), out);
            digest.update(out.array(), 0, out.position());
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private static ColumnData rows(SyntheticTradeBatch batch, int instrument) {
        ColumnData rows = new ColumnData(Table.TRADES, 1 << 12);
        for (int i = 0; i < batch.size(); i++) {
            if (batch.instrument(i) != instrument) {
                continue;
            }
            int row = rows.reserve(1);
            rows.longs(Table.TS)[row] = batch.tsNanos[i];
            rows.longs(Table.RECV_TS)[row] = batch.recvTsNanos[i];
            rows.longs(Table.PRICE)[row] = batch.priceMantissa[i];
            rows.longs(Table.QTY)[row] = batch.quantityMantissa[i];
            rows.longs(Table.TRADE_ID)[row] = batch.tradeId[i];
            rows.bytes(Table.PRICE_SCALE)[row] = batch.priceScale[i];
            rows.bytes(Table.QTY_SCALE)[row] = batch.quantityScale[i];
            rows.bytes(Table.SIDE)[row] = batch.side[i];
        }
        return rows.sortedByTime();
    }

    /** Bursts of equal times, tick steps, and (in one case of four) arbitrary 64-bit values in every column. */
    private static ColumnData randomTrades(RandomGenerator random, int rows) {
        ColumnData data = new ColumnData(Table.TRADES, rows);
        data.reserve(rows);
        boolean arbitrary = random.nextInt(4) == 0;
        long ts = 1_723_161_253_000_000_000L;
        long recv = ts - 1_270_000_000L;
        long price = 6_183_763_000_000L;
        long id = random.nextLong(1L << 40);
        for (int i = 0; i < rows; i++) {
            if (arbitrary && random.nextInt(3) == 0) {
                ts = random.nextInt(8) == 0 ? ts : Math.max(ts, RandomCases.anyLong(random));
                recv = RandomCases.anyLong(random);
                price = RandomCases.anyLong(random);
            } else if (random.nextInt(3) == 0) {
                ts += 1_000_000L * random.nextInt(40);
                recv = ts - 1_270_000_000L + random.nextInt(5_000_000);
                price += 1_000_000L * (random.nextInt(41) - 20);
            } else {
                recv += random.nextInt(60) == 0 ? random.nextInt(3_000_000) : 100L * random.nextInt(30);
                price += random.nextInt(4) == 0 ? 1_000_000L * (random.nextInt(5) - 2) : 0;
            }
            data.longs(Table.TS)[i] = ts;
            data.longs(Table.RECV_TS)[i] = recv;
            data.longs(Table.PRICE)[i] = price;
            data.longs(Table.QTY)[i] = arbitrary && random.nextInt(5) == 0
                    ? RandomCases.anyLong(random)
                    : 1000L * random.nextLong(1, random.nextBoolean() ? 100 : 10_000_000);
            data.longs(Table.TRADE_ID)[i] = id += random.nextInt(20) == 0 ? random.nextInt(5) : 1;
            data.bytes(Table.PRICE_SCALE)[i] = 8;
            data.bytes(Table.QTY_SCALE)[i] = (byte) (random.nextInt(50) == 0 ? 3 : 8);
            data.bytes(Table.SIDE)[i] = (byte) (1 + random.nextInt(2));
            if (random.nextInt(10) == 0) {
                data.setString(Table.TRADE_ID_TEXT, i, "t-" + id);
            }
        }
        return data;
    }
}
