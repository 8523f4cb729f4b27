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
 * counters per input (collisions share a counter), 4,096 weight sets, 1,024 SSE contexts (~1.2 MB in all).
 */
final class BookBitModel {
    static final int INPUTS = 4;
    private static final int TABLE_BITS = 16;
    private static final int MASK = (1 << TABLE_BITS) - 1;
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

    /** Per input, 2^16 counters: probability of a 1 (16 bits) << 8 | bits seen (capped at {@link #LIMIT}). */
    private final int[][] counters = new int[INPUTS][1 << TABLE_BITS];

    private final double[] weights = new double[SELECTORS * (INPUTS + 1)];
    private final double[] apm = new double[APM_CONTEXTS * 33];
    private final int[] slot = new int[INPUTS];
    private final double[] input = new double[INPUTS + 1];
    // The bit being coded, between predict and update.
    private int weightBase;
    private int apmSlot;
    private double apmFraction;
    private double mixed;

    BookBitModel() {
        reset();
    }

    /** Forgets everything learnt (every block starts from here). */
    void reset() {
        for (int i = 0; i < INPUTS; i++) {
            Arrays.fill(counters[i], 32768 << 8);
        }
        Arrays.fill(weights, 0.3);
        for (int c = 0; c < APM_CONTEXTS; c++) {
            System.arraycopy(APM_START, 0, apm, c * 33, 33);
        }
    }

    static long hash(long a, long b) {
        long h = (a + 0x9E3779B97F4A7C15L) * 0xBF58476D1CE4E5B9L ^ b;
        h *= 0x94D049BB133111EBL;
        return h ^ (h >>> 31);
    }

    /** The probability (1..4095 in 4096ths) that the next bit is 1, under four contexts, a selector and an SSE context. */
    int predict(long c0, long c1, long c2, long c3, int selector, int apmContext) {
        slot[0] = (int) (hash(c0, 0) & MASK);
        slot[1] = (int) (hash(c1, 1) & MASK);
        slot[2] = (int) (hash(c2, 2) & MASK);
        slot[3] = (int) (hash(c3, 3) & MASK);
        weightBase = (selector & (SELECTORS - 1)) * (INPUTS + 1);
        double dot = 0;
        for (int i = 0; i < INPUTS; i++) {
            input[i] = STRETCH[counters[i][slot[i]] >>> 12];
            dot += weights[weightBase + i] * input[i];
        }
        input[INPUTS] = 0.25;
        dot += weights[weightBase + INPUTS] * input[INPUTS];
        mixed = squash(dot);
        double s = Math.max(-7.999, Math.min(7.999, dot)) * 2 + 16;
        int j = (int) s;
        apmFraction = s - j;
        apmSlot = (apmContext & (APM_CONTEXTS - 1)) * 33 + j;
        double refined = apm[apmSlot] * (1 - apmFraction) + apm[apmSlot + 1] * apmFraction;
        int p = (int) ((mixed + 3 * refined) / 4 * 4096);
        return Math.max(1, Math.min(4095, p));
    }

    /** Learns the bit last predicted. */
    void update(int bit) {
        double error = bit - mixed;
        for (int i = 0; i <= INPUTS; i++) {
            weights[weightBase + i] += RATE * error * input[i];
        }
        apm[apmSlot] += (bit - apm[apmSlot]) * (1 - apmFraction) / 48;
        apm[apmSlot + 1] += (bit - apm[apmSlot + 1]) * apmFraction / 48;
        int target = bit == 1 ? 65535 : 0;
        for (int i = 0; i < INPUTS; i++) {
            int at = slot[i];
            int counter = counters[i][at];
            int n = counter & 0xFF;
            int old = counter >>> 8;
            int updated = old + (int) (((target - old) * (long) RECIPROCAL[n]) >> 16);
            counters[i][at] = updated << 8 | (n < LIMIT ? n + 1 : n);
        }
    }

    private static double squash(double x) {
        double s = (Math.max(-SQUASH_RANGE, Math.min(SQUASH_RANGE - 0.001, x)) + SQUASH_RANGE) * SQUASH_STEPS;
        int i = (int) s;
        double f = s - i;
        return SQUASH[i] * (1 - f) + SQUASH[i + 1] * f;
    }
}
