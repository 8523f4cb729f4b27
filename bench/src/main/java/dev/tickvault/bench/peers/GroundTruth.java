package dev.tickvault.bench.peers;

import dev.tickvault.sample.SyntheticTradeBatch;
import dev.tickvault.sample.SyntheticTrades;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The answers every system must give, computed from the generated arrays with exact long arithmetic: the one-hour
 * range of the busiest series (row count and a checksum over every column), its 1-minute OHLCV over the day (price
 * and quantity mantissas; the series has one price and one quantity scale), and the row count of every series.
 */
final class GroundTruth {

    static final long NANOS_PER_MINUTE = 60_000_000_000L;

    /** Rows and an order-independent checksum of every column of the one-hour range. */
    record Hour(long rows, long checksum) {}

    /** One minute's bar: open, high, low, close price mantissas and the summed quantity mantissa. */
    record Bar(long open, long high, long low, long close, long volume) {}

    final Hour hour;
    /** Minute of the day → bar, non-empty minutes only. */
    final Map<Integer, Bar> bars;
    /** Rows by instrument index. */
    final long[] counts;

    final int priceScale;
    final int quantityScale;

    GroundTruth(SyntheticTradeBatch trades, int instrumentCount, int busiest, long hourFrom, long hourTo) {
        long[] perInstrument = new long[instrumentCount];
        long hourRows = 0;
        long hourSum = 0;
        int pScale = -1;
        int qScale = -1;
        TreeMap<Integer, long[]> minutes = new TreeMap<>();
        for (int i = 0, n = trades.size(); i < n; i++) {
            int instrument = trades.instrument[i];
            perInstrument[instrument]++;
            if (instrument != busiest) {
                continue;
            }
            long ts = trades.tsNanos[i];
            if (ts >= hourFrom && ts < hourTo) {
                hourRows++;
                hourSum += rowChecksum(
                        ts,
                        trades.recvTsNanos[i],
                        trades.priceMantissa[i],
                        trades.priceScale[i],
                        trades.quantityMantissa[i],
                        trades.quantityScale[i],
                        trades.side[i],
                        trades.tradeId[i]);
            }
            pScale = checkScale(pScale, trades.priceScale[i]);
            qScale = checkScale(qScale, trades.quantityScale[i]);
            int minute = minuteOfDay(ts);
            long price = trades.priceMantissa[i];
            long[] bar = minutes.get(minute);
            if (bar == null) {
                minutes.put(minute, new long[] {price, price, price, price, trades.quantityMantissa[i]});
            } else {
                bar[1] = Math.max(bar[1], price);
                bar[2] = Math.min(bar[2], price);
                bar[3] = price;
                bar[4] = Math.addExact(bar[4], trades.quantityMantissa[i]);
            }
        }
        TreeMap<Integer, Bar> result = new TreeMap<>();
        minutes.forEach((m, b) -> result.put(m, new Bar(b[0], b[1], b[2], b[3], b[4])));
        this.hour = new Hour(hourRows, hourSum);
        this.bars = result;
        this.counts = perInstrument;
        this.priceScale = pScale;
        this.quantityScale = qScale;
    }

    /**
     * Rows per call of {@link #rowsChecksum}. A consumer's checking loop is part of every system's timed first run;
     * its per-row work sits in a method compiled before any timed run ({@link #compileCheckers}), while the loop that
     * calls it (a loop body alone runs in the interpreter for its first ~60,000 iterations) is each system's own and
     * starts cold. Each system's consumer does the same: QuestDB's and DuckDB's call one method per row, tickvault's
     * one per {@value} rows of a batch.
     */
    static final int CHECK_ROWS = 64;

    /** Calls of {@link #rowsChecksum} by {@link #compileCheckers}: far past the JIT's thresholds for its C2 code. */
    static final int WARM_CALLS = 20_000;

    /**
     * Runs the consumers' checking methods, {@link #rowsChecksum} and {@link #rowChecksum}, {@value #WARM_CALLS} times
     * and {@value #CHECK_ROWS} times as often, on arrays of their own, so that the JIT compiles them before any timed
     * run. Every system's child calls it at its start, before anything is timed, and again before the turn of its first
     * (a) ends (the JIT holds back C2 code while its queue is long, as during a first ingest: session 21 saw {@link
     * #rowsChecksum}'s come only in tickvault's first (a)). A first run then times the system and
     * its delivery of the rows to Java, not the JIT of the benchmark's own checking code. Until session 21 the ground
     * truth's loop compiled {@link #rowChecksum} (which QuestDB's and DuckDB's consumers call per row) in passing, while
     * {@link #rowsChecksum} (which tickvault's consumer calls per {@value #CHECK_ROWS} rows) ran interpreted through
     * most of tickvault's first (a). Each system's own loop over its rows stays cold, as a first run's should.
     *
     * @return the sum of every call's result, which the caller keeps so that the calls are not dead code
     */
    static long compileCheckers() {
        int n = 4 * CHECK_ROWS;
        long[] ts = new long[n];
        long[] recv = new long[n];
        long[] price = new long[n];
        byte[] priceScale = new byte[n];
        long[] qty = new long[n];
        byte[] qtyScale = new byte[n];
        byte[] side = new byte[n];
        long[] tradeId = new long[n];
        for (int i = 0; i < n; i++) {
            ts[i] = 1_700_000_000_000_000_000L + 1_000L * i;
            recv[i] = ts[i] + 250_000;
            price[i] = 6_000_000 + (i % 7);
            priceScale[i] = 2;
            qty[i] = 12_345_678L * (i % 5 + 1);
            qtyScale[i] = 8;
            side[i] = (byte) (i & 1);
            tradeId[i] = i;
        }
        long sum = 0;
        for (int call = 0; call < WARM_CALLS; call++) {
            int from = call % 4 * CHECK_ROWS;
            int to = from + CHECK_ROWS - (call % 3); // also shorter tails, as a batch's last call has
            sum += rowsChecksum(ts, recv, price, priceScale, qty, qtyScale, side, tradeId, from, to);
            for (int i = from; i < to; i++) {
                sum += rowChecksum(ts[i], recv[i], price[i], priceScale[i], qty[i], qtyScale[i], side[i], tradeId[i]);
            }
        }
        return sum;
    }

    /** The sum of {@link #rowChecksum} over rows {@code [from, to)} of column arrays. */
    static long rowsChecksum(
            long[] ts,
            long[] recv,
            long[] price,
            byte[] priceScale,
            long[] qty,
            byte[] qtyScale,
            byte[] side,
            long[] tradeId,
            int from,
            int to) {
        long sum = 0;
        for (int i = from; i < to; i++) {
            sum += rowChecksum(ts[i], recv[i], price[i], priceScale[i], qty[i], qtyScale[i], side[i], tradeId[i]);
        }
        return sum;
    }

    static long rowChecksum(
            long ts, long recv, long price, int priceScale, long qty, int qtyScale, int side, long tradeId) {
        long h = ts * 31 + recv;
        h = h * 31 + price;
        h = h * 31 + priceScale;
        h = h * 31 + qty;
        h = h * 31 + qtyScale;
        h = h * 31 + side;
        h = h * 31 + tradeId;
        return h;
    }

    static int minuteOfDay(long tsNanos) {
        return Math.toIntExact((tsNanos - SyntheticTrades.DAY_START_NANOS) / NANOS_PER_MINUTE);
    }

    private static int checkScale(int seen, int scale) {
        if (seen >= 0 && seen != scale) {
            throw new IllegalStateException("the busiest series mixes scales " + seen + " and " + scale);
        }
        return scale;
    }

    void checkHour(String system, Hour answer) {
        if (!hour.equals(answer)) {
            throw new WrongAnswer(system + ": one-hour range gave " + answer + ", expected " + hour);
        }
    }

    void checkBars(String system, Map<Integer, Bar> answer) {
        if (!bars.equals(answer)) {
            String detail = "";
            for (Map.Entry<Integer, Bar> e : bars.entrySet()) {
                Bar got = answer.get(e.getKey());
                if (!Objects.equals(got, e.getValue())) {
                    detail = " (first difference at minute " + e.getKey() + ": " + got + " vs " + e.getValue() + ")";
                    break;
                }
            }
            throw new WrongAnswer(
                    system + ": 1-minute OHLCV gave " + answer.size() + " bars, expected " + bars.size() + detail);
        }
    }

    void checkCounts(String system, long[] answer) {
        if (!Arrays.equals(counts, answer)) {
            throw new WrongAnswer(
                    system + ": rows per symbol " + Arrays.toString(answer) + ", expected " + Arrays.toString(counts));
        }
    }

    static final class WrongAnswer extends RuntimeException {
        private static final long serialVersionUID = 1L;

        WrongAnswer(String message) {
            super(message);
        }
    }

    /** Each symbol's position in {@code symbols}, for mapping a peer's per-symbol answer back to the ground truth. */
    static java.util.Map<String, Integer> indexBySymbol(String[] symbols) {
        java.util.Map<String, Integer> index = new java.util.HashMap<>();
        for (int i = 0; i < symbols.length; i++) {
            index.put(symbols[i], i);
        }
        return index;
    }
}
