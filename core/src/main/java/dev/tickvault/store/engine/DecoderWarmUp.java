package dev.tickvault.store.engine;

import dev.tickvault.store.Table;
import dev.tickvault.store.TradeBatchCursor;
import dev.tickvault.store.io.LazyLog;
import dev.tickvault.store.partition.ChunkFile;
import java.lang.management.ManagementFactory;

/**
 * Reads a store's own trades once in the background when it is opened, so that the JIT has compiled the read path
 * (chunk block decoders, the merging cursor, the batch cursor) before the first query arrives — the way a server's
 * first request, or a library user's first query some time after open, finds it warm. Without it the first query
 * after opening a store (in a JVM that has not read one yet) ran its decode loops in the interpreter and through
 * C1: 68-77 ms for the one-hour {@code binance:BTCUSDT} range of the benchmarks against 2-3 ms warm.
 *
 * <p>What it does: on one daemon thread, reads the busiest trades series' oldest chunk file through a {@link
 * TradeBatchCursor}, as a query would, until about {@value #ROWS} rows were decoded (at most {@value #PASSES}
 * passes over that file), once per open: 0.3-1 s of wall time on the 2-core test machine. It never delays the open
 * (the thread is started at its end) and holds no lock a query takes. It stops early when the store is closed. Any
 * failure is logged at DEBUG and ignored: queries report real problems themselves.
 *
 * <p><b>Off by default; {@code -Dtickvault.decoderWarmUp=true} turns it on</b>, and {@code tickvault serve} and {@code
 * demo} do: it pays when the first query comes a while after open (a server's first request: 20-27 ms of thread CPU
 * for the one-hour range 1-3 s after open against 83-106 ms without), but a query started right after open runs beside
 * it on a 2-core machine and is slower (StoreBenchmark, first one-hour run right after reopen: 133-165 ms with it,
 * 104-107 ms without, load ~1.5), so an embedded user who queries at once, and the one-shot CLI commands, are better
 * off without it.
 */
final class DecoderWarmUp {

    private static final LazyLog LOG = LazyLog.of(DecoderWarmUp.class);
    static final int ROWS = 400_000;
    static final int PASSES = 16;

    private DecoderWarmUp() {}

    static void startInBackground(StoreEngine engine) {
        if (!Boolean.parseBoolean(System.getProperty("tickvault.decoderWarmUp", "false"))) {
            return;
        }
        SeriesSlot busiest = null;
        ChunkFile oldest = null;
        for (SeriesSlot slot : engine.slots()) {
            ChunkFile[] chunks = slot.state().chunks();
            if (slot.key().table() != Table.TRADES
                    || chunks.length == 0
                    || !slot.corruptFiles().isEmpty()) {
                continue;
            }
            if (oldest == null || chunks[0].rowCount() > oldest.rowCount()) {
                busiest = slot;
                oldest = chunks[0];
            }
        }
        if (busiest == null) {
            return;
        }
        SeriesSlot slot = busiest;
        ChunkFile chunk = oldest;
        Thread.ofPlatform().daemon().name("tickvault-decoder-warm-up").start(() -> run(engine, slot, chunk));
    }

    private static void run(StoreEngine engine, SeriesSlot slot, ChunkFile chunk) {
        long startNanos = System.nanoTime();
        long startCpuNanos = LOG.get().isDebugEnabled() ? threadCpuNanos() : 0;
        long rows = 0;
        long sum = 0;
        try {
            for (int pass = 0; pass < PASSES && rows < ROWS && !engine.isClosed(); pass++) {
                try (TradeBatchCursor batches =
                        StoreTradeBatchCursor.open(engine, slot.key().series(), chunk.minTs(), chunk.maxTs() + 1)) {
                    for (int n = batches.next(); n > 0 && rows < ROWS && !engine.isClosed(); n = batches.next()) {
                        sum += sumOfColumns(batches, n);
                        rows += n;
                    }
                }
            }
            if (LOG.get().isDebugEnabled()) {
                LOG.get()
                        .debug(
                                "decoders warmed up on {} rows of {} in {} ms, {} ms of CPU (checksum {})",
                                rows,
                                slot.key().series(),
                                (System.nanoTime() - startNanos) / 1_000_000,
                                (threadCpuNanos() - startCpuNanos) / 1_000_000,
                                sum);
            }
        } catch (RuntimeException e) { // closed meanwhile, or a file problem a query will report
            LOG.get().debug("decoder warm-up stopped: {}", e.toString());
        }
    }

    private static long threadCpuNanos() {
        return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }

    /** Reads every column of the batch, as a query handing rows to Java does. */
    private static long sumOfColumns(TradeBatchCursor batches, int n) {
        long[] ts = batches.tsNanos();
        long[] recv = batches.recvTsNanos();
        long[] price = batches.priceMantissas();
        byte[] priceScale = batches.priceScales();
        long[] qty = batches.quantityMantissas();
        byte[] qtyScale = batches.quantityScales();
        byte[] side = batches.sides();
        long[] id = batches.tradeIds();
        long sum = 0;
        for (int i = batches.offset(), end = i + n; i < end; i++) {
            sum += ts[i] + recv[i] + price[i] + priceScale[i] + qty[i] + qtyScale[i] + side[i] + id[i];
        }
        return sum;
    }
}
