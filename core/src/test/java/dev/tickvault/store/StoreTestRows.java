package dev.tickvault.store;

import dev.tickvault.model.Trade;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Test helpers: reading a store back and the order a store must return rows in. */
final class StoreTestRows {

    private StoreTestRows() {}

    static List<Trade> readAll(TickStore store, dev.tickvault.model.SeriesKey series) {
        return read(store, series, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    static List<Trade> read(TickStore store, dev.tickvault.model.SeriesKey series, long from, long to) {
        List<Trade> out = new ArrayList<>();
        try (TradeCursor cursor = store.trades(series, from, to)) {
            while (cursor.next()) {
                out.add(cursor.toTrade());
            }
        }
        return out;
    }

    /** Reads through {@link TickStore#tradeBatches}, converting each batch row to a trade. */
    static List<Trade> readBatches(TickStore store, dev.tickvault.model.SeriesKey series, long from, long to) {
        List<Trade> out = new ArrayList<>();
        try (TradeBatchCursor batches = store.tradeBatches(series, from, to)) {
            for (int n = batches.next(); n > 0; n = batches.next()) {
                for (int i = batches.offset(); i < batches.offset() + n; i++) {
                    out.add(trade(batches, series, i));
                }
            }
        }
        return out;
    }

    /** Row {@code i} of the current batch as a trade. */
    private static Trade trade(TradeBatchCursor batches, dev.tickvault.model.SeriesKey series, int i) {
        return new Trade(
                series,
                batches.tsNanos()[i],
                batches.recvTsNanos()[i],
                dev.tickvault.model.Decimal.of(batches.priceMantissas()[i], batches.priceScales()[i]),
                dev.tickvault.model.Decimal.of(batches.quantityMantissas()[i], batches.quantityScales()[i]),
                dev.tickvault.model.Side.ofCode(batches.sides()[i]),
                batches.tradeIds()[i],
                batches.tradeIdText(i));
    }

    /**
     * As {@link #readBatches}, with a whole second read of the same range opened, read and closed after each batch
     * of the first (so block buffers handed on by a closed cursor can't be ones the open cursor still reads); returns
     * the first read's rows and checks that every second read returned {@code expectedSecond}.
     */
    static List<Trade> readBatchesInterleaved(
            TickStore store, dev.tickvault.model.SeriesKey series, long from, long to, List<Trade> expectedSecond) {
        List<Trade> out = new ArrayList<>();
        try (TradeBatchCursor batches = store.tradeBatches(series, from, to)) {
            for (int n = batches.next(); n > 0; n = batches.next()) {
                List<Trade> second = readBatches(store, series, from, to);
                if (!second.equals(expectedSecond)) {
                    throw new AssertionError("second read differs: " + second.size() + " rows");
                }
                for (int i = batches.offset(); i < batches.offset() + n; i++) {
                    out.add(trade(batches, series, i));
                }
            }
        }
        return out;
    }

    /** Expected order: by exchange time; equal times keep the order they were committed in (stable sort). */
    static List<Trade> inStoreOrder(List<Trade> committed) {
        List<Trade> sorted = new ArrayList<>(committed);
        sorted.sort(Comparator.comparingLong(Trade::tsNanos));
        return sorted;
    }
}
