package dev.tickvault.store.partition;

import java.util.Arrays;

/**
 * The adaptive bit model of {@link ContextMixingBookBlockCodec}: for each bit, four hashed contexts each select an
 * adaptive probability (a 16-bit counter whose rate slows from 1/1.6 to 1/256 as it sees bits); the four are mixed in
 * the logistic domain by a weight set chosen by a selector (online gradient descent on coding cost), and the mix is
 * refined by an adaptive probability map (SSE: 33 buckets over the mixed stretch, interpolated) in a small context.
 *
 * <p>Encoder and decoder must compute identical probabilities: the arithmetic is IEEE double (deterministic in Java),
 * and the only transcendental functions are tables built with {@link StrictMath}. Memory is bounded and fixed: 2^16
 * counters per input in the codec (2^tableBits under other settings; collisions share a counter), 4,096 weight sets,
 * 1,024 SSE contexts (~1.4 MB in all for the codec).
 *
 * <p>Internal: public only so that the bench's research probe ({@code BookContextMixingProbe}) prices its bits with
 * this model under other {@link Settings} (larger tables, fewer inputs, no SSE); the codec uses {@link
 * Settings#CODEC}, which is part of the format.
 */
public final class BookBitModel {
    /** Hashed contexts per bit. */
    public static final int INPUTS = 4;

    private static final int SELECTORS = 4096;
    private static final int APM_CONTEXTS = 1024;
    private static final int LIMIT = 255;
    private static final double RATE = 0.02;
    private static final double[] STRETCH = new double[4096];
    private static final int SQUASH_STEPS = 64;
    private static final double SQUASH_RANGE = 16;
    private static final double[] SQUASH = new double[(int) (2 * SQUASH_RANGE * SQUASH_STEPS) + 2];
    private static final int[] RECIPROCAL = new int[LIMIT + 1];
    private static final double[] APM_START = new double[33];
    /** The mixer's fifth input, a constant. */
    private static final double BIAS = 0.25;

    static {
        for (int p = 0; p < 4096; p++) {
            double q = (p + 0.5) / 4096;
            STRETCH[p] = StrictMath.log(q / (1 - q));
        }
        for (int i = 0; i < SQUASH.length; i++) {
            SQUASH[i] = 1 / (1 + StrictMath.exp(-(i / (double) SQUASH_STEPS - SQUASH_RANGE)));
        }
        for (int n = 0; n <= LIMIT; n++) {
            RECIPROCAL[n] = (int) (65536 / (n + 1.6));
        }
        for (int j = 0; j < 33; j++) {
            APM_START[j] = squash((j - 16) / 2.0);
        }
    }

    /**
     * What a model is made of besides its arithmetic: 2^{@code tableBits} counters per input, the first {@code inputs}
     * inputs mixed (the others contribute nothing), whether SSE refines the mix.
     */
    public record Settings(int tableBits, int inputs, boolean sse) {
        /** Book block version 6's model (part of the format). */
        public static final Settings CODEC = new Settings(16, INPUTS, true);

        public Settings {
            if (tableBits < 1 || tableBits > 24 || inputs < 1 || inputs > INPUTS) {
                throw new IllegalArgumentException("model of 2^" + tableBits + " counters and " + inputs + " inputs");
            }
        }
    }

    private final int tableBits;
    private final int mask;
    private final int inputs;
    private final boolean sse;

    /**
     * Input i's 2^tableBits counters at {@code [i << tableBits, (i + 1) << tableBits)} of one array (one load per
     * input, no row lookup): probability of a 1 (16 bits) << 8 | bits seen (capped at {@link #LIMIT}).
     */
    private final int[] counters;

    private final double[] weights = new double[SELECTORS * (INPUTS + 1)];
    private final double[] apm = new double[APM_CONTEXTS * 33];
    // The bit being coded, between predict and update: the four counters' indexes, their stretched probabilities,
    // the weight set, the SSE slot and fraction, the mixed probability. Fields, not arrays: no bounds checks and the
    // compiler keeps them in registers within each method.
    private int slot0;
    private int slot1;
    private int slot2;
    private int slot3;
    private double input0;
    private double input1;
    private double input2;
    private double input3;
    private int weightBase;
    private int apmSlot;
    private double apmFraction;
    private double mixed;

    /** The codec's model ({@link Settings#CODEC}). */
    BookBitModel() {
        this(Settings.CODEC);
    }

    public BookBitModel(Settings settings) {
        tableBits = settings.tableBits();
        mask = (1 << tableBits) - 1;
        inputs = settings.inputs();
        sse = settings.sse();
        counters = new int[INPUTS << tableBits];
        reset();
    }

    /** Forgets everything learnt (every block starts from here). */
    public void reset() {
        Arrays.fill(counters, 32768 << 8);
        Arrays.fill(weights, 0.3);
        for (int c = 0; c < APM_CONTEXTS; c++) {
            System.arraycopy(APM_START, 0, apm, c * 33, 33);
        }
    }

    private static long hash(long a, long b) {
        long h = (a + 0x9E3779B97F4A7C15L) * 0xBF58476D1CE4E5B9L ^ b;
        h *= 0x94D049BB133111EBL;
        return h ^ (h >>> 31);
    }

    /**
     * The probability (1..4095 in 4096ths) that the next bit is 1, under four contexts, a selector and an SSE context.
     *
     * <p>The arithmetic is that of the format's first encoder, operation for operation (the same IEEE doubles in the
     * same order; clamps as comparisons, which give the same values since no operand is NaN; {@code / 4 * 4096} as
     * {@code * 1024}, exact for powers of two). Contexts are already hashed by the caller.
     */
    public int predict(long c0, long c1, long c2, long c3, int selector, int apmContext) {
        int bits = tableBits;
        int s0 = (int) (hash(c0, 0) & mask);
        int s1 = (1 << bits) | (int) (hash(c1, 1) & mask);
        int s2 = (2 << bits) | (int) (hash(c2, 2) & mask);
        int s3 = (3 << bits) | (int) (hash(c3, 3) & mask);
        slot0 = s0;
        slot1 = s1;
        slot2 = s2;
        slot3 = s3;
        int[] c = counters;
        int k = inputs;
        double x0 = STRETCH[c[s0] >>> 12];
        double x1 = k > 1 ? STRETCH[c[s1] >>> 12] : 0;
        double x2 = k > 2 ? STRETCH[c[s2] >>> 12] : 0;
        double x3 = k > 3 ? STRETCH[c[s3] >>> 12] : 0;
        input0 = x0;
        input1 = x1;
        input2 = x2;
        input3 = x3;
        int wb = (selector & (SELECTORS - 1)) * (INPUTS + 1);
        weightBase = wb;
        double[] w = weights;
        double dot = 0;
        dot += w[wb] * x0;
        dot += w[wb + 1] * x1;
        dot += w[wb + 2] * x2;
        dot += w[wb + 3] * x3;
        dot += w[wb + 4] * BIAS;
        double m = squash(dot);
        mixed = m;
        double s = clamp(dot, -7.999, 7.999) * 2 + 16;
        int j = (int) s;
        double f = s - j;
        apmFraction = f;
        int a = (apmContext & (APM_CONTEXTS - 1)) * 33 + j;
        apmSlot = a;
        double refined = apm[a] * (1 - f) + apm[a + 1] * f;
        int p = (int) (sse ? (m + 3 * refined) * 1024 : m * 4096);
        return p < 1 ? 1 : p > 4095 ? 4095 : p;
    }

    /** Learns the bit last predicted. */
    public void update(int bit) {
        double rateError = RATE * (bit - mixed);
        double[] w = weights;
        int wb = weightBase;
        w[wb] += rateError * input0;
        w[wb + 1] += rateError * input1;
        w[wb + 2] += rateError * input2;
        w[wb + 3] += rateError * input3;
        w[wb + 4] += rateError * BIAS;
        int a = apmSlot;
        double f = apmFraction;
        apm[a] += (bit - apm[a]) * (1 - f) / 48;
        apm[a + 1] += (bit - apm[a + 1]) * f / 48;
        int target = bit == 1 ? 65535 : 0;
        int[] c = counters;
        c[slot0] = learn(c[slot0], target);
        c[slot1] = learn(c[slot1], target);
        c[slot2] = learn(c[slot2], target);
        c[slot3] = learn(c[slot3], target);
    }

    /** A counter moved towards {@code target} (0 or 65535) at its rate, with one more bit seen. */
    private static int learn(int counter, int target) {
        int n = counter & 0xFF;
        int old = counter >>> 8;
        int updated = old + (int) (((target - old) * (long) RECIPROCAL[n]) >> 16);
        return updated << 8 | (n < LIMIT ? n + 1 : n);
    }

    /** {@code x} limited to {@code [low, high]} ({@code x} is never NaN here: as {@code Math.max(low, min(high, x))}). */
    private static double clamp(double x, double low, double high) {
        return x < low ? low : x > high ? high : x;
    }

    private static double squash(double x) {
        double s = (clamp(x, -SQUASH_RANGE, SQUASH_RANGE - 0.001) + SQUASH_RANGE) * SQUASH_STEPS;
        int i = (int) s;
        double f = s - i;
        return SQUASH[i] * (1 - f) + SQUASH[i + 1] * f;
    }
}
