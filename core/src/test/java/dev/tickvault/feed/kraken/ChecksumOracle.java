package dev.tickvault.feed.kraken;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32;

/**
 * A test oracle written straight from Kraken's "Book checksum" guide, sharing no code with the handler: levels kept
 * as the received strings in sorted maps keyed by BigDecimal, truncated to the depth, and the checksum string built
 * with String operations.
 */
final class ChecksumOracle {

    private final int depth;
    final TreeMap<BigDecimal, String[]> asks = new TreeMap<>();
    final TreeMap<BigDecimal, String[]> bids = new TreeMap<>(Comparator.reverseOrder());

    ChecksumOracle(int depth) {
        this.depth = depth;
    }

    void ask(String price, String qty) {
        set(asks, price, qty);
    }

    void bid(String price, String qty) {
        set(bids, price, qty);
    }

    private void set(TreeMap<BigDecimal, String[]> side, String price, String qty) {
        BigDecimal p = new BigDecimal(price);
        if (new BigDecimal(qty).signum() == 0) {
            side.remove(p);
        } else {
            side.put(p, new String[] {price, qty});
        }
    }

    void truncate() {
        while (asks.size() > depth) {
            asks.pollLastEntry();
        }
        while (bids.size() > depth) {
            bids.pollLastEntry();
        }
    }

    long checksum() {
        StringBuilder sb = new StringBuilder();
        append(sb, asks);
        append(sb, bids);
        CRC32 crc = new CRC32();
        crc.update(sb.toString().getBytes(StandardCharsets.US_ASCII));
        return crc.getValue();
    }

    String checksumText() {
        StringBuilder sb = new StringBuilder();
        append(sb, asks);
        append(sb, bids);
        return sb.toString();
    }

    private static void append(StringBuilder sb, TreeMap<BigDecimal, String[]> side) {
        Iterator<Map.Entry<BigDecimal, String[]>> it = side.entrySet().iterator();
        for (int i = 0; i < 10 && it.hasNext(); i++) {
            String[] level = it.next().getValue();
            sb.append(strip(level[0])).append(strip(level[1]));
        }
    }

    private static String strip(String text) {
        return text.replace(".", "").replaceFirst("^0+", "");
    }
}
