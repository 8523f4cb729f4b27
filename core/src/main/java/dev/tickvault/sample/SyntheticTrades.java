package dev.tickvault.sample;

import dev.tickvault.model.Decimal;
import dev.tickvault.model.SeriesKey;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A deterministic stream of realistic trades of one UTC day (2024-08-08) across ~20 instruments, in exchange-time
 * order, as a feed recorder would append them. The same seed, trade count and instruments always give the same
 * trades. Used by the store benchmarks and, through {@link SyntheticTradesCsv}, by comparisons with other systems.
 *
 * <p>The model, per instrument (each has its own random stream, so instruments do not influence each other):
 *
 * <ul>
 *   <li>volume: the instrument's {@link SyntheticInstrument#share() share} of all trades ({@code binance:BTCUSDT}
 *       holds 16%: ~1.6M of a 10M-trade day, ~66k per hour)
 *   <li>bursts: trades come in bursts (1 + geometric, mean 3, and 2% sweeps of 10-60 trades) at one millisecond, a
 *       trade moving to the next millisecond with probability 1/10; bursts are exponentially spaced
 *   <li>exchange time: millisecond-granular, in nanoseconds; clamped to the last millisecond of the day if the stream
 *       runs over (rare)
 *   <li>receive time: exchange time + the instrument's latency + exponential jitter (mean 300 µs, 1% spikes of up to
 *       5 ms) per burst, + 0-3 µs per trade of a burst; microsecond-granular
 *   <li>price: a random walk of the best bid on the tick grid between bursts (half unchanged, a fifth ±1 tick, the
 *       rest Laplace-distributed so that the daily volatility is ~3%); buyers pay the bid + 1 tick; a burst walks the
 *       book one tick in the taker's direction with probability 1/3 per trade
 *   <li>quantity: log-normal around the instrument's median notional (sigma 1.5), on the lot grid, rounded to 100 or
 *       1000 lots with probabilities 0.35 and 0.1 (people type round numbers); printed at the instrument's scale
 *   <li>taker side: one side per burst, kept with probability 0.6 at the next burst (runs)
 *   <li>trade id: the instrument's first id + 1 per trade
 * </ul>
 *
 * <p>Read it in batches with {@link #next(SyntheticTradeBatch)} (no allocation per trade). Not thread-safe.
 */
public final class SyntheticTrades {

    public static final long DEFAULT_TRADES = 10_000_000;
    public static final long DEFAULT_SEED = 20240808;
    /** 2024-08-08T00:00:00Z in nanoseconds since the epoch. */
    public static final long DAY_START_NANOS = 1_723_075_200_000_000_000L;

    public static final long NANOS_PER_DAY = 86_400_000_000_000L;
    public static final long NANOS_PER_HOUR = 3_600_000_000_000L;
    private static final long MILLIS_PER_DAY = 86_400_000L;
    private static final long DAY_START_MILLIS = DAY_START_NANOS / 1_000_000;

    private static final double BURST_CONTINUE = 2.0 / 3.0;
    private static final double SWEEP_PROBABILITY = 0.02;
    private static final int SWEEP_MIN = 10;
    private static final int SWEEP_MAX = 60;
    private static final double MEAN_BURST =
            1 / (1 - BURST_CONTINUE) + SWEEP_PROBABILITY * (SWEEP_MIN + SWEEP_MAX - 1) / 2.0;
    private static final double DAILY_VOLATILITY = 0.03;
    private static final double QUANTITY_SIGMA = 1.5;

    /**
     * The default instruments, busiest first. Ticks and lots follow the venues' rules of August 2024; Binance spot
     * prints 8 decimals, USD-M futures print at their tick, CME quantities are whole contracts.
     */
    public static final List<SyntheticInstrument> INSTRUMENTS = List.of(
            SyntheticInstrument.of(
                    "binance", "BTCUSDT", "0.01", 8, "0.00001", 8, "61837.63", 0.16, 600, 1500, 3_735_683_259L),
            SyntheticInstrument.of(
                    "binance-futures", "BTCUSDT", "0.1", 2, "0.001", 3, "61800.30", 0.13, 3000, 1200, 5_266_583_935L),
            SyntheticInstrument.of(
                    "binance", "ETHUSDT", "0.01", 8, "0.0001", 8, "2680.45", 0.10, 400, 1500, 1_530_112_804L),
            SyntheticInstrument.of(
                    "binance-futures", "ETHUSDT", "0.01", 2, "0.001", 3, "2679.87", 0.08, 2000, 1200, 4_407_201_337L),
            SyntheticInstrument.of(
                    "binance", "SOLUSDT", "0.01", 8, "0.001", 8, "158.37", 0.07, 300, 1500, 812_334_190L),
            SyntheticInstrument.of(
                    "binance", "DOGEUSDT", "0.00001", 8, "1", 8, "0.10238", 0.06, 150, 1500, 802_100_455L),
            SyntheticInstrument.of(
                    "binance", "PEPEUSDT", "0.00000001", 8, "1", 8, "0.00000823", 0.05, 120, 1500, 180_773_002L),
            SyntheticInstrument.of(
                    "coinbase", "BTC-USD", "0.01", 2, "0.00000001", 8, "61850.12", 0.05, 800, 900, 681_209_117L),
            SyntheticInstrument.of("cme", "ESU4", "0.25", 2, "1", 0, "5320.25", 0.05, 250_000, 400, 91_004_332L),
            SyntheticInstrument.of("binance", "XRPUSDT", "0.0001", 8, "1", 8, "0.5632", 0.04, 200, 1500, 702_882_014L),
            SyntheticInstrument.of(
                    "binance", "BNBUSDT", "0.01", 8, "0.001", 8, "512.30", 0.03, 250, 1500, 799_120_556L),
            SyntheticInstrument.of(
                    "binance-futures", "SOLUSDT", "0.01", 2, "1", 0, "158.41", 0.03, 1500, 1200, 1_520_664_091L),
            SyntheticInstrument.of(
                    "coinbase", "ETH-USD", "0.01", 2, "0.00000001", 8, "2681.02", 0.03, 500, 900, 551_902_377L),
            SyntheticInstrument.of(
                    "kraken", "XBT/USD", "0.1", 1, "0.00000001", 8, "61845.5", 0.02, 700, 2500, 74_551_210L),
            SyntheticInstrument.of("cme", "NQU4", "0.25", 2, "1", 0, "18512.75", 0.02, 350_000, 400, 91_004_119L),
            SyntheticInstrument.of("binance", "AVAXUSDT", "0.01", 8, "0.01", 8, "21.37", 0.02, 150, 1500, 301_227_845L),
            SyntheticInstrument.of(
                    "binance", "LINKUSDT", "0.001", 8, "0.01", 8, "10.123", 0.02, 150, 1500, 580_339_710L),
            SyntheticInstrument.of(
                    "binance", "ADAUSDT", "0.0001", 8, "0.1", 8, "0.3512", 0.02, 120, 1500, 512_903_448L),
            SyntheticInstrument.of("cme", "6EU4", "0.00005", 5, "1", 0, "1.09300", 0.01, 130_000, 400, 91_002_871L),
            SyntheticInstrument.of("cme", "CLU4", "0.01", 2, "1", 0, "75.23", 0.01, 75_000, 400, 91_003_560L));

    private final List<SyntheticInstrument> instruments;
    private final SeriesKey[] series;
    private final InstrumentStream[] streams;
    private final long totalTrades;
    private long produced;

    /** The default instruments, {@code totalTrades} trades. */
    public SyntheticTrades(long totalTrades, long seed) {
        this(totalTrades, seed, INSTRUMENTS);
    }

    /** {@code totalTrades} trades of {@code instruments}, whose shares are normalised to sum to 1. */
    public SyntheticTrades(long totalTrades, long seed, List<SyntheticInstrument> instruments) {
        if (totalTrades < 0) {
            throw new IllegalArgumentException("totalTrades must not be negative: " + totalTrades);
        }
        if (instruments.isEmpty() || instruments.size() > Byte.MAX_VALUE) {
            throw new IllegalArgumentException("1 to 127 instruments: " + instruments.size());
        }
        this.instruments = List.copyOf(instruments);
        this.totalTrades = totalTrades;
        double shareSum =
                instruments.stream().mapToDouble(SyntheticInstrument::share).sum();
        series = new SeriesKey[instruments.size()];
        streams = new InstrumentStream[instruments.size()];
        SplittableRandom seeds = new SplittableRandom(seed);
        for (int i = 0; i < streams.length; i++) {
            SyntheticInstrument instrument = instruments.get(i);
            series[i] = instrument.series();
            double trades = Math.max(1, totalTrades * instrument.share() / shareSum);
            streams[i] = new InstrumentStream(instrument, trades, seeds.split());
        }
    }

    public List<SyntheticInstrument> instruments() {
        return instruments;
    }

    /** Series keys by instrument index (the index {@link SyntheticTradeBatch#instrument(int)} holds). */
    public SeriesKey[] seriesKeys() {
        return series.clone();
    }

    public long totalTrades() {
        return totalTrades;
    }

    /** Trades not yet returned. */
    public long remaining() {
        return totalTrades - produced;
    }

    /** Generates every remaining trade into one batch (for up to {@link Integer#MAX_VALUE} trades). */
    public SyntheticTradeBatch all() {
        SyntheticTradeBatch batch = new SyntheticTradeBatch(Math.toIntExact(remaining()));
        next(batch);
        return batch;
    }

    /**
     * Fills {@code batch} from its start with up to its capacity of the next trades, in exchange-time order (ties by
     * instrument index), and returns how many; 0 when the stream is exhausted.
     */
    public int next(SyntheticTradeBatch batch) {
        int count = (int) Math.min(batch.capacity(), remaining());
        for (int row = 0; row < count; row++) {
            int earliest = 0;
            long earliestMillis = streams[0].nextMillis;
            for (int i = 1; i < streams.length; i++) {
                if (streams[i].nextMillis < earliestMillis) {
                    earliest = i;
                    earliestMillis = streams[i].nextMillis;
                }
            }
            streams[earliest].emit(batch, row, earliest);
        }
        produced += count;
        batch.size(count);
        return count;
    }

    /** The random state of one instrument. */
    private static final class InstrumentStream {

        private final SyntheticInstrument instrument;
        private final SplittableRandom random;
        private final long tickMantissa;
        private final long lotMantissa;
        private final byte priceScale;
        private final byte quantityScale;
        private final double meanBurstGapMillis;
        private final double laplaceScaleTicks;
        private final double logMedianLots;

        /** Exchange time of the next trade (the current burst's, or the next burst's start). */
        long nextMillis;

        private int burstLeft;
        private long bidTicks;
        private boolean buyer;
        private long latencyMicros;
        private long tradeId;

        InstrumentStream(SyntheticInstrument instrument, double tradesPerDay, SplittableRandom random) {
            this.instrument = instrument;
            this.random = random;
            this.tickMantissa = instrument.tickMantissa();
            this.lotMantissa = instrument.lotMantissa();
            this.priceScale = (byte) instrument.priceScale();
            this.quantityScale = (byte) instrument.quantityScale();
            double burstsPerDay = Math.max(1, tradesPerDay / MEAN_BURST);
            // Aim slightly inside the day so the stream rarely needs the end-of-day clamp.
            this.meanBurstGapMillis = MILLIS_PER_DAY * 0.995 / burstsPerDay;
            this.bidTicks = instrument.startTicks();
            double sigmaTicks = bidTicks * DAILY_VOLATILITY / Math.sqrt(burstsPerDay);
            // Three tenths of the moves are Laplace(b), variance 2b^2 each: 0.3 * 2b^2 = sigma^2.
            this.laplaceScaleTicks = sigmaTicks / Math.sqrt(0.6);
            double medianQuantity = instrument.medianNotional() / toDouble(instrument.startPrice());
            this.logMedianLots = Math.log(medianQuantity / toDouble(instrument.lot()));
            this.tradeId = instrument.firstTradeId();
            this.buyer = random.nextBoolean();
            this.nextMillis = DAY_START_MILLIS + exponentialMillis();
        }

        void emit(SyntheticTradeBatch batch, int row, int instrumentIndex) {
            if (burstLeft == 0) {
                startBurst();
            } else {
                if (random.nextInt(3) == 0) {
                    bidTicks = Math.max(1, bidTicks + (buyer ? 1 : -1)); // a burst walks the book
                }
            }
            burstLeft--;
            latencyMicros += random.nextInt(4);
            long tsNanos = nextMillis * 1_000_000L;
            batch.instrument[row] = (byte) instrumentIndex;
            batch.tsNanos[row] = tsNanos;
            batch.recvTsNanos[row] = tsNanos + latencyMicros * 1000L;
            batch.priceMantissa[row] = (bidTicks + (buyer ? 1 : 0)) * tickMantissa;
            batch.priceScale[row] = priceScale;
            batch.quantityMantissa[row] = quantityLots() * lotMantissa;
            batch.quantityScale[row] = quantityScale;
            batch.side[row] = (byte) (buyer ? 1 : 2);
            batch.tradeId[row] = tradeId++;
            // Decide the next trade's time now: the merge in next() picks streams by it.
            if (burstLeft == 0) {
                nextMillis = Math.min(nextMillis + 1 + exponentialMillis(), DAY_START_MILLIS + MILLIS_PER_DAY - 1);
            } else if (random.nextInt(10) == 0) {
                nextMillis = Math.min(nextMillis + 1, DAY_START_MILLIS + MILLIS_PER_DAY - 1);
            }
        }

        private void startBurst() {
            burstLeft = 1;
            while (random.nextDouble() < BURST_CONTINUE) {
                burstLeft++;
            }
            if (random.nextDouble() < SWEEP_PROBABILITY) {
                burstLeft += random.nextInt(SWEEP_MIN, SWEEP_MAX);
            }
            if (random.nextDouble() >= 0.6) {
                buyer = !buyer;
            }
            double move = random.nextDouble();
            if (move >= 0.5 && move < 0.7) {
                bidTicks += random.nextBoolean() ? 1 : -1;
            } else if (move >= 0.7) {
                double u = random.nextDouble() - 0.5;
                bidTicks += Math.round(-laplaceScaleTicks * Math.signum(u) * Math.log(1 - 2 * Math.abs(u)));
            }
            bidTicks = Math.max(1, bidTicks);
            long jitterMicros = (long) (-Math.log(1 - random.nextDouble()) * 300);
            if (random.nextInt(100) == 0) {
                jitterMicros += random.nextInt(5000);
            }
            latencyMicros = instrument.latencyMicros() + jitterMicros;
        }

        private long quantityLots() {
            long lots = Math.max(1, Math.round(Math.exp(logMedianLots + QUANTITY_SIGMA * random.nextGaussian())));
            double round = random.nextDouble();
            if (round < 0.1 && lots >= 1000) {
                lots = Math.round(lots / 1000.0) * 1000;
            } else if (round < 0.45 && lots >= 100) {
                lots = Math.round(lots / 100.0) * 100;
            }
            return lots;
        }

        private static double toDouble(Decimal value) {
            return value.mantissa() / Math.pow(10, value.scale());
        }

        private long exponentialMillis() {
            return (long) (-Math.log(1 - random.nextDouble()) * meanBurstGapMillis);
        }
    }
}
