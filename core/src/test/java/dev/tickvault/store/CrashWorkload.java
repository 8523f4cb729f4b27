package dev.tickvault.store;

import dev.tickvault.model.SeriesKey;
import dev.tickvault.model.Side;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Random;

/**
 * The child process of {@link CrashRecoveryTest}: appends deterministic trades under SYNC_EVERY_COMMIT and prints
 * {@code ACK <first id> <last id>} after each commit returns, until it is killed. With a fourth argument {@code async}
 * it commits with {@link StoreWriter#commitAsync()}, appending the next batch while one is in flight, and acknowledges
 * a batch only once its ticket has completed.
 *
 * <p>Trade {@code id}'s every field is a function of {@code id} ({@link #priceOf}, ...), so the test can tell a real
 * row from garbage.
 */
public final class CrashWorkload {

    static final long T0 = 1_723_161_253_000_000_000L;
    static final SeriesKey[] SERIES = {SeriesKey.of("binance", "BTCUSDT"), SeriesKey.of("kraken", "XBT/USD")};

    private CrashWorkload() {}

    static SeriesKey seriesOf(long id) {
        return SERIES[(int) (id % SERIES.length)];
    }

    static long tsOf(long id) {
        // Some rows go back in time so out-of-order rows are crash-tested too.
        return T0 + (id % 10 == 7 ? id * 1_000_000L - 3_600_000_000_000L : id * 1_000_000L);
    }

    static long priceOf(long id) {
        return 6_000_000 + (id * 7919) % 100_000;
    }

    static int priceScaleOf(long id) {
        return (int) (id % 3) * 2;
    }

    static long qtyOf(long id) {
        return (id * 104_729) % 1_000_000_000L;
    }

    static Side sideOf(long id) {
        return Side.values()[(int) (id % 3)];
    }

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        long nextId = Long.parseLong(args[1]);
        Random random = new Random(Long.parseLong(args[2]));
        boolean async = args.length > 3 && args[3].equals("async");
        PrintStream out = System.out;
        StoreConfig config = StoreConfig.defaults()
                .withDurability(Durability.SYNC_EVERY_COMMIT)
                .withMemtableLimitBytes(1 << 18)
                .withWalSegmentSizeBytes(1 << 17);
        TickStore store = TickStore.open(dir, config);
        out.println("OPEN");
        out.flush();
        try (StoreWriter writer = store.newWriter()) {
            CommitTicket inFlight = null;
            long inFlightFirst = 0;
            long inFlightLast = 0;
            while (true) {
                int rows = 1 + random.nextInt(random.nextInt(10) == 0 ? 5000 : 50);
                long first = nextId;
                for (int i = 0; i < rows; i++) {
                    long id = nextId++;
                    writer.appendTrade(
                            seriesOf(id),
                            tsOf(id),
                            tsOf(id) + 17,
                            priceOf(id),
                            priceScaleOf(id),
                            qtyOf(id),
                            8,
                            sideOf(id),
                            id);
                }
                if (async) {
                    CommitTicket ticket = writer.commitAsync(); // waits for the one in flight first
                    if (inFlight != null) {
                        inFlight.await(); // already complete: throws if it failed
                        out.println("ACK " + inFlightFirst + " " + inFlightLast);
                        out.flush();
                    }
                    inFlight = ticket;
                    inFlightFirst = first;
                    inFlightLast = nextId - 1;
                    if (ticket.isDone()) {
                        ticket.await();
                        out.println("ACK " + first + " " + (nextId - 1));
                        out.flush();
                        inFlight = null;
                    }
                } else {
                    writer.commit();
                    out.println("ACK " + first + " " + (nextId - 1));
                    out.flush();
                }
                if (random.nextInt(50) == 0) {
                    store.flush();
                }
            }
        }
    }
}
