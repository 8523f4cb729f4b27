package dev.tickvault.sample;

import dev.tickvault.ingest.CsvTradeReader;
import dev.tickvault.ingest.TimeFormats;
import dev.tickvault.model.DecimalFormat;
import dev.tickvault.model.Side;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes {@link SyntheticTrades} as tickvault's import CSV ({@value CsvTradeReader#HEADER}), so QuestDB, DuckDB and
 * {@code tickvault import} can load the very same trades. Times are ISO-8601 UTC with nine fractional digits.
 *
 * <pre>
 * java -cp core/target/tickvault-0.1.0-SNAPSHOT-all.jar dev.tickvault.sample.SyntheticTradesCsv --trades 10000000 --seed 20240808 --out trades.csv
 * </pre>
 */
public final class SyntheticTradesCsv {

    private static final int BATCH_ROWS = 65_536;

    private SyntheticTradesCsv() {}

    /** Writes every remaining trade of {@code trades}, header first; returns the number of trades written. */
    public static long write(SyntheticTrades trades, Writer out) {
        String[] exchanges = new String[trades.instruments().size()];
        String[] symbols = new String[exchanges.length];
        for (int i = 0; i < exchanges.length; i++) {
            exchanges[i] = trades.instruments().get(i).exchange();
            symbols[i] = quoted(trades.instruments().get(i).symbol());
        }
        SyntheticTradeBatch batch = new SyntheticTradeBatch(BATCH_ROWS);
        StringBuilder line = new StringBuilder(160);
        long written = 0;
        try {
            out.write(CsvTradeReader.HEADER);
            out.write('\n');
            for (int n; (n = trades.next(batch)) > 0; ) {
                for (int row = 0; row < n; row++) {
                    line.setLength(0);
                    int instrument = batch.instrument(row);
                    line.append(exchanges[instrument])
                            .append(',')
                            .append(symbols[instrument])
                            .append(',');
                    TimeFormats.appendIso(line, batch.tsNanos(row));
                    line.append(',');
                    TimeFormats.appendIso(line, batch.recvTsNanos(row));
                    line.append(',');
                    DecimalFormat.append(line, batch.priceMantissa(row), batch.priceScale(row));
                    line.append(',');
                    DecimalFormat.append(line, batch.quantityMantissa(row), batch.quantityScale(row));
                    line.append(',').append(Side.ofCode(batch.side(row)).label());
                    line.append(',').append(batch.tradeId(row)).append('\n');
                    out.append(line);
                }
                written += n;
            }
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write synthetic trades CSV", e);
        }
        return written;
    }

    /** Writes {@code trades} to {@code file}. */
    public static long write(SyntheticTrades trades, Path file) {
        try (Writer out = new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.US_ASCII), 1 << 20)) {
            return write(trades, out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static String quoted(String field) {
        return field.indexOf(',') >= 0 || field.indexOf('"') >= 0 ? '"' + field.replace("\"", "\"\"") + '"' : field;
    }

    public static void main(String[] args) {
        long trades = SyntheticTrades.DEFAULT_TRADES;
        long seed = SyntheticTrades.DEFAULT_SEED;
        Path out = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--trades" -> trades = Long.parseLong(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                default -> {
                    System.err.println("usage: SyntheticTradesCsv [--trades N] [--seed S] --out FILE");
                    System.exit(2);
                }
            }
        }
        if (out == null) {
            System.err.println("usage: SyntheticTradesCsv [--trades N] [--seed S] --out FILE");
            System.exit(2);
        }
        long written = write(new SyntheticTrades(trades, seed), out);
        System.out.println("wrote " + written + " trades to " + out);
    }
}
