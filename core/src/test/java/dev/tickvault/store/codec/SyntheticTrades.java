package dev.tickvault.store.codec;

import java.util.Random;

/**
 * A deterministic block of realistic synthetic trades, column by column, as the store would hand them to the codecs.
 *
 * <ul>
 *   <li>exchange time: millisecond-granular nanoseconds; trades come in bursts at the same millisecond (geometric,
 *       mean ~3), bursts are 1 + exponential(mean 15) ms apart
 *   <li>receive time minus exchange time: a per-burst network latency of 1.5 ms + exponential(mean 300 µs), plus a
 *       few µs more for each trade of the burst; microsecond-granular
 *   <li>price: random walk in ticks of 0.01 (mantissa at the given scale), 0-3 ticks between bursts, 0-1 tick within
 *   <li>quantity: log-normal around 0.01 with sigma 1.5, rounded to the lot size 0.00001, at scale 8
 *   <li>side: 0/1 runs (the whole burst on one side, a new side with probability 1/2 at each burst)
 *   <li>trade id: +1 per trade
 * </ul>
 */
record SyntheticTrades(
        long[] tsNanos,
        long[] recvMinusTsNanos,
        long[] priceMantissa,
        byte[] priceScale,
        long[] qtyMantissa,
        byte[] qtyScale,
        byte[] side,
        long[] tradeId) {

    static SyntheticTrades generate(int count, int priceScaleDigits, long seed) {
        Random random = new Random(seed);
        long[] ts = new long[count];
        long[] recv = new long[count];
        long[] price = new long[count];
        byte[] priceScale = new byte[count];
        long[] qty = new long[count];
        byte[] qtyScale = new byte[count];
        byte[] side = new byte[count];
        long[] id = new long[count];

        long tickMantissa = pow10(priceScaleDigits - 2); // 0.01 at the given scale
        long millis = 1_722_470_400_000L;
        long priceTicks = 6_500_000; // 65,000.00
        long tradeId = 3_712_000_000L;
        byte currentSide = 0;
        int i = 0;
        while (i < count) {
            millis += 1 + (long) (-Math.log(1 - random.nextDouble()) * 15);
            priceTicks += random.nextInt(7) - 3;
            if (random.nextBoolean()) {
                currentSide = (byte) (1 - currentSide);
            }
            long latencyMicros = 1500 + (long) (-Math.log(1 - random.nextDouble()) * 300);
            int burst = 1;
            while (random.nextDouble() < 0.67) {
                burst++;
            }
            for (int b = 0; b < burst && i < count; b++, i++) {
                if (b > 0 && random.nextInt(3) == 0) {
                    priceTicks += currentSide == 0 ? 1 : -1; // a sweep walks the book
                }
                latencyMicros += random.nextInt(4);
                ts[i] = millis * 1_000_000L;
                recv[i] = latencyMicros * 1000L;
                price[i] = priceTicks * tickMantissa;
                priceScale[i] = (byte) priceScaleDigits;
                double quantity = Math.exp(Math.log(0.01) + 1.5 * random.nextGaussian());
                long lots = Math.max(1, Math.round(quantity / 0.00001));
                qty[i] = lots * 1000; // 8 decimals
                qtyScale[i] = 8;
                side[i] = currentSide;
                id[i] = tradeId++;
            }
        }
        return new SyntheticTrades(ts, recv, price, priceScale, qty, qtyScale, side, id);
    }

    private static long pow10(int exponent) {
        long result = 1;
        for (int e = 0; e < exponent; e++) {
            result *= 10;
        }
        return result;
    }
}
