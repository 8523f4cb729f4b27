package dev.tickvault.simulator;

import dev.tickvault.feed.book.BookSide;
import dev.tickvault.feed.book.OrderBook;
import dev.tickvault.model.Side;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * What one client holds of a book subscribed at a depth: the top {@code depth} levels of each side as last sent. After
 * the true book changes, {@link #update} gives the level changes that bring the client to the new top {@code depth}
 * (a level that left the view is sent with quantity zero, one that entered or changed with its quantity), as a
 * venue that keeps a client's book at its subscribed depth does. Not thread-safe (the simulator's loop).
 */
final class BookView {

    /** A level as spelt on the wire. */
    record Entry(Side side, String price, String quantity) {}

    private final int depth;
    private final List<Entry> bids = new ArrayList<>();
    private final List<Entry> asks = new ArrayList<>();

    BookView(int depth) {
        this.depth = depth;
    }

    int depth() {
        return depth;
    }

    /** Resets the view to the top of {@code book} and returns it (bids best first, then asks best first). */
    List<Entry> snapshot(OrderBook book) {
        fill(book.bids(), Side.BUY, bids);
        fill(book.asks(), Side.SELL, asks);
        List<Entry> all = new ArrayList<>(bids);
        all.addAll(asks);
        return all;
    }

    /** The changes from the view to the top of {@code book} now; the view then holds the new top. */
    List<Entry> update(OrderBook book) {
        List<Entry> changes = new ArrayList<>();
        diff(bids, book.bids(), Side.BUY, changes);
        diff(asks, book.asks(), Side.SELL, changes);
        return changes;
    }

    private void diff(List<Entry> view, BookSide side, Side which, List<Entry> changes) {
        Map<String, Entry> before = new HashMap<>();
        for (Entry e : view) {
            before.put(key(e.price()), e);
        }
        fill(side, which, view);
        for (Entry e : view) {
            Entry old = before.remove(key(e.price()));
            if (old == null || !old.quantity().equals(e.quantity())) {
                changes.add(e);
            }
        }
        for (Entry gone : before.values()) {
            changes.add(new Entry(which, gone.price(), "0"));
        }
    }

    private void fill(BookSide side, Side which, List<Entry> into) {
        into.clear();
        int n = Math.min(depth, side.size());
        for (int i = 0; i < n; i++) {
            into.add(new Entry(which, side.priceText(i), side.quantityText(i)));
        }
    }

    /** A price's value independent of its trailing zeros ({@code 1.50} and {@code 1.5} are one level). */
    private static String key(String price) {
        if (price.indexOf('.') < 0) {
            return price;
        }
        int end = price.length();
        while (price.charAt(end - 1) == '0') {
            end--;
        }
        if (price.charAt(end - 1) == '.') {
            end--;
        }
        return price.substring(0, end);
    }

    /**
     * Kraken's book checksum of the view (v1 and v2 alike): CRC32 of the top 10 asks (lowest first) then the top 10
     * bids (highest first), each price then quantity as spelt, {@code '.'} removed and leading zeros stripped. Built
     * from the text, independently of the recorder's implementation.
     */
    long krakenChecksum() {
        StringBuilder text = new StringBuilder(400);
        for (List<Entry> side : List.of(asks, bids)) {
            for (int i = 0; i < Math.min(10, side.size()); i++) {
                text.append(checksumDigits(side.get(i).price()));
                text.append(checksumDigits(side.get(i).quantity()));
            }
        }
        CRC32 crc = new CRC32();
        crc.update(text.toString().getBytes(StandardCharsets.US_ASCII));
        return crc.getValue();
    }

    private static String checksumDigits(String decimal) {
        String digits = decimal.replace(".", "");
        int start = 0;
        while (start < digits.length() && digits.charAt(start) == '0') {
            start++;
        }
        return digits.substring(start);
    }
}
