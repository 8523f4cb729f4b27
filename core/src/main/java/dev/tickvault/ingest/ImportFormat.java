package dev.tickvault.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** The file formats {@code tickvault import} reads. */
public enum ImportFormat {
    /** tickvault's trade CSV: see {@link CsvTradeReader}. */
    CSV,
    /** Binance public trade dumps: see {@link BinanceTradeDumpReader}. */
    BINANCE;

    /** Lower-case name, as on the command line. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Guesses the format of {@code file}: a Binance dump name ({@code BTCUSDT-trades-2024-08-08.zip}) or a zip file
     * → {@link #BINANCE}; otherwise the first line decides: a header naming {@code exchange} → {@link #CSV}, a header
     * starting with {@code id} or a row starting with a number → {@link #BINANCE}.
     *
     * @throws InputFormatException when neither fits
     */
    public static ImportFormat detect(Path file) {
        String name = file.getFileName().toString();
        if (BinanceTradeDumpReader.looksLikeDumpName(name)) {
            return BINANCE;
        }
        try {
            if (BinanceTradeDumpReader.isZip(file)) {
                return BINANCE;
            }
            String firstLine = firstLine(file);
            String lower = firstLine.toLowerCase(Locale.ROOT);
            if (lower.startsWith("exchange,") || lower.contains(",exchange,") || lower.contains(",exchange")) {
                return CSV;
            }
            if (lower.startsWith("id,") || (!lower.isEmpty() && Character.isDigit(lower.charAt(0)))) {
                return BINANCE;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        throw new InputFormatException(
                name + ": cannot tell the format from the name or the first line; pass --format csv or binance");
    }

    private static String firstLine(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(4096);
            int start = head.length >= 3 && head[0] == (byte) 0xEF && head[1] == (byte) 0xBB && head[2] == (byte) 0xBF
                    ? 3
                    : 0;
            int end = start;
            while (end < head.length && head[end] != '\n' && head[end] != '\r') {
                end++;
            }
            return new String(head, start, end - start, StandardCharsets.ISO_8859_1).strip();
        }
    }
}
