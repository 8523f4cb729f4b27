package dev.tickvault.simulator;

import dev.tickvault.feed.book.OrderBook;
import dev.tickvault.model.Side;
import java.util.Arrays;

/** The level changes of one depth diff, in exact decimals. Not thread-safe. */
final class LevelChanges {

    private Side[] sides = new Side[8];
    private long[] priceMantissa = new long[8];
    private int[] priceScale = new int[8];
    private long[] quantityMantissa = new long[8];
    private int[] quantityScale = new int[8];
    private int size;

    void add(Side side, long pMantissa, int pScale, long qMantissa, int qScale) {
        if (size == sides.length) {
            int n = size * 2;
            sides = Arrays.copyOf(sides, n);
            priceMantissa = Arrays.copyOf(priceMantissa, n);
            priceScale = Arrays.copyOf(priceScale, n);
            quantityMantissa = Arrays.copyOf(quantityMantissa, n);
            quantityScale = Arrays.copyOf(quantityScale, n);
        }
        sides[size] = side;
        priceMantissa[size] = pMantissa;
        priceScale[size] = pScale;
        quantityMantissa[size] = qMantissa;
        quantityScale[size] = qScale;
        size++;
    }

    int size() {
        return size;
    }

    void clear() {
        size = 0;
    }

    void applyTo(OrderBook book) {
        for (int i = 0; i < size; i++) {
            book.set(sides[i], priceMantissa[i], priceScale[i], quantityMantissa[i], quantityScale[i]);
        }
    }

    /** Appends {@code "b":[[p,q],…],"a":[[p,q],…]} in insertion order per side. */
    void appendJson(StringBuilder out) {
        for (int pass = 0; pass < 2; pass++) {
            Side side = pass == 0 ? Side.BUY : Side.SELL;
            out.append(pass == 0 ? "\"b\":[" : ",\"a\":[");
            boolean first = true;
            for (int i = 0; i < size; i++) {
                if (sides[i] != side) {
                    continue;
                }
                if (!first) {
                    out.append(',');
                }
                first = false;
                out.append("[\"");
                dev.tickvault.model.DecimalFormat.append(out, priceMantissa[i], priceScale[i]);
                out.append("\",\"");
                dev.tickvault.model.DecimalFormat.append(out, quantityMantissa[i], quantityScale[i]);
                out.append("\"]");
            }
            out.append(']');
        }
    }
}
