package dev.tickvault.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickvault.ingest.CsvTradeReader;
import dev.tickvault.ingest.MalformedLines;
import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SyntheticTradesTest {

    private static final int TRADES = 200_000;

    @Test
    void sameSeedGivesSameTradesWhateverTheBatchSize() {
        SyntheticTradeBatch all = new SyntheticTrades(TRADES, 7).all();
        SyntheticTrades inSmallBatches = new SyntheticTrades(TRADES, 7);
        SyntheticTradeBatch small = new SyntheticTradeBatch(999);
        int offset = 0;
        for (int n; (n = inSmallBatches.next(small)) > 0; offset += n) {
            for (int i = 0; i < n; i++) {
                int row = offset + i;
                assertThat(small.instrument(i)).isEqualTo(all.instrument(row));
                assertThat(small.tsNanos(i)).isEqualTo(all.tsNanos(row));
                assertThat(small.recvTsNanos(i)).isEqualTo(all.recvTsNanos(row));
                assertThat(small.priceMantissa(i)).isEqualTo(all.priceMantissa(row));
                assertThat(small.quantityMantissa(i)).isEqualTo(all.quantityMantissa(row));
                assertThat(small.side(i)).isEqualTo(all.side(row));
                assertThat(small.tradeId(i)).isEqualTo(all.tradeId(row));
            }
        }
        assertThat(offset).isEqualTo(TRADES);
        assertThat(inSmallBatches.remaining()).isZero();
    }

    @Test
    void anotherSeedGivesOtherTrades() {
        SyntheticTradeBatch a = new SyntheticTrades(10_000, 1).all();
        SyntheticTradeBatch b = new SyntheticTrades(10_000, 2).all();
        assertThat(Arrays.equals(a.priceMantissa, b.priceMantissa)).isFalse();
        assertThat(Arrays.equals(a.tsNanos, b.tsNanos)).isFalse();
    }

    @Test
    void decimalsAreOnTheGridAtTheStatedScale() {
        SyntheticTrades generator = new SyntheticTrades(TRADES, SyntheticTrades.DEFAULT_SEED);
        List<SyntheticInstrument> instruments = generator.instruments();
        SyntheticTradeBatch batch = generator.all();
        for (int row = 0; row < batch.size(); row++) {
            SyntheticInstrument instrument = instruments.get(batch.instrument(row));
            assertThat(batch.priceScale(row)).isEqualTo(instrument.priceScale());
            assertThat(batch.quantityScale(row)).isEqualTo(instrument.quantityScale());
            assertThat(batch.priceMantissa(row)).isPositive();
            assertThat(batch.priceMantissa(row) % instrument.tickMantissa()).isZero();
            assertThat(batch.quantityMantissa(row)).isPositive();
            assertThat(batch.quantityMantissa(row) % instrument.lotMantissa()).isZero();
        }
        // Binance spot BTCUSDT: tick 0.01 printed with 8 decimals, lot 0.00001.
        SyntheticInstrument btc = instruments.get(0);
        assertThat(btc.series().toString()).isEqualTo("binance:BTCUSDT");
        assertThat(btc.priceScale()).isEqualTo(8);
        assertThat(btc.tickMantissa()).isEqualTo(1_000_000);
        assertThat(btc.lotMantissa()).isEqualTo(1_000);
    }

    @Test
    void timesAreOrderedWithinTheDayAndIdsIncreasePerInstrument() {
        SyntheticTrades generator = new SyntheticTrades(TRADES, SyntheticTrades.DEFAULT_SEED);
        SyntheticTradeBatch batch = generator.all();
        long[] lastId = new long[generator.instruments().size()];
        Arrays.fill(lastId, Long.MIN_VALUE);
        int[] perInstrument = new int[lastId.length];
        int equalToPrevious = 0;
        for (int row = 0; row < batch.size(); row++) {
            long ts = batch.tsNanos(row);
            assertThat(ts % 1_000_000).isZero();
            assertThat(ts)
                    .isBetween(
                            SyntheticTrades.DAY_START_NANOS,
                            SyntheticTrades.DAY_START_NANOS + SyntheticTrades.NANOS_PER_DAY - 1);
            assertThat(batch.recvTsNanos(row) % 1_000).isZero();
            assertThat(batch.recvTsNanos(row)).isGreaterThan(ts);
            if (row > 0) {
                assertThat(ts).isGreaterThanOrEqualTo(batch.tsNanos(row - 1));
                if (ts == batch.tsNanos(row - 1)) {
                    equalToPrevious++;
                }
            }
            int instrument = batch.instrument(row);
            assertThat(batch.tradeId(row)).isGreaterThan(lastId[instrument]);
            lastId[instrument] = batch.tradeId(row);
            perInstrument[instrument]++;
        }
        // Bursts: many trades share their millisecond; the busiest instrument holds ~16%.
        assertThat(equalToPrevious).isGreaterThan(TRADES / 3);
        assertThat(perInstrument[0]).isBetween((int) (TRADES * 0.14), (int) (TRADES * 0.18));
    }

    @Test
    void csvImportsBackToTheSameTrades() {
        StringWriter csv = new StringWriter();
        SyntheticTradesCsv.write(new SyntheticTrades(5_000, 3), csv);
        SyntheticTrades expected = new SyntheticTrades(5_000, 3);
        SyntheticTradeBatch batch = expected.all();
        List<String> series = new ArrayList<>();
        long[] count = {0};
        try (CsvTradeReader reader = new CsvTradeReader(
                new ByteArrayInputStream(csv.toString().getBytes(StandardCharsets.US_ASCII)), "synthetic.csv")) {
            reader.readAll(
                    row -> {
                        int i = (int) count[0]++;
                        assertThat(row.tsNanos()).isEqualTo(batch.tsNanos(i));
                        assertThat(row.recvTsNanos()).isEqualTo(batch.recvTsNanos(i));
                        assertThat(row.priceMantissa()).isEqualTo(batch.priceMantissa(i));
                        assertThat(row.priceScale()).isEqualTo(batch.priceScale(i));
                        assertThat(row.quantityMantissa()).isEqualTo(batch.quantityMantissa(i));
                        assertThat(row.quantityScale()).isEqualTo(batch.quantityScale(i));
                        assertThat(row.side().code()).isEqualTo(batch.side(i));
                        assertThat(row.tradeId()).isEqualTo(batch.tradeId(i));
                        series.add(row.series().toString());
                    },
                    new MalformedLines("synthetic.csv", true));
        }
        assertThat(count[0]).isEqualTo(5_000);
        assertThat(series).contains("kraken:XBT/USD", "binance:BTCUSDT", "cme:ESU4");
    }
}
