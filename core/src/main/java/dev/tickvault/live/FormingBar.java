package dev.tickvault.live;

import dev.tickvault.model.DecimalFormat;
import dev.tickvault.model.DecimalMath;
import dev.tickvault.query.BarInterval;
import dev.tickvault.query.ExactSum;

/**
 * The bar being formed by live trades at one interval (UTC-aligned, like {@link dev.tickvault.query.BarCursor}'s):
 * open/high/low/close exactly as traded, volumes as exact sums. Not thread-safe: one per live subscriber.
 */
public final class FormingBar {

    private final BarInterval interval;
    private long startNanos = Long.MIN_VALUE;
    private long openMantissa;
    private int openScale;
    private long highMantissa;
    private int highScale;
    private long lowMantissa;
    private int lowScale;
    private long closeMantissa;
    private int closeScale;
    private final ExactSum volume = new ExactSum();
    private final ExactSum buyVolume = new ExactSum();
    private final ExactSum sellVolume = new ExactSum();
    private long count;

    public FormingBar(BarInterval interval) {
        this.interval = interval;
    }

    public BarInterval interval() {
        return interval;
    }

    /**
     * Adds a trade; a trade of a later interval starts a new bar, one of an earlier interval (late data) is ignored.
     *
     * @return false if the trade was older than the bar being formed
     */
    public boolean add(LiveTrade trade) {
        long start = interval.startOf(trade.tsNanos());
        if (start < startNanos) {
            return false;
        }
        long p = trade.priceMantissa();
        int ps = trade.priceScale();
        if (start > startNanos) {
            startNanos = start;
            openMantissa = highMantissa = lowMantissa = p;
            openScale = highScale = lowScale = ps;
            volume.reset();
            buyVolume.reset();
            sellVolume.reset();
            count = 0;
        }
        if (DecimalMath.compare(p, ps, highMantissa, highScale) > 0) {
            highMantissa = p;
            highScale = ps;
        }
        if (DecimalMath.compare(p, ps, lowMantissa, lowScale) < 0) {
            lowMantissa = p;
            lowScale = ps;
        }
        closeMantissa = p;
        closeScale = ps;
        volume.add(trade.quantityMantissa(), trade.quantityScale());
        switch (trade.side()) {
            case BUY -> buyVolume.add(trade.quantityMantissa(), trade.quantityScale());
            case SELL -> sellVolume.add(trade.quantityMantissa(), trade.quantityScale());
            case UNKNOWN -> {}
        }
        count++;
        return true;
    }

    public boolean isEmpty() {
        return startNanos == Long.MIN_VALUE;
    }

    public long startNanos() {
        return startNanos;
    }

    public String open() {
        return DecimalFormat.toString(openMantissa, openScale);
    }

    public String high() {
        return DecimalFormat.toString(highMantissa, highScale);
    }

    public String low() {
        return DecimalFormat.toString(lowMantissa, lowScale);
    }

    public String close() {
        return DecimalFormat.toString(closeMantissa, closeScale);
    }

    public String volume() {
        return volume.toBigDecimal().toPlainString();
    }

    public String buyVolume() {
        return buyVolume.toBigDecimal().toPlainString();
    }

    public String sellVolume() {
        return sellVolume.toBigDecimal().toPlainString();
    }

    public long count() {
        return count;
    }
}
