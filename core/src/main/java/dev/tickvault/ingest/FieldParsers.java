package dev.tickvault.ingest;

import dev.tickvault.model.Side;
import dev.tickvault.model.Trade;
import java.nio.charset.StandardCharsets;

/** Allocation-free parsing of single CSV fields shared by the readers; errors throw with a reason. */
final class FieldParsers {

    private FieldParsers() {}

    /** A non-negative integer of at most 18 digits written without sign or leading zeros, or -1 if it is not. */
    static long plainUnsignedLong(byte[] text, int offset, int length) {
        if (length == 0 || length > 18 || (length > 1 && text[offset] == '0')) {
            return -1;
        }
        long value = 0;
        for (int i = offset; i < offset + length; i++) {
            int digit = text[i] - '0';
            if (digit < 0 || digit > 9) {
                return -1;
            }
            value = value * 10 + digit;
        }
        return value;
    }

    /** Digits only (at least one, at most 18), or throws. */
    static long digits(byte[] text, int offset, int length, String what) {
        if (length == 0) {
            throw new IllegalArgumentException(what + " is empty");
        }
        if (length > 18) {
            throw new IllegalArgumentException(
                    what + " has more than 18 digits: \"" + show(text, offset, length) + "\"");
        }
        long value = 0;
        for (int i = offset; i < offset + length; i++) {
            int digit = text[i] - '0';
            if (digit < 0 || digit > 9) {
                throw new IllegalArgumentException(what + " is not a number: \"" + show(text, offset, length) + "\"");
            }
            value = value * 10 + digit;
        }
        return value;
    }

    /**
     * Sets the trade id of {@code row}: empty → none; a plain number → numeric; anything else (a UUID, a number with
     * leading zeros or a sign) → text, so that it prints back exactly as it came.
     */
    static void tradeId(byte[] text, int offset, int length, TradeRow row) {
        row.tradeIdText = null;
        if (length == 0) {
            row.tradeId = Trade.NO_TRADE_ID;
            return;
        }
        long numeric = plainUnsignedLong(text, offset, length);
        if (numeric >= 0) {
            row.tradeId = numeric;
        } else {
            row.tradeId = Trade.NO_TRADE_ID;
            row.tradeIdText = new String(text, offset, length, StandardCharsets.ISO_8859_1);
        }
    }

    /** {@code buy|b|sell|s|unknown|u|""}, any case. */
    static Side side(byte[] text, int offset, int length) {
        if (length == 0) {
            return Side.UNKNOWN;
        }
        int first = text[offset] | 0x20;
        if (first == 'b' && (length == 1 || equalsIgnoreCase(text, offset, length, "buy"))) {
            return Side.BUY;
        }
        if (first == 's' && (length == 1 || equalsIgnoreCase(text, offset, length, "sell"))) {
            return Side.SELL;
        }
        if (first == 'u' && (length == 1 || equalsIgnoreCase(text, offset, length, "unknown"))) {
            return Side.UNKNOWN;
        }
        throw new IllegalArgumentException(
                "invalid side \"" + show(text, offset, length) + "\": expected buy, sell or unknown");
    }

    /** {@code true|false}, any case (Binance writes {@code True}/{@code False}). */
    static boolean bool(byte[] text, int offset, int length, String what) {
        if (equalsIgnoreCase(text, offset, length, "true")) {
            return true;
        }
        if (equalsIgnoreCase(text, offset, length, "false")) {
            return false;
        }
        throw new IllegalArgumentException(
                "invalid " + what + " \"" + show(text, offset, length) + "\": expected true or false");
    }

    static boolean equalsIgnoreCase(byte[] text, int offset, int length, String expected) {
        if (length != expected.length()) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            int c = text[offset + i];
            int e = expected.charAt(i);
            if (c != e && ((c | 0x20) != (e | 0x20) || (e | 0x20) < 'a' || (e | 0x20) > 'z')) {
                return false;
            }
        }
        return true;
    }

    static String show(byte[] text, int offset, int length) {
        return new String(text, offset, Math.min(length, 64), StandardCharsets.ISO_8859_1);
    }
}
