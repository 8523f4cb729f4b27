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
import dev.tickvault.testing.RandomCases;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What {@code query trades --format csv} writes, {@code import} reads back to the same trades, bit for bit. */
class CsvRoundTripProperties {

    private static final String PRINTABLE = RandomCases.charRange('!', '~');
    private static final String PRINTABLE_WITH_SPACE = RandomCases.charRange(' ', '~');

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("dev.tickvault.testing.RandomCases#seeds")
    void csvOutputReadsBackIdentically(long seed) throws IOException {
        List<Trade> trades = trades(RandomCases.random(seed));
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

    /** Up to 20 trades: symbols with any printable character (commas too), repeated, ids numeric, absent or text. */
    private static List<Trade> trades(RandomGenerator random) {
        int count = RandomCases.intBetween(random, 0, 20);
        List<String> symbolsSoFar = new ArrayList<>();
        List<Trade> trades = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String symbol;
            if (!symbolsSoFar.isEmpty() && random.nextInt(5) == 0) {
                symbol = symbolsSoFar.get(random.nextInt(symbolsSoFar.size()));
            } else {
                symbol = random.nextInt(10) == 0 ? "XBT,USD" : RandomCases.stringOf(random, PRINTABLE, 1, 12);
                symbolsSoFar.add(symbol);
            }
            SeriesKey key =
                    SeriesKey.of(RandomCases.oneOf(random, "binance", "binance-futures", "kraken", "x_1"), symbol);
            long ts = RandomCases.anyLong(random);
            long recvTs = RandomCases.anyLong(random);
            Decimal price = decimal(random);
            Decimal qty = decimal(random);
            Side side = RandomCases.oneOf(random, Side.values());
            trades.add(
                    switch (random.nextInt(3)) {
                        case 0 -> new Trade(key, ts, recvTs, price, qty, side, Trade.NO_TRADE_ID);
                        case 1 -> new Trade(key, ts, recvTs, price, qty, side, Trade.NO_TRADE_ID, textId(random));
                        default ->
                            new Trade(
                                    key,
                                    ts,
                                    recvTs,
                                    price,
                                    qty,
                                    side,
                                    RandomCases.longBetween(random, 0, 999_999_999_999_999_999L));
                    });
        }
        return trades;
    }

    private static Decimal decimal(RandomGenerator random) {
        return Decimal.of(
                RandomCases.longBetween(random, -1_000_000_000_000_000L, 1_000_000_000_000_000_000L),
                RandomCases.intBetween(random, 0, Decimal.MAX_SCALE));
    }

    /** A textual id that does not read as a numeric one. */
    private static String textId(RandomGenerator random) {
        while (true) {
            String id = RandomCases.stringOf(random, PRINTABLE_WITH_SPACE, 1, 20);
            if (!id.matches("[1-9][0-9]{0,17}|0") && !id.isBlank()) {
                return id;
            }
        }
    }
}
