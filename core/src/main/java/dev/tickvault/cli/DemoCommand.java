package dev.tickvault.cli;

import dev.tickvault.ingest.TimeFormats;
import dev.tickvault.model.SeriesKey;
import dev.tickvault.sample.SyntheticTradeBatch;
import dev.tickvault.sample.SyntheticTrades;
import dev.tickvault.store.Durability;
import dev.tickvault.store.StoreConfig;
import dev.tickvault.store.StoreStats;
import dev.tickvault.store.StoreWriter;
import dev.tickvault.store.TickStore;
import dev.tickvault.store.TradeCursor;
import dev.tickvault.store.VerifyReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tickvault demo}: a tour that works offline on a fresh machine. It records a day of realistic synthetic
 * trades for 20 instruments into a store, then shows what the store holds and answers a query. (When the exchange
 * simulator and recorder exist, the demo records from them instead.)
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Offline tour: record a day of synthetic trades (20 instruments, deterministic) into a fresh store,"
                    + " print its statistics, query one hour of binance:BTCUSDT and verify every checksum.",
            "The store is kept, so you can query it afterwards with the commands it prints."
        })
final class DemoCommand implements Callable<Integer> {

    private static final long HOUR = 3_600_000_000_000L;

    @Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--data",
            paramLabel = "DIR",
            defaultValue = "./demo-data",
            description =
                    "Store directory for the demo, replaced if it holds an earlier demo (default: ${DEFAULT-VALUE}).")
    private Path directory;

    @Option(
            names = "--trades",
            paramLabel = "N",
            defaultValue = "2000000",
            description = "Synthetic trades to record (default: ${DEFAULT-VALUE}).")
    private long trades;

    @Override
    public Integer call() throws IOException {
        if (trades < 1 || trades > 1_000_000_000L) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--trades must be between 1 and 1000000000");
        }
        PrintWriter out = spec.commandLine().getOut();
        prepareDirectory();

        SyntheticTrades generator = new SyntheticTrades(trades, SyntheticTrades.DEFAULT_SEED);
        SeriesKey[] series = generator.seriesKeys();
        out.printf(
                Locale.ROOT,
                "Recording %,d synthetic trades for %d instruments (one UTC day, 2024-08-08) into %s%n",
                trades,
                series.length,
                directory);
        out.flush();
        long started = System.nanoTime();
        try (TickStore store = TickStore.open(directory, StoreConfig.defaults().withDurability(Durability.OS))) {
            try (StoreWriter writer = store.newWriter()) {
                SyntheticTradeBatch batch = new SyntheticTradeBatch(100_000);
                for (int n = generator.next(batch); n > 0; n = generator.next(batch)) {
                    for (int i = 0; i < n; i++) {
                        batch.appendTo(writer, series, i);
                    }
                    writer.commit();
                }
            }
            store.flush();
            double seconds = (System.nanoTime() - started) / 1e9;
            StoreStats stats = store.stats();
            out.printf(
                    Locale.ROOT,
                    "Stored %,d trades in %.1f s (%,.0f trades/s, generation included): %,d bytes on disk, %.2f bytes"
                            + " per trade with every column%n%n",
                    stats.totalRows(),
                    seconds,
                    stats.totalRows() / seconds,
                    stats.totalBytesOnDisk(),
                    (double) stats.totalBytesOnDisk() / stats.totalRows());
            StringWriter table = new StringWriter();
            StatsCommand.print(stats, new PrintWriter(table));
            out.print(table);
            out.println();
            showOneHour(store, out);
        }
        VerifyReport report = TickStore.verify(directory);
        out.printf(
                Locale.ROOT,
                "%nverify: %d files, %,d bytes checked, %s%n",
                report.filesChecked(),
                report.bytesChecked(),
                report.clean() ? "every checksum matches" : report.problems().size() + " problem(s)");
        out.printf("%nNext, try:%n");
        out.printf("  ./tickvault stats --data %s%n", directory);
        out.printf(
                "  ./tickvault query trades --data %s --exchange binance --symbol BTCUSDT"
                        + " --from 2024-08-08T12:00:00Z --to 2024-08-08T12:00:01Z%n",
                directory);
        out.printf("  ./tickvault verify --data %s%n", directory);
        out.flush();
        return report.clean() ? CommandLine.ExitCode.OK : TickvaultCommand.EXIT_VERIFY_FAILED;
    }

    /** Queries 12:00–13:00 UTC of binance:BTCUSDT and prints a summary with exact decimals. */
    private static void showOneHour(TickStore store, PrintWriter out) {
        SeriesKey btc = SeriesKey.of("binance", "BTCUSDT");
        long from = SyntheticTrades.DAY_START_NANOS + 12 * HOUR;
        long to = from + HOUR;
        long started = System.nanoTime();
        long rows = 0;
        BigDecimal open = null;
        BigDecimal close = null;
        BigDecimal high = null;
        BigDecimal low = null;
        BigDecimal volume = BigDecimal.ZERO;
        BigDecimal notional = BigDecimal.ZERO;
        try (TradeCursor cursor = store.trades(btc, from, to)) {
            while (cursor.next()) {
                BigDecimal price = BigDecimal.valueOf(cursor.priceMantissa(), cursor.priceScale());
                BigDecimal quantity = BigDecimal.valueOf(cursor.quantityMantissa(), cursor.quantityScale());
                if (open == null) {
                    open = price;
                    high = price;
                    low = price;
                }
                close = price;
                high = high.max(price);
                low = low.min(price);
                volume = volume.add(quantity);
                notional = notional.add(price.multiply(quantity));
                rows++;
            }
        }
        double millis = (System.nanoTime() - started) / 1e6;
        out.printf(
                Locale.ROOT,
                "Query: %s trades from %s to %s -> %,d rows in %.1f ms (first query, cold JVM)%n",
                btc,
                TimeFormats.format(from),
                TimeFormats.format(to),
                rows,
                millis);
        if (rows > 0) {
            out.printf(
                    Locale.ROOT,
                    "  open %s  high %s  low %s  close %s  volume %s  VWAP %s%n",
                    open.toPlainString(),
                    high.toPlainString(),
                    low.toPlainString(),
                    close.toPlainString(),
                    volume.toPlainString(),
                    notional.divide(volume, java.math.MathContext.DECIMAL64).toPlainString());
        }
    }

    /** Starts from an empty directory, replacing an earlier demo store but never anything else. */
    private void prepareDirectory() throws IOException {
        if (Files.exists(directory)) {
            boolean empty;
            try (Stream<Path> entries = Files.list(directory)) {
                empty = entries.findAny().isEmpty();
            }
            if (!empty && !Files.exists(directory.resolve("LOCK"))) {
                throw new CliFailure(directory + " exists and is not a tickvault store; pass --data with a new"
                        + " directory for the demo");
            }
            try (Stream<Path> walk = Files.walk(directory)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
