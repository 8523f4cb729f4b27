package dev.tickvault.bench.peers;

import dev.tickvault.bench.BinanceCaptureBook;
import dev.tickvault.bench.BookBenchmark;
import dev.tickvault.model.BookUpdate;
import dev.tickvault.model.Decimal;
import dev.tickvault.query.BookAtResult;
import dev.tickvault.query.BookLevel;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Ground truth for (d), the book at an instant: an independent replay of one copy of one series' level updates in
 * exchange-time order (stable, so rows of one time keep arrival order), a {@code SNAPSHOT_BEGIN} row clearing the
 * book, a zero quantity deleting the level, through the last row with {@code ts <= T}, skipping the checkpoints
 * (which tickvault starts from, so a wrong checkpoint shows as a wrong answer); levels kept in
 * {@link BigDecimal}-keyed sorted maps, nothing shared with tickvault's book code.
 */
final class BookTruth {

    private BookTruth() {}

    /** The top {@code depth} bids and asks (best first) as "price qty" strings at {@code atNanos}. */
    static List<List<String>> at(BookBenchmark.Merged book, int series, int copy, long atNanos, int depth) {
        BinanceCaptureBook b = book.rows();
        List<Integer> rows = new ArrayList<>();
        for (int i = 0; i < book.size(); i++) {
            if (book.series()[i] == series) {
                rows.add(i);
            }
        }
        rows.sort(Comparator.comparingLong(i -> book.tsNanos(copy, i))); // List.sort is stable
        TreeMap<BigDecimal, String[]> bids = new TreeMap<>(Comparator.reverseOrder());
        TreeMap<BigDecimal, String[]> asks = new TreeMap<>();
        for (int i : rows) {
            if (book.tsNanos(copy, i) > atNanos) {
                break;
            }
            if ((b.flags[i] & BookUpdate.CHECKPOINT) != 0) {
                continue; // a checkpoint restates the book: the replay must reach the same state without it
            }
            if ((b.flags[i] & BookUpdate.SNAPSHOT_BEGIN) != 0) {
                bids.clear();
                asks.clear();
            }
            TreeMap<BigDecimal, String[]> side = b.side[i] == 1 ? bids : asks;
            BigDecimal price = BigDecimal.valueOf(b.priceMantissa[i], b.priceScale[i]);
            if (b.quantityMantissa[i] == 0) {
                side.remove(price);
            } else {
                side.put(price, new String[] {
                    Decimal.of(b.priceMantissa[i], b.priceScale[i]).toString(),
                    Decimal.of(b.quantityMantissa[i], b.quantityScale[i]).toString()
                });
            }
        }
        return List.of(top(bids, depth), top(asks, depth));
    }

    private static List<String> top(TreeMap<BigDecimal, String[]> side, int depth) {
        List<String> out = new ArrayList<>(depth);
        for (Map.Entry<BigDecimal, String[]> level : side.entrySet()) {
            if (out.size() == depth) {
                break;
            }
            out.add(level.getValue()[0] + " " + level.getValue()[1]);
        }
        return out;
    }

    /** tickvault's answer in the same form. */
    static List<List<String>> of(BookAtResult result) {
        return List.of(levels(result.bids()), levels(result.asks()));
    }

    private static List<String> levels(List<BookLevel> levels) {
        List<String> out = new ArrayList<>(levels.size());
        for (BookLevel level : levels) {
            out.add(level.price() + " " + level.quantity());
        }
        return out;
    }
}
