package dev.tickvault.feed.binance;

import dev.tickvault.feed.FeedSink;
import dev.tickvault.feed.book.OrderBook;
import dev.tickvault.model.BookUpdate;
import dev.tickvault.model.DecimalFormat;
import dev.tickvault.model.GapMarker;
import dev.tickvault.model.SeriesKey;
import dev.tickvault.model.Side;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A sink that keeps every row as text (for exact comparisons between runs) and rebuilds each series' book from the
 * rows alone (snapshots clear it), recording the top of book after every diff event by its last update id.
 */
final class RecordingSink implements FeedSink {

    record TradeRow(
            SeriesKey series, long tsNanos, long recvTsNanos, String price, String quantity, Side side, long id) {}

    final List<TradeRow> trades = new ArrayList<>();
    final List<String> rows = new ArrayList<>();
    final List<GapMarker> gaps = new ArrayList<>();
    final Map<SeriesKey, OrderBook> books = new HashMap<>();
    /** Per series: last update id of a diff event → "bidPrice bidQty askPrice askQty" after it. */
    final Map<SeriesKey, Map<Long, String>> topAfterEvent = new HashMap<>();

    /** Per series: the last update id of the last diff event written. */
    final Map<SeriesKey, Long> lastEventUpdateId = new HashMap<>();

    int snapshots;
    int checkpoints;
    int bookLevels;

    @Override
    public void trade(
            SeriesKey series,
            long tsNanos,
            long recvTsNanos,
            long priceMantissa,
            int priceScale,
            long quantityMantissa,
            int quantityScale,
            Side side,
            long tradeId,
            String textTradeId) {
        TradeRow row = new TradeRow(
                series,
                tsNanos,
                recvTsNanos,
                DecimalFormat.toString(priceMantissa, priceScale),
                DecimalFormat.toString(quantityMantissa, quantityScale),
                side,
                tradeId);
        trades.add(row);
        rows.add(row.toString());
    }

    @Override
    public void bookLevel(
            SeriesKey series,
            long tsNanos,
            long recvTsNanos,
            Side side,
            long priceMantissa,
            int priceScale,
            long quantityMantissa,
            int quantityScale,
            long firstUpdateId,
            long lastUpdateId,
            int flags) {
        bookLevels++;
        rows.add("book " + series + " " + tsNanos + " " + recvTsNanos + " " + side + " "
                + DecimalFormat.toString(priceMantissa, priceScale) + " "
                + DecimalFormat.toString(quantityMantissa, quantityScale) + " " + firstUpdateId + " " + lastUpdateId
                + " " + flags);
        OrderBook book = books.computeIfAbsent(series, s -> new OrderBook(s, 100_000));
        if ((flags & BookUpdate.SNAPSHOT_BEGIN) != 0) {
            book.clear();
            if ((flags & BookUpdate.CHECKPOINT) != 0) {
                checkpoints++;
            } else {
                snapshots++;
            }
        }
        book.set(side, priceMantissa, priceScale, quantityMantissa, quantityScale);
        boolean snapshot = (flags & (BookUpdate.SNAPSHOT_BEGIN | BookUpdate.SNAPSHOT_END)) != 0
                || (flags & BookUpdate.CHECKPOINT) != 0;
        if ((flags & BookUpdate.EVENT_END) != 0 && !snapshot) {
            topAfterEvent.computeIfAbsent(series, s -> new HashMap<>()).put(lastUpdateId, top(book));
            lastEventUpdateId.put(series, lastUpdateId);
        }
    }

    static String top(OrderBook book) {
        if (book.bids().size() == 0 || book.asks().size() == 0) {
            return "empty";
        }
        return book.bids().priceText(0) + " " + book.bids().quantityText(0) + " "
                + book.asks().priceText(0) + " " + book.asks().quantityText(0);
    }

    /** The rebuilt book of {@code series} now, as Binance's REST API would return it. */
    String snapshotBodyOf(SeriesKey series) {
        return snapshotBody(books.get(series), lastEventUpdateId.get(series));
    }

    /** The book as Binance's REST API would return it. */
    static String snapshotBody(OrderBook book, long lastUpdateId) {
        StringBuilder sb =
                new StringBuilder("{\"lastUpdateId\":").append(lastUpdateId).append(",\"bids\":[");
        for (int i = 0; i < book.bids().size(); i++) {
            sb.append(i > 0 ? "," : "")
                    .append("[\"")
                    .append(book.bids().priceText(i))
                    .append("\",\"")
                    .append(book.bids().quantityText(i))
                    .append("\"]");
        }
        sb.append("],\"asks\":[");
        for (int i = 0; i < book.asks().size(); i++) {
            sb.append(i > 0 ? "," : "")
                    .append("[\"")
                    .append(book.asks().priceText(i))
                    .append("\",\"")
                    .append(book.asks().quantityText(i))
                    .append("\"]");
        }
        return sb.append("]}").toString();
    }

    @Override
    public void gap(GapMarker gap) {
        gaps.add(gap);
        rows.add(gap.toString());
    }

    List<String> rowsNotOf(SeriesKey series) {
        String marker = " " + series + " ";
        List<String> out = new ArrayList<>();
        for (String row : rows) {
            if (!row.contains(marker) && !row.contains("series=" + series + ",")) {
                out.add(row);
            }
        }
        return out;
    }
}
