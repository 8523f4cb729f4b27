package dev.tickvault.store;

import dev.tickvault.model.SeriesKey;
import dev.tickvault.sample.SyntheticTradeBatch;
import dev.tickvault.sample.SyntheticTrades;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;

/**
 * Child JVM of {@link QuietStoreLoggingTest}: writes trades with asynchronous commits, flushes, closes, waits for the
 * read path's background warm-up that the flush started, reopens and reads them back, as the benchmarks' ingest does;
 * then, with the argument {@code log}, logs one message. Prints {@code DONE <rows>}.
 */
final class QuietStoreWorkload {

    private QuietStoreWorkload() {}

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        SyntheticTrades generator = new SyntheticTrades(120_000, 7);
        SeriesKey[] series = generator.seriesKeys();
        SyntheticTradeBatch trades = generator.all();
        StoreConfig config = StoreConfig.defaults().withDurability(Durability.OS);
        try (TickStore store = TickStore.open(dir, config)) {
            try (StoreWriter writer = store.newWriter()) {
                for (int row = 0; row < trades.size(); row += 30_000) {
                    trades.appendTo(writer, series, row, Math.min(trades.size(), row + 30_000));
                    writer.commitAsync();
                }
                writer.commit();
            }
            store.flush();
        }
        awaitDecoderWarmUp(); // started by the first flush: let it read all its passes, which must log nothing either
        long rows = 0;
        try (TickStore store = TickStore.open(dir, config)) {
            for (SeriesKey key : store.tradeSeries()) {
                rows += store.countTrades(key, Long.MIN_VALUE, Long.MAX_VALUE);
            }
            try (TradeBatchCursor batches = store.tradeBatches(series[0], Long.MIN_VALUE, Long.MAX_VALUE)) {
                while (batches.next() > 0) {
                    // read through every block of the busiest series
                }
            }
        }
        if (args.length > 1 && args[1].equals("log")) {
            LoggerFactory.getLogger(QuietStoreWorkload.class).info("the child logs one message");
        }
        System.out.println("DONE " + rows);
    }

    /** Waits (at most 30 s) for the read path's background warm-up thread to end, if one runs. */
    private static void awaitDecoderWarmUp() {
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().equals("tickvault-decoder-warm-up")) {
                try {
                    thread.join(30_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted waiting for the decoder warm-up", e);
                }
            }
        }
    }
}
