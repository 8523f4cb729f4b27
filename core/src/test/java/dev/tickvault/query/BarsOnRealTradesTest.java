package dev.tickvault.query;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickvault.feed.Captures;
import dev.tickvault.model.Decimal;
import dev.tickvault.model.SeriesKey;
import dev.tickvault.model.Side;
import dev.tickvault.store.StoreConfig;
import dev.tickvault.store.StoreWriter;
import dev.tickvault.store.TickStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bars, VWAP and volumes of the real Binance trades (spot and USD-M BTCUSDT, 2024-08-08) read back from a store equal,
 * field by field as text, an independent BigDecimal computation over the recording's own {@code @trade} frames.
 */
class BarsOnRealTradesTest {

    private static final long SECOND = 1_000_000_000L;
    private static final long[] INTERVALS = {SECOND, 60 * SECOND, 300 * SECOND, 3600 * SECOND};

    @TempDir
    Path directory;

    @ParameterizedTest
    @ValueSource(strings = {"spot", "usdm"})
    void everyBarFieldEqualsTheOracle(String market) throws IOException {
        Path file = Captures.require(market.equals("spot") ? Captures.BINANCE_SPOT : Captures.BINANCE_USDM);
        BinanceRecording recording = BinanceRecording.read(file);
        assertThat(recording.trades).hasSizeGreaterThan(5_000);
        SeriesKey series = SeriesKey.of("binance", market.equals("spot") ? "BTCUSDT" : "BTCUSDT-PERP");
        List<BarOracle.OracleTrade> oracleTrades = new ArrayList<>();
        try (TickStore store = TickStore.open(directory, StoreConfig.defaults());
                StoreWriter writer = store.newWriter()) {
            int i = 0;
            for (BinanceRecording.TradeRow t : recording.trades) {
                Decimal price = Decimal.parse(t.price());
                Decimal quantity = Decimal.parse(t.quantity());
                Side side = t.buyerIsMaker() ? Side.SELL : Side.BUY; // taker sold into the bid
                writer.appendTrade(
                        series,
                        t.tsNanos(),
                        t.recvNanos(),
                        price.mantissa(),
                        price.scale(),
                        quantity.mantissa(),
                        quantity.scale(),
                        side,
                        t.id());
                oracleTrades.add(new BarOracle.OracleTrade(t.tsNanos(), t.price(), t.quantity(), side.code()));
                if (++i % 1000 == 0) {
                    writer.commit();
                }
                if (i == recording.trades.size() / 2) {
                    writer.commit();
                    store.flush(); // half the trades from partition files, half from memory
                }
            }
            writer.commit();

            long fields = 0;
            long bars = 0;
            for (long interval : INTERVALS) {
                List<BarOracle.OracleBar> expected =
                        BarOracle.bars(oracleTrades, interval, Long.MIN_VALUE, Long.MAX_VALUE);
                List<BarOracle.OracleBar> actual = new ArrayList<>();
                try (BarCursor cursor = BarCursor.open(
                        store, series, Long.MIN_VALUE, Long.MAX_VALUE, new BarInterval(interval), false)) {
                    while (cursor.next()) {
                        actual.add(BarOracle.of(cursor.bar()));
                    }
                }
                assertThat(actual).as("bars of %d s", interval / SECOND).isEqualTo(expected);
                bars += actual.size();
                fields += actual.size() * 10L;
                // a range cut inside bars: only the trades in range count
                long from = oracleTrades.get(oracleTrades.size() / 3).tsNanos() + 1;
                long to = oracleTrades.get(2 * oracleTrades.size() / 3).tsNanos();
                List<BarOracle.OracleBar> cut = new ArrayList<>();
                try (BarCursor cursor = BarCursor.open(store, series, from, to, new BarInterval(interval), false)) {
                    while (cursor.next()) {
                        cut.add(BarOracle.of(cursor.bar()));
                    }
                }
                assertThat(cut).isEqualTo(BarOracle.bars(oracleTrades, interval, from, to));
            }
            assertThat(bars).isGreaterThan(300);
            System.out.printf(
                    "%s: %d trades, %d bars, %d fields equal to the BigDecimal oracle%n",
                    market, oracleTrades.size(), bars, fields);
        }
    }
}
