package dev.tickvault.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickvault.ingest.CsvTradeReader;
import dev.tickvault.ingest.MalformedLines;
import dev.tickvault.model.Decimal;
import dev.tickvault.model.SeriesKey;
import dev.tickvault.model.Side;
import dev.tickvault.model.Trade;
import dev.tickvault.output.CsvTradeOutput;
import dev.tickvault.store.TradeCursor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/** What {@code query trades --format csv} writes, {@code import} reads back to the same trades, bit for bit. */
class CsvRoundTripProperties {

    @Property(tries = 300)
    void csvOutputReadsBackIdentically(@ForAll("trades") @Size(max = 20) List<Trade> trades) throws IOException {
        StringWriter text = new StringWriter();
        CsvTradeOutput output = new CsvTradeOutput(text);
        output.begin();
        TradeCursor cursor = new ListTradeCursor(trades);
        while (cursor.next()) {
            output.row(cursor);
        }
        output.end();

        List<Trade> back = new ArrayList<>();
        try (CsvTradeReader reader = new CsvTradeReader(
                new ByteArrayInputStream(text.toString().getBytes(StandardCharsets.ISO_8859_1)), "p.csv")) {
            reader.readAll(row -> back.add(row.toTrade()), new MalformedLines("p.csv", true));
        }
        assertThat(back).isEqualTo(trades);
    }

    @Provide
    Arbitrary<List<Trade>> trades() {
        Arbitrary<String> exchanges = Arbitraries.of("binance", "binance-futures", "kraken", "x_1");
        Arbitrary<String> symbols = Arbitraries.strings()
                .withCharRange('!', '~')
                .ofMinLength(1)
                .ofMaxLength(12)
                .injectDuplicates(0.2)
                .edgeCases(c -> c.add("XBT,USD"));
        Arbitrary<SeriesKey> series = Combinators.combine(exchanges, symbols).as(SeriesKey::of);
        Arbitrary<Decimal> decimals = Combinators.combine(
                        Arbitraries.longs().between(-1_000_000_000_000_000L, 1_000_000_000_000_000_000L),
                        Arbitraries.integers().between(0, Decimal.MAX_SCALE))
                .as(Decimal::of);
        Arbitrary<Long> times = Arbitraries.longs();
        Arbitrary<Side> sides = Arbitraries.of(Side.class);
        Arbitrary<Object> ids = Arbitraries.oneOf(
                Arbitraries.longs().between(0, 999_999_999_999_999_999L).map(id -> (Object) id),
                Arbitraries.just((Object) Trade.NO_TRADE_ID),
                Arbitraries.strings()
                        .withCharRange(' ', '~')
                        .ofMinLength(1)
                        .ofMaxLength(20)
                        .filter(s -> !s.matches("[1-9][0-9]{0,17}|0") && !s.isBlank())
                        .map(s -> (Object) s));
        Arbitrary<Trade> trade = Combinators.combine(series, times, times, decimals, decimals, sides, ids)
                .as((key, ts, recvTs, price, qty, side, id) -> id instanceof String text
                        ? new Trade(key, ts, recvTs, price, qty, side, Trade.NO_TRADE_ID, text)
                        : new Trade(key, ts, recvTs, price, qty, side, (Long) id));
        return trade.list();
    }
}
