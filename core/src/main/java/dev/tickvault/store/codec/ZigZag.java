package dev.tickvault.store.codec;

/**
 * Zigzag mapping of signed to unsigned longs: 0, -1, 1, -2, 2 ... become 0, 1, 2, 3, 4 ..., so small magnitudes of
 * either sign need few bits. It is a bijection on all 2^64 values.
 */
final class ZigZag {
    private ZigZag() {}

    static long encode(long value) {
        return (value << 1) ^ (value >> 63);
    }

    static long decode(long encoded) {
        return (encoded >>> 1) ^ -(encoded & 1);
    }

    /** Bytes a varint of the unsigned {@code value} takes (1 to 10). */
    static int varLongSize(long value) {
        int bits = 64 - Long.numberOfLeadingZeros(value | 1);
        return (bits + 6) / 7;
    }
}
