package dev.tickvault.feed.kraken;

import dev.tickvault.feed.book.BookSide;
import dev.tickvault.feed.book.OrderBook;
import java.util.zip.CRC32;

/**
 * Kraken's book checksum (WebSocket v1 and v2, same construction): CRC32 over the top 10 asks (lowest price first)
 * then the top 10 bids (highest price first), each level contributing its price then its quantity as the venue spelt
 * them with the {@code '.'} removed and leading zeros stripped ({@code "0.00100000"} → {@code "100000"}).
 *
 * <p>Because {@link OrderBook} keeps each level's scale as received, that string is exactly the decimal digits of the
 * mantissa, so no text is built: digits go straight into the CRC. Not thread-safe (one per handler); no allocation.
 */
public final class KrakenBookChecksum {

    /** Levels per side that the checksum covers, whatever the subscribed depth. */
    public static final int LEVELS = 10;

    private final CRC32 crc = new CRC32();
    /** Room for 2 sides × 10 levels × (price + quantity) × 19 digits: the whole string, hashed in one call. */
    private final byte[] text = new byte[2 * LEVELS * 2 * 19];

    /** The unsigned 32-bit checksum of {@code book}'s current top levels. */
    public long compute(OrderBook book) {
        int length = addSide(book.asks(), 0);
        length = addSide(book.bids(), length);
        crc.reset();
        crc.update(text, 0, length);
        return crc.getValue();
    }

    private int addSide(BookSide side, int at) {
        int levels = Math.min(LEVELS, side.size());
        for (int i = 0; i < levels; i++) {
            at = addDigits(side.priceMantissa(i), at);
            at = addDigits(side.quantityMantissa(i), at);
        }
        return at;
    }

    /** The mantissa's digits without leading zeros: zero contributes nothing, like an all-zero string stripped. */
    private int addDigits(long mantissa, int at) {
        long v = Math.abs(mantissa);
        int digits = 0;
        for (long rest = v; rest != 0; rest /= 10) {
            digits++;
        }
        int end = at + digits;
        for (int pos = end - 1; pos >= at; pos--) {
            text[pos] = (byte) ('0' + (v % 10));
            v /= 10;
        }
        return end;
    }
}
