package dev.tickvault.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickvault.model.SeriesKey;
import java.io.ByteArrayInputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The readers' hot loops allocate nothing per row: reading 200,000 rows may allocate only the fixed buffers. (Counts
 * bytes allocated by this thread, which does not depend on timing.)
 */
class ReaderAllocationTest {

    private static final int ROWS = 200_000;
    /** Buffers of one reader plus slack; a row-allocating reader needs well over 10 MB for 200,000 rows. */
    private static final long FIXED_BUDGET_BYTES = 1 << 20;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private static long rowsRead;

    @Test
    void csvReaderAllocatesNothingPerRow() {
        StringBuilder csv = new StringBuilder(CsvTradeReader.HEADER).append('\n');
        for (int i = 0; i < ROWS; i++) {
            csv.append("binance,BTCUSDT,2024-08-08T23:54:13.")
                    .append(100_000_000 + i)
                    .append("Z,,61837.63000000,0.00162000,")
                    .append(i % 2 == 0 ? "buy" : "sell")
                    .append(',')
                    .append(3_733_012_211L + i)
                    .append('\n');
        }
        byte[] bytes = csv.toString().getBytes(StandardCharsets.US_ASCII);
        assertAllocationFree(in -> new CsvTradeReader(in, "a.csv"), bytes);
    }

    @Test
    void binanceReaderAllocatesNothingPerRow() {
        StringBuilder csv = new StringBuilder();
        for (int i = 0; i < ROWS; i++) {
            csv.append(3_733_012_211L + i)
                    .append(",61837.63000000,0.00162000,100.17696060,")
                    .append(1_723_161_253_123_000L + i)
                    .append(i % 2 == 0 ? ",True,True\n" : ",False,True\n");
        }
        byte[] bytes = csv.toString().getBytes(StandardCharsets.US_ASCII);
        SeriesKey series = SeriesKey.of("binance", "BTCUSDT");
        assertAllocationFree(in -> new BinanceTradeDumpReader(in, series, "b.csv"), bytes);
    }

    private static void assertAllocationFree(Function<ByteArrayInputStream, TradeReader> open, byte[] bytes) {
        readAll(open, bytes); // warm up
        long before = THREADS.getCurrentThreadAllocatedBytes();
        long rows = readAll(open, bytes);
        long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
        assertThat(rows).isEqualTo(ROWS);
        assertThat(allocated).as("bytes allocated reading %d rows", ROWS).isLessThan(FIXED_BUDGET_BYTES);
    }

    private static long readAll(Function<ByteArrayInputStream, TradeReader> open, byte[] bytes) {
        rowsRead = 0;
        MalformedLines malformed = new MalformedLines("x", true);
        try (TradeReader reader = open.apply(new ByteArrayInputStream(bytes))) {
            reader.readAll(row -> rowsRead += row.priceScale() > 0 ? 1 : 0, malformed);
        }
        return rowsRead;
    }
}
