package dev.tickvault.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tickvault.model.Decimal;
import dev.tickvault.model.SeriesKey;
import dev.tickvault.model.Side;
import dev.tickvault.model.Trade;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BinanceTradeDumpReaderTest {

    private static final SeriesKey BTC = SeriesKey.of("binance", "BTCUSDT");
    private static final String SPOT_MS = "3733012211,61837.63000000,0.00162000,100.17696060,1723161253123,True,True\n"
            + "3733012212,61837.62000000,0.10000000,6183.76200000,1723161253124,False,True\n";
    private static final String SPOT_US =
            "4733012211,94000.10000000,0.00100000,94.00010000,1736899200123456,true,true\n";
    private static final String FUTURES = "id,price,qty,quote_qty,time,is_buyer_maker\n"
            + "5212340001,61830.10,0.005,309.15050,1723161253123,false\n";

    @TempDir
    Path directory;

    private final List<Trade> trades = new ArrayList<>();

    private MalformedLines read(String csv, SeriesKey series) {
        MalformedLines malformed = new MalformedLines("dump.csv", false);
        try (BinanceTradeDumpReader reader = new BinanceTradeDumpReader(
                new ByteArrayInputStream(csv.getBytes(StandardCharsets.US_ASCII)), series, "dump.csv")) {
            long rows = reader.readAll(row -> trades.add(row.toTrade()), malformed);
            assertThat(rows).isEqualTo(trades.size());
        }
        return malformed;
    }

    private static Trade trade(SeriesKey series, long tsNanos, Decimal price, Decimal qty, Side side, long id) {
        return new Trade(series, tsNanos, tsNanos, price, qty, side, id);
    }

    private static final List<Trade> SPOT_MS_TRADES = List.of(
            trade(
                    BTC,
                    1_723_161_253_123_000_000L,
                    Decimal.of(6_183_763_000_000L, 8),
                    Decimal.of(162_000, 8),
                    Side.SELL,
                    3_733_012_211L),
            trade(
                    BTC,
                    1_723_161_253_124_000_000L,
                    Decimal.of(6_183_762_000_000L, 8),
                    Decimal.of(10_000_000, 8),
                    Side.BUY,
                    3_733_012_212L));

    @Test
    void millisecondsWithoutHeader() {
        assertThat(read(SPOT_MS, BTC).count()).isZero();
        assertThat(trades).isEqualTo(SPOT_MS_TRADES);
        assertThat(trades.getFirst().price().toString()).isEqualTo("61837.63000000");
    }

    @Test
    void microsecondsAndHeader() {
        read("id,price,qty,quote_qty,time,is_buyer_maker,is_best_match\n" + SPOT_US, BTC);
        assertThat(trades)
                .containsExactly(trade(
                        BTC,
                        1_736_899_200_123_456_000L,
                        Decimal.of(9_400_010_000_000L, 8),
                        Decimal.of(100_000, 8),
                        Side.SELL,
                        4_733_012_211L));
        assertThat(TimeFormats.format(trades.getFirst().tsNanos())).isEqualTo("2025-01-15T00:00:00.123456000Z");
    }

    @Test
    void futuresLayoutWithSixColumns() {
        SeriesKey futures = SeriesKey.of("binance-futures", "BTCUSDT");
        assertThat(read(FUTURES, futures).count()).isZero();
        assertThat(trades)
                .containsExactly(trade(
                        futures,
                        1_723_161_253_123_000_000L,
                        Decimal.of(6_183_010, 2),
                        Decimal.of(5, 3),
                        Side.BUY,
                        5_212_340_001L));
    }

    @Test
    void malformedRowsAreCountedWithLineNumbers() {
        MalformedLines malformed = read(
                SPOT_MS
                        + "x,1,1,1,1723161253123,true,true\n" // 3
                        + "1,1,1,1,172316125312,true,true\n" // 4: 12 digits
                        + "1,1,1,1,1723161253123,maybe,true\n" // 5
                        + "1,1,1,1,1723161253123\n" // 6
                        + "1,abc,1,1,1723161253123,true,true\n" // 7
                        + "id,price,qty,quote_qty,time,is_buyer_maker,is_best_match\n" // 8: header, not first
                        + SPOT_US, // 9
                BTC);
        assertThat(trades).hasSize(3);
        assertThat(malformed.messages())
                .containsExactly(
                        "dump.csv:3: id: id is not a number: \"x\"",
                        "dump.csv:4: time: \"172316125312\" has 12 digits: expected 13 (milliseconds) or 16"
                                + " (microseconds)",
                        "dump.csv:5: is_buyer_maker: invalid is_buyer_maker \"maybe\": expected true or false",
                        "dump.csv:6: expected 6 or 7 fields (id,price,qty,quote_qty,time,is_buyer_maker[,is_best_match]),"
                                + " found 5",
                        "dump.csv:7: price: invalid decimal \"abc\": no digits",
                        "dump.csv:8: id: id is not a number: \"id\"");
    }

    @Test
    void readsTheSingleCsvEntryOfAZipAndCountsCompressedBytes() throws IOException {
        Path zip = directory.resolve("BTCUSDT-trades-2024-08-08.zip");
        writeZip(zip, "BTCUSDT-trades-2024-08-08.csv", SPOT_MS);
        try (BinanceTradeDumpReader reader = BinanceTradeDumpReader.open(zip, BTC)) {
            MalformedLines malformed = new MalformedLines("z", true);
            assertThat(reader.readAll(row -> trades.add(row.toTrade()), malformed))
                    .isEqualTo(2);
            assertThat(reader.bytesRead()).isPositive().isLessThanOrEqualTo(Files.size(zip));
        }
        assertThat(trades).isEqualTo(SPOT_MS_TRADES);
        assertThat(ImportFormat.detect(zip)).isEqualTo(ImportFormat.BINANCE);
    }

    @Test
    void readsAPlainCsvFile() throws IOException {
        Path csv = Files.writeString(directory.resolve("BTCUSDT-trades-2024-08-08.csv"), SPOT_MS);
        try (BinanceTradeDumpReader reader = BinanceTradeDumpReader.open(csv, BTC)) {
            reader.readAll(row -> trades.add(row.toTrade()), new MalformedLines("c", true));
            assertThat(reader.bytesRead()).isEqualTo(Files.size(csv));
        }
        assertThat(trades).isEqualTo(SPOT_MS_TRADES);
    }

    @Test
    void aZipWithSeveralEntriesIsRejected() throws IOException {
        Path zip = directory.resolve("two.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            for (String name : List.of("a.csv", "b.csv")) {
                out.putNextEntry(new ZipEntry(name));
                out.write(SPOT_MS.getBytes(StandardCharsets.US_ASCII));
                out.closeEntry();
            }
        }
        assertThatThrownBy(() -> BinanceTradeDumpReader.open(zip, BTC))
                .isInstanceOf(InputFormatException.class)
                .hasMessage("two.zip: expected a zip holding one CSV file, found 2 entries");
    }

    @Test
    void symbolComesFromTheFileName() {
        assertThat(BinanceTradeDumpReader.symbolFromFileName("BTCUSDT-trades-2024-08-08.zip"))
                .contains("BTCUSDT");
        assertThat(BinanceTradeDumpReader.symbolFromFileName("ETHUSDT-trades-2024-08.csv"))
                .contains("ETHUSDT");
        assertThat(BinanceTradeDumpReader.symbolFromFileName("1000PEPEUSDT-trades-2025-01-02.csv"))
                .contains("1000PEPEUSDT");
        assertThat(BinanceTradeDumpReader.symbolFromFileName("trades.csv")).isEmpty();
        assertThat(BinanceTradeDumpReader.symbolFromFileName("-trades-2024.csv"))
                .isEmpty();
        assertThat(BinanceTradeDumpReader.looksLikeDumpName("BTCUSDT-trades-2024-08-08.csv"))
                .isTrue();
        assertThat(BinanceTradeDumpReader.looksLikeDumpName("BTCUSDT-trades-2024-08-08.CHECKSUM"))
                .isFalse();
    }

    @Test
    void formatDetectionLooksAtTheNameThenTheFirstLine() throws IOException {
        assertThat(ImportFormat.detect(Files.writeString(directory.resolve("spot.csv"), SPOT_MS)))
                .isEqualTo(ImportFormat.BINANCE);
        assertThat(ImportFormat.detect(Files.writeString(directory.resolve("futures.csv"), FUTURES)))
                .isEqualTo(ImportFormat.BINANCE);
        assertThat(ImportFormat.detect(Files.writeString(directory.resolve("mine.csv"), CsvTradeReader.HEADER + "\n")))
                .isEqualTo(ImportFormat.CSV);
        Path unknown = Files.writeString(directory.resolve("what.txt"), "hello,world\n");
        assertThatThrownBy(() -> ImportFormat.detect(unknown))
                .isInstanceOf(InputFormatException.class)
                .hasMessageContaining("pass --format csv or binance");
    }

    static void writeZip(Path zip, String entryName, String content) throws IOException {
        try (OutputStream file = Files.newOutputStream(zip);
                ZipOutputStream out = new ZipOutputStream(file)) {
            out.putNextEntry(new ZipEntry(entryName));
            out.write(content.getBytes(StandardCharsets.US_ASCII));
            out.closeEntry();
        }
    }
}
