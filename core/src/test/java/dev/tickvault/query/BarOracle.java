package dev.tickvault.query;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * An independent bar computation in BigDecimal over trades given as text, for test oracles: group by {@code
 * floorDiv(ts, interval)}, then sums and the VWAP rule of {@link Bar}, all printed as plain strings.
 */
final class BarOracle {

    record OracleTrade(long tsNanos, String price, String quantity, int side) {}

    /** Every field of a bar as printed by {@code tickvault bars} (CSV order, without ts). */
    record OracleBar(
            long startNanos,
            String open,
            String high,
            String low,
            String close,
            String volume,
            String buyVolume,
            String sellVolume,
            String vwap,
            long count) {}

    private BarOracle() {}

    /** Bars of {@code trades} (time-ordered) within {@code [from, to)}, non-empty ones only. */
    static List<OracleBar> bars(List<OracleTrade> trades, long intervalNanos, long from, long to) {
        List<OracleBar> bars = new ArrayList<>();
        List<OracleTrade> group = new ArrayList<>();
        long groupStart = 0;
        for (OracleTrade t : trades) {
            if (t.tsNanos() < from || t.tsNanos() >= to) {
                continue;
            }
            long start = Math.floorDiv(t.tsNanos(), intervalNanos) * intervalNanos;
            if (!group.isEmpty() && start != groupStart) {
                bars.add(bar(groupStart, group));
                group.clear();
            }
            groupStart = start;
            group.add(t);
        }
        if (!group.isEmpty()) {
            bars.add(bar(groupStart, group));
        }
        return bars;
    }

    static OracleBar bar(long start, List<OracleTrade> group) {
        BigDecimal high = null;
        String highText = null;
        BigDecimal low = null;
        String lowText = null;
        BigDecimal volume = BigDecimal.ZERO;
        BigDecimal buy = BigDecimal.ZERO;
        BigDecimal sell = BigDecimal.ZERO;
        BigDecimal notional = BigDecimal.ZERO;
        int priceScale = 0;
        for (OracleTrade t : group) {
            BigDecimal p = new BigDecimal(t.price());
            BigDecimal q = new BigDecimal(t.quantity());
            if (high == null || p.compareTo(high) > 0) {
                high = p;
                highText = t.price();
            }
            if (low == null || p.compareTo(low) < 0) {
                low = p;
                lowText = t.price();
            }
            volume = volume.add(q);
            if (t.side() == 1) {
                buy = buy.add(q);
            } else if (t.side() == 2) {
                sell = sell.add(q);
            }
            notional = notional.add(p.multiply(q));
            priceScale = Math.max(priceScale, p.scale());
        }
        String vwap = "";
        if (volume.signum() != 0) {
            BigDecimal v = notional.divide(volume, new MathContext(20, RoundingMode.HALF_EVEN));
            if (v.scale() > priceScale) {
                BigDecimal stripped = v.stripTrailingZeros();
                v = stripped.scale() < priceScale ? v.setScale(priceScale) : stripped;
            }
            vwap = v.toPlainString();
            // and it is within half a unit of the 20th significant digit of the exact quotient
            BigDecimal precise = notional.divide(volume, new MathContext(60));
            BigDecimal halfUlp = BigDecimal.ONE
                    .scaleByPowerOfTen(precise.precision() - precise.scale() - 20 - 1)
                    .multiply(BigDecimal.valueOf(5));
            if (precise.subtract(v).abs().compareTo(halfUlp) > 0) {
                throw new AssertionError("oracle vwap rounding: " + v + " vs " + precise);
            }
        }
        int volumeScale = volume.scale();
        return new OracleBar(
                start,
                group.getFirst().price(),
                highText,
                lowText,
                group.getLast().price(),
                volume.toPlainString(),
                buy.setScale(Math.max(buy.scale(), volumeScale)).toPlainString(),
                sell.setScale(Math.max(sell.scale(), volumeScale)).toPlainString(),
                vwap,
                group.size());
    }

    /** The same fields from a computed bar. */
    static OracleBar of(Bar bar) {
        return new OracleBar(
                bar.startNanos(),
                bar.open().toString(),
                bar.high().toString(),
                bar.low().toString(),
                bar.close().toString(),
                bar.volume().toPlainString(),
                bar.buyVolume().toPlainString(),
                bar.sellVolume().toPlainString(),
                bar.vwap() == null ? "" : bar.vwap().toPlainString(),
                bar.tradeCount());
    }
}
