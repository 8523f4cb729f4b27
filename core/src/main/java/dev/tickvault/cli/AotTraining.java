package dev.tickvault.cli;

import dev.tickvault.model.SeriesKey;
import dev.tickvault.sample.SyntheticTradeBatch;
import dev.tickvault.sample.SyntheticTrades;
import dev.tickvault.store.Durability;
import dev.tickvault.store.StoreConfig;
import dev.tickvault.store.StoreWriter;
import dev.tickvault.store.TickStore;
import dev.tickvault.store.TradeBatchCursor;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.stream.Stream;
import picocli.CommandLine;

/**
 * The training run of the {@code ./tickvault} launcher's startup cache (JDK 25's AOT cache, JEP 483/514/515): the
 * launcher runs it once per build with {@code -XX:AOTCacheOutput}, and every later {@code tickvault} command starts
 * with {@code -XX:AOTCache}, its classes already loaded and linked from the cache and the JIT compiling the read path
 * from the method profiles recorded here rather than after collecting its own.
 *
 * <p>It writes 400,000 synthetic trades to a temporary store, then reads them back the ways users do: {@code query
 * trades} and {@code bars} through the command line (output discarded) on a read-only store, and the {@code
 * TradeBatchCursor} scan of the library API, enough times for the decoders' profiles to be those of steady state.
 * The store is deleted afterwards. Prints nothing; exit status 0 when it ran through.
 */
public final class AotTraining {

    private static final int TRADES = 400_000;
    private static final int COMMIT_ROWS = 100_000;

    /** Keeps the scans' sums alive, so the JIT cannot drop the reads it is meant to learn. */
    private static volatile long sink;

    private AotTraining() {}

    public static void main(String[] args) throws IOException {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "dev/tickvault/cli/logback-cli.xml");
        }
        Path dir = Files.createTempDirectory("tickvault-aot-training");
        try {
            train(dir.resolve("store"));
        } finally {
            deleteTree(dir);
        }
    }

    private static void train(Path store) {
        SyntheticTrades generator = new SyntheticTrades(TRADES, SyntheticTrades.DEFAULT_SEED);
        SeriesKey[] series = generator.seriesKeys();
        SyntheticTradeBatch trades = generator.all();
        try (TickStore writable = TickStore.open(store, StoreConfig.defaults().withDurability(Durability.OS));
                StoreWriter writer = writable.newWriter()) {
            for (int row = 0; row < trades.size(); row += COMMIT_ROWS) {
                trades.appendTo(writer, series, row, Math.min(trades.size(), row + COMMIT_ROWS));
                writer.commit();
            }
            writer.commit();
            writable.flush();
        }
        long dayFrom = SyntheticTrades.DAY_START_NANOS;
        long dayTo = dayFrom + SyntheticTrades.NANOS_PER_DAY;
        String from = Instant.ofEpochSecond(0, dayFrom).toString();
        String to = Instant.ofEpochSecond(0, dayTo).toString();
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));
        try {
            for (int round = 0; round < 6; round++) {
                command(
                        "query",
                        "trades",
                        "--data",
                        store.toString(),
                        "--exchange",
                        series[0].exchange(),
                        "--symbol",
                        series[0].symbol(),
                        "--from",
                        from,
                        "--to",
                        to,
                        "--format",
                        round % 2 == 0 ? "csv" : "json");
                command(
                        "bars",
                        "--data",
                        store.toString(),
                        "--exchange",
                        series[0].exchange(),
                        "--symbol",
                        series[0].symbol(),
                        "--from",
                        from,
                        "--to",
                        to,
                        "--interval",
                        "1m");
            }
        } finally {
            System.setOut(stdout);
        }
        try (TickStore readOnly = TickStore.openReadOnly(store)) {
            for (int round = 0; round < 200; round++) {
                sink += scan(readOnly, series[round % series.length], dayFrom, dayTo);
            }
        }
    }

    private static void command(String... args) {
        CommandLine cli = TickvaultCommand.newCommandLine();
        PrintWriter discard = new PrintWriter(OutputStream.nullOutputStream());
        cli.setOut(discard);
        cli.setErr(discard);
        cli.execute(args);
    }

    private static long scan(TickStore store, SeriesKey series, long fromNanos, long toNanos) {
        long sum = 0;
        try (TradeBatchCursor batches = store.tradeBatches(series, fromNanos, toNanos)) {
            for (int n = batches.next(); n > 0; n = batches.next()) {
                long[] ts = batches.tsNanos();
                long[] recv = batches.recvTsNanos();
                long[] price = batches.priceMantissas();
                byte[] priceScale = batches.priceScales();
                long[] qty = batches.quantityMantissas();
                byte[] qtyScale = batches.quantityScales();
                byte[] side = batches.sides();
                long[] id = batches.tradeIds();
                for (int i = batches.offset(), end = i + n; i < end; i++) {
                    sum += ts[i] + recv[i] + price[i] + priceScale[i] + qty[i] + qtyScale[i] + side[i] + id[i];
                }
            }
        }
        return sum;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }
}
