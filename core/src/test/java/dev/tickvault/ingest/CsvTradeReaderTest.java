package dev.tickvault.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tickvault.model.Decimal;
import dev.tickvault.model.DecimalFormat;
import dev.tickvault.model.SeriesKey;
import dev.tickvault.model.Side;
import dev.tickvault.model.Trade;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvTradeReaderTest {

    private static final String HEADER = CsvTradeReader.HEADER + "\n";
    private static final SeriesKey BTC = SeriesKey.of("binance", "BTCUSDT");

    private final List<Trade> trades = new ArrayList<>();
    private final List<Long> lines = new ArrayList<>();

    private MalformedLines read(String csv) {
        MalformedLines malformed = new MalformedLines("in.csv", false);
        try (CsvTradeReader reader =
                new CsvTradeReader(new ByteArrayInputStream(csv.getBytes(StandardCharsets.ISO_8859_1)), "in.csv")) {
            long rows = reader.readAll(
                    row -> {
                        trades.add(row.toTrade());
                        lines.add(row.lineNumber());
                    },
                    malformed);
            assertThat(rows).isEqualTo(trades.size());
            assertThat(reader.bytesRead()).isEqualTo(csv.length());
        }
        return malformed;
    }

    @Test
    void readsGoodRows() {
        MalformedLines malformed = read(HEADER
                + "binance,BTCUSDT,2024-08-08T23:54:13.123456789Z,2024-08-08T23:54:13.2Z,61837.63000000,0.00162000,buy,3733012211\n"
                + "binance,BTCUSDT,1723161253123000000,,61837.62,1.5,sell,\n"
                + "coinbase,BTC-USD,2024-08-08T23:54:14Z,2024-08-08T23:54:14+00:00,0.10,2,unknown,4f6b-77aa\n");
        assertThat(malformed.count()).isZero();
        assertThat(trades)
                .containsExactly(
                        new Trade(
                                BTC,
                                1_723_161_253_123_456_789L,
                                1_723_161_253_200_000_000L,
                                Decimal.of(6_183_763_000_000L, 8),
                                Decimal.of(162_000L, 8),
                                Side.BUY,
                                3_733_012_211L),
                        new Trade(
                                BTC,
                                1_723_161_253_123_000_000L,
                                1_723_161_253_123_000_000L,
                                Decimal.of(6_183_762L, 2),
                                Decimal.of(15, 1),
                                Side.SELL,
                                Trade.NO_TRADE_ID),
                        new Trade(
                                SeriesKey.of("coinbase", "BTC-USD"),
                                1_723_161_254_000_000_000L,
                                1_723_161_254_000_000_000L,
                                Decimal.of(10, 2),
                                Decimal.of(2, 0),
                                Side.UNKNOWN,
                                Trade.NO_TRADE_ID,
                                "4f6b-77aa"));
        assertThat(lines).containsExactly(2L, 3L, 4L);
    }

    @Test
    void decimalsPrintBackByteForByte() {
        read(HEADER + "binance,BTCUSDT,0,,61837.63000000,0.00100000,buy,1\n");
        Trade trade = trades.getFirst();
        assertThat(DecimalFormat.toString(
                        trade.price().mantissa(), trade.price().scale()))
                .isEqualTo("61837.63000000");
        assertThat(trade.quantity().toString()).isEqualTo("0.00100000");
    }

    @Test
    void headerColumnsMayComeInAnyOrderAndCase() {
        read("TRADE_ID,side,qty,price,recv_ts,ts,symbol,Exchange\r\n7,b,1,2,,5,ETHUSDT,binance\r\n");
        assertThat(trades)
                .containsExactly(new Trade(
                        SeriesKey.of("binance", "ETHUSDT"), 5, 5, Decimal.of(2, 0), Decimal.of(1, 0), Side.BUY, 7));
    }

    @Test
    void quotedFieldsFollowRfc4180() {
        MalformedLines malformed = read(HEADER
                + "kraken,\"XBT,USD\",1,,1.0,2.0,buy,\"id \"\"quoted\"\"\"\r\n"
                + "\"kraken\",\"XBT/USD\",\"2\",\"\",\"1.5\",\"2\",\"sell\",\"\"\n");
        assertThat(malformed.messages()).isEmpty();
        assertThat(trades).hasSize(2);
        assertThat(trades.get(0).series().symbol()).isEqualTo("XBT,USD");
        assertThat(trades.get(0).tradeIdText()).isEqualTo("id \"quoted\"");
        assertThat(trades.get(1).series().symbol()).isEqualTo("XBT/USD");
        assertThat(trades.get(1).tradeId()).isEqualTo(Trade.NO_TRADE_ID);
        assertThat(trades.get(1).tradeIdText()).isNull();
    }

    @Test
    void tradeIdsThatAreNotPlainNumbersStayText() {
        read(HEADER
                + "b,S,1,,1,1,buy,007\n"
                + "b,S,1,,1,1,buy,-5\n"
                + "b,S,1,,1,1,buy,99999999999999999999\n"
                + "b,S,1,,1,1,buy,0\n");
        assertThat(trades).extracting(Trade::tradeIdString).containsExactly("007", "-5", "99999999999999999999", "0");
        assertThat(trades.get(3).tradeIdText()).isNull();
    }

    @Test
    void everyMalformedLineIsCountedWithItsLineNumberAndNothingElseIsLost() {
        String good = "binance,BTCUSDT,1,,1.5,2,buy,1\n";
        MalformedLines malformed = read(HEADER
                + good // 2
                + "binance,BTCUSDT,1,,1.5,2,buy\n" // 3: too few fields
                + "binance,BTCUSDT,1,,1.5,2,buy,1,extra\n" // 4: too many fields
                + "Binance,BTCUSDT,1,,1.5,2,buy,1\n" // 5: bad exchange
                + "binance,BTC USDT,1,,1.5,2,buy,1\n" // 6: bad symbol
                + "binance,BTCUSDT,yesterday,,1.5,2,buy,1\n" // 7: bad ts
                + "binance,BTCUSDT,1,2024-99-01,1.5,2,buy,1\n" // 8: bad recv_ts
                + "binance,BTCUSDT,1,,1.5.1,2,buy,1\n" // 9: bad price
                + "binance,BTCUSDT,1,,1.5,,buy,1\n" // 10: empty qty
                + "binance,BTCUSDT,1,,1.5,2,long,1\n" // 11: bad side
                + "binance,\"BTCUSDT,1,,1.5,2,buy,1\n" // 12: unterminated quote
                + "binance,\"BTC\"USDT,1,,1.5,2,buy,1\n" // 13: text after closing quote
                + "binance,BTC\"USDT,1,,1.5,2,buy,1\n" // 14: quote in unquoted field
                + "\n" // 15: blank, ignored
                + "binance,BTCUSDT,1,,99999999999999999999,2,buy,1\n" // 16: price too large
                + good); // 17
        assertThat(trades).hasSize(2);
        assertThat(lines).containsExactly(2L, 17L);
        assertThat(malformed.count()).isEqualTo(13);
        assertThat(malformed.messages())
                .containsExactly(
                        "in.csv:3: expected 8 fields, found 7",
                        "in.csv:4: expected 8 fields, found 9",
                        "in.csv:5: exchange: invalid exchange name \"Binance\": use 1-32 lower-case letters, digits,"
                                + " '-' or '_', starting with a letter or digit",
                        "in.csv:6: exchange: invalid symbol \"BTC USDT\": only printable ASCII without spaces is"
                                + " allowed (character 32)",
                        "in.csv:7: ts: invalid time \"yesterday\": not an ISO-8601 UTC time, a date or an integer of"
                                + " nanoseconds",
                        "in.csv:8: recv_ts: invalid time \"2024-99-01\": month 99 out of range",
                        "in.csv:9: price: invalid decimal \"1.5.1\": unexpected character '.'",
                        "in.csv:10: qty: invalid decimal \"\": empty",
                        "in.csv:11: side: invalid side \"long\": expected buy, sell or unknown",
                        "in.csv:12: unterminated quoted field 2",
                        "in.csv:13: text after the closing quote of field 2",
                        "in.csv:14: quote inside an unquoted field 2",
                        "in.csv:16: price: invalid decimal \"99999999999999999999\": value exceeds 64-bit range");
    }

    @Test
    void strictModeStopsAtTheFirstMalformedLine() {
        String csv =
                HEADER + "binance,BTCUSDT,1,,1,1,buy,1\nbinance,BTCUSDT,x,,1,1,buy,1\nbinance,BTCUSDT,1,,1,1,buy,1\n";
        MalformedLines strict = new MalformedLines("in.csv", true);
        try (CsvTradeReader reader =
                new CsvTradeReader(new ByteArrayInputStream(csv.getBytes(StandardCharsets.US_ASCII)), "in.csv")) {
            assertThatThrownBy(() -> reader.readAll(row -> trades.add(row.toTrade()), strict))
                    .isInstanceOf(MalformedLineException.class)
                    .hasMessageStartingWith("in.csv:3: ts: invalid time \"x\"")
                    .satisfies(e -> assertThat(((MalformedLineException) e).lineNumber())
                            .isEqualTo(3));
        }
        assertThat(trades).hasSize(1);
    }

    @Test
    void aFileWithoutTheHeaderIsRejectedAsAWhole() {
        assertThatThrownBy(() -> read("binance,BTCUSDT,1,,1,1,buy,1\n"))
                .isInstanceOf(InputFormatException.class)
                .hasMessageContaining("in.csv:1: not a trade CSV")
                .hasMessageContaining(CsvTradeReader.HEADER);
    }

    @Test
    void emptyInputAndByteOrderMark() {
        assertThat(read("").count()).isZero();
        read(
                "\uFEFF".getBytes(StandardCharsets.UTF_8).length == 3
                        ? new String(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, StandardCharsets.ISO_8859_1)
                                + HEADER
                                + "b,S,1,,1,1,buy,1"
                        : "");
        assertThat(trades).hasSize(1);
    }

    @Test
    void longRunsOfRowsReuseTheSeries() {
        StringBuilder csv = new StringBuilder(HEADER);
        for (int i = 0; i < 10_000; i++) {
            csv.append(i % 100 == 0 ? "binance,ETHUSDT," : "binance,BTCUSDT,")
                    .append(i)
                    .append(",,")
                    .append(i)
                    .append(".25,1,buy,")
                    .append(i)
                    .append('\n');
        }
        assertThat(read(csv.toString()).count()).isZero();
        assertThat(trades).hasSize(10_000);
        assertThat(trades.get(100).series()).isEqualTo(SeriesKey.of("binance", "ETHUSDT"));
        assertThat(trades.get(101).series()).isEqualTo(BTC);
        assertThat(trades.get(9_999).price()).isEqualTo(Decimal.of(999_925, 2));
    }
}
