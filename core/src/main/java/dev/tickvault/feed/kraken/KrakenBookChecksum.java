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
    private final byte[] digits = new byte[20];

    /** The unsigned 32-bit checksum of {@code book}'s current top levels. */
    public long compute(OrderBook book) {
        crc.reset();
        addSide(book.asks());
        addSide(book.bids());
        return crc.getValue();
    }

    private void addSide(BookSide side) {
        int levels = Math.min(LEVELS, side.size());
        for (int i = 0; i < levels; i++) {
            addDigits(side.priceMantissa(i));
            addDigits(side.quantityMantissa(i));
        }
    }

    /** The mantissa's digits without leading zeros: zero contributes nothing, like an all-zero string stripped. */
    private void addDigits(long mantissa) {
        long v = Math.abs(mantissa);
        int pos = digits.length;
        while (v != 0) {
            digits[--pos] = (byte) ('0' + (v % 10));
            v /= 10;
        }
        crc.update(digits, pos, digits.length - pos);
    }
}
