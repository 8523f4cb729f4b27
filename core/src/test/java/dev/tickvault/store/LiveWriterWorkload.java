package dev.tickvault.store;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Random;

/**
 * The writer process of the read-only tests: commits {@link CrashWorkload}'s deterministic trades (ids from 0) under
 * SYNC_EVERY_COMMIT, in commits of 1 to 1,500 trades, and prints {@code ACK <first id> <last id>} after each commit
 * returns, until it is stopped. Small log segments (64 KiB) and a small memtable (256 KiB), plus an explicit flush
 * every ~30 commits, make it roll the log, flush partition files, checkpoint and delete segments every few commits:
 * the races a reader beside it must survive.
 */
public final class LiveWriterWorkload {

    private LiveWriterWorkload() {}

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        Random random = new Random(Long.parseLong(args[1]));
        PrintStream out = System.out;
        StoreConfig config = StoreConfig.defaults()
                .withDurability(Durability.SYNC_EVERY_COMMIT)
                .withMemtableLimitBytes(1 << 18)
                .withWalSegmentSizeBytes(1 << 16);
        long nextId = 0;
        try (TickStore store = TickStore.open(dir, config);
                StoreWriter writer = store.newWriter()) {
            out.println("OPEN");
            out.flush();
            while (true) {
                int rows = 1 + random.nextInt(random.nextInt(10) == 0 ? 1500 : 50);
                long first = nextId;
                for (int i = 0; i < rows; i++) {
                    long id = nextId++;
                    writer.appendTrade(
                            CrashWorkload.seriesOf(id),
                            CrashWorkload.tsOf(id),
                            CrashWorkload.tsOf(id) + 17,
                            CrashWorkload.priceOf(id),
                            CrashWorkload.priceScaleOf(id),
                            CrashWorkload.qtyOf(id),
                            8,
                            CrashWorkload.sideOf(id),
                            id);
                }
                writer.commit();
                out.println("ACK " + first + " " + (nextId - 1));
                out.flush();
                if (random.nextInt(30) == 0) {
                    store.flush();
                }
            }
        }
    }
}
