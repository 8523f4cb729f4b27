package dev.tickvault.ingest;

import dev.tickvault.model.DecimalParser;
import dev.tickvault.model.SeriesKey;
import dev.tickvault.model.Side;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;

/**
 * Reads Binance's public trade dumps ({@code data.binance.vision}, e.g. {@code BTCUSDT-trades-2024-08-08.zip}):
 *
 * <pre>
 * id,price,qty,quote_qty,time,is_buyer_maker,is_best_match      (spot; 7 columns)
 * id,price,qty,quote_qty,time,is_buyer_maker                    (USD-M futures; 6 columns)
 * 3733012211,61837.63000000,0.00162000,100.17696060,1723161253123,True,True
 * </pre>
 *
 * <ul>
 *   <li>The header line is optional (spot dumps have none, futures dumps have one).
 *   <li>{@code time} is milliseconds (13 digits) or, in spot dumps since 2025, microseconds (16 digits); 19 digits
 *       are taken as nanoseconds. The receive time equals the trade time.
 *   <li>Side is the taker's: {@code is_buyer_maker = true} means the taker sold ({@link Side#SELL}), else
 *       {@link Side#BUY}.
 *   <li>{@code quote_qty} and {@code is_best_match} are not stored.
 * </ul>
 *
 * {@link #open(Path, SeriesKey)} reads a plain {@code .csv} or the single CSV entry of a {@code .zip}. The series
 * comes from the caller: see {@link #symbolFromFileName(String)}. Not thread-safe.
 */
public final class BinanceTradeDumpReader implements TradeReader {

    /** The exchange name used when the user does not pass one. */
    public static final String DEFAULT_EXCHANGE = "binance";

    private static final String TRADES_INFIX = "-trades-";

    private final CountingInputStream counted;
    private final InputStream input;
    private final CsvRecordReader records;
    private final String sourceName;
    private final DecimalParser decimals = new DecimalParser();
    private final TradeRow row = new TradeRow();

    /**
     * @param csv the CSV bytes (already unzipped)
     * @param series exchange and symbol of every row
     * @param sourceName the file name used in messages
     */
    public BinanceTradeDumpReader(InputStream csv, SeriesKey series, String sourceName) {
        this(new CountingInputStream(csv), null, series, sourceName);
    }

    private BinanceTradeDumpReader(
            CountingInputStream counted, InputStream decoded, SeriesKey series, String sourceName) {
        this.counted = counted;
        this.input = decoded != null ? decoded : counted;
        this.records = new CsvRecordReader(this.input);
        this.sourceName = sourceName;
        this.row.series = series;
    }

    /**
     * Opens a dump file: a {@code .zip} holding exactly one CSV entry, or a plain CSV. {@link #bytesRead()} counts
     * bytes of the file itself (compressed bytes for a zip).
     */
    public static BinanceTradeDumpReader open(Path file, SeriesKey series) {
        String sourceName = file.getFileName().toString();
        try {
            if (isZip(file)) {
                checkSingleEntry(file);
                CountingInputStream counted = new CountingInputStream(Files.newInputStream(file));
                ZipInputStream zip = new ZipInputStream(new BufferedInputStream(counted, 1 << 16));
                ZipEntry entry = zip.getNextEntry();
                if (entry == null) {
                    zip.close();
                    throw new InputFormatException(sourceName + ": the zip file has no entry");
                }
                return new BinanceTradeDumpReader(counted, zip, series, sourceName + "!" + entry.getName());
            }
            return new BinanceTradeDumpReader(Files.newInputStream(file), series, sourceName);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + file + ": " + e.getMessage(), e);
        }
    }

    /** True when the file starts with a zip signature (whatever its name). */
    static boolean isZip(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] magic = in.readNBytes(4);
            return magic.length == 4 && magic[0] == 'P' && magic[1] == 'K' && magic[2] == 3 && magic[3] == 4;
        }
    }

    private static void checkSingleEntry(Path file) throws IOException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            if (zip.size() != 1) {
                throw new InputFormatException(
                        file.getFileName() + ": expected a zip holding one CSV file, found " + zip.size() + " entries");
            }
        }
    }

    /**
     * The symbol of a dump file name, the part before {@code -trades-}: {@code BTCUSDT-trades-2024-08-08.zip} →
     * {@code BTCUSDT}; empty when the name does not follow Binance's pattern.
     */
    public static Optional<String> symbolFromFileName(String fileName) {
        int infix = fileName.indexOf(TRADES_INFIX);
        if (infix <= 0) {
            return Optional.empty();
        }
        return Optional.of(fileName.substring(0, infix));
    }

    /** True for names such as {@code BTCUSDT-trades-2024-08-08.csv} or {@code .zip}. */
    public static boolean looksLikeDumpName(String fileName) {
        String lower = fileName.toLowerCase(Locale.ROOT);
        return symbolFromFileName(fileName).isPresent() && (lower.endsWith(".csv") || lower.endsWith(".zip"));
    }

    @Override
    public long readAll(TradeSink sink, MalformedLines malformed) {
        long rows = 0;
        while (records.next()) {
            if (records.isBlank()) {
                continue;
            }
            if (records.lineNumber() == 1 && records.fieldCount() >= 1 && records.fieldEqualsIgnoreCase(0, "id")) {
                continue; // the optional header
            }
            String problem = parseRecord();
            if (problem != null) {
                malformed.reject(records.lineNumber(), problem);
                continue;
            }
            sink.accept(row);
            rows++;
        }
        return rows;
    }

    /** Parses the current record into {@link #row}; returns why it is malformed, or {@code null}. */
    private String parseRecord() {
        if (records.error() != null) {
            return records.error();
        }
        int fields = records.fieldCount();
        if (fields != 6 && fields != 7) {
            return "expected 6 or 7 fields (id,price,qty,quote_qty,time,is_buyer_maker[,is_best_match]), found "
                    + fields;
        }
        byte[] bytes = records.bytes();
        String column = "id";
        try {
            row.tradeId = FieldParsers.digits(bytes, records.start(0), records.length(0), "id");
            row.tradeIdText = null;
            column = "price";
            row.priceMantissa = decimals.parse(bytes, records.start(1), records.length(1));
            row.priceScale = decimals.scale();
            column = "qty";
            row.quantityMantissa = decimals.parse(bytes, records.start(2), records.length(2));
            row.quantityScale = decimals.scale();
            column = "time";
            row.tsNanos = timeNanos(bytes, records.start(4), records.length(4));
            row.recvTsNanos = row.tsNanos;
            column = "is_buyer_maker";
            boolean buyerIsMaker = FieldParsers.bool(bytes, records.start(5), records.length(5), "is_buyer_maker");
            row.side = buyerIsMaker ? Side.SELL : Side.BUY;
        } catch (IllegalArgumentException e) {
            return column + ": " + e.getMessage();
        }
        row.lineNumber = records.lineNumber();
        return null;
    }

    /** Milliseconds (13 digits), microseconds (16) or nanoseconds (19) since the epoch → nanoseconds. */
    static long timeNanos(byte[] bytes, int offset, int length) {
        return switch (length) {
            case 13 -> FieldParsers.digits(bytes, offset, length, "time") * 1_000_000L;
            case 16 -> FieldParsers.digits(bytes, offset, length, "time") * 1_000L;
            case 19 -> TimeFormats.parse(bytes, offset, length);
            default ->
                throw new IllegalArgumentException("\"" + FieldParsers.show(bytes, offset, length) + "\" has " + length
                        + " digits: expected 13 (milliseconds) or 16 (microseconds)");
        };
    }

    @Override
    public long bytesRead() {
        return counted.count();
    }

    @Override
    public void close() {
        try {
            input.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close " + sourceName, e);
        }
    }
}
