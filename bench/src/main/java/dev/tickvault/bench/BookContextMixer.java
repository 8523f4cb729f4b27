package dev.tickvault.bench;

/**
 * A binary context-mixing model (lpaq-style, simplified) that prices bits: for each bit, up to {@link #INPUTS}
 * hashed contexts each select an adaptive probability; the probabilities are mixed in the logistic domain by a weight
 * set chosen by a small selector, then refined by an adaptive probability map (SSE). {@link #bit} returns the exact
 * code length, −log2 p, an arithmetic coder would spend on the bit with 12-bit probabilities, and learns from it.
 *
 * <p>Memory is bounded: each input owns a table of 2^{@code tableBits} 16-bit counters addressed by the context's hash
 * (collisions share a counter, nothing grows).
 */
final class BookContextMixer {
    static final int INPUTS = 4;
    private static final int SELECTORS = 4096;
    private static final int APM_CONTEXTS = 1024;
    private static final double[] STRETCH = new double[4096];
    private static final double[] COST = new double[4096];
    private static final int[] RECIPROCAL = new int[1024];

    static {
        for (int p = 0; p < 4096; p++) {
            double q = (p + 0.5) / 4096;
            STRETCH[p] = Math.log(q / (1 - q));
            COST[p] = -Math.log(Math.max(p, 1) / 4096.0) / Math.log(2);
        }
        for (int n = 0; n < RECIPROCAL.length; n++) {
            RECIPROCAL[n] = (int) (65536 / (n + 1.6));
        }
    }

    private final int mask;
    private final char[][] probability = new char[INPUTS][];
    private final short[][] counts = new short[INPUTS][];
    private final int limit;
    private final double[] weights = new double[SELECTORS * (INPUTS + 1)];
    private final double[] apm = new double[APM_CONTEXTS * 33];
    private final double rate;
    private final int[] slot = new int[INPUTS];
    private final double[] input = new double[INPUTS + 1];
    /** Inputs mixed (the first ones; the others contribute nothing), to measure what mixing buys. */
    int activeInputs = INPUTS;
    /** Whether the SSE stage refines the mix. */
    boolean sse = true;

    BookContextMixer(int tableBits, int limit, double rate) {
        this.mask = (1 << tableBits) - 1;
        this.limit = limit;
        this.rate = rate;
        for (int i = 0; i < INPUTS; i++) {
            probability[i] = new char[1 << tableBits];
            counts[i] = new short[1 << tableBits];
        }
        reset();
    }

    /** Forgets everything learnt (a key block). */
    void reset() {
        for (int i = 0; i < INPUTS; i++) {
            java.util.Arrays.fill(probability[i], (char) 32768);
            java.util.Arrays.fill(counts[i], (short) 0);
        }
        java.util.Arrays.fill(weights, 0.3);
        for (int c = 0; c < APM_CONTEXTS; c++) {
            for (int j = 0; j < 33; j++) {
                double x = (j - 16) / 2.0;
                apm[c * 33 + j] = 1 / (1 + Math.exp(-x));
            }
        }
    }

    static long hash(long a, long b) {
        long h = (a + 0x9E3779B97F4A7C15L) * 0xBF58476D1CE4E5B9L ^ b;
        h *= 0x94D049BB133111EBL;
        return h ^ (h >>> 31);
    }

    /**
     * Codes one bit under four contexts (already hashed; 0 = input unused), a mixer selector and an SSE context;
     * returns its cost in bits and learns.
     */
    double bit(int bit, long c0, long c1, long c2, long c3, int selector, int apmContext) {
        slot[0] = (int) (hash(c0, 0) & mask);
        slot[1] = (int) (hash(c1, 1) & mask);
        slot[2] = (int) (hash(c2, 2) & mask);
        slot[3] = (int) (hash(c3, 3) & mask);
        int w = (selector & (SELECTORS - 1)) * (INPUTS + 1);
        double dot = 0;
        for (int i = 0; i < INPUTS; i++) {
            input[i] = i < activeInputs ? STRETCH[probability[i][slot[i]] >>> 4] : 0;
            dot += weights[w + i] * input[i];
        }
        input[INPUTS] = 0.25;
        dot += weights[w + INPUTS] * input[INPUTS];
        double mixed = squash(dot);
        // SSE: interpolate between the two nearest of 33 buckets over stretch(p) in [-8, 8].
        double s = Math.max(-7.999, Math.min(7.999, dot)) * 2 + 16;
        int j = (int) s;
        double f = s - j;
        int a = (apmContext & (APM_CONTEXTS - 1)) * 33 + j;
        double refined = apm[a] * (1 - f) + apm[a + 1] * f;
        double p = sse ? (mixed + 3 * refined) / 4 : mixed;
        int p12 = (int) (p * 4096);
        p12 = Math.max(1, Math.min(4095, p12));
        double cost = bit == 1 ? COST[p12] : COST[4096 - p12];
        // Learn: mixer weights, SSE buckets, counters.
        double error = bit - mixed;
        for (int i = 0; i <= INPUTS; i++) {
            weights[w + i] += rate * error * input[i];
        }
        apm[a] += (bit - apm[a]) * (1 - f) / 48;
        apm[a + 1] += (bit - apm[a + 1]) * f / 48;
        int target = bit == 1 ? 65535 : 0;
        for (int i = 0; i < INPUTS; i++) {
            char[] table = probability[i];
            int n = counts[i][slot[i]];
            int old = table[slot[i]];
            table[slot[i]] = (char) (old + (((target - old) * (long) RECIPROCAL[n]) >> 16));
            if (n < limit) {
                counts[i][slot[i]] = (short) (n + 1);
            }
        }
        return cost;
    }

    private static double squash(double x) {
        return 1 / (1 + Math.exp(-x));
    }
}
