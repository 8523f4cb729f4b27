package dev.tickvault.store.partition;

import java.util.Arrays;

/**
 * A binary arithmetic coder with 32-bit range and 12-bit probabilities (the carry-less coder of lpaq): each bit
 * narrows {@code [low, high]} in proportion to the probability of a 1, and leading bytes that low and high share are
 * emitted. One instance either encodes (into a growing array) or decodes (from an array); 4 bytes of {@code low} end
 * an encoded stream, so the decoder never needs bytes past its end. Bytes a decoder reads past its end count as 0 and
 * are reported by {@link #overrun()} (a damaged stream).
 */
final class BinaryArithmeticCoder {
    private static final long MASK = 0xFFFF_FFFFL;

    private long low;
    private long high = MASK;
    private long code;
    private byte[] out = new byte[1 << 12];
    private byte[] in = new byte[0];
    private int position;
    private int limit;
    private int overrun;

    /** Starts an encoded stream. */
    void startEncoding() {
        low = 0;
        high = MASK;
        position = 0;
    }

    /** Starts decoding {@code length} bytes of {@code source} from {@code offset}. */
    void startDecoding(byte[] source, int offset, int length) {
        in = source;
        position = offset;
        limit = offset + length;
        overrun = 0;
        low = 0;
        high = MASK;
        code = 0;
        for (int i = 0; i < 4; i++) {
            code = (code << 8) | next();
        }
    }

    /** Codes {@code bit} whose probability of being 1 is {@code p1} / 4096 ({@code p1} in 1..4095). */
    void encode(int bit, int p1) {
        long middle = low + ((high - low) >>> 12) * p1;
        if (bit != 0) {
            high = middle;
        } else {
            low = middle + 1;
        }
        while (((low ^ high) & 0xFF00_0000L) == 0) {
            put((int) (high >>> 24));
            low = (low << 8) & MASK;
            high = ((high << 8) & MASK) | 0xFF;
        }
    }

    /** The next bit, whose probability of being 1 is {@code p1} / 4096. */
    int decode(int p1) {
        long middle = low + ((high - low) >>> 12) * p1;
        int bit;
        if (code <= middle) {
            bit = 1;
            high = middle;
        } else {
            bit = 0;
            low = middle + 1;
        }
        while (((low ^ high) & 0xFF00_0000L) == 0) {
            low = (low << 8) & MASK;
            high = ((high << 8) & MASK) | 0xFF;
            code = ((code << 8) & MASK) | next();
        }
        return bit;
    }

    /** Ends an encoded stream (4 bytes of low) and returns its length; the bytes are {@link #encoded()}[0, length). */
    int finishEncoding() {
        for (int i = 0; i < 4; i++) {
            put((int) (low >>> 24));
            low = (low << 8) & MASK;
        }
        return position;
    }

    byte[] encoded() {
        return out;
    }

    /** How many bytes the decoder has read past the end of its stream (0 for an intact stream). */
    int overrun() {
        return overrun;
    }

    /** Where the decoder stands in its source array. */
    int decodePosition() {
        return position;
    }

    private int next() {
        if (position < limit) {
            return in[position++] & 0xFF;
        }
        overrun++;
        return 0;
    }

    private void put(int b) {
        if (position == out.length) {
            out = Arrays.copyOf(out, out.length * 2);
        }
        out[position++] = (byte) b;
    }
}
