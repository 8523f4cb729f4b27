package dev.tickvault.feed.binance;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Reads a Binance message straight from its UTF-8 bytes into a {@link ParsedMessage}, in one pass: a strict scanner
 * for JSON as Binance sends it — objects, arrays, ASCII strings without escapes, integers, the fields {@link
 * BinanceMessageParser} knows. It declines (throws {@link MalformedFrameException}) whatever it does not handle or
 * finds invalid: a string with an escape, a control character or a non-ASCII byte, an error reply, extra elements in a
 * level, an integer of more than 18 digits, bad JSON; the caller then reads the frame with {@link
 * JacksonMessageReader}, which judges it. So for any frame it accepts, the result is the one Jackson gives.
 *
 * <p>How it stays at one pass: every method takes the position it starts at and returns the one after what it read
 * (positions stay in registers); a key is matched by its length and its bytes read as one {@code int}/{@code long}
 * ({@link #INTS}, {@link #LONGS}) — single-letter keys by a switch on the letter — so a key costs one search for its
 * closing quote; strings are searched 8 bytes at a time (SWAR: the closing quote, a backslash, a control or a
 * non-ASCII byte found with a few arithmetic operations per 8 bytes); digits are also read 8 at a time and turned
 * into their value with three multiplications ({@link #eightDigits}); decimal strings are read into mantissa and
 * scale in that same pass (anything unusual — a sign, an exponent, more than 18 digits — goes to {@link
 * dev.tickvault.model.DecimalParser}, the parser Jackson's path uses, so the result is the same).
 *
 * <p>Allocates nothing (except the exception when it declines a frame). Not thread-safe.
 */
final class ByteMessageScanner {

    /** 8 bytes of the frame as one little-endian long (the first byte in the low bits); bounds-checked. */
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    /** 4 bytes of the frame as one little-endian int; bounds-checked. */
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private static final long ONES = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;
    private static final long QUOTES = 0x2222222222222222L;
    private static final long BACKSLASHES = 0x5c5c5c5c5c5c5c5cL;
    private static final long SPACES = 0x2020202020202020L;
    private static final long ZERO_CHARS = 0x3030303030303030L;
    /** Added to (byte - '0'): sets the high bit of the bytes above '9' (bytes below '0' have it set already). */
    private static final long ABOVE_NINE = 0x7676767676767676L;

    private static final long[] POWERS_OF_TEN = new long[19];

    static {
        long p = 1;
        for (int i = 0; i < POWERS_OF_TEN.length; i++) {
            POWERS_OF_TEN[i] = p;
            p *= 10;
        }
    }

    private static final int DATA = ascii4("data");
    private static final int EVEN = ascii4("even"); // event
    private static final int BIDS = ascii4("bids");
    private static final int ASKS = ascii4("asks");
    private static final int CODE = ascii4("code");
    private static final int ERRO = ascii4("erro"); // error
    private static final int RESU = ascii4("resu"); // result
    private static final long LAST_UPDA = ascii8("lastUpda"); // lastUpdateId
    private static final int TE_ID = ascii4("teId");
    private static final int TRAD = ascii4("trad"); // trade
    private static final long AGG_TRADE = ascii8("aggTrade");
    private static final long DEPTH_UPD = ascii8("depthUpd"); // depthUpdate
    private static final long BOOK_TICK = ascii8("bookTick"); // bookTicker
    private static final long SERVER_SH = ascii8("serverSh"); // serverShutdown
    private static final int UTDO = ascii4("utdo");
    private static final int TRUE = ascii4("true");
    private static final int ALSE = ascii4("alse"); // false
    private static final int NULL = ascii4("null");

    private byte[] b;
    private int end;
    private ParsedMessage m;
    /** The value of the digits {@link #digitRun} read last (wrapped if more than 18). */
    private long runValue;
    /** The scale of the decimal {@link #decimal} read last. */
    private int decimalScale;
    /** The value of the integer {@link #integer} read last. */
    private long integerValue;

    void scan(byte[] utf8, int offset, int length, ParsedMessage message) throws MalformedFrameException {
        this.b = utf8;
        this.end = offset + length;
        this.m = message;
        if (usualTrade(offset)) {
            return;
        }
        int p = whitespace(offset);
        if (at(p) != '{') {
            throw decline("expected an object");
        }
        p = whitespace(object(p + 1, true));
        if (p != end) {
            throw decline("content after the object");
        }
    }

    private static MalformedFrameException decline(String why) {
        return new MalformedFrameException(why);
    }

    private static int ascii4(String text) {
        int value = 0;
        for (int i = 3; i >= 0; i--) {
            value = value << 8 | text.charAt(i);
        }
        return value;
    }

    private static long ascii8(String text) {
        long value = 0;
        for (int i = 7; i >= 0; i--) {
            value = value << 8 | text.charAt(i);
        }
        return value;
    }

    /** The byte at {@code p}; declines past the end. */
    private byte at(int p) throws MalformedFrameException {
        if (p >= end) {
            throw decline("truncated");
        }
        return b[p];
    }

    /** The first position at or after {@code p} that is not JSON whitespace. */
    private int whitespace(int p) {
        byte[] bytes = b;
        int limit = end;
        while (p < limit) {
            byte c = bytes[p];
            if (c > ' ' || (c != ' ' && c != '\n' && c != '\r' && c != '\t')) {
                return p;
            }
            p++;
        }
        return p;
    }

    /** An object's members, {@code p} just after its opening brace; returns the position after the closing brace. */
    private int object(int p, boolean root) throws MalformedFrameException {
        p = whitespace(p);
        if (at(p) == '}') {
            return p + 1;
        }
        while (true) {
            if (at(p) != '"') {
                throw decline("expected a key");
            }
            int key = p + 1;
            int keyEnd = singleLetterKeyEnd(key);
            if (keyEnd < 0) {
                keyEnd = stringEnd(key);
            }
            p = whitespace(keyEnd + 1);
            if (at(p) != ':') {
                throw decline("expected :");
            }
            p = whitespace(p + 1);
            p = whitespace(field(key, keyEnd - key, p, root));
            byte c = at(p);
            if (c == '}') {
                return p + 1;
            }
            if (c != ',') {
                throw decline("expected , or }");
            }
            p = whitespace(p + 1);
        }
    }

    /**
     * Most keys are one letter: the closing quote of such a key at {@code key}, found without a search (the letter
     * checked as {@link #stringEnd} would check it), else -1.
     */
    private int singleLetterKeyEnd(int key) {
        if (key + 1 < end && b[key + 1] == '"') {
            byte letter = b[key];
            if (letter >= 0x20 && letter != '"' && letter != '\\') { // negative: non-ASCII
                return key + 1;
            }
        }
        return -1;
    }

    /** The value of key {@code [key, key + length)} at {@code p}; returns the position after it. */
    private int field(int key, int length, int p, boolean root) throws MalformedFrameException {
        byte[] bytes = b;
        ParsedMessage msg = m;
        if (length == 1) {
            switch (bytes[key]) {
                case 'e' -> {
                    if (at(p) != '"') {
                        throw decline("e is not a string");
                    }
                    int start = p + 1;
                    int close = stringEnd(start);
                    msg.eventType = eventType(start, close - start);
                    return close + 1;
                }
                case 'E' -> {
                    p = integer(p);
                    msg.eventTime = integerValue;
                    return p;
                }
                case 'T' -> {
                    p = integer(p);
                    msg.transactionTime = integerValue;
                    return p;
                }
                case 's' -> {
                    return symbol(p);
                }
                case 't' -> {
                    p = integer(p);
                    msg.tradeId = integerValue;
                    return p;
                }
                case 'p' -> {
                    p = decimal(p);
                    msg.priceMantissa = runValue;
                    msg.priceScale = decimalScale;
                    return p;
                }
                case 'q' -> {
                    p = decimal(p);
                    msg.quantityMantissa = runValue;
                    msg.quantityScale = decimalScale;
                    return p;
                }
                case 'm' -> {
                    return makerFlag(p);
                }
                case 'a' -> {
                    byte c = at(p);
                    if (c == '"') {
                        p = decimal(p);
                        msg.askPriceMantissa = runValue;
                        msg.askPriceScale = decimalScale;
                        return p;
                    }
                    if (c == '[') {
                        return levels(p, msg.depth.asks);
                    }
                    p = integer(p);
                    msg.aggregateId = integerValue;
                    return p;
                }
                case 'b' -> {
                    byte c = at(p);
                    if (c == '"') {
                        p = decimal(p);
                        msg.bidPriceMantissa = runValue;
                        msg.bidPriceScale = decimalScale;
                        return p;
                    }
                    if (c == '[') {
                        return levels(p, msg.depth.bids);
                    }
                    return skipValue(p); // a buyer order id in older spot trade payloads
                }
                case 'A' -> {
                    p = decimal(p);
                    msg.askQuantityMantissa = runValue;
                    msg.askQuantityScale = decimalScale;
                    return p;
                }
                case 'B' -> {
                    p = decimal(p);
                    msg.bidQuantityMantissa = runValue;
                    msg.bidQuantityScale = decimalScale;
                    return p;
                }
                case 'U' -> {
                    p = integer(p);
                    msg.firstUpdateId = integerValue;
                    return p;
                }
                case 'u' -> {
                    p = integer(p);
                    msg.lastUpdateId = integerValue;
                    return p;
                }
                default -> {
                    return skipValue(p);
                }
            }
        }
        return longerField(key, length, p, root);
    }

    private int longerField(int key, int length, int p, boolean root) throws MalformedFrameException {
        byte[] bytes = b;
        ParsedMessage msg = m;
        switch (length) {
            case 2 -> {
                if (bytes[key] == 'p' && bytes[key + 1] == 'u') {
                    p = integer(p);
                    msg.previousUpdateId = integerValue;
                    return p;
                }
                if (bytes[key] == 'i' && bytes[key + 1] == 'd') {
                    byte c = at(p);
                    if (c == '-' || (c >= '0' && c <= '9')) {
                        p = integer(p);
                        msg.requestId = integerValue;
                        return p;
                    }
                }
            }
            case 3 -> {
                if (bytes[key] == 'm' && bytes[key + 1] == 's' && bytes[key + 2] == 'g') {
                    throw decline("error reply"); // rare: Jackson reads it
                }
            }
            case 4 -> {
                int word = (int) INTS.get(bytes, key);
                if (word == DATA) {
                    return nested(p, root);
                }
                if (word == BIDS) {
                    return levels(p, msg.depth.bids);
                }
                if (word == ASKS) {
                    return levels(p, msg.depth.asks);
                }
                if (word == CODE) {
                    throw decline("error reply");
                }
            }
            case 5 -> {
                int word = (int) INTS.get(bytes, key);
                if (word == EVEN && bytes[key + 4] == 't') {
                    return nested(p, root);
                }
                if (word == ERRO && bytes[key + 4] == 'r') {
                    throw decline("error reply");
                }
            }
            case 6 -> {
                if ((int) INTS.get(bytes, key) == RESU && bytes[key + 4] == 'l' && bytes[key + 5] == 't') {
                    msg.hasResult = root;
                    return skipValue(p);
                }
            }
            case 12 -> {
                if ((long) LONGS.get(bytes, key) == LAST_UPDA && (int) INTS.get(bytes, key + 8) == TE_ID) {
                    p = integer(p);
                    msg.snapshotUpdateId = integerValue;
                    return p;
                }
            }
            default -> {}
        }
        return skipValue(p);
    }

    /** {@code data} or {@code event}: read into the same message at the root, else skipped. */
    private int nested(int p, boolean root) throws MalformedFrameException {
        if (root && at(p) == '{') {
            return object(p + 1, false);
        }
        return skipValue(p);
    }

    private int eventType(int start, int length) {
        byte[] bytes = b;
        switch (length) {
            case 5 -> {
                if ((int) INTS.get(bytes, start) == TRAD && bytes[start + 4] == 'e') {
                    return ParsedMessage.TRADE;
                }
            }
            case 8 -> {
                if ((long) LONGS.get(bytes, start) == AGG_TRADE) {
                    return ParsedMessage.AGG_TRADE;
                }
            }
            case 10 -> {
                if ((long) LONGS.get(bytes, start) == BOOK_TICK && bytes[start + 8] == 'e' && bytes[start + 9] == 'r') {
                    return ParsedMessage.BOOK_TICKER;
                }
            }
            case 11 -> {
                if ((long) LONGS.get(bytes, start) == DEPTH_UPD
                        && bytes[start + 8] == 'a'
                        && bytes[start + 9] == 't'
                        && bytes[start + 10] == 'e') {
                    return ParsedMessage.DEPTH_UPDATE;
                }
            }
            case 14 -> {
                if ((long) LONGS.get(bytes, start) == SERVER_SH
                        && (int) INTS.get(bytes, start + 8) == UTDO
                        && bytes[start + 12] == 'w'
                        && bytes[start + 13] == 'n') {
                    return ParsedMessage.SERVER_SHUTDOWN;
                }
            }
            default -> {}
        }
        return ParsedMessage.OTHER;
    }

    /**
     * The closing quote of a string whose content starts at {@code p}: searched 8 bytes at a time. Declines a string
     * with a backslash (an escape), a control character or a non-ASCII byte, and an unterminated one.
     */
    private int stringEnd(int p) throws MalformedFrameException {
        byte[] bytes = b;
        int limit = end;
        while (p + 8 <= limit) {
            long word = (long) LONGS.get(bytes, p);
            long special = specialBytes(word);
            if (special != 0) {
                return checkedQuote(p + (Long.numberOfTrailingZeros(special) >>> 3));
            }
            p += 8;
        }
        while (p < limit) {
            byte c = bytes[p];
            if (c == '"' || c == '\\' || c < 0x20) { // negative: non-ASCII
                return checkedQuote(p);
            }
            p++;
        }
        throw decline("truncated string");
    }

    /**
     * High bit set in the first byte of {@code word} (lowest address) that is a quote, a backslash, below 0x20 or
     * above 0x7f. Later bytes may be flagged wrongly (borrows), never the first one, which is all the caller uses.
     */
    private static long specialBytes(long word) {
        long quote = word ^ QUOTES;
        long backslash = word ^ BACKSLASHES;
        long zeroQuote = (quote - ONES) & ~quote;
        long zeroBackslash = (backslash - ONES) & ~backslash;
        long control = (word - SPACES) & ~word;
        return (zeroQuote | zeroBackslash | control | word) & HIGH_BITS;
    }

    private int checkedQuote(int p) throws MalformedFrameException {
        if (b[p] != '"') {
            throw decline("escape, control or non-ASCII character in a string");
        }
        return p;
    }

    private int symbol(int p) throws MalformedFrameException {
        if (at(p) != '"') {
            throw decline("s is not a string");
        }
        int start = p + 1;
        int close = stringEnd(start);
        int length = close - start;
        if (length == 0 || length > m.symbolChars.length) {
            throw decline("symbol length");
        }
        m.symbolBytes = b;
        m.symbolOffset = start;
        m.symbolLength = length;
        return close + 1;
    }

    private int makerFlag(int p) throws MalformedFrameException {
        if (p + 4 <= end && (int) INTS.get(b, p) == TRUE) {
            m.makerFlag = 1;
            return p + 4;
        }
        if (p + 5 <= end && b[p] == 'f' && (int) INTS.get(b, p + 1) == ALSE) {
            m.makerFlag = 0;
            return p + 5;
        }
        throw decline("m is not a boolean");
    }

    /**
     * Digits from {@code p}, 8 at a time: their value goes to {@link #runValue} (meaningless beyond 18 digits);
     * returns the position of the first non-digit.
     */
    private int digitRun(int p) {
        byte[] bytes = b;
        int limit = end;
        long value = 0;
        while (p + 8 <= limit) {
            long digits = (long) LONGS.get(bytes, p) - ZERO_CHARS;
            // the high bit marks a byte below '0' (it wrapped) or above '9'; exact for the first non-digit
            long nonDigits = (digits | (digits + ABOVE_NINE)) & HIGH_BITS;
            int count = Long.numberOfTrailingZeros(nonDigits) >>> 3; // 8 when all are digits
            if (count == 0) {
                runValue = value;
                return p;
            }
            value = value * POWERS_OF_TEN[count] + eightDigits(digits << ((8 - count) << 3));
            p += count;
            if (count < 8) {
                runValue = value;
                return p;
            }
        }
        while (p < limit) {
            int digit = bytes[p] - '0';
            if (digit < 0 || digit > 9) {
                break;
            }
            value = value * 10 + digit;
            p++;
        }
        runValue = value;
        return p;
    }

    /**
     * The number written by 8 digit values (0-9, one per byte, the most significant in the low byte): three
     * multiplications, each joining neighbours (1 digit → 2 → 4 → 8).
     */
    static long eightDigits(long digits) {
        long pairs = (digits * (10 * 256 + 1)) >>> 8;
        long quads = ((pairs & 0x00FF00FF00FF00FFL) * (100 * 65536 + 1)) >>> 16;
        return ((quads & 0x0000FFFF0000FFFFL) * (10000L * (1L << 32) + 1)) >>> 32;
    }

    /** A JSON integer of at most 18 digits into {@link #integerValue} (else declined: Jackson decides). */
    private int integer(int p) throws MalformedFrameException {
        boolean negative = at(p) == '-';
        int start = negative ? p + 1 : p;
        int after = digitRun(start);
        int digits = after - start;
        if (digits == 0 || (digits > 1 && b[start] == '0')) {
            throw decline("not an integer");
        }
        if (digits > 18) {
            throw decline("integer too long");
        }
        if (after < end && (b[after] == '.' || b[after] == 'e' || b[after] == 'E')) {
            throw decline("not an integer");
        }
        integerValue = negative ? -runValue : runValue;
        return after;
    }

    /**
     * A decimal string at {@code p} into {@link #runValue} (mantissa) and {@link #decimalScale}. The spelling Binance
     * uses — digits, optionally a point and more digits, at most 18 digits in all — is read here; anything else goes
     * to {@link dev.tickvault.model.DecimalParser} (the same result, exactly, or an exception: the frame is declined).
     */
    private int decimal(int p) throws MalformedFrameException {
        if (at(p) != '"') {
            throw decline("expected a decimal string");
        }
        int after = usualDecimal(p + 1);
        return after >= 0 ? after : otherDecimal(p + 1);
    }

    /**
     * The usual shape from {@code start} (after the opening quote): 1-7 integer digits, '.', 1-8 fraction digits, the
     * closing quote — two 8-byte reads, no loop; small, so it is compiled into its callers. Returns the position after
     * the closing quote, or -1 for any other spelling.
     */
    private int usualDecimal(int start) {
        if (start + 17 > end) {
            return -1;
        }
        long integerPart = (long) LONGS.get(b, start) - ZERO_CHARS;
        int integerDigits = Long.numberOfTrailingZeros((integerPart | (integerPart + ABOVE_NINE)) & HIGH_BITS) >>> 3;
        int point = start + integerDigits;
        if (integerDigits == 0 || integerDigits == 8 || b[point] != '.') {
            return -1;
        }
        long fractionPart = (long) LONGS.get(b, point + 1) - ZERO_CHARS;
        int fractionDigits = Long.numberOfTrailingZeros((fractionPart | (fractionPart + ABOVE_NINE)) & HIGH_BITS) >>> 3;
        int close = point + 1 + fractionDigits;
        if (fractionDigits == 0 || b[close] != '"') {
            return -1;
        }
        runValue = eightDigits(integerPart << ((8 - integerDigits) << 3)) * POWERS_OF_TEN[fractionDigits]
                + eightDigits(fractionPart << ((8 - fractionDigits) << 3));
        decimalScale = fractionDigits;
        return close + 1;
    }

    /** Any other decimal string from {@code start}: digit runs, else {@link dev.tickvault.model.DecimalParser}. */
    private int otherDecimal(int start) throws MalformedFrameException {
        int q = digitRun(start);
        int integerDigits = q - start;
        long mantissa = runValue;
        int fractionDigits = -1;
        if (q < end && b[q] == '.' && integerDigits > 0) {
            int fractionStart = q + 1;
            q = digitRun(fractionStart);
            fractionDigits = q - fractionStart;
            if (fractionDigits <= 18) {
                mantissa = mantissa * POWERS_OF_TEN[fractionDigits] + runValue;
            }
        }
        if (q < end
                && b[q] == '"'
                && integerDigits > 0
                && fractionDigits != 0
                && integerDigits + Math.max(fractionDigits, 0) <= 18) {
            runValue = mantissa;
            decimalScale = Math.max(fractionDigits, 0);
            return q + 1;
        }
        int close = stringEnd(start);
        runValue = m.decimals.parse(b, start, close - start);
        decimalScale = m.decimals.scale();
        return close + 1;
    }

    /** {@code [[price, quantity], …]} at {@code p} into {@code target}; returns the position after it. */
    private int levels(int p, DepthLevels target) throws MalformedFrameException {
        if (at(p) != '[') {
            throw decline("expected an array of levels");
        }
        target.clear();
        p = whitespace(p + 1);
        if (at(p) == ']') {
            return p + 1;
        }
        while (true) {
            if (at(p) != '[') {
                throw decline("a level is not an array");
            }
            p = whitespace(decimal(whitespace(p + 1)));
            long price = runValue;
            int priceScale = decimalScale;
            if (at(p) != ',') {
                throw decline("expected , in a level");
            }
            p = whitespace(decimal(whitespace(p + 1)));
            if (at(p) != ']') {
                throw decline("expected ] after a level's quantity");
            }
            if (!target.add(price, priceScale, runValue, decimalScale)) {
                throw decline("too many levels");
            }
            p = whitespace(p + 1);
            byte c = at(p);
            if (c == ']') {
                return p + 1;
            }
            if (c != ',') {
                throw decline("expected , or ]");
            }
            p = whitespace(p + 1);
        }
    }

    /** Skips any JSON value at {@code p}, checking its grammar; returns the position after it. */
    private int skipValue(int p) throws MalformedFrameException {
        switch (at(p)) {
            case '"' -> {
                return stringEnd(p + 1) + 1;
            }
            case '{' -> {
                p = whitespace(p + 1);
                if (at(p) == '}') {
                    return p + 1;
                }
                while (true) {
                    if (at(p) != '"') {
                        throw decline("expected a key");
                    }
                    p = whitespace(stringEnd(p + 1) + 1);
                    if (at(p) != ':') {
                        throw decline("expected :");
                    }
                    p = whitespace(skipValue(whitespace(p + 1)));
                    byte next = at(p);
                    if (next == '}') {
                        return p + 1;
                    }
                    if (next != ',') {
                        throw decline("expected , or }");
                    }
                    p = whitespace(p + 1);
                }
            }
            case '[' -> {
                p = whitespace(p + 1);
                if (at(p) == ']') {
                    return p + 1;
                }
                while (true) {
                    p = whitespace(skipValue(p));
                    byte next = at(p);
                    if (next == ']') {
                        return p + 1;
                    }
                    if (next != ',') {
                        throw decline("expected , or ]");
                    }
                    p = whitespace(p + 1);
                }
            }
            case 't' -> {
                return word(p, TRUE, 4);
            }
            case 'n' -> {
                return word(p, NULL, 4);
            }
            case 'f' -> {
                return word(p + 1, ALSE, 4);
            }
            default -> {
                return number(p);
            }
        }
    }

    private int word(int p, int expected, int length) throws MalformedFrameException {
        if (p + length > end || (int) INTS.get(b, p) != expected) {
            throw decline("bad literal");
        }
        return p + length;
    }

    /** Skips a JSON number, checking its grammar: {@code -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?}. */
    private int number(int p) throws MalformedFrameException {
        if (p < end && b[p] == '-') {
            p++;
        }
        int start = p;
        p = digitRun(p);
        int digits = p - start;
        if (digits == 0 || (digits > 1 && b[start] == '0')) {
            throw decline("bad number");
        }
        if (p < end && b[p] == '.') {
            int fraction = p + 1;
            p = digitRun(fraction);
            if (p == fraction) {
                throw decline("bad number");
            }
        }
        if (p < end && (b[p] == 'e' || b[p] == 'E')) {
            p++;
            if (p < end && (b[p] == '+' || b[p] == '-')) {
                p++;
            }
            int exponent = p;
            p = digitRun(p);
            if (p == exponent) {
                throw decline("bad number");
            }
        }
        return p;
    }
    // ---- The usual trade frames, read by a template ----

    /**
     * Literal bytes of the usual frame, compared 8 at a time: {@code words[i]} holds bytes {@code 8i…8i+7} as a
     * little-endian long, {@code masks[i]} selects those that belong to the literal.
     */
    private record Literal(int length, long[] words, long[] masks) {
        static Literal of(String text) {
            int n = (text.length() + 7) / 8;
            long[] words = new long[n];
            long[] masks = new long[n];
            for (int i = 0; i < text.length(); i++) {
                words[i / 8] |= (long) (text.charAt(i) & 0xff) << ((i % 8) * 8);
                masks[i / 8] |= 0xffL << ((i % 8) * 8);
            }
            return new Literal(text.length(), words, masks);
        }
    }

    private static final Literal STREAM_OPEN = Literal.of("{\"stream\":\"");
    private static final Literal DATA_TRADE = Literal.of("\",\"data\":{\"e\":\"trade\",\"E\":");
    private static final Literal RAW_TRADE = Literal.of("{\"e\":\"trade\",\"E\":");
    private static final Literal SYMBOL_KEY = Literal.of(",\"s\":\"");
    private static final Literal TRADE_ID_KEY = Literal.of("\",\"t\":");
    private static final Literal PRICE_KEY = Literal.of(",\"p\":\"");
    private static final Literal QUANTITY_KEY = Literal.of(",\"q\":\"");
    private static final Literal TRADE_TIME_KEY = Literal.of(",\"T\":");
    private static final Literal MAKER_KEY = Literal.of(",\"m\":");
    private static final Literal IGNORE_KEY = Literal.of(",\"M\":");
    private static final Literal ORDER_TYPE_KEY = Literal.of(",\"X\":\"");
    private static final Literal QUOTED_MAKER_KEY = Literal.of("\",\"m\":");

    /** The value of the boolean {@link #templateBoolean} read last: 1 true, 0 false. */
    private int booleanValue;

    /**
     * The frames Binance sends for every trade, byte for byte apart from the values — spot {@code
     * {"stream":"<s>","data":{"e":"trade","E":<n>,"s":"<s>","t":<n>,"p":"<d>","q":"<d>","T":<n>,"m":<b>,"M":<b>}}},
     * USD-M {@code {"stream":"<s>","data":{"e":"trade","E":<n>,"T":<n>,"s":"<s>","t":<n>,"p":"<d>","q":"<d>",
     * "X":"<s>","m":<b>}}}, or either without the envelope — read as a template: each run of literal bytes compared
     * as one or two 8-byte words, each value read by the same code as the general path ({@link #stringEnd}, {@link
     * #digitRun}, {@link #usualDecimal}). Any difference (another key order, whitespace, a value of another shape, a
     * negative number) returns false with {@link #m} untouched, and the general path reads the frame; so the result
     * is the same as the general path's, only without its per-key dispatch.
     */
    private boolean usualTrade(int start) throws MalformedFrameException {
        int p = literal(start, STREAM_OPEN);
        boolean envelope = p >= 0;
        if (envelope) {
            p = literal(stringEnd(p), DATA_TRADE);
        } else {
            p = literal(start, RAW_TRADE);
        }
        p = templateInteger(p);
        long eventTime = integerValue;
        long tradeTime = ParsedMessage.UNSET;
        int afterTime = templateInteger(literal(p, TRADE_TIME_KEY)); // USD-M: T before s
        if (afterTime >= 0) {
            tradeTime = integerValue;
            p = afterTime;
        }
        p = literal(p, SYMBOL_KEY);
        if (p < 0) {
            return false;
        }
        int symbolStart = p;
        int symbolEnd = stringEnd(p);
        int symbolLength = symbolEnd - symbolStart;
        if (symbolLength == 0 || symbolLength > m.symbolChars.length) {
            return false;
        }
        p = templateInteger(literal(symbolEnd, TRADE_ID_KEY));
        long tradeId = integerValue;
        p = literal(p, PRICE_KEY);
        p = p < 0 ? -1 : usualDecimal(p);
        long price = runValue;
        int priceScale = decimalScale;
        p = literal(p, QUANTITY_KEY);
        p = p < 0 ? -1 : usualDecimal(p);
        long quantity = runValue;
        int quantityScale = decimalScale;
        if (tradeTime == ParsedMessage.UNSET) { // spot: ,"T":n,"m":b,"M":b
            p = templateInteger(literal(p, TRADE_TIME_KEY));
            tradeTime = integerValue;
            p = templateBoolean(literal(p, MAKER_KEY));
            int maker = booleanValue;
            p = templateBoolean(literal(p, IGNORE_KEY));
            booleanValue = maker;
        } else { // USD-M: ,"X":"s","m":b
            p = literal(p, ORDER_TYPE_KEY);
            p = templateBoolean(literal(p < 0 ? -1 : stringEnd(p), QUOTED_MAKER_KEY));
        }
        int maker = booleanValue;
        if (p < 0 || p >= end || b[p] != '}') {
            return false;
        }
        p++;
        if (envelope) {
            if (p >= end || b[p] != '}') {
                return false;
            }
            p++;
        }
        if (p != end) {
            return false;
        }
        ParsedMessage msg = m;
        msg.eventType = ParsedMessage.TRADE;
        msg.eventTime = eventTime;
        msg.symbolBytes = b;
        msg.symbolOffset = symbolStart;
        msg.symbolLength = symbolLength;
        msg.tradeId = tradeId;
        msg.priceMantissa = price;
        msg.priceScale = priceScale;
        msg.quantityMantissa = quantity;
        msg.quantityScale = quantityScale;
        msg.transactionTime = tradeTime;
        msg.makerFlag = maker;
        return true;
    }

    /** The position after {@code literal} if the frame has it at {@code p}, else -1 (also for {@code p} = -1). */
    private int literal(int p, Literal literal) {
        if (p < 0 || p + literal.length > end || p + (literal.words.length << 3) > b.length) {
            return -1;
        }
        long[] words = literal.words;
        long[] masks = literal.masks;
        for (int i = 0; i < words.length; i++) {
            if ((((long) LONGS.get(b, p + (i << 3))) & masks[i]) != words[i]) {
                return -1;
            }
        }
        return p + literal.length;
    }

    /**
     * A non-negative integer of 1-18 digits without a leading zero at {@code p} into {@link #integerValue} (as {@link
     * #integer} reads it); -1 for anything else or {@code p} = -1.
     */
    private int templateInteger(int p) {
        if (p < 0) {
            return -1;
        }
        int after = digitRun(p);
        int digits = after - p;
        if (digits == 0 || digits > 18 || (digits > 1 && b[p] == '0')) {
            return -1;
        }
        integerValue = runValue;
        return after;
    }

    /** {@code true} or {@code false} at {@code p} into {@link #booleanValue}; -1 for anything else or p = -1. */
    private int templateBoolean(int p) {
        if (p < 0) {
            return -1;
        }
        if (p + 4 <= end && (int) INTS.get(b, p) == TRUE) {
            booleanValue = 1;
            return p + 4;
        }
        if (p + 5 <= end && b[p] == 'f' && (int) INTS.get(b, p + 1) == ALSE) {
            booleanValue = 0;
            return p + 5;
        }
        return -1;
    }
}
